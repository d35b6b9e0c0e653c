"""The shared table of EGAlim rule cases, run against the rules module and through the API.

Each case starts from BASE (a metropolitan canteen, data year 2024, exactly on every threshold and compliant
with every measure) and changes a few values with dotted paths; DROP removes a value.
"""

import copy
from dataclasses import dataclass, field

import pytest

from egalim.rules import MEASURES

DROP = object()

BASE = {
    "year": 2024,
    "department": "75",
    "state_restaurant": False,
    "daily_meals": 450,
    "purchases": {
        "total": 100000,
        "bio": 20000,
        "siqo": 20000,
        "environmental": 5000,
        "other_egalim": 5000,
        "meat_fish_total": 30000,
        "meat_fish_egalim": 18000,
    },
    "answers": {
        "waste": {"diagnostic_done": True, "actions": ["portions", "awareness"], "donation_agreement": False},
        "diversification": {
            "plan": True,
            "vegetarian_frequency": "weekly",
            "menu_choice": False,
            "daily_vegetarian_option": False,
        },
        "plastic": {"cooking_containers": True, "serving_containers": True, "bottles": True, "tableware": True},
        "information": {"informs_diners": True},
    },
}

# The example of the issue (Martinique, 2025).
MARTINIQUE = {
    "year": 2025,
    "department": "972",
    "state_restaurant": False,
    "daily_meals": 450,
    "purchases": {
        "total": 100000,
        "bio": 6000,
        "siqo": 8000,
        "environmental": 2000,
        "other_egalim": 6000,
        "meat_fish_total": 30000,
        "meat_fish_egalim": 18000,
    },
    "answers": {
        "waste": {"diagnostic_done": True, "actions": ["portions"], "donation_agreement": False},
        "diversification": {"plan": True, "vegetarian_frequency": "weekly", "daily_vegetarian_option": False},
        "plastic": {"containers": True, "bottles": True, "tableware": True},
        "information": {"informs_diners": True},
    },
}


def make(changes=None, base=BASE):
    data = copy.deepcopy(base)
    for path, value in (changes or {}).items():
        *parents, last = path.split(".")
        target = data
        for name in parents:
            target = target.setdefault(name, {})
        if value is DROP:
            target.pop(last, None)
        else:
            target[last] = value
    return data


@dataclass
class Case:
    id: str
    input: dict
    gaps: tuple = ()
    territory_group: str | None = None
    thresholds: dict = field(default_factory=dict)
    rates: dict = field(default_factory=dict)
    statuses: dict = field(default_factory=dict)  # the others: not_met with a gap, met without
    details: dict = field(default_factory=dict)  # gap code → expected subset of the gap's JSON


def case(id, changes=None, base=BASE, **expected):
    return Case(id=id, input=make(changes, base), **expected)


def metro(bio="20", egalim="50", meat_fish="60"):
    return {"bio": bio, "egalim": egalim, "meat_fish_egalim": meat_fish}


BIO, EGALIM, MEAT_FISH = (
    "quality.bio_below_threshold",
    "quality.egalim_below_threshold",
    "quality.meat_fish_below_threshold",
)

