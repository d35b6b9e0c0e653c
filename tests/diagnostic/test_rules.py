"""The EGAlim rules module on its own: the shared case table, then the building blocks."""

from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy

from egalim import formatting
from egalim.evaluation import GapResult
from egalim.rules import (
    DEPARTMENTS,
    FAMILIES,
    GAPS,
    LABEL_GROUPS,
    DiagnosticInput,
    Purchases,
    RuleInputError,
    evaluate,
    group_for_labels,
    normalize_department,
    sum_families,
    thresholds_for,
)
from tests.diagnostic.cases import CASES, DROP, MARTINIQUE, PARAMS, check, make

RATE_GAPS = {
    "bio": "quality.bio_below_threshold",
    "egalim": "quality.egalim_below_threshold",
    "meat_fish_egalim": "quality.meat_fish_below_threshold",
}


def test_the_table_has_at_least_forty_cases():
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", PARAMS)
def test_rules_table(case):
    evaluation = evaluate(DiagnosticInput.from_dict(case.input))
    check(case, evaluation.as_dict())


def test_issue_example_in_full():
    result = evaluate(DiagnosticInput.from_dict(MARTINIQUE)).as_dict()
    assert result["year"] == 2025
    assert result["territory_group"] == "overseas_1"
    assert result["rates"] == {"bio": "6.00", "egalim": "22.00", "meat_fish_egalim": "60.00"}
    assert result["thresholds"] == {"bio": "5", "egalim": "20", "meat_fish_egalim": "60"}
    assert {code: m["status"] for code, m in result["measures"].items()} == {
        "quality": "met",
        "waste": "met",
        "diversification": "met",
        "plastic": "met",
        "information": "met",
    }
    assert result["gaps"] == []


def test_rates_are_exact_decimals():
    evaluation = evaluate(DiagnosticInput(2024, "75", purchases=Purchases(total=Decimal("3"), bio=Decimal("0.6"))))
    assert evaluation.rates["bio"] == Decimal(20)
    assert "quality.bio_below_threshold" not in [gap.code for gap in evaluation.gaps]


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({}, {"bio": True, "egalim": True, "meat_fish_egalim": True}),
        ({"purchases.bio": "19999.99", "purchases.siqo": "20000.01"}, {"bio": False, "egalim": True}),
        ({"year": 2023}, {"meat_fish_egalim": None}),  # no meat and fish threshold before 2024
        ({"state_restaurant": True}, {"meat_fish_egalim": False}),  # 60 % of a State restaurant's 100 %
        ({"state_restaurant": DROP}, {"meat_fish_egalim": None}),  # 60 %: met or not, depending on the status
        ({"state_restaurant": DROP, "purchases.meat_fish_egalim": 15000}, {"meat_fish_egalim": False}),
        ({"purchases": {"total": 1000, "bio": 300}}, {"bio": True, "egalim": None, "meat_fish_egalim": None}),
    ],
)
def test_rates_met_follow_the_gaps(changes, expected):
    evaluation = evaluate(DiagnosticInput.from_dict(make(changes)))
    for name, value in expected.items():
        assert evaluation.rates_met[name] is value, name
    gap_codes = {gap.code for gap in evaluation.gaps}
    for name, code in RATE_GAPS.items():
        assert (evaluation.rates_met[name] is False) == (code in gap_codes)


def test_gap_detail_in_french_and_english():
    data = DiagnosticInput(2024, "75", purchases=Purchases(total=Decimal(100000), bio=Decimal(15800)))
    (gap,) = [gap for gap in evaluate(data).gaps if gap.code == "quality.bio_below_threshold"]
    assert gap.missing_amount == Decimal("4200.00")
    assert gap.detail_for("fr") == "Il manque 4\u202f200\u00a0€ HT d'achats bio, soit 4,2 points."
    assert gap.detail_for("en") == "€4,200 excl. VAT of organic purchases missing, i.e. 4.2 points."
    assert gap.label_for("en") == "Share of organic products below the threshold"
    assert gap.label_for("fr") == "Part de produits bio sous le seuil"


@pytest.mark.parametrize(
    "points, fr, en, form",
    [
        # form: the one the English catalogue's rule (n != 1) picks for the whole part of the points shown
        ("0.01", "0,1 point", "0.1 points", 1),
        ("1", "1,0 point", "1.0 points", 0),
        ("1.5", "1,5 point", "1.5 points", 0),
        ("1.91", "2,0 points", "2.0 points", 1),
        ("4.2", "4,2 points", "4.2 points", 1),
    ],
)
def test_gap_detail_plural_comes_from_ngettext(points, fr, en, form, monkeypatch):
    """Singular or plural is the catalogues' plural rule (French: under two, from locale/fr; English: always plural,
    both forms say "points"), not a branch on the language in code: another English form in the catalogue shows."""
    gap = GapResult(GAPS["quality.bio_below_threshold"], Decimal(100), Decimal(points), gettext_lazy("d'achats bio"))
    assert gap.detail_for("fr") == f"Il manque 100\u00a0€ HT d'achats bio, soit {fr}."
    assert gap.detail_for("en") == f"€100 excl. VAT of organic purchases missing, i.e. {en}."
    catalogue = translation.trans_real.translation("en")._catalog
    singular = "Il manque %(amount)s HT %(subject)s, soit %(points)s point."
    monkeypatch.setitem(catalogue, (singular, 0), "form 0: %(points)s")
    monkeypatch.setitem(catalogue, (singular, 1), "form 1: %(points)s")
    assert gap.detail_for("en") == f"form {form}: {en.split()[0]}"


