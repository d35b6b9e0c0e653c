"""The table of the declaration's mandatory values by data year, as cases: run against the rules
(`egalim.declaration`) and through the API (`POST /api/v1/canteens/<id>/declarations/`).

Each case starts from COMPLETE (a simple 2025 declaration with every value the campaign asks), applies
changes (DROP removes a value) and states which fields must be reported missing.
"""

import copy
from dataclasses import dataclass, field

import pytest

DROP = object()

AMOUNTS_2024 = {
    "total": "100000",
    "bio": "20000",
    "siqo": "10000",
    "environmental": "5000",
    "other_egalim": "5000",
    "meat_fish_total": "30000",
    "meat_fish_egalim": "15000",
}
COMPLETE = {
    **AMOUNTS_2024,
    "meat_poultry_total": "20000",
    "meat_poultry_egalim": "10000",
    "fish_seafood_total": "10000",
    "fish_seafood_egalim": "5000",
    "has_waste_plan": True,
    "vegetarian_menu_type": "unique",
    "communication_supports": ["display"],
    "answers": {
        "waste": {"diagnostic_done": True, "actions": ["portions"], "donation_agreement": True},
        "diversification": {"plan": True, "vegetarian_frequency": "weekly"},
        "plastic": {"cooking_containers": True, "serving_containers": True, "bottles": False, "tableware": True},
        "information": {"informs_diners": True},
    },
}
EGALIM_2024 = ["total", "bio", "siqo", "environmental", "other_egalim"]
SPLIT_2025 = ["meat_poultry_total", "meat_poultry_egalim", "fish_seafood_total", "fish_seafood_egalim"]
ANSWERS_2025 = [
    "answers.waste.diagnostic_done",
    "has_waste_plan",
    "answers.waste.actions",
    "answers.diversification.vegetarian_frequency",
    "answers.plastic.cooking_containers",
    "answers.plastic.serving_containers",
    "answers.plastic.bottles",
    "answers.plastic.tableware",
    "answers.information.informs_diners",
]
FAMILY_CELLS = [
    f"family_detail.{family}.{column}"
    for family in (
        "meat_poultry",
        "fish_seafood",
        "fruits_vegetables",
        "charcuterie",
        "dairy",
        "bakery",
        "drinks",
        "other",
    )
    for column in ("total", "bio")
]


@dataclass
class Case:
    id: str
    year: int
    missing: list[str]
    changes: dict = field(default_factory=dict)
    empty: bool = False  # start from nothing instead of COMPLETE
    mode: str = "simple"
    daily_meals: int = 200
    declaration_mode: str = "site"
    central_kitchen: bool = False

    def values(self) -> dict:
        values = {"answers": {}} if self.empty else copy.deepcopy(COMPLETE)
        for path, value in self.changes.items():
            node = values
            *parents, last = path.split(".")
            for part in parents:
                node = node.setdefault(part, {})
            if value is DROP:
                node.pop(last, None)
            else:
                node[last] = value
        return values


CASES = [
    # The national service refuses « Ce diagnostic n'est pas rempli »: an empty declaration lists everything.
    Case("empty_2022_only_the_total", 2022, ["total"], empty=True),
    Case("empty_2023_only_the_total", 2023, ["total"], empty=True),
    Case("empty_2024_egalim_parts", 2024, EGALIM_2024, empty=True),
    Case("empty_2025_everything", 2025, EGALIM_2024 + SPLIT_2025 + ANSWERS_2025, empty=True),
    Case("complete_2025", 2025, []),
    Case("complete_2024", 2024, []),
    Case("zero_is_an_answer", 2024, [], changes={"bio": "0", "siqo": "0", "meat_fish_egalim": "0"}),
    Case("meat_fish_optional_in_2024", 2024, [], changes={"meat_fish_total": DROP, "meat_fish_egalim": DROP}),
    Case("zero_total_is_refused", 2024, ["total"], changes={"total": "0"}),
    Case("blank_bio_2024", 2024, ["bio"], changes={"bio": DROP}),
    Case("blank_bio_2023_accepted", 2023, [], changes={"bio": DROP, "meat_fish_total": DROP}),
    Case("meat_fish_combined_in_2024", 2024, [], changes={name: DROP for name in SPLIT_2025}),
    Case("meat_and_fish_apart_from_2025", 2025, SPLIT_2025, changes={name: DROP for name in SPLIT_2025}),
    Case("combined_meat_fish_not_asked_in_2025", 2025, [], changes={"meat_fish_total": DROP}),
    Case("answers_not_asked_before_2025", 2024, [], changes={"answers": {}, "has_waste_plan": DROP}),
    Case(
        "donation_agreement_above_3000_meals",
        2025,
        ["answers.waste.donation_agreement"],
        changes={"answers.waste.donation_agreement": DROP},
        daily_meals=3001,
    ),
    Case(
        "no_donation_agreement_at_3000_meals",
        2025,
        [],
        changes={"answers.waste.donation_agreement": DROP},
        daily_meals=3000,
    ),
    Case(
        "diversification_plan_above_200_meals",
        2025,
        ["answers.diversification.plan"],
        changes={"answers.diversification.plan": DROP},
        daily_meals=201,
    ),
    Case("no_plan_at_200_meals", 2025, [], changes={"answers.diversification.plan": DROP}, daily_meals=200),
    Case("vegetarian_menu_type_when_offered", 2025, ["vegetarian_menu_type"], changes={"vegetarian_menu_type": ""}),
    Case(
        "no_menu_type_without_vegetarian_menu",
        2025,
        [],
        changes={"vegetarian_menu_type": "", "answers.diversification.vegetarian_frequency": "never"},
    ),
    Case("no_waste_action_is_an_answer", 2025, [], changes={"answers.waste.actions": []}),
    Case("supports_when_diners_informed", 2025, ["communication_supports"], changes={"communication_supports": []}),
    Case(
        "no_supports_when_not_informing",
        2025,
        [],
        changes={"communication_supports": [], "answers.information.informs_diners": False},
    ),
    Case(
        "satellite_without_appro_declares_no_amounts",
        2025,
        [],
        changes={name: DROP for name in EGALIM_2024 + SPLIT_2025},
        declaration_mode="satellite_without_appro",
    ),
    Case(
        "central_kitchen_says_what_it_declares",
        2024,
        ["central_kitchen_mode"],
        central_kitchen=True,
        declaration_mode="site",
    ),
    Case("detailed_2024_every_family", 2024, FAMILY_CELLS, mode="detailed", changes={"family_detail": {}}),
    Case(
        "detailed_2024_zero_families",
        2024,
        [],
        mode="detailed",
        changes={"family_detail": {cell.split(".")[1]: {"total": "0", "bio": "0"} for cell in FAMILY_CELLS}},
    ),
    Case("detailed_2023_only_the_total", 2023, [], mode="detailed", changes={"family_detail": {}}),
]


def cases():
    return [pytest.param(case, id=case.id) for case in CASES]
