"""The canteens' map: GET /api/v1/canteens/geo/ (public fields only, listed canteens only, the registry's filters,
ETag, gzip, cache invalidated on change) and /cantines/carte/ (the list without JavaScript, FR and EN)."""

import csv
import gzip
import io
import json
import re

import pytest

from canteens.geo import commune_centre
from tests.factories import CanteenFactory, YearlyDiagnosticFactory

from .conftest import purchases

URL = "/api/v1/canteens/geo/"


def collection(response):
    body = response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    data = json.loads(body)
    assert data["type"] == "FeatureCollection"
    return data


def names(response):
    return {feature["properties"]["name"] for feature in collection(response)["features"]}


@pytest.fixture
def hidden(world):
    """A published armed forces canteen: never on the map."""
    canteen = CanteenFactory(name="Base militaire", city_insee_code="35238", line_ministry="armees")
    YearlyDiagnosticFactory(canteen=canteen, year=2024, is_published=True, **purchases(100000, 30000, 60000))
    return canteen


LISTED = {"École Rennes", "EHPAD Brest", "Lycée Vannes", "Cuisine Fort-de-France", "Restaurant Paris"}


class TestGeoJSON:
    def test_listed_canteens_only_with_public_fields(self, client, world, hidden, published):
        response = client.get(URL)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/geo+json"
        data = collection(response)
        assert names(response) == LISTED  # not Quimper (nothing published), not the armed forces canteen
        brest = next(f for f in data["features"] if f["properties"]["name"] == "EHPAD Brest")
        centre = commune_centre("29019")
        assert brest["id"] == world["brest"].pk
        assert brest["geometry"] == {
            "type": "Point",
            "coordinates": [round(centre.longitude, 5), round(centre.latitude, 5)],
        }
        assert brest["properties"] == {
            "name": "EHPAD Brest",
            "city": "Brest",
            "commune": "29019",
            "department": "29",
            "sectors": ["social"],
            "year": 2024,
            "bio": 20,
            "egalim": 50,
            "objectives_met": True,
            "declared": True,
            "approximate": False,
        }
        body = response.content.decode()
        for private in ("siret", "gestion@example.org", "manager", "daily_meal", "address"):
            assert private not in body

    def test_declared_is_the_last_published_campaign_only(self, client, world):
        # campaign 2024 not published yet: nobody shows as declared
        assert not any(f["properties"]["declared"] for f in collection(client.get(URL))["features"])

    @pytest.mark.parametrize(
        "query, expected",
        [
            ("region=53", {"École Rennes", "EHPAD Brest", "Lycée Vannes"}),
            ("department=29", {"EHPAD Brest"}),
            ("departement=29", {"EHPAD Brest"}),  # the registry's French name
            ("department=972", {"Cuisine Fort-de-France"}),
            ("commune=35238", {"École Rennes"}),
            ("epci=243500139", {"École Rennes"}),  # Rennes Métropole
            ("region=53&epci=243500139", {"École Rennes"}),
            ("sector=social", {"EHPAD Brest"}),
            ("secteur=social", {"EHPAD Brest"}),
            ("management=conceded", {"Restaurant Paris"}),
            ("objectives=yes", {"EHPAD Brest", "Cuisine Fort-de-France", "Restaurant Paris", "Lycée Vannes"}),
            ("objectives=no", {"École Rennes"}),
            ("declared=yes", {"École Rennes", "EHPAD Brest", "Cuisine Fort-de-France", "Restaurant Paris"}),
            ("declared=no", {"Lycée Vannes"}),
            ("q=brest", {"EHPAD Brest"}),
            ("region=53&sector=education", {"École Rennes", "Lycée Vannes"}),
        ],
    )
    def test_filters(self, client, world, published, query, expected):
        assert names(client.get(f"{URL}?{query}")) == expected

    def test_unknown_objectives_are_neither_met_nor_missed(self, client, world, published):
        """A published year the rules cannot evaluate (stats row: objectives unknown) is listed, in no answer."""
        from territories.models import CanteenStats

        CanteenStats.objects.filter(canteen__name="École Rennes").update(objectives_met=None)
        assert "École Rennes" in names(client.get(URL))
        assert "École Rennes" not in names(client.get(f"{URL}?objectives=no"))
        assert "École Rennes" not in names(client.get(f"{URL}?objectives=yes"))

    @pytest.mark.parametrize(
        "query, field",
        [
            ("department=99", "department"),
            ("commune=abc", "commune"),
            ("epci=123", "epci"),
            ("epci=123456789", "epci"),  # not an EPCI of the reference
            ("sector=nope", "sector"),
            ("declared=maybe", "declared"),
            ("download=pdf", "download"),
        ],
    )
    def test_bad_filters_are_a_400_with_a_message(self, client, world, query, field):
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 400
        assert field in response.json()["errors"]

    def test_etag_gzip_and_304(self, client, world):
        plain = client.get(URL)
        compressed = client.get(URL, HTTP_ACCEPT_ENCODING="gzip, br")
        assert compressed["Content-Encoding"] == "gzip"
        assert gzip.decompress(compressed.content) == plain.content
        assert plain["ETag"] == compressed["ETag"]
        assert "Accept-Encoding" in plain["Vary"]
        again = client.get(URL, HTTP_IF_NONE_MATCH=plain["ETag"])
        assert again.status_code == 304
        assert again.content == b""

    def test_cached_and_invalidated_when_a_canteen_changes(self, client, world, django_assert_num_queries):
        first = client.get(URL)
        with django_assert_num_queries(3):  # the data version (three aggregates), then the cache
            assert client.get(URL).content == first.content
        brest = world["brest"]
        brest.name = "EHPAD de Brest"
        brest.save()
        second = client.get(URL)
        assert "EHPAD de Brest" in names(second)
        assert second["ETag"] != first["ETag"]
        world["vannes"].delete()
        assert "Lycée Vannes" not in names(client.get(URL))

    def test_query_count_does_not_grow_with_the_canteens(self, client, world, published, django_assert_num_queries):
        client.get(URL)  # warm the reference caches (departments, regions)
        from django.core.cache import cache

        cache.clear()
        with django_assert_num_queries(6) as context:  # version (3), the publication, the declared, the rows
            client.get(URL)
        for index in range(5):
            canteen = CanteenFactory(name=f"Autre {index}", city_insee_code="35238")
            YearlyDiagnosticFactory(canteen=canteen, year=2024, is_published=True, **purchases(100, 10, 30))
        cache.clear()
        with django_assert_num_queries(len(context.captured_queries)):
            assert len(collection(client.get(URL))["features"]) == 10

    def test_csv_and_geojson_downloads_of_the_view(self, client, world, published):
        response = client.get(f"{URL}?department=35&download=csv")
        assert response["Content-Disposition"] == 'attachment; filename="cantines-carte-department-35.csv"'
        rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        assert [(row["nom"], row["code_insee_commune"], row["teledeclaree"]) for row in rows] == [
            ("École Rennes", "35238", "true")
        ]
        assert float(rows[0]["latitude"]) == pytest.approx(commune_centre("35238").latitude)
        response = client.get(f"{URL}?department=35&download=geojson")
        assert "cantines-carte-department-35.geojson" in response["Content-Disposition"]
        assert names(response) == {"École Rennes"}