CASES = [
    # --- territories and periods -------------------------------------------------------------------------
    case("metro-2022", {"year": 2022}, territory_group="metropolitan", thresholds=metro(meat_fish=None)),
    case(
        "metro-2024-on-every-threshold",
        territory_group="metropolitan",
        thresholds=metro(),
        rates=metro("20.00", "50.00", "60.00"),
    ),
    case("metro-2040", {"year": 2040}, territory_group="metropolitan", thresholds=metro()),
    case("corse-2A", {"department": "2A"}, territory_group="metropolitan", thresholds=metro()),
    case("corse-2b-lowercase", {"department": "2b"}, territory_group="metropolitan"),
    case("ain-single-digit", {"department": "1"}, territory_group="metropolitan"),
    case("saint-barthelemy-977", {"department": "977"}, territory_group="metropolitan", thresholds=metro()),
    case(
        "guadeloupe-971-2025",
        {"department": "971", "year": 2025},
        territory_group="overseas_1",
        thresholds=metro("5", "20"),
    ),
    case(
        "martinique-972-2025-issue-example",
        base=MARTINIQUE,
        territory_group="overseas_1",
        thresholds=metro("5", "20"),
        rates=metro("6.00", "22.00", "60.00"),
    ),
    case(
        "martinique-972-2026-same-purchases",
        {"year": 2026},
        base=MARTINIQUE,
        gaps=(BIO, EGALIM),
        thresholds=metro("10", "35"),
        details={BIO: {"missing_amount": "4000.00", "missing_points": "4.00"}, EGALIM: {"missing_amount": "13000.00"}},
    ),
    case(
        "guyane-973-2029",
        {"department": "973", "year": 2029},
        territory_group="overseas_1",
        thresholds=metro("10", "35"),
    ),
    case("reunion-974-2030", {"department": "974", "year": 2030}, territory_group="overseas_1", thresholds=metro()),
    case(
        "saint-martin-978-2022",
        {"department": "978", "year": 2022},
        territory_group="overseas_1",
        thresholds=metro("5", "20", None),
    ),
    case("mayotte-2025", {"department": "976", "year": 2025}, territory_group="mayotte", thresholds=metro("2", "5")),
    case("mayotte-2026", {"department": "976", "year": 2026}, territory_group="mayotte", thresholds=metro("5", "15")),
    case("mayotte-2029", {"department": "976", "year": 2029}, territory_group="mayotte", thresholds=metro("5", "15")),
    case("mayotte-2030", {"department": "976", "year": 2030}, territory_group="mayotte", thresholds=metro("10", "30")),
    case("mayotte-2034", {"department": "976", "year": 2034}, territory_group="mayotte", thresholds=metro("10", "30")),
    case("mayotte-2035", {"department": "976", "year": 2035}, territory_group="mayotte", thresholds=metro()),
    case(
        "saint-pierre-et-miquelon-2029",
        {"department": "975", "year": 2029},
        territory_group="saint_pierre_et_miquelon",
        thresholds=metro("10", "30"),
    ),
    case(
        "saint-pierre-et-miquelon-2030",
        {"department": "975", "year": 2030},
        territory_group="saint_pierre_et_miquelon",
        thresholds=metro(),
    ),
    # --- exact boundary values --------------------------------------------------------------------------
    case(
        "bio-one-cent-short",
        {"purchases.bio": "19999.99", "purchases.siqo": "20000.01"},
        gaps=(BIO,),
        rates={"bio": "19.99", "egalim": "50.00"},
        details={
            BIO: {
                "missing_amount": "0.01",
                "missing_points": "0.01",
                "detail": "Il manque 0,01\u00a0€ HT d'achats bio, soit 0,1 point.",
            }
        },
    ),
    case(
        "bio-19.999-is-not-rounded-up",
        {"purchases.bio": 19999, "purchases.siqo": 20001},
        gaps=(BIO,),
        rates={"bio": "19.99"},
    ),
    case(
        "egalim-one-cent-short",
        {"purchases.other_egalim": "4999.99"},
        gaps=(EGALIM,),
        rates={"egalim": "49.99"},
        details={EGALIM: {"missing_amount": "0.01"}},
    ),
    case(
        "exact-thirds",
        {
            "purchases.total": 3,
            "purchases.bio": "0.60",
            "purchases.siqo": "0.90",
            "purchases.environmental": 0,
            "purchases.other_egalim": 0,
            "purchases.meat_fish_total": "2.50",
            "purchases.meat_fish_egalim": "1.50",
        },
        rates=metro("20.00", "50.00", "60.00"),
    ),
    case(
        "repeating-decimal-below",
        {
            "purchases.total": 3,
            "purchases.bio": "0.59",
            "purchases.siqo": "0.91",
            "purchases.environmental": 0,
            "purchases.other_egalim": 0,
            "purchases.meat_fish_total": "2.50",
            "purchases.meat_fish_egalim": "1.50",
        },
        gaps=(BIO,),
        rates={"bio": "19.66", "egalim": "50.00"},
    ),
    case(
        "organic-counts-inside-egalim",
        {"purchases.bio": 50000, "purchases.siqo": 0, "purchases.environmental": 0, "purchases.other_egalim": 0},
        rates={"bio": "50.00", "egalim": "50.00"},
    ),
    case(
        "martinique-bio-one-cent-short",
        {"purchases.bio": "4999.99", "purchases.siqo": "8000.01"},
        base=MARTINIQUE,
        gaps=(BIO,),
        rates={"bio": "4.99"},
    ),
    case(
        "mayotte-2025-egalim-exactly-5",
        {
            "department": "976",
            "year": 2025,
            "purchases.bio": 2000,
            "purchases.siqo": 3000,
            "purchases.environmental": 0,
            "purchases.other_egalim": 0,
            "purchases.meat_fish_total": 3000,
            "purchases.meat_fish_egalim": 2000,
        },
        rates={"egalim": "5.00"},
    ),
    case(
        "mayotte-2035-same-purchases",
        {
            "department": "976",
            "year": 2035,
            "purchases.bio": 2000,
            "purchases.siqo": 3000,
            "purchases.environmental": 0,
            "purchases.other_egalim": 0,
            "purchases.meat_fish_total": 3000,
            "purchases.meat_fish_egalim": 2000,
        },
        gaps=(BIO, EGALIM),
    ),
    # --- meat and fish -----------------------------------------------------------------------------------
    case(
        "meat-fish-2023-not-yet-required",
        {"year": 2023, "purchases.meat_fish_egalim": 3000},
        thresholds={"meat_fish_egalim": None},
        rates={"meat_fish_egalim": "10.00"},
    ),
    case(
        "meat-fish-2024-one-cent-short",
        {"purchases.meat_fish_egalim": "17999.99"},
        gaps=(MEAT_FISH,),
        rates={"meat_fish_egalim": "59.99"},
        details={MEAT_FISH: {"missing_amount": "0.01"}},
    ),
    case("meat-fish-2024-overseas-too", {"department": "972", "purchases.meat_fish_egalim": 17000}, gaps=(MEAT_FISH,)),
    case(
        "state-restaurant-meat-fish-99.99",
        {"state_restaurant": True, "purchases.meat_fish_egalim": "29997"},
        gaps=(MEAT_FISH,),
        thresholds={"meat_fish_egalim": "100"},
        rates={"meat_fish_egalim": "99.99"},
    ),
    case(
        "state-restaurant-meat-fish-100",
        {"state_restaurant": True, "purchases.meat_fish_egalim": 30000},
        thresholds={"meat_fish_egalim": "100"},
    ),
    case(
        "state-restaurant-2023-no-meat-fish-rule",
        {"year": 2023, "state_restaurant": True},
        thresholds={"meat_fish_egalim": None},
    ),
    case(
        "no-meat-or-fish-purchased",
        {"purchases.meat_fish_total": 0, "purchases.meat_fish_egalim": 0},
        rates={"meat_fish_egalim": None},
    ),
    case("state-unknown-between-60-and-100", {"state_restaurant": DROP}, statuses={"quality": "incomplete"}),
    case("state-unknown-below-60", {"state_restaurant": DROP, "purchases.meat_fish_egalim": 15000}, gaps=(MEAT_FISH,)),
    # --- partial purchases ----------------------------------------------------------------------------------
    case(
        "no-purchases",
        {"purchases": DROP},
        statuses={"quality": "incomplete"},
        rates={"bio": None, "egalim": None, "meat_fish_egalim": None},
    ),
    case(
        "only-total-and-bio-meeting",
        {"purchases": {"total": 1000, "bio": 300}},
        statuses={"quality": "incomplete"},
        rates={"bio": "30.00", "egalim": None},
    ),
    case("only-total-and-bio-below", {"purchases": {"total": 1000, "bio": 100}}, gaps=(BIO,), rates={"bio": "10.00"}),
    # --- waste ------------------------------------------------------------------------------------------
    case("waste-no-diagnostic", {"answers.waste.diagnostic_done": False}, gaps=("waste.no_diagnostic",)),
    case("waste-no-action", {"answers.waste.actions": []}, gaps=("waste.no_action",)),
    case("waste-3001-meals-without-donation", {"daily_meals": 3001}, gaps=("waste.no_donation_agreement",)),
    case("waste-3000-meals-without-donation", {"daily_meals": 3000}),
    case("waste-3001-meals-with-donation", {"daily_meals": 3001, "answers.waste.donation_agreement": True}),
    case(
        "waste-meals-unknown-without-donation",
        {"daily_meals": DROP, "answers.diversification.plan": True},
        statuses={"waste": "incomplete"},
    ),
    case("waste-meals-unknown-with-donation", {"daily_meals": DROP, "answers.waste.donation_agreement": True}),
    case("waste-actions-unanswered", {"answers.waste.actions": DROP}, statuses={"waste": "incomplete"}),
    # --- diversification ----------------------------------------------------------------------------------
    case(
        "diversification-201-meals-no-plan",
        {"daily_meals": 201, "answers.diversification.plan": False},
        gaps=("diversification.no_plan",),
    ),
    case("diversification-200-meals-no-plan", {"daily_meals": 200, "answers.diversification.plan": False}),
    case(
        "diversification-vegetarian-less-than-weekly",
        {"answers.diversification.vegetarian_frequency": "less_than_weekly"},
        gaps=("diversification.vegetarian_not_weekly",),
    ),
    case("diversification-vegetarian-daily", {"answers.diversification.vegetarian_frequency": "daily"}),
    case(
        "state-restaurant-menu-choice-no-daily-option",
        {"state_restaurant": True, "purchases.meat_fish_egalim": 30000, "answers.diversification.menu_choice": True},
        gaps=("diversification.no_daily_option",),
    ),
    case(
        "state-restaurant-menu-choice-daily-option",
        {
            "state_restaurant": True,
            "purchases.meat_fish_egalim": 30000,
            "answers.diversification.menu_choice": True,
            "answers.diversification.daily_vegetarian_option": True,
        },
    ),
    case("state-restaurant-single-menu", {"state_restaurant": True, "purchases.meat_fish_egalim": 30000}),
    case("not-state-menu-choice-no-daily-option", {"answers.diversification.menu_choice": True}),
    # --- plastic -----------------------------------------------------------------------------------------
    case(
        "plastic-containers-shorthand",
        {"answers.plastic": {"containers": False, "bottles": True, "tableware": True}},
        gaps=("plastic.containers",),
    ),
    case(
        "plastic-cooking-containers-only", {"answers.plastic.cooking_containers": False}, gaps=("plastic.containers",)
    ),
    case("plastic-bottles", {"answers.plastic.bottles": False}, gaps=("plastic.bottles",)),
    case("plastic-tableware", {"answers.plastic.tableware": False}, gaps=("plastic.tableware",)),
    case(
        "plastic-serving-unanswered", {"answers.plastic.serving_containers": DROP}, statuses={"plastic": "incomplete"}
    ),
    # --- information -------------------------------------------------------------------------------------
    case("information-not-informed", {"answers.information.informs_diners": False}, gaps=("information.not_informed",)),
    case("information-unanswered", {"answers.information": DROP}, statuses={"information": "incomplete"}),
    # --- everything at once ---------------------------------------------------------------------------------
    case(
        "every-gap",
        {
            "state_restaurant": True,
            "daily_meals": 5000,
            "purchases": {
                "total": 1000,
                "bio": 0,
                "siqo": 0,
                "environmental": 0,
                "other_egalim": 0,
                "meat_fish_total": 100,
                "meat_fish_egalim": 0,
            },
            "answers": {
                "waste": {"diagnostic_done": False, "actions": [], "donation_agreement": False},
                "diversification": {
                    "plan": False,
                    "vegetarian_frequency": "never",
                    "menu_choice": True,
                    "daily_vegetarian_option": False,
                },
                "plastic": {"containers": False, "bottles": False, "tableware": False},
                "information": {"informs_diners": False},
            },
        },
        gaps=(
            BIO,
            EGALIM,
            MEAT_FISH,
            "waste.no_diagnostic",
            "waste.no_action",
            "waste.no_donation_agreement",
            "diversification.no_plan",
            "diversification.vegetarian_not_weekly",
            "diversification.no_daily_option",
            "plastic.containers",
            "plastic.bottles",
            "plastic.tableware",
            "information.not_informed",
        ),
        rates=metro("0.00", "0.00", "0.00"),
        details={
            BIO: {"missing_amount": "200.00", "detail": "Il manque 200\u00a0€ HT d'achats bio, soit 20,0 points."}
        },
    ),
    case(
        "nothing-answered",
        {"state_restaurant": DROP, "daily_meals": DROP, "purchases": DROP, "answers": DROP},
        statuses=dict.fromkeys(MEASURES, "incomplete"),
    ),
]

