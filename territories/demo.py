"""Demo content of the territories app: N generated canteens spread over every department (`load_demo
--canteens N`, 300 by default) with diagnostics for 2023 and 2024, declarations for the 2023 campaign (results
published) and the 2024 one (results not published yet), a territory officer for Bretagne and Martinique with a
widget. Idempotent: generated canteens carry SIRETs with the prefix 000 (no real SIREN starts so) and only the
missing ones up to N are created.

Everything is written with bulk_create (about 2 s for 1,000 canteens on SQLite); the stored figures
(CanteenStats, DeclarationStats) are written alongside, since bulk writes send no signals.
"""

import datetime
import os
import random
import secrets
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from canteens import declaration as declarations
from canteens.choices import SECTORS, EconomicModel, Management, Production
from canteens.demo import ANSWERS
from canteens.models import Campaign, Canteen, Teledeclaration, YearlyDiagnostic
from canteens.validators import department_of_commune, luhn_valid

from . import stats
from .models import CampaignPublication, CanteenStats, DeclarationStats, Region, TerritoryOfficer, Widget

DEFAULT_COUNT = 300
SIRET_PREFIX = "000"
YEARS = (2023, 2024)
PUBLISHED_CAMPAIGN = 2023
OFFICER_EMAIL = "charge-de-mission@ma-cantine.example"
BATCH = 1000

# One commune per department (the prefecture), INSEE code and name: enough for realistic addresses.
COMMUNES = """01053 Bourg-en-Bresse|02408 Laon|03190 Moulins|04070 Digne-les-Bains|05061 Gap|06088 Nice|07186 Privas|
08105 Charleville-Mézières|09122 Foix|10387 Troyes|11069 Carcassonne|12202 Rodez|13055 Marseille|14118 Caen|
15014 Aurillac|16015 Angoulême|17300 La Rochelle|18033 Bourges|19272 Tulle|21231 Dijon|22278 Saint-Brieuc|
23096 Guéret|24322 Périgueux|25056 Besançon|26362 Valence|27229 Évreux|28085 Chartres|29232 Quimper|
2A004 Ajaccio|2B033 Bastia|30189 Nîmes|
31555 Toulouse|32013 Auch|33063 Bordeaux|34172 Montpellier|35238 Rennes|36044 Châteauroux|37261 Tours|38185 Grenoble|
39300 Lons-le-Saunier|40192 Mont-de-Marsan|41018 Blois|42218 Saint-Étienne|43157 Le Puy-en-Velay|44109 Nantes|
45234 Orléans|46042 Cahors|47001 Agen|48095 Mende|49007 Angers|50502 Saint-Lô|51108 Châlons-en-Champagne|52121 Chaumont|
53130 Laval|54395 Nancy|55029 Bar-le-Duc|56260 Vannes|57463 Metz|58194 Nevers|59350 Lille|60057 Beauvais|61001 Alençon|
62041 Arras|63113 Clermont-Ferrand|64445 Pau|65440 Tarbes|66136 Perpignan|67482 Strasbourg|68066 Colmar|69123 Lyon|
70550 Vesoul|71270 Mâcon|72181 Le Mans|73065 Chambéry|74010 Annecy|75056 Paris|76540 Rouen|77288 Melun|78646 Versailles|
79191 Niort|80021 Amiens|81004 Albi|82121 Montauban|83137 Toulon|84007 Avignon|85191 La Roche-sur-Yon|86194 Poitiers|
87085 Limoges|88160 Épinal|89024 Auxerre|90010 Belfort|91228 Évry-Courcouronnes|92050 Nanterre|93008 Bobigny|
94028 Créteil|95127 Cergy|97105 Basse-Terre|97209 Fort-de-France|97302 Cayenne|97411 Saint-Denis|97502 Saint-Pierre|
97611 Mamoudzou|97701 Saint-Barthélemy|97801 Saint-Martin"""
COMMUNE_LIST = [tuple(item.strip().split(" ", 1)) for item in COMMUNES.replace("\n", "").split("|")]

