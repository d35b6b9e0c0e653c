"""One definition of an EPCI's canteens (issue 20): the registry, the map, the dashboards and the open-data files
count the same rows, those whose canteen has that EPCI (`territories.stats.epci_lookup`)."""

import json

from django.core.cache import cache

from canteens.models import Canteen
from territories import dashboard, maps, registry
from territories.models import CanteenStats
from territories.stats import in_territory

RENNES_METROPOLE = "243500139"


def test_every_view_of_an_epci_counts_the_same_canteens(client, world, published):
    # A canteen recorded in Rennes Métropole by a national file, its commune elsewhere: the stored EPCI counts,
    # not the commune (the map and the dashboards used to look the communes up in the reference instead).
    Canteen.objects.filter(pk=world["brest"].pk).update(epci=RENNES_METROPOLE)
    cache.clear()
    expected = {"École Rennes", "EHPAD Brest"}

    listed = CanteenStats.objects.filter(listed=True)
    assert set(in_territory(listed, epci=RENNES_METROPOLE).values_list("name", flat=True)) == expected
    assert set(registry.search({"epci": RENNES_METROPOLE})[1].values_list("name", flat=True)) == expected
    assert set(maps.filtered({"epci": RENNES_METROPOLE}).values_list("name", flat=True)) == expected
    territory = dashboard.get_territory("epci", RENNES_METROPOLE)
    assert set(listed.filter(**dashboard.territory_filter(territory)).values_list("name", flat=True)) == expected

    geojson = json.loads(client.get(f"/api/v1/canteens/geo/?epci={RENNES_METROPOLE}").content)
    assert {feature["properties"]["name"] for feature in geojson["features"]} == expected
    page = client.get(f"/cantines/?epci={RENNES_METROPOLE}").content.decode()
    assert "EHPAD Brest" in page and "École Rennes" in page and "Lycée Vannes" not in page
