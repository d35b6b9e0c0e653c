import re

import pytest

from tests.factories import CanteenFactory, YearlyDiagnosticFactory

from .conftest import purchases


def names(response):
    html = response.content.decode()
    return re.findall(r'<a href="/cantines/\d+-[^"]+/">([^<]+)</a>', html)


@pytest.fixture
def listed(world):
    """Every world canteen but Quimper has published a year (Quimper and no other is unlisted)."""
    return world


class TestFilters:
    def test_lists_only_canteens_that_published_a_year(self, client, listed):
        response = client.get("/cantines/")
        assert response.status_code == 200
        assert sorted(names(response)) == sorted(
            ["École Rennes", "EHPAD Brest", "Lycée Vannes", "Cuisine Fort-de-France", "Restaurant Paris"]
        )
        assert "5 cantines" in response.content.decode()

    @pytest.mark.parametrize(
        "query, expected",
        [
            ("region=53", {"École Rennes", "EHPAD Brest", "Lycée Vannes"}),
            ("department=29", {"EHPAD Brest"}),
            ("department=972", {"Cuisine Fort-de-France"}),
            ("sector=social", {"EHPAD Brest"}),
            ("sector=education", {"École Rennes", "Lycée Vannes", "Cuisine Fort-de-France"}),
            ("management=conceded", {"Restaurant Paris"}),
            ("min_meals=150&max_meals=500", {"École Rennes", "Lycée Vannes", "Cuisine Fort-de-France"}),
            ("min_meals=500", {"Restaurant Paris"}),
            ("bio_min=20", {"EHPAD Brest", "Lycée Vannes", "Restaurant Paris"}),
            ("egalim_min=50", {"EHPAD Brest", "Lycée Vannes", "Restaurant Paris"}),
            ("objectives=on", {"EHPAD Brest", "Lycée Vannes", "Cuisine Fort-de-France", "Restaurant Paris"}),
            ("region=53&objectives=on&bio_min=25", {"Lycée Vannes"}),
            ("q=brest", {"EHPAD Brest"}),
            ("production=satellite", set()),
        ],
    )
    def test_filters(self, client, listed, query, expected):
        response = client.get(f"/cantines/?{query}")
        assert set(names(response)) == expected

    def test_sorts(self, client, listed):
        by_bio = names(client.get("/cantines/?sort=bio"))
        assert by_bio[:2] == ["Lycée Vannes", "Restaurant Paris"]  # 40 %, 25 %
        by_meals = names(client.get("/cantines/?sort=meals"))
        assert by_meals[0] == "Restaurant Paris"

    @pytest.mark.parametrize(
        "old, new",
        [
            ("departement=29", "department=29"),
            ("secteur=education&gestion=direct", "sector=education&management=direct"),
            ("couverts_min=150&couverts_max=500", "min_meals=150&max_meals=500"),
            ("objectifs=on", "objectives=on"),
            ("tri=couverts", "sort=meals"),
            ("tri=nom", "sort=name"),
        ],
    )
    def test_the_french_parameter_names_of_old_links_still_work(self, client, listed, old, new):
        assert names(client.get(f"/cantines/?{old}")) == names(client.get(f"/cantines/?{new}"))

    def test_the_english_name_wins_over_its_french_alias(self, client, listed):
        assert set(names(client.get("/cantines/?departement=972&department=29"))) == {"EHPAD Brest"}

    def test_the_form_speaks_english_parameter_names(self, client, listed):
        page = client.get("/cantines/").content.decode()
        assert 'name="department"' in page and 'name="sort"' in page and 'name="min_meals"' in page
        assert 'name="departement"' not in page and 'name="tri"' not in page

    def test_invalid_values_are_ignored_and_shown(self, client, listed):
        response = client.get("/cantines/?bio_min=abc&region=99&sort=nope")
        assert response.status_code == 200
        assert len(names(response)) == 5
        assert "fr-error-text" in response.content.decode() or "fr-input-group--error" in response.content.decode()

    def test_armed_forces_canteens_are_not_listed(self, client, db):
        canteen = CanteenFactory(name="Base aérienne", line_ministry="armees", sectors=["armed_forces"])
        YearlyDiagnosticFactory(canteen=canteen, is_published=True)
        assert "Base aérienne" not in client.get("/cantines/").content.decode()


def test_query_count_does_not_grow_with_the_number_of_canteens(client, db, django_assert_max_num_queries):
    def add(count, start):
        for number in range(count):
            canteen = CanteenFactory(name=f"Cantine {start + number}", sectors=["school_primary", "ehpad"])
            YearlyDiagnosticFactory(canteen=canteen, is_published=True, **purchases(1000, 250, 600))

    add(3, 0)
    client.get("/cantines/?region=53&sector=education&bio_min=10&sort=bio")
    # count, page, the two territory lists, then the layout's own queries (site, menu, settings)
    with django_assert_max_num_queries(12) as few:
        client.get("/cantines/?region=53&sector=education&bio_min=10&sort=bio")
    add(30, 100)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/cantines/?region=53&sector=education&bio_min=10&sort=bio")
    assert "20 cantines" not in response.content.decode()
    assert "33 cantines" in response.content.decode()


def test_pagination_keeps_the_filters_and_splits_the_list(client, db):
    for number in range(25):
        canteen = CanteenFactory(name=f"Cantine {number:02d}", city_insee_code="35238")
        YearlyDiagnosticFactory(canteen=canteen, is_published=True, **purchases(1000, 250, 600))
    first = client.get("/cantines/?region=53&tri=nom")
    second = client.get("/cantines/?region=53&tri=nom&page=2")
    assert names(first) == [f"Cantine {n:02d}" for n in range(20)]
    assert names(second) == [f"Cantine {n:02d}" for n in range(20, 25)]
    assert 'href="?region=53&amp;tri=nom&amp;page=2"' in first.content.decode()
    assert client.get("/cantines/?page=999").status_code == 200  # out of range: the last page