class TestMapPage:
    def test_the_list_without_javascript_and_the_map_markup(self, client, world, hidden):
        response = client.get("/cantines/carte/?department=29")
        assert response.status_code == 200
        html = response.content.decode()
        assert re.findall(r'<a href="/cantines/\d+-[^"]+/">([^<]+)</a>', html) == ["EHPAD Brest"]
        assert 'data-geojson="/api/v1/canteens/geo/?department=29"' in html
        assert "territories/map.js" in html
        assert 'class="territories-map" role="region"' in html and " hidden></div>" in html  # shown by the script
        assert "download=csv" in html

    def test_french_names_of_the_registry_and_errors(self, client, world):
        html = client.get("/cantines/carte/?departement=29&commune=xx").content.decode()
        assert "Un code INSEE de commune a 5 caractères" in html
        assert "EHPAD Brest" in html and "École Rennes" not in html

    def test_in_english(self, client, world):
        response = client.get("/en/cantines/carte/")
        assert response.status_code == 200
        html = response.content.decode()
        assert '<html lang="en"' in html
        assert "/en/cantines/0-cantine/" in html  # popups link to the English pages
        assert "Base militaire" not in html


class TestPinPlacedByHand:
    URL = "/territoires/cantines/{}/position/"

    def test_a_manager_moves_the_pin_and_the_map_follows(self, client, world, published):
        rennes = world["rennes"]
        client.force_login(world["manager"])
        page = client.get(self.URL.format(rennes.pk))
        assert page.status_code == 200
        assert 'name="latitude"' in page.content.decode()
        response = client.post(self.URL.format(rennes.pk), {"latitude": "48.12", "longitude": "-1.70"})
        assert response.status_code == 302
        rennes.refresh_from_db()
        assert (rennes.latitude, rennes.longitude, rennes.location_source) == (48.12, -1.7, "manual")
        rennes.city_insee_code = "29019"  # a pin placed by hand stays when the commune changes
        rennes.save()
        rennes.refresh_from_db()
        assert rennes.latitude == 48.12
        feature = next(f for f in collection(client.get(URL + "?department=29"))["features"] if f["id"] == rennes.pk)
        assert feature["geometry"]["coordinates"] == [-1.7, 48.12]
        client.post(self.URL.format(rennes.pk), {"latitude": "0", "longitude": "0", "reset": "on"})
        rennes.refresh_from_db()
        assert (rennes.location_source, rennes.latitude) == ("commune", commune_centre("29019").latitude)

    def test_bad_values_are_refused_and_nothing_is_saved(self, client, world):
        rennes = world["rennes"]
        client.force_login(world["manager"])
        response = client.post(self.URL.format(rennes.pk), {"latitude": "north", "longitude": "200"})
        assert response.status_code == 200
        assert "fr-input-group--error" in response.content.decode()
        rennes.refresh_from_db()
        assert rennes.location_source == "commune"

    def test_an_officer_of_the_territory_may_another_manager_or_officer_may_not(self, client, world, officer):
        from tests.factories import TerritoryOfficerFactory, UserFactory

        client.force_login(officer.user)  # Bretagne
        assert client.get(self.URL.format(world["brest"].pk)).status_code == 200
        assert client.get(self.URL.format(world["paris"].pk)).status_code == 404
        client.force_login(UserFactory(email="autre@example.org"))
        assert client.post(self.URL.format(world["brest"].pk), {"latitude": "1", "longitude": "1"}).status_code == 404
        client.force_login(TerritoryOfficerFactory(user__email="idf@example.org", regions=["11"]).user)
        assert client.get(self.URL.format(world["brest"].pk)).status_code == 404
        client.logout()
        assert client.get(self.URL.format(world["brest"].pk)).status_code == 302  # to the login page
        world["brest"].refresh_from_db()
        assert world["brest"].location_source == "commune"


