"""/api/v1/canteens/: the list holds listed canteens (a published year), the detail every public canteen, like
the page (docs/decisions/0006-canteen-public-page.md); filters, search."""

import pytest

from tests.api.conftest import get_json
from tests.api.schema_check import assert_matches_schema
from tests.factories import CanteenFactory

pytestmark = pytest.mark.django_db

CANTEENS = "/api/v1/canteens/"


def names(client, query=""):
    response = client.get(CANTEENS + query)
    assert response.status_code == 200, response.content
    assert_matches_schema(response, CANTEENS)
    return [item["name"] for item in response.json()["results"]]


def test_only_published_canteens_are_listed(client, canteens):
    assert names(client) == ["Cuisine centrale du Lamentin", "École des Lilas"]
    assert names(client, "?q=non publiée") == []


def test_a_canteen_without_a_published_year_has_its_page_and_its_json(client, canteens):
    """The page says « pas encore publié »; the JSON says the same with an empty list of years."""
    for key in ("unpublished", "empty"):
        canteen = canteens[key]
        assert client.get(canteen.get_public_url()).status_code == 200
        response = client.get(f"{CANTEENS}{canteen.pk}/")
        assert response.status_code == 200, response.content
        assert_matches_schema(response, f"{CANTEENS}{canteen.pk}/")
        assert response.json()["published_years"] == []


def test_page_and_json_agree_on_every_canteen(client, canteens):
    """One rule (Canteen.objects.public()): the page and the API answer 200 or 404 together."""
    from canteens.models import Canteen

    barracks = CanteenFactory(name="Mess", line_ministry="armees")
    for canteen in [*canteens.values(), barracks]:
        page = client.get(canteen.get_public_url()).status_code
        api = client.get(f"{CANTEENS}{canteen.pk}/").status_code
        assert page == api == (200 if Canteen.objects.public().filter(pk=canteen.pk).exists() else 404), canteen
    assert set(Canteen.objects.listed()) == {canteens["rennes"], canteens["martinique"]}


def test_list_item_shape(client, canteens):
    rennes = next(item for item in get_json(client, CANTEENS)["results"] if item["name"] == "École des Lilas")
    assert rennes["department"] == "35" and rennes["region"] == "53"
    assert rennes["published_years"] == [2024]  # 2023 is not published
    assert rennes["detail_url"] == f"http://testserver/api/v1/canteens/{canteens['rennes'].pk}/"
    assert rennes["public_url"].endswith(f"/cantines/{canteens['rennes'].pk}-ecole-des-lilas/")


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?department=35", ["École des Lilas"]),
        ("?department=972", ["Cuisine centrale du Lamentin"]),
        ("?region=53", ["École des Lilas"]),
        ("?region=02", ["Cuisine centrale du Lamentin"]),
        ("?region=84", []),
        ("?sector=ehpad", ["Cuisine centrale du Lamentin"]),
        ("?sector=school_primary", ["École des Lilas"]),
        ("?sector=hospital&department=35", []),
        ("?management=conceded", ["Cuisine centrale du Lamentin"]),
        ("?production=on_site", ["École des Lilas"]),
        ("?q=lilas", ["École des Lilas"]),
        ("?q=LAMENTIN", ["Cuisine centrale du Lamentin"]),
    ],
)
def test_filters(client, canteens, query, expected):
    assert names(client, query) == expected


def test_search_by_siret(client, canteens):
    siret = canteens["martinique"].siret
    assert names(client, f"?q={siret}") == ["Cuisine centrale du Lamentin"]
    assert names(client, f"?q={siret[:13]}") == ["Cuisine centrale du Lamentin"]
    assert names(client, f"?q={canteens['unpublished'].siret}") == []


