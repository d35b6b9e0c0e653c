"""OAuth 2.0 for third-party applications, end to end with the test client: authorize → consent → token →
call → revoke; PKCE required; scopes enforced; the manager sees and withdraws the application."""

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from oauth2_provider.models import get_application_model

from api.models import CANTEENS_READ, DECLARATIONS_WRITE, SCOPES
from tests.factories import CanteenFactory, UserFactory, YearlyDiagnosticFactory

pytestmark = pytest.mark.django_db
REDIRECT = "https://logiciel.example/retour"
SECRET = "secret-de-l-editeur-" + "x" * 20


@pytest.fixture
def application():
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    return get_application_model().objects.create(
        name="Logiciel Cantine+",
        client_id="cantine-plus",
        client_secret=SECRET,
        client_type="confidential",
        authorization_grant_type="authorization-code",
        redirect_uris=REDIRECT,
        user=admin,
    )


@pytest.fixture
def manager():
    user = UserFactory(email="gestion@example.org")
    canteen = CanteenFactory(name="École des Lilas", managers=[user])
    YearlyDiagnosticFactory(canteen=canteen, year=2024)
    return user


def pkce():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize(client, challenge, scope):
    params = {
        "response_type": "code",
        "client_id": "cantine-plus",
        "redirect_uri": REDIRECT,
        "scope": scope,
        "state": "etat-123",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    consent = client.get("/o/authorize/?" + urlencode(params))
    assert consent.status_code == 200
    html = consent.content.decode()
    form = {name: value for name, value in params.items()}
    response = client.post("/o/authorize/", {**form, "allow": "Authorize"})
    assert response.status_code == 302, response.content[:300]
    location = urlparse(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    query = parse_qs(location.query)
    assert query["state"] == ["etat-123"]
    return html, query["code"][0]


def token(client, code, verifier):
    response = client.post(
        "/o/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": "cantine-plus",
            "client_secret": SECRET,
            "code_verifier": verifier,
        },
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_authorize_consent_token_call_revoke(client, application, manager):
    client.force_login(manager)
    verifier, challenge = pkce()
    html, code = authorize(client, challenge, f"{CANTEENS_READ} {DECLARATIONS_WRITE}")
    # The consent screen is French and says what the application may do.
    assert "Autoriser « Logiciel Cantine+ » à accéder à ma cantine ?" in html
    assert str(SCOPES[CANTEENS_READ]) in html and str(SCOPES[DECLARATIONS_WRITE]) in html
    assert 'lang="fr"' in html

    tokens = token(client, code, verifier)
    assert set(tokens["scope"].split()) == {CANTEENS_READ, DECLARATIONS_WRITE}
    client.logout()  # the application calls the API with its token only
    auth = {"HTTP_AUTHORIZATION": f"Bearer {tokens['access_token']}"}
    response = client.get("/api/v1/me/canteens/", **auth)
    assert response.status_code == 200
    assert [canteen["name"] for canteen in response.json()["results"]] == ["École des Lilas"]
    # A scope the application was not given: 403.
    canteen_id = response.json()["results"][0]["id"]
    response = client.post(
        f"/api/v1/canteens/{canteen_id}/diagnostics/", {"year": 2025}, content_type="application/json", **auth
    )
    assert response.status_code == 403 and "diagnostics:write" in response.json()["errors"]["detail"][0]

    # The manager sees the application and what it may do.
    client.force_login(manager)
    page = client.get("/compte/jetons/").content.decode()
    assert "Logiciel Cantine+" in page and str(SCOPES[DECLARATIONS_WRITE]) in page
    client.logout()

    # The application revokes its token (RFC 7009): the API refuses it.
    response = client.post(
        "/o/revoke_token/",
        {"token": tokens["access_token"], "client_id": "cantine-plus", "client_secret": SECRET},
    )
    assert response.status_code == 200
    assert client.get("/api/v1/me/canteens/", **auth).status_code == 401


def test_the_manager_withdraws_the_application(client, application, manager):
    client.force_login(manager)
    verifier, challenge = pkce()
    _html, code = authorize(client, challenge, CANTEENS_READ)
    tokens = token(client, code, verifier)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {tokens['access_token']}"}
    assert client.get("/api/v1/me/canteens/", **auth).status_code == 200
    response = client.post(f"/compte/jetons/applications/{application.pk}/revoquer/")
    assert response.status_code == 302
    assert client.get("/api/v1/me/canteens/", **auth).status_code == 401
    refreshed = client.post(
        "/o/token/",
        {
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "client_id": "cantine-plus",
            "client_secret": SECRET,
        },
    )
    assert refreshed.status_code == 400
    assert "Logiciel Cantine+" not in client.get("/compte/jetons/").content.decode()
    # Another user cannot withdraw anything for someone else (nothing of theirs to revoke).
    client.force_login(UserFactory(email="autre@example.org"))
    assert client.post(f"/compte/jetons/applications/{application.pk}/revoquer/").status_code == 302


def test_pkce_is_required(client, application, manager):
    client.force_login(manager)
    params = {"response_type": "code", "client_id": "cantine-plus", "redirect_uri": REDIRECT, "scope": CANTEENS_READ}
    response = client.get("/o/authorize/?" + urlencode(params))
    assert response.status_code in (200, 302, 400)
    if response.status_code == 302:
        assert "error=invalid_request" in response["Location"]
    else:
        assert "Autorisation impossible" in response.content.decode() or "error" in response.content.decode()


def test_anonymous_authorize_goes_to_login(client, application):
    _verifier, challenge = pkce()
    response = client.get(
        "/o/authorize/?"
        + urlencode(
            {
                "response_type": "code",
                "client_id": "cantine-plus",
                "redirect_uri": REDIRECT,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            }
        )
    )
    assert response.status_code == 302 and response["Location"].startswith("/compte/connexion/")


def test_personal_tokens_still_work_next_to_oauth(client, manager):
    from api.models import ApiToken

    _token, secret = ApiToken.issue(manager, "script", [CANTEENS_READ])
    assert client.get("/api/v1/me/canteens/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    assert client.get("/api/v1/me/canteens/", HTTP_AUTHORIZATION="Bearer inconnu").status_code == 401


def test_authorization_server_metadata(client):
    data = client.get("/.well-known/oauth-authorization-server").json()
    assert data["authorization_endpoint"] == "http://testserver/o/authorize/"
    assert data["token_endpoint"] == "http://testserver/o/token/"
    assert data["revocation_endpoint"] == "http://testserver/o/revoke_token/"
    assert data["code_challenge_methods_supported"] == ["S256"]
    assert set(data["scopes_supported"]) == set(SCOPES)


def test_applications_are_registered_by_an_administrator(client):
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get("/admin/oauth_applications/new/")
    assert response.status_code == 200
    client.force_login(UserFactory(email="gestion2@example.org"))
    assert client.get("/admin/oauth_applications/new/").status_code in (302, 403)
    # No self-service registration under /o/.
    assert client.get("/o/applications/").status_code == 404
