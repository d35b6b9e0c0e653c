"""API tokens: the account page (create, shown once, revoke), authentication, scopes, revocation, and the
token-authenticated endpoints (me/canteens, creating a canteen's diagnostic)."""

import pytest

from api.models import CANTEENS_READ, DIAGNOSTICS_WRITE, ApiToken, hash_token
from canteens.models import YearlyDiagnostic
from tests.api.conftest import get_json, post_json
from tests.api.schema_check import assert_matches_schema
from tests.factories import CanteenFactory, UserFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/canteens/"


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def diagnostics_url(canteen):
    return f"/api/v1/canteens/{canteen.pk}/diagnostics/"


# --- the account page -------------------------------------------------------------------------------------


def test_page_needs_login(client, db):
    response = client.get("/compte/jetons/")
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]


def test_create_shows_the_token_once_and_stores_its_hash(client, manager):
    client.force_login(manager)
    page = client.get("/compte/jetons/")
    assert page.status_code == 200 and "Créer un jeton" in page.content.decode()
    response = client.post("/compte/jetons/", {"name": "Logiciel de gestion", "scopes": [DIAGNOSTICS_WRITE]})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    html = response.content.decode()
    secret = html.split('data-testid="api-token">')[1].split("<")[0]
    assert secret.startswith("mc_") and len(secret) > 40
    token = ApiToken.objects.get(user=manager)
    assert token.key_hash == hash_token(secret) and secret not in (token.key_hash, token.prefix)
    assert token.prefix == secret[:11] and token.scopes == [DIAGNOSTICS_WRITE] and token.name == "Logiciel de gestion"
    again = client.get("/compte/jetons/").content.decode()
    assert secret not in again and token.prefix in again  # never shown again


def test_create_needs_a_scope(client, manager):
    client.force_login(manager)
    response = client.post("/compte/jetons/", {"name": "Sans droit"})
    assert response.status_code == 200 and "Choisissez au moins un droit" in response.content.decode()
    assert not ApiToken.objects.exists()
    client.post("/compte/jetons/", {"name": "Faux droit", "scopes": ["admin:all"]})
    assert not ApiToken.objects.exists()


