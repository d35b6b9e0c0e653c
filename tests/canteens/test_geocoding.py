"""Canteen positions: the shipped commune centres, the geocoding client against a real local HTTP server that
answers recorded responses (found, not found, low score, timeout, rate limited, error), and the bulk command."""

import io

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command

from canteens.choices import LocationPrecision, LocationSource
from canteens.geo import CENTRES_FILE, Geocoder, GeocoderError, RateLimited, commune_centre
from canteens.models import Canteen
from tests.factories import CanteenFactory

from .geocoder_server import recorded_server


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def server():
    with recorded_server(busy_times=1, slow_seconds=1.0) as server:
        yield server


def geocoder(server, **kwargs):
    return Geocoder(url=server.url, geo_api_url=server.url, timeout=kwargs.pop("timeout", 0.3), min_score=0.5, **kwargs)


class TestCommuneCentres:
    def test_every_current_commune_of_the_shipped_reference_has_a_position(self):
        lines = CENTRES_FILE.read_text().splitlines()
        assert lines[0] == "code,lat,lon,precision"
        assert len(lines) > 39_000
        codes = {line.split(",", 1)[0] for line in lines[1:]}
        # metropolitan, Corsica, overseas departments and collectivities, arrondissements of Paris
        assert {"35238", "2A004", "2B033", "97209", "97411", "97611", "97502", "98735", "75101"} <= codes

    def test_positions_are_in_their_territory(self):
        rennes = commune_centre("35238")
        assert rennes.precision == LocationPrecision.MUNICIPALITY
        assert 48.0 < rennes.latitude < 48.2 and -1.8 < rennes.longitude < -1.5
        fort_de_france = commune_centre("97209")
        assert 14.4 < fort_de_france.latitude < 14.9 and -61.3 < fort_de_france.longitude < -60.8
        assert commune_centre("2a004") == commune_centre("2A004")  # Ajaccio, any case

    def test_approximate_centres_say_so_and_unknown_codes_have_none(self):
        precisions = {line.rsplit(",", 1)[1] for line in CENTRES_FILE.read_text().splitlines()[1:]}
        assert precisions == {"c", "p", "d"}
        approximate = next(
            line.split(",")[0] for line in CENTRES_FILE.read_text().splitlines()[1:] if line.endswith(",d")
        )
        assert commune_centre(approximate).precision == LocationPrecision.APPROXIMATE
        assert commune_centre("00000") is None
        assert commune_centre("") is None


class TestCanteenPosition:
    def test_a_new_canteen_is_at_its_commune_centre_without_any_request(self, db):
        canteen = CanteenFactory(city_insee_code="29019", city="Brest")
        assert canteen.location_source == LocationSource.COMMUNE
        centre = commune_centre("29019")
        assert (canteen.latitude, canteen.longitude) == (centre.latitude, centre.longitude)
        canteen.refresh_from_db()
        assert canteen.latitude is not None

    def test_a_change_of_commune_moves_it_but_a_pin_placed_by_hand_stays(self, db):
        canteen = CanteenFactory(city_insee_code="29019")
        canteen.city_insee_code = "35238"
        canteen.save()
        assert canteen.latitude == commune_centre("35238").latitude
        canteen.latitude, canteen.longitude, canteen.location_source = 48.5, -2.0, LocationSource.MANUAL
        canteen.save()
        canteen.city_insee_code = "29019"
        canteen.save()
        canteen.refresh_from_db()
        assert (canteen.latitude, canteen.longitude, canteen.location_source) == (48.5, -2.0, LocationSource.MANUAL)

    def test_a_geocoded_position_falls_back_to_the_commune_when_the_address_changes(self, db):
        canteen = CanteenFactory(city_insee_code="35238", address="12 rue de la Paix")
        canteen.latitude, canteen.longitude, canteen.location_source = 48.1109, -1.6778, LocationSource.ADDRESS
        canteen.location_query = canteen.location_key
        canteen.save()
        assert canteen.latitude == 48.1109
        canteen.address = "3 place de la Mairie"
        canteen.save(update_fields=["address"])
        canteen.refresh_from_db()
        assert canteen.location_source == LocationSource.COMMUNE
        assert canteen.latitude == commune_centre("35238").latitude

    def test_the_map_row_follows_the_canteen(self, db):
        canteen = CanteenFactory(city_insee_code="29019")
        assert (canteen.stats.latitude, canteen.stats.commune) == (canteen.latitude, "29019")


