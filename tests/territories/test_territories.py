from decimal import Decimal

from canteens.models import Teledeclaration
from territories.models import CanteenStats, DeclarationStats, Department, Region
from territories.stats import CATEGORY_BITS, pooled, rebuild
from tests.factories import CanteenFactory, YearlyDiagnosticFactory

from .conftest import declare, purchases


class TestReferenceData:
    def test_regions_and_departments_from_the_data_file(self, db):
        assert Region.objects.count() == 18
        assert Department.objects.count() == 104
        assert Department.objects.get(code="2A").region.name == "Corse"
        assert Department.objects.get(code="976").region.code == "06"
        assert Department.objects.get(code="974").name == "La Réunion"
        # Collectivities outside any region
        assert set(Department.objects.filter(region=None).values_list("code", flat=True)) == {"975", "977", "978"}
        assert Department.objects.get(code="977").name == "Saint-Barthélemy"

    def test_every_department_known_to_the_rules_exists(self, db):
        from egalim.rules import DEPARTMENTS

        assert set(Department.objects.values_list("code", flat=True)) == set(DEPARTMENTS)

    def test_a_canteen_is_linked_to_its_department(self, db):
        canteen = CanteenFactory(city_insee_code="2B033", city="Bastia")
        assert canteen.territory_department_id == "2B"
        assert canteen.territory_department.region.code == "94"
        canteen.city_insee_code = "97209"
        canteen.save()
        canteen.refresh_from_db()
        assert canteen.territory_department_id == "972"


class TestStoredFigures:
    def test_stats_follow_the_last_published_diagnostic(self, db):
        canteen = CanteenFactory(sectors=["school_primary", "ehpad"])
        stats = CanteenStats.objects.get(canteen=canteen)
        assert stats.published_year is None and not stats.listed
        assert stats.sector_mask == CATEGORY_BITS["education"] | CATEGORY_BITS["social"]
        diagnostic = YearlyDiagnosticFactory(canteen=canteen, year=2023, **purchases(1000, 199.99, 500))
        assert CanteenStats.objects.get(canteen=canteen).published_year is None  # not published
        diagnostic.is_published = True
        diagnostic.save(update_fields=["is_published", "updated_at"])
        stats = CanteenStats.objects.get(canteen=canteen)
        assert stats.listed and stats.published_year == 2023
        assert stats.bio_rate == Decimal("19.99")  # truncated, never rounded up
        assert stats.egalim_rate == Decimal("50.00")
        assert stats.objectives_met is False  # 19.99 % bio < 20 %
        YearlyDiagnosticFactory(canteen=canteen, year=2024, is_published=True, **purchases(1000, 300, 600))
        stats = CanteenStats.objects.get(canteen=canteen)
        assert (stats.published_year, stats.bio_rate, stats.objectives_met) == (2024, Decimal("30.00"), True)

    def test_armed_forces_canteens_are_never_listed(self, db):
        canteen = CanteenFactory(line_ministry="armees", sectors=["armed_forces"])
        YearlyDiagnosticFactory(canteen=canteen, is_published=True)
        stats = CanteenStats.objects.get(canteen=canteen)
        assert stats.hidden and not stats.listed

    def test_declaration_rows_follow_submission_and_cancellation(self, campaign):
        canteen = CanteenFactory()
        declaration = declare(canteen, **purchases(100000, 10000, 30000))
        row = DeclarationStats.objects.get(teledeclaration=declaration)
        assert (row.department_id, row.region_id, row.total, row.bio, row.egalim) == (
            "35",
            "53",
            Decimal("100000"),
            Decimal("10000"),
            Decimal("30000"),
        )
        assert row.bio_rate == Decimal("10.00") and row.quality_status == "not_met" and not row.objectives_met
        declaration.status = Teledeclaration.Status.CANCELLED
        declaration.save(update_fields=["status"])
        assert not DeclarationStats.objects.filter(canteen=canteen).exists()

    def test_rebuild_gives_the_same_rows(self, world):
        before = sorted(CanteenStats.objects.values_list("canteen_id", "bio_rate", "listed", "region_id"))
        declared = sorted(DeclarationStats.objects.values_list("teledeclaration_id", "bio", "total"))
        CanteenStats.objects.all().delete()
        DeclarationStats.objects.all().delete()
        assert rebuild() == 6
        assert sorted(CanteenStats.objects.values_list("canteen_id", "bio_rate", "listed", "region_id")) == before
        assert sorted(DeclarationStats.objects.values_list("teledeclaration_id", "bio", "total")) == declared


class TestPooledRates:
    def test_sum_of_values_over_sum_of_totals(self, world):
        bretagne = pooled(DeclarationStats.objects.filter(region_id="53", year=2024), by_category=True)
        assert bretagne["declarations"] == 2
        assert bretagne["bio"] == Decimal("17.5")  # 70 000 / 400 000, not (10 % + 20 %) / 2
        assert bretagne["egalim"] == Decimal("45")  # 180 000 / 400 000, not (30 % + 50 %) / 2
        assert bretagne["met"] == 1 and bretagne["met_share"] == Decimal("50")
        assert bretagne["categories"]["education"]["bio"] == Decimal("10")
        assert bretagne["categories"]["social"]["egalim"] == Decimal("50")
        assert bretagne["categories"]["health"]["declarations"] == 0
        assert bretagne["categories"]["health"]["bio"] is None
        national = pooled(DeclarationStats.objects.filter(year=2024))
        assert national["declarations"] == 4
        assert str(national["bio"]).startswith("17.857142")  # 125 000 / 700 000
        assert str(national["egalim"]).startswith("42.857142")  # 300 000 / 700 000
        assert national["met"] == 3  # Brest, Fort-de-France (overseas thresholds) and Paris

    def test_unknown_amounts_stay_out_of_the_pool(self, campaign):
        canteen = CanteenFactory()
        declare(canteen, **purchases(100000, 20000, 50000))
        other = CanteenFactory()
        declare(other, **{**purchases(100000, 0, 0), "bio": None, "siqo": None})
        figures = pooled(DeclarationStats.objects.all())
        assert figures["declarations"] == 2
        assert figures["bio"] == Decimal("20")  # the canteen without a bio amount is left out of both sums