@pytest.mark.parametrize(
    "query, field",
    [
        ("?department=99", "department"),
        ("?region=99", "region"),
        ("?sector=nope", "sector"),
        ("?management=nope", "management"),
        ("?production=nope", "production"),
        ("?page=2", None),
    ],
)
def test_invalid_filters(client, canteens, query, field):
    response = client.get(CANTEENS + query)
    assert_matches_schema(response, CANTEENS)
    if field is None:
        assert response.status_code == 404
    else:
        assert response.status_code == 400 and list(response.json()["errors"]) == [field]


def test_pagination(client, canteens):
    data = get_json(client, CANTEENS + "?page_size=1")
    assert data["count"] == 2 and len(data["results"]) == 1
    assert data["next"] == "http://testserver/api/v1/canteens/?page=2&page_size=1"
    assert get_json(client, data["next"])["previous"] == "http://testserver/api/v1/canteens/?page_size=1"


def test_detail(client, canteens):
    response = client.get(f"{CANTEENS}{canteens['rennes'].pk}/")
    assert_matches_schema(response, f"{CANTEENS}1/")
    data = response.json()
    assert data["region"] == "53" and [year["year"] for year in data["published_years"]] == [2024]
    assert data["published_years"][0]["rates"]["bio"] == "25.00"


def test_armed_forces_canteens_are_never_public(client, canteens):
    """Defence sites stay hidden even with a published year (canteens.choices.HIDDEN_MINISTRIES)."""
    from tests.factories import YearlyDiagnosticFactory

    barracks = CanteenFactory(name="Mess du quartier", line_ministry="armees", sectors=["armed_forces"])
    YearlyDiagnosticFactory(canteen=barracks, year=2024, is_published=True)
    assert names(client) == ["Cuisine centrale du Lamentin", "École des Lilas"]
    assert names(client, "?q=mess") == [] and names(client, f"?q={barracks.siret}") == []
    assert set(get_json(client, f"{CANTEENS}{barracks.pk}/", status=404)) == {"errors"}


def test_a_published_year_the_rules_cannot_evaluate_is_listed_everywhere(client, canteens):
    """Listed is « public with a published year » (Canteen.objects.listed()), whether or not the rules can evaluate
    that year (here a commune without a known department: RuleInputError). The API list, the stored flag that the
    registry, the map and the statistics read, the page and the JSON agree; the year's rates are unknown."""
    from canteens.models import Canteen
    from egalim.rules import RuleInputError
    from territories import maps, registry
    from territories.models import CanteenStats
    from tests.factories import YearlyDiagnosticFactory

    corsica = CanteenFactory(name="Cantine d'Ajaccio", city_insee_code="20004", city="Ajaccio")
    diagnostic = YearlyDiagnosticFactory(canteen=corsica, year=2024, is_published=True)
    with pytest.raises(RuleInputError):
        diagnostic.evaluate(corsica)

    listed = set(Canteen.objects.listed().values_list("pk", flat=True))
    assert listed == {canteens["rennes"].pk, canteens["martinique"].pk, corsica.pk}
    items = {item["id"]: item for item in get_json(client, CANTEENS + "?page_size=100")["results"]}
    assert set(items) == listed and items[corsica.pk]["published_years"] == [2024]
    assert set(CanteenStats.objects.filter(listed=True).values_list("canteen_id", flat=True)) == listed
    _form, found = registry.search({})
    assert set(found.values_list("canteen_id", flat=True)) == listed
    assert set(maps.filtered({}).values_list("canteen_id", flat=True)) == listed
    row = CanteenStats.objects.get(canteen=corsica)
    assert (row.published_year, row.bio_rate, row.egalim_rate, row.objectives_met) == (2024, None, None, None)

    response = client.get(f"{CANTEENS}{corsica.pk}/")
    assert_matches_schema(response, f"{CANTEENS}{corsica.pk}/")
    unknown = {"bio": None, "egalim": None, "meat_fish_egalim": None, "egalim_excluding_bio": None}
    assert response.json()["published_years"] == [{"year": 2024, "rates": unknown, "measures": {}}]
    page = client.get(corsica.get_public_url()).content.decode()
    assert "Bilan 2024" in page and "ne peuvent pas être calculés" in page and "pas encore publié" not in page
