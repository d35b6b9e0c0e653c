"""The declaration's mandatory-values table and plausibility warnings, on the rules alone (no database)."""

from decimal import Decimal

import pytest

from egalim import declaration as table
from tests.diagnostic.declaration_cases import COMPLETE, cases


def context(case):
    return table.Context(
        year=case.year,
        mode=case.mode,
        declaration_mode=case.declaration_mode,
        daily_meals=case.daily_meals,
        central_kitchen=case.central_kitchen,
    )


@pytest.mark.parametrize("case", cases())
def test_mandatory_values_by_year(case):
    missing = table.missing(case.values(), context(case))
    assert sorted(item.field for item in missing) == sorted(case.missing)


def test_missing_values_carry_a_french_and_english_message():
    [item] = table.missing({"total": None}, table.Context(year=2023))
    assert item.message("fr") == "Obligatoire pour la télédéclaration : Total des achats alimentaires HT."
    [item] = table.missing({"total": None}, table.Context(year=2023), lang="en")
    assert item.message("en") == "Required for the declaration: Total food purchases."


def test_every_row_names_a_measure_and_a_first_year():
    for row in table.TABLE:
        assert row.measure in {"quality", "waste", "diversification", "plastic", "information"}
        assert 2022 <= row.since and (row.until is None or row.until >= row.since)
        assert row.when in table.CONDITIONS


def codes(values, **kwargs):
    return [warning.code for warning in table.warnings(values, table.Context(year=2025), **kwargs)]


def test_a_plausible_declaration_has_no_warning():
    assert codes(COMPLETE, yearly_meals=30000, imported_total=Decimal("100500")) == []


@pytest.mark.parametrize(
    ("meals", "expected"),
    [(4999, ["cost_per_meal_high"]), (5000, []), (200000, []), (200001, ["cost_per_meal_low"])],
)
def test_cost_per_meal_band(meals, expected):
    # 100,000 € / 5,000 meals = 20 € exactly (inside), / 200,000 = 0.50 € exactly (inside)
    assert codes(COMPLETE, yearly_meals=meals) == expected


def test_bio_above_egalim_and_egalim_above_total():
    values = {**COMPLETE, "bio": "20000", "siqo": "-15000", "environmental": "0", "other_egalim": "0"}
    assert "bio_above_egalim" in codes(values)
    values = {**COMPLETE, "total": "30000", "meat_fish_total": "1"}
    values.update(meat_poultry_total="1", fish_seafood_total="1")
    values.update(meat_poultry_egalim="0", fish_seafood_egalim="0", meat_fish_egalim="0")
    assert codes(values) == ["egalim_above_total"]


def test_meat_above_total_and_parts_above_their_whole():
    values = {**COMPLETE, "meat_poultry_total": "200000", "fish_seafood_egalim": "20000", "meat_poultry_france": "1"}
    found = codes(values)
    assert "meat_above_total" in found and "fish_egalim_above_fish" in found
    assert "meat_france_above_meat" not in found


def test_fair_trade_inside_bio():
    assert codes({**COMPLETE, "bio_fair_trade": "20001"}) == ["fair_trade_above_bio"]
    assert codes({**COMPLETE, "bio_fair_trade": "20000"}) == []


@pytest.mark.parametrize(("imported", "warned"), [("100000", False), ("99010", False), ("98900", True)])
def test_total_against_imported_purchases(imported, warned):
    # 1 % of the imported sum: 100,000 vs 99,010 differs by 990 (< 990.10); vs 98,900 by 1,100 (> 989)
    assert ("total_differs_from_purchases" in codes(COMPLETE, imported_total=Decimal(imported))) is warned