PEOPLE = [
    "Jean Jaurès",
    "Victor Hugo",
    "Marie Curie",
    "Jules Ferry",
    "Louise Michel",
    "Jean Moulin",
    "Simone Veil",
    "Pablo Picasso",
    "Albert Camus",
    "Jacques Prévert",
    "Olympe de Gouges",
    "Aimé Césaire",
    "George Sand",
]
PLACES = ["des Tilleuls", "du Parc", "des Lilas", "du Centre", "de la Gare", "des Écoles", "du Moulin", "des Vergers"]
KINDS = {
    "school_primary": ("École {person}", 60, 450, 140),
    "school_middle": ("Collège {person}", 200, 700, 140),
    "school_high": ("Lycée {person}", 300, 1200, 150),
    "school_agricultural": ("Lycée agricole {place}", 150, 500, 160),
    "university": ("Restaurant universitaire {place}", 400, 2500, 180),
    "hospital": ("Centre hospitalier de {city}", 300, 2500, 365),
    "clinic": ("Clinique {place}", 80, 400, 365),
    "nursery": ("Crèche {place}", 20, 80, 220),
    "ehpad": ("EHPAD {place}", 60, 250, 365),
    "ime_itep": ("IME {place}", 30, 120, 200),
    "admin_state": ("Restaurant administratif de la préfecture", 150, 700, 220),
    "admin_local": ("Restaurant municipal de {city}", 50, 300, 220),
    "armed_forces": ("Mess de la base de {city}", 100, 600, 300),
    "company": ("Restaurant d'entreprise {place}", 100, 900, 220),
    "holiday_centre": ("Centre de vacances {place}", 40, 200, 120),
}
KIND_WEIGHTS = {"school_primary": 40, "school_middle": 10, "school_high": 6, "ehpad": 8, "hospital": 4, "nursery": 6}


def siret_for(index: int) -> str:
    prefix = f"{SIRET_PREFIX}{index:010d}"
    return next(prefix + str(digit) for digit in range(10) if luhn_valid(prefix + str(digit)))


def _canteen(index: int) -> Canteen:
    rng = random.Random(index)
    code, city = COMMUNE_LIST[rng.randrange(len(COMMUNE_LIST))]
    kinds = list(KINDS)
    sector = rng.choices(kinds, weights=[KIND_WEIGHTS.get(kind, 2) for kind in kinds])[0]
    template, low, high, days = KINDS[sector]
    name = template.format(person=rng.choice(PEOPLE), place=rng.choice(PLACES), city=city)
    sectors = [sector]
    if sector == "school_primary" and rng.random() < 0.15:
        sectors.append("nursery")
    private = SECTORS[sector][0] == "company" or (sector in ("clinic", "ehpad") and rng.random() < 0.5)
    daily = rng.randint(low, high)
    production = rng.choices(
        [Production.ON_SITE, Production.SATELLITE, Production.CENTRAL, Production.CENTRAL_SERVING],
        weights=[70, 20, 4, 6],
    )[0]
    department = department_of_commune(code)
    return Canteen(
        name=name if city in name else f"{name} ({city})",
        siret=siret_for(index),
        city_insee_code=code,
        city=city,
        department=department,
        territory_department_id=department,
        sectors=sectors,
        management_type=rng.choice([Management.DIRECT, Management.DIRECT, Management.CONCEDED]),
        production_type=production,
        economic_model=EconomicModel.PRIVATE if private else EconomicModel.PUBLIC,
        line_ministry="armees" if sector == "armed_forces" else ("interieur" if sector == "admin_state" else ""),
        daily_meal_count=daily,
        yearly_meal_count=max(daily * days, daily + 420),
    )


def _diagnostic(canteen: Canteen, year: int, rng: random.Random) -> YearlyDiagnostic:
    total = Decimal(canteen.yearly_meal_count) * Decimal(rng.uniform(1.8, 3.6)).quantize(Decimal("0.01"))
    progress = 1.0 if year == YEARS[0] else rng.uniform(1.0, 1.35)

    def part(low, high):
        return (total * Decimal(rng.uniform(low, high) * progress)).quantize(Decimal("1"))

    bio = part(0.04, 0.32)
    meat_fish_total = (total * Decimal(rng.uniform(0.22, 0.35))).quantize(Decimal("1"))
    return YearlyDiagnostic(
        canteen=canteen,
        year=year,
        total=total.quantize(Decimal("1")),
        bio=bio,
        siqo=part(0.03, 0.2),
        environmental=part(0.0, 0.04),
        other_egalim=part(0.0, 0.08),
        meat_fish_total=meat_fish_total,
        meat_fish_egalim=(meat_fish_total * Decimal(rng.uniform(0.15, 0.85))).quantize(Decimal("1")),
        answers=ANSWERS,
        is_published=rng.random() < 0.6,
    )


def ensure_campaigns():
    """Campaign 2023 (closed, results published) and 2024 (open, from the canteens demo; results not published)."""
    campaign, _created = Campaign.objects.get_or_create(
        year=PUBLISHED_CAMPAIGN,
        defaults={
            "declaration_start": datetime.date(2024, 1, 15),
            "declaration_end": datetime.date(2024, 4, 15),
            "correction_start": datetime.date(2024, 4, 16),
            "correction_end": datetime.date(2024, 4, 30),
        },
    )
    CampaignPublication.objects.get_or_create(
        campaign=campaign,
        defaults={"published_on": datetime.date(2024, 12, 16), "note": "Bilan statistique annuel (démonstration)"},
    )


def demo_managers(count=25):
    User = get_user_model()
    users = []
    for number in range(count):
        email = f"gestionnaire-{number:02d}@cantines-demo.example"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(username=email, email=email, first_name="Gestionnaire", last_name=f"n° {number}")
            user.set_unusable_password()
            user.save()
        users.append(user)
    return users


