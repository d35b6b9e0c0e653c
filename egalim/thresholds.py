"""Territories and year-versioned thresholds (law EGAlim, decree 2021-1235 for overseas).

To add or change a threshold, edit the tables below: a period applies from its `start` data year until the
next period of the same territory group. Nothing else in the code knows these numbers.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .gaps import in_language

# Data years accepted by the calculator: obligations start with 2022; later years let managers plan ahead.
FIRST_YEAR = 2022
LAST_YEAR = 2040

METROPOLITAN = "metropolitan"
OVERSEAS_1 = "overseas_1"
MAYOTTE = "mayotte"
SAINT_PIERRE_ET_MIQUELON = "saint_pierre_et_miquelon"

TERRITORY_GROUPS = {
    METROPOLITAN: _("France métropolitaine et autres territoires"),
    OVERSEAS_1: _("Guadeloupe, Martinique, Guyane, La Réunion, Saint-Martin"),
    MAYOTTE: _("Mayotte"),
    SAINT_PIERRE_ET_MIQUELON: _("Saint-Pierre-et-Miquelon"),
}

# INSEE department codes with their own thresholds; every other valid code is in the metropolitan group.
TERRITORY_GROUP_BY_DEPARTMENT = {
    "971": OVERSEAS_1,  # Guadeloupe
    "972": OVERSEAS_1,  # Martinique
    "973": OVERSEAS_1,  # Guyane
    "974": OVERSEAS_1,  # La Réunion
    "978": OVERSEAS_1,  # Saint-Martin
    "976": MAYOTTE,
    "975": SAINT_PIERRE_ET_MIQUELON,
}

# Names of the overseas codes (shown with the results; metropolitan departments are shown by their code).
OVERSEAS_NAMES = {
    "971": "Guadeloupe",
    "972": "Martinique",
    "973": "Guyane",
    "974": "La Réunion",
    "975": "Saint-Pierre-et-Miquelon",
    "976": "Mayotte",
    "977": "Saint-Barthélemy",
    "978": "Saint-Martin",
}

# Valid INSEE department codes: 01–95 (Corsica is 2A and 2B, there is no 20), then 971–978
# (977 Saint-Barthélemy follows the national thresholds).
DEPARTMENTS = frozenset(
    [f"{number:02d}" for number in range(1, 96) if number != 20] + ["2A", "2B"] + [str(n) for n in range(971, 979)]
)

# Overseas collectivities outside the law EGAlim's canteen rules (decided for issue 17, docs/donnees.md): under
# the principle of legislative specialty (Constitution, art. 74 and 77) a law applies in Wallis-et-Futuna,
# French Polynesia and New Caledonia only where it says so, and the canteen articles of the rural code
# (L230-5-1 and following, law 2018-938) are not extended to them — New Caledonia and French Polynesia hold the
# competence for agriculture and food themselves; decree 2021-1235 sets overseas thresholds for Guadeloupe,
# Martinique, Guyane, La Réunion, Mayotte, Saint-Martin and Saint-Pierre-et-Miquelon only. The TAAF and
# Clipperton have no collective catering under these rules. Their communes (INSEE codes 984xx, 986xx–989xx) are
# refused with this reason rather than as an unknown code.
NOT_COVERED_COLLECTIVITIES = {
    "984": "Terres australes et antarctiques françaises",
    "986": "Wallis-et-Futuna",
    "987": "Polynésie française",
    "988": "Nouvelle-Calédonie",
    "989": "Île de Clipperton",
}


def not_covered_collectivity(commune_or_department) -> str | None:
    """The name of the overseas collectivity outside EGAlim's canteen rules that a commune or collectivity code
    ("98735", "987") belongs to, else None."""
    code = str(commune_or_department or "").strip()
    return NOT_COVERED_COLLECTIVITIES.get(code[:3]) if len(code) in (3, 5) and code.isdigit() else None


@dataclass(frozen=True)
class Period:
    """Thresholds (percent of purchases excl. VAT) from the data year `start` on."""

    start: int
    egalim: Decimal
    bio: Decimal


THRESHOLDS = {
    METROPOLITAN: (Period(2022, Decimal("50"), Decimal("20")),),
    OVERSEAS_1: (
        Period(2022, Decimal("20"), Decimal("5")),
        Period(2026, Decimal("35"), Decimal("10")),
        Period(2030, Decimal("50"), Decimal("20")),
    ),
    MAYOTTE: (
        Period(2022, Decimal("5"), Decimal("2")),
        Period(2026, Decimal("15"), Decimal("5")),
        Period(2030, Decimal("30"), Decimal("10")),
        Period(2035, Decimal("50"), Decimal("20")),
    ),
    SAINT_PIERRE_ET_MIQUELON: (
        Period(2022, Decimal("30"), Decimal("10")),
        Period(2030, Decimal("50"), Decimal("20")),
    ),
}


@dataclass(frozen=True)
class MeatFishPeriod:
    """Share of EGAlim purchases among meat + fish purchases, from the data year `start` on."""

    start: int
    standard: Decimal
    state: Decimal  # State restaurants: the State, its public bodies and national public companies


MEAT_FISH_THRESHOLDS = (MeatFishPeriod(2024, Decimal("60"), Decimal("100")),)


class RuleInputError(ValueError):
    """The rules were called with a department or a year they do not know (validate input first)."""


def normalize_department(value) -> str | None:
    """The INSEE code in its canonical form ("1" → "01", "2a" → "2A"), or None when it is not a department."""
    if value is None or isinstance(value, bool):
        return None
    code = str(value).strip().upper()
    if code.isdigit() and len(code) == 1:
        code = "0" + code
    return code if code in DEPARTMENTS else None


def territory_group(department: str) -> str:
    code = normalize_department(department)
    if code is None:
        raise RuleInputError(f"unknown department: {department!r}")
    return TERRITORY_GROUP_BY_DEPARTMENT.get(code, METROPOLITAN)


def territory_label(group: str, lang: str | None = "fr") -> str:
    return in_language(TERRITORY_GROUPS[group], lang)


def department_label(department: str, lang: str | None = "fr") -> str:
    """ "Martinique (972)", "département 35" / "department 35"."""
    code = normalize_department(department) or str(department)
    if code in OVERSEAS_NAMES:
        return f"{OVERSEAS_NAMES[code]} ({code})"
    return in_language(_("département %(code)s"), lang) % {"code": code}


def _period_for(periods, year):
    applicable = [period for period in periods if period.start <= year]
    return max(applicable, key=lambda period: period.start) if applicable else None


@dataclass(frozen=True)
class Thresholds:
    department: str
    year: int
    territory_group: str
    egalim: Decimal
    bio: Decimal
    meat_fish_standard: Decimal | None  # None before the meat and fish rule applies
    meat_fish_state: Decimal | None

    def meat_fish(self, state_restaurant: bool | None) -> Decimal | None:
        """The meat and fish threshold that applies (the non-State one when `state_restaurant` is unknown)."""
        return self.meat_fish_state if state_restaurant else self.meat_fish_standard


def thresholds_for(department: str, year: int) -> Thresholds:
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise RuleInputError(f"year out of range: {year!r}")
    group = territory_group(department)
    period = _period_for(THRESHOLDS[group], year)
    meat_fish = _period_for(MEAT_FISH_THRESHOLDS, year)
    return Thresholds(
        department=normalize_department(department),
        year=year,
        territory_group=group,
        egalim=period.egalim,
        bio=period.bio,
        meat_fish_standard=meat_fish.standard if meat_fish else None,
        meat_fish_state=meat_fish.state if meat_fish else None,
    )
