"""Finding 12: unauthenticated 500s in Wagtail's API (a NUL character in ?search= or find/?html_path=). They
answer 400 in the API's JSON error format. (The widget colours' 500s: tests/security/test_media.py.)"""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/pages/?search=%00",
        "/api/v1/documents/?search=%00",
        "/api/v1/images/?search=%00",
        "/api/v1/pages/find/?html_path=/%00",
        "/api/v1/pages/?title=a%00b",
    ],
)
def test_a_nul_character_is_a_400(client, home_page, settings, url):
    settings.API_READ_RATE_LIMIT = None
    response = client.get(url)
    assert response.status_code == 400
    assert response.json()["errors"]["detail"] == ["Caractère nul interdit dans les paramètres."]
