"""The write API of issue 18: purchases, canteens, managers, satellites and user info, with tokens.

Each endpoint: the token's scope (403 without it), the token's user's canteens only (404 for another's), bad
input refused with messages per field and nothing saved, and the answers documented in the schema."""

import json
import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection

from api.models import CANTEENS_READ, CANTEENS_WRITE, PURCHASES_WRITE, SCOPES, ApiToken
from canteens.models import Canteen, ManagerInvitation, Purchase, PurchaseImport, YearlyDiagnostic
from tests.api.schema_check import assert_matches_schema
from tests.factories import CanteenFactory, UserFactory

pytestmark = pytest.mark.django_db

PURCHASES = [
    {"date": "2024-03-01", "description": "Carottes", "supplier": "Ferme", "family": "fruits_vegetables",
     "labels": ["agriculture_biologique"], "amount": "120.50"},
    {"date": "2024-03-02", "description": "Poulet", "supplier": "Volailles", "family": "meat_poultry",
     "amount": "300.00"},
]  # fmt: skip


def token_for(user, *scopes):
    _token, secret = ApiToken.issue(user, "logiciel", list(scopes))
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def send(client, method, url, auth, data=None):
    body = {} if data is None else {"data": json.dumps(data), "content_type": "application/json"}
    return getattr(client, method)(url, **body, **auth)


@pytest.fixture
def owner(db):
    return UserFactory(email="gestion@example.org")


@pytest.fixture
def canteen(owner):
    return CanteenFactory(managers=[owner])


@pytest.fixture
def all_scopes(owner):
    return token_for(owner, *SCOPES)


# --- purchases --------------------------------------------------------------------------------------------------


def test_a_batch_is_saved_whole_fills_the_diagnostic_and_a_second_send_adds_nothing(client, canteen, all_scopes):
    url = f"/api/v1/canteens/{canteen.pk}/purchases/"
    first = send(client, "post", url, all_scopes, {"purchases": PURCHASES})
    assert first.status_code == 201, first.content
    assert_matches_schema(first, url, "post")
    assert first.json()["created"] and first.json()["count"] == 2 and first.json()["years"] == [2024]
    diagnostic = YearlyDiagnostic.objects.get(canteen=canteen, year=2024)
    assert diagnostic.mode == "detailed" and diagnostic.total == Decimal("420.50")
    assert diagnostic.bio == Decimal("120.50")
    again = send(client, "post", url, all_scopes, {"purchases": list(reversed(PURCHASES))})
    assert again.status_code == 200 and again.json() == {**first.json(), "created": False}
    assert Purchase.objects.filter(canteen=canteen).count() == 2 and PurchaseImport.objects.count() == 1
    listed = send(client, "get", f"{url}?year=2024", all_scopes)
    assert listed.status_code == 200 and listed.json()["count"] == 2
    assert_matches_schema(listed, url)
    assert send(client, "get", f"{url}?year=2023", all_scopes).json()["count"] == 0


def test_a_batch_with_one_bad_line_saves_nothing_and_names_each_field(client, canteen, all_scopes):
    bad = [PURCHASES[0], {**PURCHASES[1], "family": "caviar", "amount": "-3", "colour": "red"}]
    response = send(client, "post", f"/api/v1/canteens/{canteen.pk}/purchases/", all_scopes, {"purchases": bad})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"purchases.1.family", "purchases.1.amount", "purchases.1.colour"} <= set(errors), errors
    assert not Purchase.objects.exists() and not YearlyDiagnostic.objects.exists()


def test_purchases_need_the_scope_and_stay_with_their_canteen(client, canteen, owner):
    url = f"/api/v1/canteens/{canteen.pk}/purchases/"
    read_only = token_for(owner, CANTEENS_READ)
    refused = send(client, "post", url, read_only, {"purchases": PURCHASES})
    assert refused.status_code == 403 and "purchases:write" in refused.json()["errors"]["detail"][0]
    assert send(client, "get", url, read_only).status_code == 200
    stranger = token_for(UserFactory(), *SCOPES)
    assert send(client, "post", url, stranger, {"purchases": PURCHASES}).status_code == 404
    assert send(client, "get", url, stranger).status_code == 404
    assert send(client, "post", url, {}, {"purchases": PURCHASES}).status_code == 401
    assert not Purchase.objects.exists()


