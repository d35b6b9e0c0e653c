"""Demo content of the canteens app: a manager with two canteens (Rennes, Fort-de-France), two years each,
and an open teledeclaration campaign. Idempotent; prints the manager's password when it creates the account.
"""

import datetime
import os
import secrets
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Profile

from .models import Campaign, Canteen, YearlyDiagnostic

DEMO_EMAIL = "gestionnaire@ma-cantine.example"
DEMO_CAMPAIGN_YEAR = 2024

CANTEENS = [
    {
        "name": "Restaurant scolaire Jules Ferry",
        "siret": "21350238800019",
        "city_insee_code": "35238",
        "city": "Rennes",
        "sectors": ["school_primary"],
        "management_type": "direct",
        "production_type": "on_site",
        "economic_model": "public",
        "daily_meal_count": 320,
        "yearly_meal_count": 45000,
        "years": {
            2023: {
                "total": "150000",
                "bio": "24000",
                "siqo": "21000",
                "environmental": "3000",
                "other_egalim": "9000",
                "meat_fish_total": "42000",
                "meat_fish_egalim": "18000",
            },
            2024: {
                "total": "158000",
                "bio": "33500",
                "siqo": "24000",
                "environmental": "2500",
                "other_egalim": "12000",
                "meat_fish_total": "43000",
                "meat_fish_egalim": "27000",
            },
        },
    },
    {
        "name": "Cuisine centrale de Fort-de-France",
        "siret": "21972209700017",
        "city_insee_code": "97209",
        "city": "Fort-de-France",
        "sectors": ["school_primary", "school_middle"],
        "management_type": "conceded",
        "production_type": "central",
        "economic_model": "public",
        "daily_meal_count": 2400,
        "yearly_meal_count": 340000,
        "years": {
            2023: {
                "total": "910000",
                "bio": "27000",
                "siqo": "64000",
                "environmental": "12000",
                "other_egalim": "45000",
                "meat_fish_total": "260000",
                "meat_fish_egalim": "38000",
            },
            2024: {
                "total": "960000",
                "bio": "52000",
                "siqo": "81000",
                "environmental": "15000",
                "other_egalim": "70000",
                "meat_fish_total": "270000",
                "meat_fish_egalim": "61000",
            },
        },
    },
]

ANSWERS = {
    "waste": {"diagnostic_done": True, "actions": ["portions", "awareness"], "donation_agreement": False},
    "diversification": {"plan": True, "vegetarian_frequency": "weekly", "menu_choice": False},
    "plastic": {"cooking_containers": True, "serving_containers": True, "bottles": True, "tableware": False},
    "information": {"informs_diners": True},
}


def ensure_manager(command):
    User = get_user_model()
    user = User.objects.filter(email=DEMO_EMAIL).first()
    if user is None:
        password = os.environ.get("DEMO_MANAGER_PASSWORD") or secrets.token_urlsafe(12)
        user = User.objects.create_user(
            username=DEMO_EMAIL, email=DEMO_EMAIL, password=password, first_name="Camille", last_name="Démo"
        )
        Profile.objects.create(user=user, job=Profile.Job.MANAGER)
        command.log(f"Gestionnaire de démonstration créé·e : « {DEMO_EMAIL} », mot de passe « {password} ».")
    return user


def ensure_campaign():
    """A campaign for the demo's latest data year, open from a month ago (so the demo can declare)."""
    today = timezone.localdate()
    Campaign.objects.get_or_create(
        year=DEMO_CAMPAIGN_YEAR,
        defaults={
            "declaration_start": today - datetime.timedelta(days=30),
            "declaration_end": today + datetime.timedelta(days=60),
            "correction_start": today + datetime.timedelta(days=61),
            "correction_end": today + datetime.timedelta(days=75),
        },
    )


def load(command):
    manager = ensure_manager(command)
    for data in CANTEENS:
        data = dict(data)
        years = data.pop("years")
        canteen, created = Canteen.objects.get_or_create(siret=data["siret"], defaults=data)
        canteen.managers.add(manager)
        if created:
            command.log(f"Cantine « {canteen.name} » créée.")
        for year, purchases in years.items():
            values = {name: Decimal(value) for name, value in purchases.items()}
            YearlyDiagnostic.objects.get_or_create(
                canteen=canteen,
                year=year,
                defaults={**values, "answers": ANSWERS, "is_published": True, "updated_by": manager},
            )
    ensure_campaign()
