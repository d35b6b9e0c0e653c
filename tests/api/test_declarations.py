"""The declaration endpoints (the mandatory-values table through the API, refusals, cancellation, scopes), the
canteen status by SIRET / SIREN, the reference lists and the territory statistics."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from api.models import CANTEENS_READ, DECLARATIONS_WRITE, ApiToken
from canteens.models import Teledeclaration, YearlyDiagnostic
from tests.api.conftest import get_json, post_json
from tests.api.schema_check import assert_matches_schema
from tests.diagnostic.declaration_cases import cases
from tests.factories import CampaignFactory, CanteenFactory, UserFactory, YearlyDiagnosticFactory

pytestmark = pytest.mark.django_db


def open_campaign(year):
    today = timezone.localdate()
    return CampaignFactory(
        year=year,
        declaration_start=today - datetime.timedelta(days=1),
        declaration_end=today + datetime.timedelta(days=1),
        correction_start=None,
        correction_end=None,
    )


@pytest.fixture
def manager():
    return UserFactory(email="editeur@example.org")


def bearer(user, scopes):
    _token, secret = ApiToken.issue(user, "logiciel", scopes)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def diagnostic_from(canteen, case):
    values = case.values()
    diagnostic = YearlyDiagnostic(canteen=canteen, year=case.year, mode=case.mode)
    for name, value in values.items():
        if name in ("answers", "family_detail"):
            setattr(diagnostic, name, value)
        elif isinstance(value, str) and name not in ("vegetarian_menu_type",):
            setattr(diagnostic, name, Decimal(value))
        else:
            setattr(diagnostic, name, value)
    diagnostic.save()
    return diagnostic


@pytest.mark.parametrize("case", cases())
def test_mandatory_values_table_through_the_api(client, manager, case):
    open_campaign(case.year)
    production = "central" if case.central_kitchen else "on_site"
    canteen = CanteenFactory(
        managers=[manager], daily_meal_count=case.daily_meals, yearly_meal_count=case.daily_meals * 150
    )
    canteen.production_type = production
    canteen.save()
    if case.central_kitchen:
        CanteenFactory(
            production_type="satellite", central_kitchen_siret=canteen.siret, confirmed_central_kitchen=canteen
        )
    if case.declaration_mode == "satellite_without_appro":
        central = CanteenFactory(production_type="central")
        canteen.production_type, canteen.central_kitchen_siret = "satellite", central.siret
        canteen.confirmed_central_kitchen = central
        canteen.save()
        Teledeclaration.objects.create(canteen=central, year=case.year, version=1, snapshot={}, mode="central_appro")
    diagnostic_from(canteen, case)
    url = f"/api/v1/canteens/{canteen.pk}/declarations/"
    body = {"year": case.year, "confirm_warnings": ["cost_per_meal_low", "cost_per_meal_high"]}
    if case.missing:
        data = post_json(client, url, body, 400, **bearer(manager, [DECLARATIONS_WRITE]))
        assert sorted(data["errors"]) == sorted(case.missing)
        assert not Teledeclaration.objects.filter(canteen=canteen).exists()
    else:
        data = post_json(client, url, body, 201, **bearer(manager, [DECLARATIONS_WRITE]))
        assert (data["year"], data["version"], data["status"]) == (case.year, 1, "submitted")


def test_refusal_of_an_empty_declaration_conforms_to_the_schema(client, manager):
    open_campaign(2024)
    canteen = CanteenFactory(managers=[manager])
    YearlyDiagnostic.objects.create(canteen=canteen, year=2024)
    url = f"/api/v1/canteens/{canteen.pk}/declarations/"
    response = client.post(
        url, {"year": 2024}, content_type="application/json", **bearer(manager, [DECLARATIONS_WRITE])
    )
    assert response.status_code == 400
    assert response.json()["errors"]["total"] == [
        "Obligatoire pour la télédéclaration : Total des achats alimentaires HT."
    ]
    assert_matches_schema(response, url, "post")


def test_declare_confirm_cancel_and_declare_again(client, manager):
    open_campaign(2024)
    canteen = CanteenFactory(managers=[manager], yearly_meal_count=1000)  # 100 € a meal: implausible
    YearlyDiagnosticFactory(canteen=canteen, year=2024)
    url = f"/api/v1/canteens/{canteen.pk}/declarations/"
    auth = bearer(manager, [DECLARATIONS_WRITE])
    data = post_json(client, url, {"year": 2024}, 400, **auth)
    assert [warning["code"] for warning in data["warnings"]] == ["cost_per_meal_high"]
    assert "total" in data["errors"]
    response = client.post(
        url, {"year": 2024, "confirm_warnings": ["cost_per_meal_high"]}, content_type="application/json", **auth
    )
    assert response.status_code == 201
    assert_matches_schema(response, url, "post")
    assert response.json()["confirmed_warnings"] == ["cost_per_meal_high"]
    post_json(client, url, {"year": 2024, "confirm_warnings": ["cost_per_meal_high"]}, 409, **auth)

    response = client.delete(f"{url}?year=2024", **auth)
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert_matches_schema(response, url, "delete")
    assert client.delete(f"{url}?year=2024", **auth).status_code == 404
    data = post_json(client, url, {"year": 2024, "confirm_warnings": ["cost_per_meal_high"]}, 201, **auth)
    assert data["version"] == 2
    assert list(Teledeclaration.objects.order_by("version").values_list("status", flat=True)) == [
        "cancelled",
        "submitted",
    ]


def test_outside_the_campaign_the_api_gives_the_dates(client, manager):
    today = timezone.localdate()
    CampaignFactory(
        year=2024,
        declaration_start=today + datetime.timedelta(days=10),
        declaration_end=today + datetime.timedelta(days=20),
    )
    canteen = CanteenFactory(managers=[manager])
    YearlyDiagnosticFactory(canteen=canteen, year=2024)
    data = post_json(
        client,
        f"/api/v1/canteens/{canteen.pk}/declarations/",
        {"year": 2024},
        400,
        **bearer(manager, [DECLARATIONS_WRITE]),
    )
    assert "n'est pas ouverte" in data["errors"]["year"][0]
    assert str((today + datetime.timedelta(days=10)).year) in data["errors"]["year"][0]


def test_declarations_need_the_scope_and_the_canteen(client, manager):
    open_campaign(2024)
    canteen = CanteenFactory(managers=[manager])
    other = CanteenFactory()
    YearlyDiagnosticFactory(canteen=canteen, year=2024)
    url = f"/api/v1/canteens/{canteen.pk}/declarations/"
    post_json(client, url, {"year": 2024}, 401)
    post_json(client, url, {"year": 2024}, 403, **bearer(manager, [CANTEENS_READ]))
    assert client.delete(f"{url}?year=2024", **bearer(manager, [CANTEENS_READ])).status_code == 403
    post_json(
        client,
        f"/api/v1/canteens/{other.pk}/declarations/",
        {"year": 2024},
        403,
        **bearer(manager, [DECLARATIONS_WRITE]),
    )
    assert not Teledeclaration.objects.exists()


# --- status by SIRET / SIREN ----------------------------------------------------------------------------------


def test_status_by_siret_and_siren(client, manager):
    canteen = CanteenFactory(name="École des Lilas", managers=[manager], siret="35600000000048")
    YearlyDiagnosticFactory(canteen=canteen, year=2023, is_published=True)
    Teledeclaration.objects.create(canteen=canteen, year=2024, version=1, snapshot={})
    sibling = CanteenFactory(name="Annexe", siret=None or "", siren_unite_legale="356000000")
    hidden = CanteenFactory(name="Mess", line_ministry="armees", economic_model="public")

    data = get_json(client, "/api/v1/canteens/siret/356 000 000 00048/")
    assert (data["name"], data["registered"], data["published_years"], data["declared_years"]) == (
        "École des Lilas",
        True,
        [2023],
        [2024],
    )
    assert "managers" not in data and "total" not in str(data)
    assert_matches_schema(client.get(f"/api/v1/canteens/siret/{canteen.siret}/"), "/api/v1/canteens/siret/x/")
    get_json(client, f"/api/v1/canteens/siret/{hidden.siret}/", 404)
    get_json(client, "/api/v1/canteens/siret/12345678901234/", 404)
    get_json(client, "/api/v1/canteens/siret/abc/", 404)

    data = get_json(client, "/api/v1/canteens/siren/356000000/")
    assert [row["name"] for row in data["results"]] == ["Annexe", "École des Lilas"]
    assert data["results"][0]["public_url"] is None and sibling.pk == data["results"][0]["id"]
    assert_matches_schema(client.get("/api/v1/canteens/siren/356000000/"), "/api/v1/canteens/siren/x/")
    get_json(client, f"/api/v1/canteens/siren/{hidden.siret[:9]}/", 404)
    get_json(client, "/api/v1/canteens/siren/999999999/", 404)


# --- reference lists ----------------------------------------------------------------------------------------


def test_reference_lists(client):
    CampaignFactory(year=2024)
    index = get_json(client, "/api/v1/reference/")
    names = [entry["name"] for entry in index]
    assert names == [
        "sectors",
        "ministries",
        "production-types",
        "management-types",
        "economic-models",
        "families",
        "labels",
        "campaigns",
    ]
    for entry in index:
        response = client.get(entry["url"])
        assert response.status_code == 200, entry
        assert_matches_schema(response, f"/api/v1/reference/{entry['name']}/")
        assert all("code" in item and "label" in item for item in response.json()["results"])
    sectors = get_json(client, "/api/v1/reference/sectors/")["results"]
    assert {"code": "school_primary", "category": "education"}.items() <= sectors[0].items()
    campaigns = get_json(client, "/api/v1/reference/campaigns/")["results"]
    assert campaigns[0]["declaration_start"] == "2025-01-12" and campaigns[0]["results_published"] is False
    families = get_json(client, "/api/v1/reference/families/?lang=en")["results"]
    assert families[0] == {"code": "meat_poultry", "label": "Meat and poultry"}
    get_json(client, "/api/v1/reference/nope/", 404)


# --- statistics --------------------------------------------------------------------------------------------------


def test_statistics_of_a_published_campaign_only(client, manager):
    from territories.models import CampaignPublication

    campaign = open_campaign(2024)
    rennes = CanteenFactory(managers=[manager], epci="243500139")
    brest = CanteenFactory(managers=[manager], city_insee_code="29019", city="Brest")
    for canteen, bio in ((rennes, "20000"), (brest, "40000")):
        diagnostic = YearlyDiagnosticFactory(canteen=canteen, year=2024, bio=Decimal(bio))
        from canteens import declaration

        declaration.submit(canteen, diagnostic, manager)
    get_json(client, "/api/v1/statistics/?year=2024", 404)
    CampaignPublication.objects.create(campaign=campaign)
    data = get_json(client, "/api/v1/statistics/?year=2024")
    assert (data["canteens"], data["declarations"], data["participation"]) == (2, 2, "100.00")
    assert data["rates"]["bio"] == "30.00"  # (20 000 + 40 000) / 200 000
    assert_matches_schema(client.get("/api/v1/statistics/"), "/api/v1/statistics/")
    assert get_json(client, "/api/v1/statistics/?department=29")["rates"]["bio"] == "40.00"
    assert get_json(client, "/api/v1/statistics/?region=53")["declarations"] == 2
    assert get_json(client, "/api/v1/statistics/?epci=243500139")["rates"]["bio"] == "20.00"
    get_json(client, "/api/v1/statistics/?epci=12", 400)
