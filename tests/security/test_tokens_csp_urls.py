"""Finding 15: API tokens survived a password change; /admin/ sent no CSP at all although the docs said it had
its own; RSS and API absolute URLs used the Wagtail Site's « localhost » instead of the request's host."""

import re

import pytest
from django.core import mail
from wagtail_localize.synctree import synchronize_tree

from api.models import CANTEENS_READ, ApiToken
from tests.factories import ResourceIndexPageFactory, ResourcePageFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "mot-de-passe-solide-42"
ME = "/api/v1/me/canteens/"


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_changing_the_password_revokes_the_api_tokens(client, settings):
    settings.API_READ_RATE_LIMIT = None
    user = UserFactory(email="gestion@example.org")
    _token, secret = ApiToken.issue(user, "Intégration", [CANTEENS_READ])
    assert client.get(ME, **bearer(secret)).status_code == 200
    client.force_login(user)
    new = "une toute nouvelle phrase"
    response = client.post(
        "/compte/mot-de-passe/modifier/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert client.get(ME, **bearer(secret)).status_code == 401
    assert not ApiToken.objects.active().filter(user=user).exists()


def test_a_password_reset_revokes_them_too(client, settings):
    settings.API_READ_RATE_LIMIT = None
    user = UserFactory(email="oubli@example.org")
    _token, secret = ApiToken.issue(user, "Intégration", [CANTEENS_READ])
    client.post("/compte/mot-de-passe/oubli/", {"email": user.email})
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": "un tout nouveau secret", "new_password2": "un tout nouveau secret"})
    assert client.get(ME, **bearer(secret)).status_code == 401


def test_a_login_does_not_revoke_them(client, settings):
    settings.API_READ_RATE_LIMIT = None
    user = UserFactory(email="gestion@example.org")
    _token, secret = ApiToken.issue(user, "Intégration", [CANTEENS_READ])
    client.post("/compte/connexion/", {"username": user.email, "password": PASSWORD})
    assert client.get(ME, **bearer(secret)).status_code == 200


def test_the_admin_has_its_own_csp(client):
    policy = client.get("/admin/login/")["Content-Security-Policy"]
    assert "object-src 'none'" in policy and "frame-ancestors 'self'" in policy
    assert "script-src 'self' 'unsafe-inline' 'unsafe-eval'" in policy  # Wagtail's bundled editors need them


def test_feeds_and_api_use_the_requests_host(client, home_page, locales, settings):
    settings.API_READ_RATE_LIMIT = None
    settings.ALLOWED_HOSTS = ["ma-cantine.example"]
    index = ResourceIndexPageFactory(parent=home_page)
    page = ResourcePageFactory(parent=index, title="Peser les restes")
    synchronize_tree(locales["fr"], locales["en"])
    host = {"HTTP_HOST": "ma-cantine.example"}
    feed = b"".join(client.get("/ressources/feed.xml", **host)).decode()
    assert "http://ma-cantine.example/" in feed and "localhost" not in feed
    detail = client.get(f"/api/v1/pages/{page.pk}/", **host).json()
    assert detail["meta"]["html_url"].startswith("http://ma-cantine.example/")
    listing = client.get("/api/v1/pages/?type=resources.ResourcePage&fields=title", **host).json()
    assert all("localhost" not in item["meta"]["html_url"] for item in listing["items"])