def test_a_purchase_is_corrected_then_deleted_and_the_diagnostic_follows(client, canteen, all_scopes):
    url = f"/api/v1/canteens/{canteen.pk}/purchases/"
    ids = send(client, "post", url, all_scopes, {"purchases": PURCHASES}).json()["purchases"]
    changed = send(client, "patch", f"{url}{ids[1]}/", all_scopes, {"amount": "200.00", "labels": ["label_rouge"]})
    assert changed.status_code == 200, changed.content
    assert_matches_schema(changed, f"{url}{ids[1]}/", "patch")
    diagnostic = YearlyDiagnostic.objects.get(canteen=canteen, year=2024)
    assert diagnostic.total == Decimal("320.50") and diagnostic.siqo == Decimal("200.00")
    bad = send(client, "patch", f"{url}{ids[1]}/", all_scopes, {"date": "1990-01-01"})
    assert bad.status_code == 400 and "date" in bad.json()["errors"]
    deleted = send(client, "delete", f"{url}{ids[0]}/", all_scopes)
    assert deleted.status_code == 200 and deleted.json()["id"] == ids[0]
    diagnostic.refresh_from_db()
    assert diagnostic.total == Decimal("200.00") and diagnostic.bio == 0
    other = CanteenFactory(managers=[UserFactory()])
    assert send(client, "delete", f"/api/v1/canteens/{other.pk}/purchases/{ids[1]}/", all_scopes).status_code == 404
    assert send(client, "delete", f"/api/v1/canteens/{canteen.pk}/purchases/{ids[0]}/", all_scopes).status_code == 404


def test_a_batch_is_withdrawn_whole_and_the_diagnostic_follows(client, canteen, all_scopes):
    url = f"/api/v1/canteens/{canteen.pk}/purchases/"
    kept = send(client, "post", url, all_scopes, {"purchases": PURCHASES[:1]}).json()
    batch = send(client, "post", url, all_scopes, {"purchases": PURCHASES[1:]}).json()["batch"]
    assert YearlyDiagnostic.objects.get(canteen=canteen, year=2024).total == Decimal("420.50")
    stranger = token_for(UserFactory(), *SCOPES)
    assert send(client, "delete", f"{url}?batch={batch}", stranger).status_code == 404
    assert send(client, "delete", f"{url}?batch=abc", all_scopes).status_code == 400
    withdrawn = send(client, "delete", f"{url}?batch={batch}", all_scopes)
    assert withdrawn.status_code == 200 and withdrawn.json()["count"] == 1
    assert_matches_schema(withdrawn, url, "delete")
    assert list(Purchase.objects.values_list("pk", flat=True)) == kept["purchases"]
    assert YearlyDiagnostic.objects.get(canteen=canteen, year=2024).total == Decimal("120.50")
    assert send(client, "delete", f"{url}?batch={batch}", all_scopes).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_same_batch_sent_twice_at_once_is_saved_once():
    """Two threads send one batch for one canteen at the same moment: one batch (201), the other answered 200."""
    import importlib

    from django.apps import apps
    from django.test import Client

    from territories.models import Department

    if not Department.objects.exists():  # emptied by an earlier transactional test (loaded by a migration)
        importlib.import_module("territories.migrations.0002_load_territories").load(apps, None)
    owner = UserFactory()
    canteen = CanteenFactory(managers=[owner])
    auth = token_for(owner, PURCHASES_WRITE)
    barrier, codes = threading.Barrier(2), []

    def worker():
        try:
            barrier.wait()
            url = f"/api/v1/canteens/{canteen.pk}/purchases/"
            response = send(Client(), "post", url, auth, {"purchases": PURCHASES})
            codes.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [200, 201]
    assert PurchaseImport.objects.count() == 1 and Purchase.objects.count() == 2


# --- canteens ---------------------------------------------------------------------------------------------------