class TestGeocoder:
    def test_an_address_found(self, server):
        position = geocoder(server).address("12 rue de la Paix", "35238")
        assert (position.latitude, position.longitude) == (48.110899, -1.677793)
        assert position.precision == LocationPrecision.HOUSENUMBER
        assert position.label == "12 Rue de la Paix 35000 Rennes"
        assert server.hits == ["/search/?q=12+rue+de+la+Paix&limit=1&citycode=35238"]

    def test_a_street_is_less_precise(self, server):
        assert geocoder(server).address("rue de Siam", "29019").precision == LocationPrecision.STREET

    def test_not_found_and_low_score_give_nothing(self, server):
        client = geocoder(server)
        assert client.address("zzzz nowhere", "35238") is None
        assert client.address("cantine", "35238") is None  # score 0.28 < 0.5

    def test_answers_are_cached_found_or_not(self, server):
        client = geocoder(server)
        client.address("12 rue de la Paix", "35238")
        client.address("zzzz nowhere", "35238")
        client.address("12 rue de la Paix", "35238")
        client.address("zzzz nowhere", "35238")
        assert len(server.hits) == 2
        assert client.requests == 2

    def test_a_timeout_is_an_error_and_is_not_cached(self, server):
        client = geocoder(server, timeout=0.2)
        with pytest.raises(GeocoderError):
            client.address("slow street", "35238")
        with pytest.raises(GeocoderError):
            client.address("slow street", "35238")
        assert len(server.hits) == 2

    def test_rate_limited_then_answered(self, server):
        client = geocoder(server)
        with pytest.raises(RateLimited) as error:
            client.address("busy street", "35238")
        assert error.value.retry_after == 0
        assert client.address("busy street", "35238").precision == LocationPrecision.HOUSENUMBER

    def test_a_server_error(self, server):
        with pytest.raises(GeocoderError):
            geocoder(server).address("broken", "35238")

    def test_a_refused_connection(self):
        with pytest.raises(GeocoderError):
            Geocoder(url="http://127.0.0.1:9", geo_api_url="", timeout=0.5).address("12 rue de la Paix", "35238")

    def test_commune_centre_from_the_geographic_api(self, server):
        client = geocoder(server)
        centre = client.commune_centre("35238")
        assert (centre.latitude, centre.longitude, centre.precision) == (48.1113, -1.6744, "municipality")
        assert client.commune_centre("99999") is None

    def test_off_by_default(self, settings):
        assert settings.GEOCODER_URL == ""
        client = Geocoder()
        assert not client.enabled
        assert client.address("12 rue de la Paix", "35238") is None
        assert client.requests == 0


class TestCommand:
    def run(self, server, settings, *args):
        settings.GEOCODER_URL = server.url
        settings.GEO_API_URL = server.url
        settings.GEOCODER_TIMEOUT = 0.3
        out, err = io.StringIO(), io.StringIO()
        call_command("geocode_canteens", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_geocodes_addresses_then_communes_and_leaves_pins_placed_by_hand(self, db, server, settings):
        found = CanteenFactory(city_insee_code="35238", address="12 rue de la Paix")
        unknown = CanteenFactory(city_insee_code="35238", address="zzzz nowhere")
        no_address = CanteenFactory(city_insee_code="35238")
        slow = CanteenFactory(city_insee_code="35238", address="slow street")
        busy = CanteenFactory(city_insee_code="35238", address="busy street")
        manual = CanteenFactory(city_insee_code="35238", address="12 rue de la Paix")
        manual.latitude, manual.longitude, manual.location_source = 48.0, -1.0, LocationSource.MANUAL
        manual.save()
        out, err = self.run(server, settings)
        assert "5 cantines : 2 à l'adresse, 2 au centre de la commune, 0 inchangées, 1 erreurs" in out
        assert "5/5" in err
        found.refresh_from_db()
        assert (found.latitude, found.location_source) == (48.110899, "address")
        assert found.location_precision == "housenumber"
        assert found.stats.latitude == 48.110899  # the map's row follows
        for canteen in (unknown, no_address):
            canteen.refresh_from_db()
            assert (canteen.latitude, canteen.location_source) == (48.1113, "commune")
        slow.refresh_from_db()
        assert slow.latitude == commune_centre("35238").latitude  # the timeout left it where it was
        busy.refresh_from_db()
        assert busy.location_source == "address"  # rate limited once, then answered
        manual.refresh_from_db()
        assert (manual.latitude, manual.location_source) == (48.0, "manual")
        # a second run leaves the geocoded ones alone; --all takes them again (from the cache)
        hits = len(server.hits)
        out, _err = self.run(server, settings, "--all", "--department", "35")
        assert out.startswith("5 cantines")
        assert len(server.hits) - hits == 1  # only the slow one is asked again (errors are not cached)

    def test_refuses_to_run_without_settings(self, db, settings):
        settings.GEOCODER_URL = settings.GEO_API_URL = ""
        with pytest.raises(CommandError):
            call_command("geocode_canteens")
        assert Canteen.objects.count() == 0