assert len({c.id for c in CASES}) == len(CASES), "case ids must be unique"

PARAMS = [pytest.param(c, id=c.id) for c in CASES]


def check(c: Case, result: dict):
    """Assert that a result in the API's JSON shape matches the case."""
    codes = [gap["code"] for gap in result["gaps"]]
    assert codes == list(c.gaps)
    if c.territory_group:
        assert result["territory_group"] == c.territory_group
    for name, value in c.thresholds.items():
        assert result["thresholds"][name] == value, name
    for name, value in c.rates.items():
        assert result["rates"][name] == value, name
    expected_statuses = {}
    for measure in MEASURES:
        has_gap = any(code.startswith(measure + ".") for code in c.gaps)
        expected_statuses[measure] = c.statuses.get(measure, "not_met" if has_gap else "met")
    assert {measure: data["status"] for measure, data in result["measures"].items()} == expected_statuses
    for measure, data in result["measures"].items():
        assert data["gaps"] == [code for code in c.gaps if code.startswith(measure + ".")]
    by_code = {gap["code"]: gap for gap in result["gaps"]}
    for code, subset in c.details.items():
        for key, value in subset.items():
            assert by_code[code][key] == value, (code, key)
    for gap in result["gaps"]:
        assert gap["resources_url"] == f"/ressources/?measure={gap['measure']}&gap={gap['code']}"
        assert gap["label"]
    for value in result["rates"].values():
        assert value is None or 0 <= float(value) <= 100
