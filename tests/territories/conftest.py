"""A small hand-checked world: canteens in Bretagne (35, 29), Martinique (972) and Paris (75), their published
diagnostics and their declarations for campaign 2024.

Declared purchases (bio / EGAlim incl. bio / total, euros):
  Rennes school     10 000 / 30 000 / 100 000   (10 %, 30 %: quality not met)
  Brest EHPAD       60 000 / 150 000 / 300 000  (20 %, 50 %: met, meat and fish 60 %)
  Fort-de-France     5 000 / 20 000 / 100 000   (overseas thresholds 5 % / 20 %: met)
  Paris company     50 000 / 100 000 / 200 000  (25 %, 50 %: met)
Bretagne pooled: bio 70 000 / 400 000 = 17.5 %, EGAlim 180 000 / 400 000 = 45 % (the average of the two
ratios would be 15 % and 40 %). National: bio 125 000 / 700 000 = 17.857… %, EGAlim 300 000 / 700 000 = 42.857… %.
"""

from decimal import Decimal

import pytest
from django.core.cache import cache

from canteens import declaration as declarations
from tests.factories import (
    CampaignFactory,
    CampaignPublicationFactory,
    CanteenFactory,
    TerritoryOfficerFactory,
    UserFactory,
    YearlyDiagnosticFactory,
)


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


def purchases(total, bio, egalim, meat_total=None, meat_egalim=None):
    """Amounts where SIQO holds the EGAlim purchases other than bio."""
    total, bio, egalim = Decimal(str(total)), Decimal(str(bio)), Decimal(str(egalim))
    meat_total = Decimal(str(meat_total)) if meat_total is not None else total * Decimal("0.3")
    meat_egalim = Decimal(str(meat_egalim)) if meat_egalim is not None else meat_total * Decimal("0.6")
    return {
        "total": total,
        "bio": bio,
        "siqo": egalim - bio,
        "environmental": Decimal(0),
        "other_egalim": Decimal(0),
        "meat_fish_total": meat_total,
        "meat_fish_egalim": meat_egalim,
    }


def declare(canteen, year=2024, **amounts):
    diagnostic = YearlyDiagnosticFactory(canteen=canteen, year=year, is_published=True, **amounts)
    from canteens.models import Teledeclaration

    return Teledeclaration.objects.create(
        canteen=canteen,
        year=year,
        version=1,
        snapshot=declarations.snapshot(canteen, diagnostic, diagnostic.evaluate(canteen)),
    )


@pytest.fixture
def campaign(db):
    return CampaignFactory(year=2024)


@pytest.fixture
def world(campaign):
    manager = UserFactory(email="gestion@example.org")
    rennes = CanteenFactory(name="École Rennes", city_insee_code="35238", city="Rennes", managers=[manager])
    brest = CanteenFactory(
        name="EHPAD Brest",
        city_insee_code="29019",
        city="Brest",
        sectors=["ehpad"],
        daily_meal_count=120,
        yearly_meal_count=43000,
        managers=[manager],
    )
    quimper = CanteenFactory(name="Collège Quimper", city_insee_code="29232", city="Quimper", sectors=["school_middle"])
    vannes = CanteenFactory(
        name="Lycée Vannes", city_insee_code="56260", city="Vannes", sectors=["school_high"], managers=[manager]
    )
    fdf = CanteenFactory(
        name="Cuisine Fort-de-France", city_insee_code="97209", city="Fort-de-France", managers=[manager]
    )
    paris = CanteenFactory(
        name="Restaurant Paris",
        city_insee_code="75056",
        city="Paris",
        sectors=["company"],
        economic_model="private",
        management_type="conceded",
        daily_meal_count=800,
        yearly_meal_count=180000,
        managers=[manager],
    )
    declare(rennes, **purchases(100000, 10000, 30000))
    declare(brest, **purchases(300000, 60000, 150000))
    declare(fdf, **purchases(100000, 5000, 20000))
    declare(paris, **purchases(200000, 50000, 100000))
    # Vannes: a published diagnostic, not declared; Quimper: no manager, nothing.
    YearlyDiagnosticFactory(canteen=vannes, year=2024, is_published=True, **purchases(100000, 40000, 70000))
    return {
        "rennes": rennes,
        "brest": brest,
        "quimper": quimper,
        "vannes": vannes,
        "fdf": fdf,
        "paris": paris,
        "manager": manager,
        "campaign": campaign,
    }


@pytest.fixture
def published(world):
    return CampaignPublicationFactory(campaign=world["campaign"])


@pytest.fixture
def officer(db):
    """A DRAAF officer following Bretagne (region 53)."""
    return TerritoryOfficerFactory(user__email="draaf@example.org", regions=["53"])