NEW_CANTEEN = {
    "name": "Collège Jean Moulin",
    "siret": "21350238800019",
    "city_insee_code": "35238",
    "sectors": ["school_primary"],
    "management_type": "direct",
    "production_type": "on_site",
    "economic_model": "public",
    "daily_meal_count": 300,
    "yearly_meal_count": 45000,
}


def test_a_canteen_is_created_managed_by_the_token_user_and_updated(client, owner):
    auth = token_for(owner, CANTEENS_WRITE)
    created = send(client, "post", "/api/v1/canteens/", auth, NEW_CANTEEN)
    assert created.status_code == 201, created.content
    assert_matches_schema(created, "/api/v1/canteens/", "post")
    canteen = Canteen.objects.get(pk=created.json()["id"])
    assert list(canteen.managers.all()) == [owner] and canteen.department == "35"
    changed = send(client, "patch", f"/api/v1/canteens/{canteen.pk}/", auth, {"daily_meal_count": 320})
    assert changed.status_code == 200 and changed.json()["daily_meal_count"] == 320
    assert_matches_schema(changed, f"/api/v1/canteens/{canteen.pk}/", "patch")
    assert client.get(f"/api/v1/canteens/{canteen.pk}/").status_code == 200  # the public read stays anonymous
    twice = send(client, "post", "/api/v1/canteens/", auth, NEW_CANTEEN)
    assert twice.status_code == 400 and "siret" in twice.json()["errors"]
    assert Canteen.objects.count() == 1


def test_a_bad_canteen_is_refused_field_by_field_in_english_too(client, owner):
    auth = token_for(owner, CANTEENS_WRITE)
    body = {**NEW_CANTEEN, "siret": "", "sectors": ["moon_base"], "yearly_meal_count": 100, "colour": "red"}
    refused = send(client, "post", "/api/v1/canteens/", auth, body)
    assert refused.status_code == 400
    assert {"sectors.0", "colour"} <= set(refused.json()["errors"]), refused.json()
    cross = send(
        client,
        "post",
        "/api/v1/canteens/",
        auth,
        {**NEW_CANTEEN, "siret": "", "daily_meal_count": 500, "yearly_meal_count": 450},
    )
    assert {"siret", "yearly_meal_count"} <= set(cross.json()["errors"]), cross.json()
    english = client.post(
        "/api/v1/canteens/", json.dumps({**NEW_CANTEEN, "siret": ""}), content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en", **auth,
    )  # fmt: skip
    assert english.json()["errors"]["siret"] == [
        "Enter the canteen's SIRET or, failing that, the SIREN of its legal unit."
    ]
    assert not Canteen.objects.exists()


def test_canteen_writes_need_the_scope_and_reach_only_ones_canteens(client, canteen, owner):
    assert send(client, "post", "/api/v1/canteens/", token_for(owner, CANTEENS_READ), NEW_CANTEEN).status_code == 403
    stranger = token_for(UserFactory(), CANTEENS_WRITE)
    assert send(client, "patch", f"/api/v1/canteens/{canteen.pk}/", stranger, {"name": "Pris"}).status_code == 404
    canteen.refresh_from_db()
    assert canteen.name != "Pris"


# --- managers ---------------------------------------------------------------------------------------------------


def test_managers_are_added_invited_listed_and_removed_but_never_the_last(client, canteen, owner):
    url = f"/api/v1/canteens/{canteen.pk}/managers/"
    auth = token_for(owner, CANTEENS_READ, CANTEENS_WRITE)
    colleague = UserFactory(email="collegue@example.org")
    added = send(client, "post", url, auth, {"email": "Collegue@example.org"})
    assert added.status_code == 201 and added.json()["outcome"] == "added"
    assert_matches_schema(added, url, "post")
    invited = send(client, "post", url, auth, {"email": "nouveau@example.org"})
    assert invited.json()["outcome"] == "invited" and len(mail.outbox) == 2
    assert send(client, "post", url, auth, {"email": "nouveau@example.org"}).status_code == 200
    assert send(client, "post", url, auth, {"email": "pas une adresse"}).status_code == 400
    listed = send(client, "get", url, auth)
    assert {(m["email"], m["status"]) for m in listed.json()} == {
        ("gestion@example.org", "manager"), ("collegue@example.org", "manager"), ("nouveau@example.org", "invited"),
    }  # fmt: skip
    assert_matches_schema(listed, url)
    assert send(client, "delete", f"{url}?email=nouveau@example.org", auth).status_code == 200
    assert not ManagerInvitation.objects.exists()
    assert send(client, "delete", f"{url}?email=collegue@example.org", auth).status_code == 200
    last = send(client, "delete", f"{url}?email=gestion@example.org", auth)
    assert last.status_code == 400 and "email" in last.json()["errors"]
    assert list(canteen.managers.all()) == [owner] and colleague not in canteen.managers.all()
    assert send(client, "post", url, token_for(owner, CANTEENS_READ), {"email": "a@example.org"}).status_code == 403
    assert send(client, "get", url, token_for(UserFactory(), *SCOPES)).status_code == 404