class TestWidgetMap:
    def test_a_map_widget_of_chosen_communes_with_default_filters(self, client, world, officer):
        from tests.factories import WidgetFactory

        widget = WidgetFactory(
            owner=officer.user, region_id="53", display="both", communes="35238,29019", sector="education"
        )
        response = client.get(f"/widget/{widget.pk}/")
        assert response.status_code == 200
        assert "X-Frame-Options" not in response
        assert "frame-ancestors *" in response["Content-Security-Policy"]
        html = response.content.decode()
        assert 'data-geojson="/api/v1/canteens/geo/?region=53&amp;communes=35238%2C29019&amp;sector=education"' in html
        assert 'data-link-target="_blank"' in html and "territories/widget.js" in html
        assert "École Rennes" in html and "EHPAD Brest" not in html  # Brest: not education
        geo = client.get("/api/v1/canteens/geo/?region=53&communes=35238,29019&sector=education")
        assert names(geo) == {"École Rennes"}

    def test_map_only_keeps_the_list_for_screen_readers(self, client, world, officer):
        from tests.factories import WidgetFactory

        widget = WidgetFactory(owner=officer.user, region_id=None, department_id="29", display="map")
        html = client.get(f"/widget/{widget.pk}/").content.decode()
        assert 'class="widget__list fr-sr-only"' in html and "EHPAD Brest" in html
        assert "fr-pagination" not in html

    def test_configuration_gives_the_iframe_and_the_one_line_script(self, client, officer):
        client.force_login(officer.user)
        data = {"title": "Carte", "territory": "department:35", "display": "map", "primary_colour": "#000091"}
        data.update({"secondary_colour": "#3558a2", "communes": "35238, 2a004", "sector": "health"})
        response = client.post("/territoires/suivi/widgets/", data)
        assert response.status_code == 302
        from territories.models import Widget

        widget = Widget.objects.get(title="Carte")
        assert (widget.display, widget.communes, widget.sector) == ("map", "35238,2A004", "health")
        html = client.get(response["Location"]).content.decode()
        assert "territories/embed.js" in html and f"data-widget=&quot;http://testserver/widget/{widget.pk}/" in html
        data["communes"] = "35238, rennes"
        response = client.post(f"/territoires/suivi/widgets/{widget.pk}/", data)
        assert "Codes INSEE invalides : RENNES" in response.content.decode()
        widget.refresh_from_db()
        assert widget.communes == "35238,2A004"


class TestCommuneFilterElsewhere:
    def test_registry_and_open_data_filter_by_commune(self, client, world):
        html = client.get("/cantines/?commune=29019").content.decode()
        assert "EHPAD Brest" in html and "École Rennes" not in html
        assert "Un code INSEE de commune a 5 caractères" in client.get("/cantines/?commune=x").content.decode()
        response = client.get("/donnees/registre-cantines.csv?commune=35238")
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        assert "École Rennes" in body and "EHPAD Brest" not in body
        assert client.get("/donnees/registre-cantines.csv?commune=nope").status_code == 400
