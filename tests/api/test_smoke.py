import pytest

from tests.api.conftest import get_json

pytestmark = pytest.mark.django_db


def test_smoke(client, site, canteens):
    for url in [
        "/api/v1/pages/",
        "/api/v1/pages/?type=resources.ResourcePage&fields=*",
        f"/api/v1/pages/{site['guide'].pk}/",
        f"/api/v1/pages/{site['waste'].pk}/",
        f"/api/v1/pages/{site['kit'].pk}/",
        f"/api/v1/pages/{site['quality'].pk}/",
        "/api/v1/images/",
        "/api/v1/documents/",
        "/api/v1/resources/",
        f"/api/v1/resources/{site['waste'].pk}/",
        "/api/v1/measures/",
        "/api/v1/mail-templates/",
        "/api/v1/kits/",
        "/api/v1/canteens/",
        f"/api/v1/canteens/{canteens['rennes'].pk}/",
        "/api/v1/schema/",
    ]:
        data = get_json(client, url)
        print(url, str(data)[:1500])
    assert client.get("/api/v1/docs/").status_code == 200