# --- satellites and user info -----------------------------------------------------------------------------------


def test_a_central_kitchen_links_lists_and_unlinks_its_satellites(client, owner):
    kitchen = CanteenFactory(managers=[owner], production_type="central")
    satellite = CanteenFactory(managers=[owner], production_type="satellite")
    foreign = CanteenFactory(managers=[UserFactory()], production_type="satellite")
    auth = token_for(owner, CANTEENS_READ, CANTEENS_WRITE)
    url = f"/api/v1/canteens/{kitchen.pk}/satellites/"
    linked = send(client, "post", url, auth, {"satellite": satellite.pk})
    assert linked.status_code == 201, linked.content
    satellite.refresh_from_db()
    assert satellite.central_kitchen_siret == kitchen.siret and satellite.confirmed_central_kitchen == kitchen
    assert [s["id"] for s in send(client, "get", url, auth).json()] == [satellite.pk]
    refused = send(client, "post", url, auth, {"satellite": foreign.pk})
    assert refused.status_code == 400 and "satellite" in refused.json()["errors"]
    assert send(client, "post", url, auth, {"satellite": kitchen.pk}).status_code == 400
    unlinked = send(client, "delete", f"{url}{satellite.pk}/", auth)
    assert unlinked.status_code == 200 and send(client, "get", url, auth).json() == []
    assert send(client, "delete", f"{url}{satellite.pk}/", auth).status_code == 404
    assert send(client, "get", url, token_for(UserFactory(), *SCOPES)).status_code == 404


def test_user_info_says_who_the_token_speaks_for(client, canteen, owner):
    response = send(client, "get", "/api/v1/me/", token_for(owner, CANTEENS_READ))
    assert response.status_code == 200
    assert_matches_schema(response, "/api/v1/me/")
    assert response.json()["email"] == "gestion@example.org"
    assert response.json()["scopes"] == [CANTEENS_READ] and response.json()["canteens"] == [canteen.pk]
    assert client.get("/api/v1/me/").status_code == 401


# --- a year's figures (the declaration's content, waste included) -----------------------------------------------