def test_missing_amount_is_rounded_up_to_the_cent():
    data = DiagnosticInput(2024, "75", purchases=Purchases(total=Decimal("333.33"), bio=Decimal(0)))
    (gap,) = [gap for gap in evaluate(data).gaps if gap.code == "quality.bio_below_threshold"]
    assert gap.missing_amount == Decimal("66.67")  # 66.666 → 66.67: reaching it is enough
    assert Decimal("66.67") * 100 >= 20 * Decimal("333.33")


def test_every_gap_has_french_and_english_labels():
    for gap in GAPS.values():
        assert gap.label_for("fr") and gap.label_for("en")
        assert gap.label_for("fr") != gap.label_for("en")
        assert gap.code.startswith(gap.measure + ".")


@pytest.mark.parametrize(
    "raw, expected",
    [("75", "75"), ("1", "01"), (" 2a ", "2A"), ("2B", "2B"), (972, "972"), ("977", "977"), ("095", None)],
)
def test_normalize_department(raw, expected):
    assert normalize_department(raw) == expected


@pytest.mark.parametrize("raw", ["20", "00", "96", "979", "986", "988", "", "abc", None, True, "2C"])
def test_unknown_departments(raw):
    assert normalize_department(raw) is None


def test_department_codes():
    # 96 in metropolitan France (2A and 2B, no 20), then 971 to 978 (five overseas departments and the
    # overseas collectivities of Saint-Pierre-et-Miquelon, Saint-Barthélemy and Saint-Martin).
    assert len(DEPARTMENTS) == 96 + 8


@pytest.mark.parametrize("year", [2021, 2041, "2024", True])
def test_thresholds_reject_years_out_of_range(year):
    with pytest.raises(RuleInputError):
        thresholds_for("75", year)


def test_thresholds_reject_unknown_department():
    with pytest.raises(RuleInputError):
        thresholds_for("99", 2024)


def test_meat_fish_thresholds_by_status():
    thresholds = thresholds_for("75", 2024)
    assert thresholds.meat_fish(False) == Decimal(60)
    assert thresholds.meat_fish(None) == Decimal(60)
    assert thresholds.meat_fish(True) == Decimal(100)
    assert thresholds_for("75", 2023).meat_fish(True) is None


def test_level_2_environmental_certification_counts_until_2026():
    assert group_for_labels(["certification_niveau_2"], 2026) == "other_egalim"
    assert group_for_labels(["certification_niveau_2"], 2027) is None
    assert group_for_labels(["hve"], 2027) == "other_egalim"


def test_a_purchase_with_several_labels_counts_once_by_priority():
    assert group_for_labels(["label_rouge", "agriculture_biologique"], 2024) == "bio"
    assert group_for_labels(["performance", "commerce_equitable"], 2024) == "other_egalim"
    assert group_for_labels(["performance", "igp"], 2024) == "siqo"
    assert group_for_labels(["origine_france"], 2024) is None


def test_label_groups():
    assert list(LABEL_GROUPS) == ["bio", "siqo", "environmental", "other_egalim"]
    assert {label.code for label in LABEL_GROUPS["siqo"].labels} == {"label_rouge", "aoc_aop", "igp", "stg"}


def test_sum_families():
    detail = {
        "meat_poultry": {"total": "1000", "bio": "100", "siqo": "300"},
        "fish_seafood": {"total": "500", "other_egalim": "200"},
        "fruits_vegetables": {"total": "2000", "bio": "800", "environmental": "100"},
        "drinks": {"total": "500"},
    }
    totals = sum_families(detail)
    assert totals == {
        "total": Decimal(4000),
        "bio": Decimal(900),
        "siqo": Decimal(300),
        "environmental": Decimal(100),
        "other_egalim": Decimal(200),
        "meat_fish_total": Decimal(1500),
        "meat_fish_egalim": Decimal(600),
    }
    assert len(FAMILIES) == 8


def test_formatting():
    assert formatting.rate(Decimal("19.99"), "fr") == "19,9\u00a0%"
    assert formatting.rate(Decimal("19.99"), "en") == "19.9%"
    assert formatting.amount(Decimal("1234567.5"), "fr") == "1\u202f234\u202f567,50\u00a0€"
    assert formatting.amount(Decimal("4200"), "en") == "€4,200"
    assert formatting.threshold(Decimal("12.5"), "fr") == "12,5\u00a0%"
    assert formatting.plain(Decimal("20.00")) == "20"
    assert formatting.plain(Decimal("1E+2")) == "100"
