from canteens.models import Canteen, Teledeclaration
from territories import demo
from territories.models import CampaignPublication, CanteenStats, DeclarationStats, TerritoryOfficer, Widget


class FakeCommand:
    def __init__(self, count):
        self.canteen_count = count
        self.messages = []

    def log(self, message):
        self.messages.append(message)


def test_generates_n_canteens_idempotently(db):
    from canteens.demo import ensure_campaign

    ensure_campaign()  # the 2024 campaign of the canteens demo
    demo.load(FakeCommand(40))
    generated = Canteen.objects.filter(siret__startswith=demo.SIRET_PREFIX)
    assert generated.count() == 40
    assert CanteenStats.objects.count() == 40
    assert len(set(generated.values_list("territory_department", flat=True))) > 20  # spread over the territories
    years = set(Teledeclaration.objects.values_list("year", flat=True))
    assert years == {2023, 2024}
    assert DeclarationStats.objects.count() == Teledeclaration.objects.count() > 10
    assert CampaignPublication.objects.get().campaign.year == 2023
    assert TerritoryOfficer.objects.get().department_codes()[:4] == ["22", "29", "35", "56"]
    assert Widget.objects.count() == 1
    demo.load(FakeCommand(40))  # again: nothing new
    assert generated.count() == 40 and Widget.objects.count() == 1
    demo.load(FakeCommand(55))  # more: only the missing ones
    assert generated.count() == 55 and CanteenStats.objects.count() == 55
    assert generated.filter(siret=demo.siret_for(54)).exists()
    # the stored figures equal what the signals would have computed
    before = sorted(CanteenStats.objects.values_list("canteen_id", "bio_rate", "egalim_rate", "listed"))
    from territories.stats import rebuild

    rebuild()
    assert sorted(CanteenStats.objects.values_list("canteen_id", "bio_rate", "egalim_rate", "listed")) == before


def test_load_demo_takes_the_number_of_canteens():
    from home.management.commands.load_demo import DEMO_APPS, Command

    parser = Command().create_parser("manage.py", "load_demo")
    assert parser.parse_args(["--canteens", "1200"]).canteens == 1200
    assert parser.parse_args([]).canteens is None  # the territories demo's default (300)
    assert DEMO_APPS.index("territories") == DEMO_APPS.index("canteens") + 1