def test_a_years_figures_are_completed_blank_kept_apart_from_zero(client, canteen, owner):
    from canteens.models import Teledeclaration
    from tests.factories import YearlyDiagnosticFactory

    diagnostic = YearlyDiagnosticFactory(canteen=canteen, year=2024)
    url = f"/api/v1/canteens/{canteen.pk}/diagnostics/2024/"
    auth = token_for(owner, CANTEENS_READ, "diagnostics:write")
    body = {
        "meat_poultry_total": "30000.00",
        "meat_poultry_egalim": "12000.00",
        "fish_seafood_total": "10000.00",
        "fish_seafood_egalim": "0",
        "france": None,
        "has_waste_measures": True,
        "total_leftovers": "1.25000",
        "bread_leftovers": "300.00",
        "vegetarian_menu_bases": ["cheese", "egg"],
    }
    changed = send(client, "patch", url, auth, body)
    assert changed.status_code == 200, changed.content
    assert_matches_schema(changed, url, "patch")
    diagnostic.refresh_from_db()
    assert diagnostic.meat_fish_total == Decimal("40000") and diagnostic.fish_seafood_egalim == 0
    assert diagnostic.france is None and diagnostic.total_leftovers == Decimal("1.25")
    read = send(client, "get", url, auth)
    assert read.status_code == 200 and read.json()["fish_seafood_egalim"] == "0.00" and read.json()["france"] is None
    assert_matches_schema(read, url)

    refused = send(client, "patch", url, auth, {"meat_poultry_egalim": "50000", "bio_fair_trade": "-1"})
    assert refused.status_code == 400 and set(refused.json()["errors"]) == {"bio_fair_trade"}, refused.json()
    refused = send(client, "patch", url, auth, {"meat_poultry_egalim": "50000", "france": "1"})
    assert refused.status_code == 400 and set(refused.json()["errors"]) == {"meat_poultry_egalim"}, refused.json()
    refused = send(client, "patch", url, auth, {"vegetarian_menu_bases": ["moon"], "communication_support_url": "x"})
    assert set(refused.json()["errors"]) == {"vegetarian_menu_bases.0", "communication_support_url"}
    diagnostic.refresh_from_db()
    assert diagnostic.meat_poultry_egalim == Decimal("12000") and diagnostic.france is None  # nothing half-saved

    assert send(client, "patch", url, token_for(owner, CANTEENS_READ), {"france": "1"}).status_code == 403
    assert send(client, "get", url, token_for(UserFactory(), *SCOPES)).status_code == 404
    assert send(client, "get", f"/api/v1/canteens/{canteen.pk}/diagnostics/2023/", auth).status_code == 404

    Teledeclaration.objects.create(canteen=canteen, year=2024, version=1, snapshot={}, submitted_by=owner)
    late = send(client, "patch", url, auth, {"france": "100.00"})
    assert late.status_code == 409 and "annulez" in late.json()["errors"]["detail"][0]
    diagnostic.refresh_from_db()
    assert diagnostic.france is None


@pytest.mark.django_db(transaction=True)
def test_two_managers_removed_at_once_leave_one():
    """Two tokens remove each other's user from a canteen with two managers at the same moment: the canteen's row
    is locked, so the second removal sees one manager left and is refused (400)."""
    import importlib

    from django.apps import apps
    from django.test import Client

    from territories.models import Department

    if not Department.objects.exists():  # emptied by an earlier transactional test (loaded by a migration)
        importlib.import_module("territories.migrations.0002_load_territories").load(apps, None)
    first, second = UserFactory(email="un@example.org"), UserFactory(email="deux@example.org")
    canteen = CanteenFactory(managers=[first, second])
    calls = [
        (token_for(first, CANTEENS_WRITE), "deux@example.org"),
        (token_for(second, CANTEENS_WRITE), "un@example.org"),
    ]
    barrier, codes = threading.Barrier(2), []

    def worker(auth, email):
        try:
            barrier.wait()
            codes.append(
                send(Client(), "delete", f"/api/v1/canteens/{canteen.pk}/managers/?email={email}", auth).status_code
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) in ([200, 400], [200, 404])  # 404: the second's user was already removed by the first
    assert canteen.managers.count() == 1


@pytest.mark.parametrize("language, message", [("fr", "Aucune commune n'a le code INSEE 97625"), ("en", "97625")])
def test_a_code_of_no_commune_is_refused_by_the_api_as_by_the_form(client, owner, canteen, language, message):
    """97625 is well formed and in Mayotte's range (its communes are 97601–97617) but no commune has it: the model's
    validator refuses it for the API as for the site's form, on creation and on a partial update."""
    auth = {**token_for(owner, CANTEENS_WRITE), "HTTP_ACCEPT_LANGUAGE": language}
    before = Canteen.objects.count()
    for method, url in (("post", "/api/v1/canteens/"), ("patch", f"/api/v1/canteens/{canteen.pk}/")):
        body = {**NEW_CANTEEN, "city_insee_code": "97625"} if method == "post" else {"city_insee_code": "97625"}
        refused = getattr(client, method)(url, json.dumps(body), content_type="application/json", **auth)
        assert refused.status_code == 400, refused.content
        [error] = refused.json()["errors"]["city_insee_code"]
        assert message in error
        if language == "en":
            assert "No commune has the INSEE code 97625" in error
    assert Canteen.objects.count() == before
    canteen.refresh_from_db()
    assert canteen.city_insee_code != "97625"