def generate(count: int, log=print) -> int:
    """Create the missing generated canteens up to `count`; returns how many were created."""
    existing = Canteen.objects.filter(siret__startswith=SIRET_PREFIX).count()
    if existing >= count:
        return 0
    managers = demo_managers()
    now = timezone.now()
    created = 0
    for start in range(existing, count, BATCH):
        indexes = range(start, min(count, start + BATCH))
        with transaction.atomic():
            canteens = Canteen.objects.bulk_create([_canteen(index) for index in indexes])
            if any(canteen.pk is None for canteen in canteens):  # backends without RETURNING
                by_siret = dict(
                    Canteen.objects.filter(siret__in=[c.siret for c in canteens]).values_list("siret", "pk")
                )
                for canteen in canteens:
                    canteen.pk = by_siret[canteen.siret]
            links, diagnostics, rngs = [], [], {}
            for index, canteen in zip(indexes, canteens, strict=True):
                rng = rngs[canteen.pk] = random.Random(index * 7919)
                if rng.random() < 0.8:  # the others are registered without a manager
                    links.append(Canteen.managers.through(canteen_id=canteen.pk, user_id=rng.choice(managers).pk))
                if rng.random() < 0.8:
                    diagnostics += [_diagnostic(canteen, year, rng) for year in YEARS]
            Canteen.managers.through.objects.bulk_create(links)
            YearlyDiagnostic.objects.bulk_create(diagnostics)
            evaluations = {}
            published = {}
            for diagnostic in diagnostics:
                evaluations[(diagnostic.canteen.pk, diagnostic.year)] = diagnostic.evaluate(diagnostic.canteen)
                if diagnostic.is_published:
                    published[diagnostic.canteen.pk] = diagnostic  # YEARS ascending: the last one wins
            CanteenStats.objects.bulk_create(
                [CanteenStats(canteen_id=c.pk, **stats.canteen_values(c, published.get(c.pk))) for c in canteens]
            )
            teledeclarations = []
            for diagnostic in diagnostics:
                rng = rngs[diagnostic.canteen.pk]
                if rng.random() < (0.65 if diagnostic.year == YEARS[0] else 0.45):
                    canteen = diagnostic.canteen
                    evaluation = evaluations[(canteen.pk, diagnostic.year)]
                    teledeclarations.append(
                        Teledeclaration(
                            canteen=canteen,
                            year=diagnostic.year,
                            version=1,
                            snapshot=declarations.snapshot(canteen, diagnostic, evaluation),
                            submitted_at=now - datetime.timedelta(days=365 * (YEARS[-1] - diagnostic.year) + 30),
                        )
                    )
            teledeclarations = Teledeclaration.objects.bulk_create(teledeclarations)
            if any(declaration.pk is None for declaration in teledeclarations):
                keys = {(d.canteen_id, d.year): d for d in teledeclarations}
                for pk, canteen_id, year in Teledeclaration.objects.filter(
                    canteen_id__in=[c.pk for c in canteens]
                ).values_list("pk", "canteen_id", "year"):
                    keys[(canteen_id, year)].pk = pk
            DeclarationStats.objects.bulk_create(
                [DeclarationStats(teledeclaration_id=d.pk, **stats.declaration_values(d)) for d in teledeclarations]
            )
        created += len(canteens)
        if log and count > BATCH:
            log(f"{start + len(canteens)} / {count} cantines générées")
    return created


def ensure_officer(command):
    User = get_user_model()
    user = User.objects.filter(email=OFFICER_EMAIL).first()
    if user is None:
        password = os.environ.get("DEMO_OFFICER_PASSWORD") or secrets.token_urlsafe(12)
        user = User.objects.create_user(
            username=OFFICER_EMAIL, email=OFFICER_EMAIL, password=password, first_name="Dominique", last_name="Démo"
        )
        command.log(f"Chargé·e de mission de démonstration : « {OFFICER_EMAIL} », mot de passe « {password} ».")
    officer, created = TerritoryOfficer.objects.get_or_create(
        user=user, defaults={"organisation": "DRAAF Bretagne (démonstration)"}
    )
    if created:
        officer.regions.add(Region.objects.get(code="53"))
        officer.departments.add("972")
    if not Widget.objects.filter(owner=user).exists():
        Widget.objects.create(
            owner=user,
            region_id="53",
            title="Les cantines de Bretagne",
            primary_colour="#000091",
            secondary_colour="#3558a2",
        )


def load(command):
    ensure_campaigns()
    count = getattr(command, "canteen_count", None)
    count = DEFAULT_COUNT if count is None else count
    created = generate(count, log=command.log)
    if created:
        command.log(f"{created} cantines générées sur les territoires.")
    ensure_officer(command)