def test_revoke_from_the_page(client, manager, canteens):
    token, secret = ApiToken.issue(manager, "Intégration", [CANTEENS_READ])
    assert client.get(ME, **bearer(secret)).status_code == 200
    client.force_login(manager)
    response = client.post(f"/compte/jetons/{token.pk}/revoquer/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    body = get_json(client, ME, status=401, **bearer(secret))
    assert body["errors"]["detail"] == ["Jeton d'API inconnu ou révoqué."]


def test_cannot_revoke_someone_elses_token(client, manager):
    token, _secret = ApiToken.issue(UserFactory(), "Autre", [CANTEENS_READ])
    client.force_login(manager)
    assert client.post(f"/compte/jetons/{token.pk}/revoquer/").status_code == 404
    assert client.get(f"/compte/jetons/{token.pk}/revoquer/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


# --- authentication and scopes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    ["Bearer mc_inconnu", "Bearer ", "Bearer a b", "Bearer pas-un-jeton"],
)
def test_bad_tokens_answer_401(client, canteens, header):
    response = client.get(ME, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert_matches_schema(response, ME)


def test_no_token_answers_401(client, canteens):
    response = client.get(ME)
    assert response.status_code == 401 and "Bearer" in response.json()["errors"]["detail"][0]
    assert post_json(client, diagnostics_url(canteens["rennes"]), {"year": 2025}, 401)


def test_scopes(client, manager, canteens):
    _token, read_only = ApiToken.issue(manager, "Lecture", [CANTEENS_READ])
    _token, write_only = ApiToken.issue(manager, "Écriture", [DIAGNOSTICS_WRITE])
    assert client.get(ME, **bearer(read_only)).status_code == 200
    forbidden = get_json(client, ME, status=403, **bearer(write_only))
    assert "canteens:read" in forbidden["errors"]["detail"][0]
    response = post_json(client, diagnostics_url(canteens["rennes"]), {"year": 2025}, 403, **bearer(read_only))
    assert "diagnostics:write" in response["errors"]["detail"][0]
    post_json(client, diagnostics_url(canteens["rennes"]), {"year": 2025}, 201, **bearer(write_only))


def test_inactive_user_token_is_refused(client, manager, canteens):
    _token, secret = ApiToken.issue(manager, "Lecture", [CANTEENS_READ])
    manager.is_active = False
    manager.save()
    assert client.get(ME, **bearer(secret)).status_code == 401


def test_last_used_is_recorded(client, manager, canteens):
    token, secret = ApiToken.issue(manager, "Lecture", [CANTEENS_READ])
    assert token.last_used_at is None
    client.get(ME, **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_issue_rejects_unknown_scopes(manager):
    with pytest.raises(ValueError):
        ApiToken.issue(manager, "x", ["admin"])
    with pytest.raises(ValueError):
        ApiToken.issue(manager, "x", [])


# --- endpoints --------------------------------------------------------------------------------------------


def test_me_canteens_lists_managed_canteens_with_every_diagnostic(client, manager, canteens):
    _token, secret = ApiToken.issue(manager, "Lecture", [CANTEENS_READ])
    response = client.get(ME, **bearer(secret))
    assert_matches_schema(response, ME)
    assert response["Cache-Control"].startswith("no-cache") and "private" in response["Cache-Control"]
    data = response.json()
    assert [canteen["name"] for canteen in data["results"]] == ["Cantine non publiée", "École des Lilas"]
    lilas = data["results"][1]
    assert [(d["year"], d["is_published"]) for d in lilas["diagnostics"]] == [(2024, True), (2023, False)]
    assert lilas["diagnostics"][0]["purchases"]["bio"] == "25000.00"


def test_create_a_diagnostic(client, manager, canteens):
    _token, secret = ApiToken.issue(manager, "Logiciel", [DIAGNOSTICS_WRITE])
    payload = {
        "year": 2025,
        "purchases": {"total": 100000, "bio": 30000, "siqo": "10000.50"},
        "answers": {"waste": {"diagnostic_done": True, "actions": ["portions"]}, "plastic": {"containers": True}},
    }
    response = client.post(
        diagnostics_url(canteens["rennes"]), payload, content_type="application/json", **bearer(secret)
    )
    assert response.status_code == 201, response.content
    assert_matches_schema(response, diagnostics_url(canteens["rennes"]), "post")
    data = response.json()
    assert data["year"] == 2025 and data["mode"] == "simple" and data["is_published"] is False
    assert data["purchases"]["siqo"] == "10000.50" and data["purchases"]["environmental"] is None
    assert data["evaluation"]["rates"]["bio"] == "30.00"
    assert data["evaluation"]["measures"]["quality"]["status"] == "incomplete"
    diagnostic = YearlyDiagnostic.objects.get(canteen=canteens["rennes"], year=2025)
    assert diagnostic.updated_by == manager and str(diagnostic.bio) == "30000.00"
    assert diagnostic.answers == {
        "waste": {"diagnostic_done": True, "actions": ["portions"]},
        "plastic": {"cooking_containers": True, "serving_containers": True},
    }
    conflict = post_json(client, diagnostics_url(canteens["rennes"]), payload, 409, **bearer(secret))
    assert list(conflict["errors"]) == ["year"]
    # the canteen's own pages read it back
    client.force_login(manager)
    assert client.get(f"/mes-cantines/{canteens['rennes'].pk}/diagnostics/2025/").status_code == 200


def test_create_a_detailed_diagnostic(client, manager, canteens):
    _token, secret = ApiToken.issue(manager, "Logiciel", [DIAGNOSTICS_WRITE])
    payload = {"year": 2025, "purchases_by_family": {"meat_poultry": {"total": 1000, "bio": 200}}}
    data = post_json(client, diagnostics_url(canteens["rennes"]), payload, 201, **bearer(secret))
    assert data["mode"] == "detailed" and data["purchases"]["total"] == "1000.00"
    assert data["purchases"]["meat_fish_total"] == "1000.00"


@pytest.mark.parametrize(
    "payload, fields",
    [
        ({}, {"year"}),
        ({"year": 2019}, {"year"}),
        ({"year": 2025, "purchases": {"total": 100, "bio": 200}}, {"purchases.bio"}),
        ({"year": 2025, "purchases": {"total": -1}}, {"purchases.total"}),
        ({"year": 2025, "answers": {"waste": {"actions": ["nope"]}}}, {"answers.waste.actions.0"}),
        ({"year": 2025, "department": "75"}, {"department"}),
    ],
)
def test_invalid_diagnostics_answer_400_with_field_paths(client, manager, canteens, payload, fields):
    _token, secret = ApiToken.issue(manager, "Logiciel", [DIAGNOSTICS_WRITE])
    response = client.post(
        diagnostics_url(canteens["rennes"]), payload, content_type="application/json", **bearer(secret)
    )
    assert response.status_code == 400
    assert_matches_schema(response, diagnostics_url(canteens["rennes"]), "post")
    assert set(response.json()["errors"]) == fields
    assert not YearlyDiagnostic.objects.filter(canteen=canteens["rennes"], year=2025).exists()


def test_invalid_json_answers_400(client, manager, canteens):
    _token, secret = ApiToken.issue(manager, "Logiciel", [DIAGNOSTICS_WRITE])
    response = client.post(
        diagnostics_url(canteens["rennes"]), "{pas du json", content_type="application/json", **bearer(secret)
    )
    assert response.status_code == 400 and list(response.json()["errors"]) == ["body"]


def test_only_managed_canteens(client, manager, canteens):
    """403 for a canteen the token's user does not manage, the same answer for one that does not exist."""
    _token, secret = ApiToken.issue(manager, "Logiciel", [DIAGNOSTICS_WRITE])
    others = CanteenFactory(name="Pas à moi")
    response = client.post(diagnostics_url(others), {"year": 2025}, content_type="application/json", **bearer(secret))
    assert response.status_code == 403
    assert_matches_schema(response, diagnostics_url(others), "post")
    message = f"Vous ne gérez pas la cantine n° {others.pk} (ou elle n'existe pas) : ce jeton ne peut pas y écrire."
    assert response.json() == {"errors": {"detail": [message]}}
    unknown = post_json(client, "/api/v1/canteens/999999/diagnostics/", {"year": 2025}, 403, **bearer(secret))
    assert "999999" in unknown["errors"]["detail"][0]
    post_json(client, diagnostics_url(canteens["martinique"]), {"year": 2025}, 403, **bearer(secret))
    post_json(client, diagnostics_url(others), {"year": 1900}, 403, **bearer(secret))  # before the body's checks
    assert not YearlyDiagnostic.objects.filter(canteen__in=[others, canteens["martinique"]], year=2025).exists()


def test_options_describes_the_body_to_a_token_with_the_scope(client, manager, canteens):
    """DRF's metadata reads the view's serializer for a caller allowed to POST (was a 500)."""
    _token, secret = ApiToken.issue(manager, "Logiciel", [DIAGNOSTICS_WRITE])
    response = client.options(diagnostics_url(canteens["rennes"]), **bearer(secret))
    assert response.status_code == 200
    assert {"year", "purchases", "answers"} <= set(response.json()["actions"]["POST"])


def test_a_body_nested_too_deeply_is_a_400(client, manager, canteens):
    _token, secret = ApiToken.issue(manager, "Logiciel", [DIAGNOSTICS_WRITE])
    body = '{"year": 2025, "answers": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = client.post(diagnostics_url(canteens["rennes"]), body, content_type="application/json", **bearer(secret))
    assert response.status_code == 400 and list(response.json()["errors"]) == ["body"]
