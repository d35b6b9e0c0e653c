"""ma cantine's own import test files through this project's pipeline: each file's outcome is the one ma cantine's
tests expect (api/tests/test_*_import.py, commit 04dddca), except the deliberate differences of docs/donnees.md,
marked `DIFFERENT` here with their reason."""

from decimal import Decimal
from pathlib import Path

import pytest

from canteens.models import Canteen, ManagerInvitation, Purchase
from canteens.standard.pipeline import run
from tests.factories import CanteenFactory, UserFactory

FILES = Path(__file__).parent / "ma_cantine_files"
S1, S2, S3 = "21010034300016", "36462492895701", "65449096241683"
MINE = [{"siret": S1}]
ID949 = [{"siret": S1, "id": 949}]

# (file, format given like ma cantine's endpoint, canteens to create, expected): expected is ("ok", rows) or
# ("refused", number of errors, the fields named by the errors, in order, None to skip the check)
PURCHASES = [
    ("achats/purchases_good.csv", "achats_siret", MINE, ("ok", 8)),
    ("achats/purchases_good.xlsx", "achats_siret", MINE, ("ok", 1)),
    ("achats/purchases_good_floating_number.csv", "achats_siret", MINE, ("ok", 1)),
    ("achats/purchases_good_separator_comma.csv", "achats_siret", MINE, ("ok", 1)),
    ("achats/purchases_good_separator_semicolon.csv", "achats_siret", MINE, ("ok", 1)),
    ("achats/purchases_good_separator_tab.tsv", "achats_siret", MINE, ("ok", 1)),
    ("achats/purchases_good_local_vs_circuit_court.csv", "achats_siret", MINE, ("ok", 2)),
    ("achats/purchases_good_siret_caracteristics.csv", "achats_siret", MINE, ("ok", 2)),
    ("achats/purchases_good_with_empty_columns.xlsx", "achats_siret", [{"siret": S3}], ("ok", 2)),
    ("achats/purchases_good_id.csv", "achats_id", ID949, ("ok", 1)),
    ("achats/purchases_good_id_caracteristics.csv", "achats_id", ID949, ("ok", 2)),
    ("achats/purchases_good_id.csv", "achats_id", [], ("refused", 1, ["cantine_id"])),
    ("achats/purchases_good.csv", "achats_siret", [], ("refused", 8, ["siret"] * 8)),
    ("achats/purchases_good.csv", "achats_siret", [{"siret": S1, "managed": False}], ("refused", 8, ["siret"] * 8)),
    (
        "achats/purchases_bad.csv",
        "achats_siret",
        [{"siret": S1}, {"siret": S2, "managed": False}],
        (
            "refused",
            11,
            [
                "siret",
                "description",
                "famille_produits",
                "date",
                "date",
                "date",
                "prix_ht",
                "prix_ht",
                "famille_produits",
                "categories_egalim",
                None,
            ],
        ),
    ),
    ("achats/purchases_bad_one_error.csv", "achats_siret", MINE, ("refused", 1, ["prix_ht"])),
    ("achats/purchases_bad_empty_rows.csv", "achats_siret", MINE, ("refused", 2, [None, None])),
    ("achats/purchases_bad_extra_columns.csv", "achats_siret", MINE, ("refused", 1, ["en-tête"])),
    ("achats/purchases_bad_no_header.csv", "achats_siret", MINE, ("refused", 12, None)),
    ("achats/purchases_bad_partial_header.csv", "achats_siret", MINE, ("refused", 1, ["en-tête"])),
    ("achats/purchases_bad_wrong_header.csv", "achats_siret", MINE, ("refused", 5, None)),
    ("achats/purchases_bad_wrong_header_typo.csv", "achats_siret", MINE, ("refused", 12, None)),
    ("achats/purchases_bad_corrupt.csv", "achats_siret", MINE, ("refused", 1, ["en-tête"])),
    # old format
    ("achats/purchases_good_old.csv", "achats_siret_old", MINE, ("ok", 8)),
    ("achats/purchases_good_old.xlsx", "achats_siret_old", MINE, ("ok", 1)),
    ("achats/purchases_good_floating_number_old.csv", "achats_siret_old", MINE, ("ok", 1)),
    ("achats/purchases_good_separator_comma_old.csv", "achats_siret_old", MINE, ("ok", 1)),
    ("achats/purchases_good_separator_semicolon_old.csv", "achats_siret_old", MINE, ("ok", 1)),
    ("achats/purchases_good_separator_tab_old.tsv", "achats_siret_old", MINE, ("ok", 1)),
    ("achats/purchases_good_with_empty_columns_old.xlsx", "achats_siret_old", [{"siret": S3}], ("ok", 2)),
    ("achats/purchases_good_id_old.csv", "achats_id_old", ID949, ("ok", 1)),
    ("achats/purchases_good_id_old.csv", "achats_id_old", [], ("refused", 1, ["cantine_id"])),
    ("achats/purchases_good_old.csv", "achats_siret_old", [], ("refused", 8, ["siret"] * 8)),
    (
        "achats/purchases_bad_old.csv",
        "achats_siret_old",
        [{"siret": S1}, {"siret": S2, "managed": False}],
        ("refused", 11, None),
    ),
    ("achats/purchases_bad_one_error_old.csv", "achats_siret_old", MINE, ("refused", 1, None)),
    ("achats/purchases_bad_empty_rows_old.csv", "achats_siret_old", MINE, ("refused", 2, None)),
    ("achats/purchases_bad_extra_columns_old.csv", "achats_siret_old", MINE, ("refused", 1, None)),
    ("achats/purchases_bad_no_header_old.csv", "achats_siret_old", MINE, ("refused", 8, None)),
    ("achats/purchases_bad_partial_header_old.csv", "achats_siret_old", MINE, ("refused", 1, None)),
    ("achats/purchases_bad_wrong_header_old.csv", "achats_siret_old", MINE, ("refused", 5, None)),
    ("achats/purchases_bad_wrong_header_typo_old.csv", "achats_siret_old", MINE, ("refused", 8, None)),
    ("achats/purchases_bad_corrupt_old.csv", "achats_siret_old", MINE, ("refused", 1, None)),
]


def make_canteens(specs, user):
    for spec in specs:
        extra = {"pk": spec["id"]} if "id" in spec else {}
        managers = [user] if spec.get("managed", True) else []
        CanteenFactory(siret=spec["siret"], managers=managers, **extra)


def check(report, expected):
    result = report.as_dict()
    if expected[0] == "ok":
        assert result["accepted"], result["errors"]
        assert result["rows"] == expected[1]
    else:
        assert not result["accepted"]
        assert len(result["errors"]) == expected[1], result["errors"]
        if expected[2] is not None:
            assert [error["field"] for error in result["errors"]] == expected[2], result["errors"]
        for error in result["errors"]:
            assert error["message"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, format_name, canteens, expected", PURCHASES, ids=[f"{c[0]}-{len(c[2])}" for c in PURCHASES]
)
def test_purchase_files(path, format_name, canteens, expected):
    user = UserFactory()
    make_canteens(canteens, user)
    report = run((FILES / path).read_bytes(), path, user, format_name=format_name)
    check(report, expected)
    assert Purchase.objects.count() == (expected[1] if expected[0] == "ok" else 0)


C1, C2 = "21340172201787", "21010034300016"
CANTEENS = [
    ("canteens/canteens_good.csv", "cantines_creer", [], ("ok", 3)),
    ("canteens/canteens_good.xlsx", "cantines_creer", [], ("ok", 1)),
    ("canteens/canteens_good_add_manager.csv", "cantines_creer", [], ("ok", 1)),
    ("canteens/canteens_sectors.csv", "cantines_creer", [], ("ok", 2)),
    ("canteens/canteens_good_max_sectors.csv", "cantines_creer", [], ("ok", 3)),
    ("canteens/canteens_good_choices_slug_values.csv", "cantines_creer", [], ("ok", 3)),
    ("canteens/canteens_good_line_ministry.csv", "cantines_creer", [], ("ok", 2)),
    (
        "canteens/canteens_good_groupe.csv",
        "cantines_creer",
        [{"siret": "21380185500015", "id": 9999999999, "production_type": "central", "managed": False}],
        ("ok", 1),
    ),
    ("canteens/canteens_bad_no_header.csv", "cantines_creer", [], ("refused", 1, None)),
    ("canteens/canteens_bad_wrong_header.csv", "cantines_creer", [], ("refused", 12, None)),
    ("canteens/canteens_bad_extra_header.csv", "cantines_creer", [], ("refused", 1, None)),
    ("canteens/canteens_bad_empty_rows.csv", "cantines_creer", [], ("refused", 2, None)),
    ("canteens/canteens_bad_nearly_good.csv", "cantines_creer", [], ("refused", 3, None)),
    ("canteens/canteens_bad.csv", "cantines_creer", [], ("refused", 5, None)),
    ("canteens/canteen_bad_sectors.csv", "cantines_creer", [], ("refused", 1, ["secteurs"])),
    ("canteens/canteens_bad_line_ministry.csv", "cantines_creer", [], ("refused", 2, None)),
    ("canteens/canteens_bad_canteen_already_exists.csv", "cantines_creer", [{"siret": C1}], ("refused", 1, ["siret"])),
    ("canteens/canteens_bad_one_error.csv", "cantines_creer", [], ("refused", 2, None)),
    # updates
    ("canteens/canteens_update_good_one.csv", "cantines_modifier", [{"siret": C1, "id": 9999999998}], ("ok", 1)),
    ("canteens/canteens_update_good_one.xlsx", "cantines_modifier", [{"siret": C1, "id": 9999999998}], ("ok", 1)),
    ("canteens/canteens_update_good_insee.csv", "cantines_modifier", [{"siret": C1, "id": 9999999995}], ("ok", 1)),
    (
        "canteens/canteens_update_good_multiple.csv",
        "cantines_modifier",
        [{"siret": C1, "id": 9999999993}, {"siret": "", "siren": "502500399", "id": 9999999994}],
        ("refused", 1, ["siren_unite_legale"]),
    ),  # DIFFERENT: SIREN 502500398 fails its Luhn key here
    ("canteens/canteens_update_bad_no_header.csv", "cantines_modifier", [], ("refused", 1, None)),
    ("canteens/canteens_update_bad_canteen_not_found.csv", "cantines_modifier", [], ("refused", 1, ["cantine_id"])),
    (
        "canteens/canteens_update_bad_permission_denied.csv",
        "cantines_modifier",
        [{"siret": C1, "id": 9999999999, "managed": False}],
        ("refused", 1, ["cantine_id"]),
    ),
    (
        "canteens/canteens_update_bad_invalid_insee_code.csv",
        "cantines_modifier",
        [{"siret": C1, "id": 9999999997}],
        ("refused", 2, ["siren_unite_legale", "code_insee"]),
    ),  # DIFFERENT: SIREN Luhn key checked
    (
        "canteens/canteens_update_bad_invalid_email.csv",
        "cantines_modifier",
        [{"siret": C1, "id": 9999999996}],
        ("refused", 1, ["gestionnaires_additionnels"]),
    ),
    (
        "canteens/canteens_update_bad_invalid_siret.csv",
        "cantines_modifier",
        [{"siret": C1, "id": 12345}],
        ("refused", 1, ["siret"]),
    ),
    (
        "canteens/canteens_update_bad_missing_insee_code.csv",
        "cantines_modifier",
        [{"siret": C1, "id": 9999999997}],
        ("refused", 2, ["siren_unite_legale", "code_insee"]),
    ),  # DIFFERENT: SIREN Luhn key checked
    (
        "canteens/canteens_update_bad_one_error.csv",
        "cantines_modifier",
        [{"siret": C1, "id": 9999999993}],
        ("refused", 2, ["cantine_id", "siren_unite_legale"]),
    ),  # DIFFERENT: SIREN Luhn key checked
]
M = [{"siret": C1, "managed": False}]
MANAGERS = [
    ("canteen_managers/canteen_managers_good.csv", "cantines_gestionnaires", M, ("ok", 1)),
    ("canteen_managers/canteen_managers_good.xlsx", "cantines_gestionnaires", M, ("ok", 1)),
    (
        "canteen_managers/canteen_managers_good_multiple.csv",
        "cantines_gestionnaires",
        M + [{"siret": "21380185500015", "managed": False}],
        ("ok", 2),
    ),
    ("canteen_managers/canteen_managers_bad_no_header.csv", "cantines_gestionnaires", M, ("refused", 1, None)),
    ("canteen_managers/canteen_managers_bad_wrong_header.csv", "cantines_gestionnaires", M, ("refused", 3, None)),
    ("canteen_managers/canteen_managers_bad_extra_header.csv", "cantines_gestionnaires", M, ("refused", 1, None)),
    ("canteen_managers/canteen_managers_bad_empty_rows.csv", "cantines_gestionnaires", M, ("refused", 1, None)),
    (
        "canteen_managers/canteen_managers_bad_siret_not_found.csv",
        "cantines_gestionnaires",
        [],
        ("refused", 1, ["siret"]),
    ),
    (
        "canteen_managers/canteen_managers_bad_invalid_email.csv",
        "cantines_gestionnaires",
        M,
        ("refused", 1, ["gestionnaires_additionnels"]),
    ),
    (
        "canteen_managers/canteen_managers_bad_one_error.csv",
        "cantines_gestionnaires",
        M + [{"siret": "40419443300078", "managed": False}],
        ("refused", 1, ["gestionnaires_additionnels"]),
    ),
]


def make(specs, user):
    for spec in specs:
        extra = {"pk": spec["id"]} if "id" in spec else {}
        if "siren" in spec:
            extra["siren_unite_legale"] = spec["siren"]
        if "production_type" in spec:
            extra["production_type"] = spec["production_type"]
        CanteenFactory(siret=spec["siret"], managers=[user] if spec.get("managed", True) else [], **extra)


@pytest.mark.django_db
@pytest.mark.parametrize("path, format_name, canteens, expected", CANTEENS, ids=[c[0] for c in CANTEENS])
def test_canteen_files(path, format_name, canteens, expected):
    user = UserFactory()
    make(canteens, user)
    before = Canteen.objects.count()
    report = run((FILES / path).read_bytes(), path, user, format_name=format_name)
    check(report, expected)
    if expected[0] == "ok" and format_name == "cantines_creer":
        assert Canteen.objects.count() == before + expected[1]
        assert set(Canteen.objects.filter(managers=user).values_list("siret", flat=True)) >= {
            r["siret"] for r in report.preview
        }
    else:
        assert Canteen.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("path, format_name, canteens, expected", MANAGERS, ids=[c[0] for c in MANAGERS])
def test_manager_files(path, format_name, canteens, expected):
    admin = UserFactory(is_staff=True)
    make(canteens, admin)
    report = run((FILES / path).read_bytes(), path, admin, format_name=format_name)
    check(report, expected)
    assert ManagerInvitation.objects.exists() == (expected[0] == "ok")


@pytest.mark.django_db
def test_managers_import_needs_the_right_to_manage():
    """ma cantine lets only its staff import managers; here whoever may manage each canteen (its managers too)."""
    user = UserFactory()
    CanteenFactory(siret=C1)
    report = run((FILES / "canteen_managers/canteen_managers_good.csv").read_bytes(), "m.csv", user)
    assert report.format == "cantines_gestionnaires"
    assert [e["field"] for e in report.as_dict()["errors"]] == ["siret"]


D1, D2 = "21340172201787", "73282932000074"
BAD_SIRETS = """
    21340172201787 21380185500015 21670482500019 21640122400011 21630113500010 21130055300016
    21730065600014 21010034300016 92341284500011 83014132100034 11007001800012 21070017500016
    21590350100017 40419443300078
""".split()
FORMAT_SIRETS = """
    82821513700013 82217035300012 21340172201787 90930179110860 73282932000074 82938781909454
    15952607273997 42111303053388
""".split()
DIAGNOSTICS = [
    (
        "diagnostics_simple/diagnostics_simple_good_different_canteens.csv",
        "bilans_simple_siret",
        [{"siret": D1}, {"siret": D2}],
        ("ok", 2),
    ),
    ("diagnostics_simple/diagnostics_simple_good.xlsx", "bilans_simple_siret", [{"siret": D1}], ("ok", 1)),
    (
        "diagnostics_simple/diagnostics_simple_good_one_canteen_seperator_semicolon.csv",
        "bilans_simple_siret",
        [{"siret": D1}],
        ("ok", 1),
    ),
    (
        "diagnostics_simple/diagnostics_simple_good_one_canteen_seperator_semicolon.csv",
        "bilans_simple_siret",
        [],
        ("refused", 1, ["siret"]),
    ),
    (
        "diagnostics_simple/diagnostics_simple_good_one_canteen_seperator_semicolon.csv",
        "bilans_simple_siret",
        [{"siret": D1, "managed": False}],
        ("refused", 1, ["siret"]),
    ),
    (
        "diagnostics_simple/diagnostics_simple_bad_one_error.csv",
        "bilans_simple_siret",
        [{"siret": D1}],
        ("refused", 1, ["siret"]),
    ),
    ("diagnostics_simple/diagnostics_simple_bad_no_header.csv", "bilans_simple_siret", [], ("refused", 21, None)),
    ("diagnostics_simple/diagnostics_simple_bad_wrong_header.csv", "bilans_simple_siret", [], ("refused", 1, None)),
    ("diagnostics_simple/diagnostics_simple_bad_empty_rows.csv", "bilans_simple_siret", [], ("refused", 2, None)),
    (
        "diagnostics_simple/diagnostics_simple_bad_format.csv",
        "bilans_simple_siret",
        [{"siret": s} for s in FORMAT_SIRETS],
        ("refused", 9, None),
    ),  # DIFFERENT: « 20,5 » read as 20.5 (10 there)
    # DIFFERENT: an OpenDocument sheet is read (python-calamine) instead of refused: here its two canteens are unknown
    (
        "diagnostics_simple/diagnostics_simple_bad_file_format.ods",
        "bilans_simple_siret",
        [],
        ("refused", 2, ["siret", "siret"]),
    ),
    # DIFFERENT: the consistency checks are this project's own (diagnostic/validation.py, the rules' years
    # 2022–2040 instead of the campaign's 2024–2026): ma cantine counts 17 errors, this project 19
    (
        "diagnostics_simple/diagnostics_simple_bad.csv",
        "bilans_simple_siret",
        [{"siret": s} for s in BAD_SIRETS],
        ("refused", 19, None),
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, format_name, canteens, expected", DIAGNOSTICS, ids=[f"{c[0]}-{len(c[2])}" for c in DIAGNOSTICS]
)
def test_simple_diagnostic_files(path, format_name, canteens, expected):
    from canteens.models import YearlyDiagnostic

    user = UserFactory()
    make(canteens, user)
    report = run((FILES / path).read_bytes(), path, user, format_name=format_name)
    check(report, expected)
    assert YearlyDiagnostic.objects.count() == (expected[1] if expected[0] == "ok" else 0)


@pytest.mark.django_db
def test_simple_diagnostic_values_are_stored():
    from canteens.models import YearlyDiagnostic

    user = UserFactory()
    canteen = CanteenFactory(siret=D1, managers=[user])
    path = "diagnostics_simple/diagnostics_simple_good_one_canteen_seperator_semicolon.csv"
    report = run((FILES / path).read_bytes(), path, user)
    assert report.format == "bilans_simple_siret" and report.accepted, report.errors
    diagnostic = YearlyDiagnostic.objects.get(canteen=canteen, year=2024)
    assert (diagnostic.mode, diagnostic.total, diagnostic.bio, diagnostic.bio_fair_trade) == ("simple", 1000, 500, 250)
    assert (diagnostic.siqo, diagnostic.environmental, diagnostic.other_egalim) == (Decimal("100.10"), 10, 20)
    assert (diagnostic.meat_poultry_total, diagnostic.fish_seafood_total, diagnostic.meat_fish_total) == (2, 3, 5)
    assert diagnostic.france == Decimal("10.10")  # 1 + 1 + 1.1 + 1.2 + 1.3 + 1.4 + 1.5 + 1.6


# bilans_detaille (ma cantine's folder diagnostics_complete/, api/tests/test_diagnostics_complete_import.py)
DETAILED = [
    (
        "diagnostics_complete/diagnostics_complete_good_different_canteens.csv",
        "bilans_detaille",
        [{"siret": D1}, {"siret": D2}],
        ("ok", 2),
    ),
    ("diagnostics_complete/diagnostics_complete_good.xlsx", "bilans_detaille", [{"siret": D1}], ("ok", 1)),
    (
        "diagnostics_complete/diagnostics_complete_good_one_canteen_seperator_semicolon.csv",
        "bilans_detaille",
        [{"siret": D1}],
        ("ok", 1),
    ),
    (
        "diagnostics_complete/diagnostics_complete_good_one_canteen_seperator_semicolon.csv",
        "bilans_detaille",
        [],
        ("refused", 1, ["siret"]),
    ),
    (
        "diagnostics_complete/diagnostics_complete_good_one_canteen_seperator_semicolon.csv",
        "bilans_detaille",
        [{"siret": D1, "managed": False}],
        ("refused", 1, ["siret"]),
    ),
    # ma cantine posts this file to its simple-figures endpoint: refused on the header there and here
    (
        "diagnostics_complete/diagnostics_complete_bad_one_error.csv",
        "bilans_simple_siret",
        [{"siret": D1}],
        ("refused", 19, None),
    ),
    ("diagnostics_complete/diagnostics_complete_bad_no_header.csv", "bilans_detaille", [], ("refused", 125, None)),
    ("diagnostics_complete/diagnostics_complete_bad_empty_rows.csv", "bilans_detaille", [], ("refused", 2, None)),
    # DIFFERENT: « 20,5 » read as 20.5 (10 errors there), as for the simple figures
    (
        "diagnostics_complete/diagnostics_complete_bad_format.csv",
        "bilans_detaille",
        [{"siret": s} for s in FORMAT_SIRETS],
        ("refused", 9, None),
    ),
    # DIFFERENT: three empty header cells with nothing under them are not columns here (1 error there)
    ("diagnostics_complete/diagnostics_complete_bad_wrong_header.csv", "bilans_detaille", [{"siret": D1}], ("ok", 1)),
    # DIFFERENT: the OpenDocument sheet is read (refused there as an unknown error)
    ("diagnostics_complete/diagnostics_complete_bad_file_format.ods", "bilans_detaille", [{"siret": D1}], ("ok", 1)),
    # no expectation there yet (« TODO » in ma cantine's test): the rules' own checks, one canteen per SIRET
    (
        "diagnostics_complete/diagnostics_complete_bad.csv",
        "bilans_detaille",
        [{"siret": s} for s in BAD_SIRETS],
        ("refused", None, None),
    ),
]


def check_outcome(report, expected):
    if expected[0] == "refused" and expected[1] is None:
        result = report.as_dict()
        assert not result["accepted"] and all(error["message"] for error in result["errors"])
    else:
        check(report, expected)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, format_name, canteens, expected", DETAILED, ids=[f"{c[0]}-{len(c[2])}" for c in DETAILED]
)
def test_detailed_diagnostic_files(path, format_name, canteens, expected):
    from canteens.models import YearlyDiagnostic

    user = UserFactory()
    make(canteens, user)
    report = run((FILES / path).read_bytes(), path, user, format_name=format_name)
    check_outcome(report, expected)
    assert YearlyDiagnostic.objects.count() == (expected[1] if expected[0] == "ok" else 0)


@pytest.mark.django_db
def test_detailed_diagnostic_values_are_stored():
    """The national table sums into the rules' groups; each of its cells is kept by family."""
    from canteens.models import YearlyDiagnostic

    user = UserFactory()
    canteen = CanteenFactory(siret=D1, managers=[user])
    path = "diagnostics_complete/diagnostics_complete_good_one_canteen_seperator_semicolon.csv"
    report = run((FILES / path).read_bytes(), path, user)
    assert report.format == "bilans_detaille" and report.accepted, report.errors
    diagnostic = YearlyDiagnostic.objects.get(canteen=canteen, year=2024)
    import csv

    text = (FILES / path).read_text(encoding="utf-8-sig")
    header, row = list(csv.reader(text.splitlines(), delimiter=";"))[:2]
    line = {name: Decimal(value or 0) for name, value in zip(header[2:], row[2:], strict=True)}
    families = ("viandes_volailles", "produits_de_la_mer", "fruits_et_legumes", "charcuterie")
    families += ("produits_laitiers", "boulangerie", "boissons", "autres")

    def total(*categories):
        return sum(line[f"valeur_{family}_{category}"] for family in families for category in categories)

    assert diagnostic.total == line["valeur_totale"] == 2000
    assert diagnostic.bio == total("bio")
    assert diagnostic.siqo == total("label_rouge", "aocaop_igp_stg")
    assert diagnostic.environmental == total("externalites", "performance")
    assert diagnostic.other_egalim == total("hve", "peche_durable", "rup", "commerce_equitable", "fermier")
    assert diagnostic.bio_fair_trade == total("bio_dont_commerce_equitable")
    assert diagnostic.france == total("france")
    assert diagnostic.meat_poultry_total == line["valeur_viandes_volailles"]
    assert diagnostic.fish_seafood_total == line["valeur_produits_de_la_mer"]
    kept = diagnostic.family_detail["dairy"]
    assert Decimal(kept["circuit_court"]) == line["valeur_produits_laitiers_circuit_court"]
    assert Decimal(kept["local"]) == line["valeur_produits_laitiers_local"]
    assert Decimal(kept["non_egalim"]) == line["valeur_produits_laitiers_non_egalim"]
    # twice: the same figures, nothing added
    again = run((FILES / path).read_bytes(), path, user)
    assert again.accepted and again.as_dict()["updated"] == {"diagnostics": 1}
    assert YearlyDiagnostic.objects.get(canteen=canteen, year=2024).total == 2000


# canteens with their figures on one line (ma cantine's folder diagnostics/, its former
# api/tests/test_import_diagnostics.py). These files predate the current schemas and the rules' years (2022–2040):
# DIFFERENT wherever ma cantine accepted a year before 2022, a line without sectors or with a shorter row.
COMBINED = [
    ("diagnostics/diagnostics_simple_good_encoding_iso-8859-1.csv", ("ok", 1)),
    ("diagnostics/diagnostics_simple_good_separator_semicolon.csv", ("refused", 1, ["année_bilan"])),  # 2020
    ("diagnostics/diagnostics_simple_good_separator_tab.tsv", ("refused", 1, ["année_bilan"])),  # 2020
    ("diagnostics/diagnostics_simple_good_sectors.csv", ("refused", 1, ["année_bilan"])),  # 2020
    ("diagnostics/diagnostics_simple_good_new_canteen.csv", ("refused", 1, ["année_bilan"])),  # 2020
    ("diagnostics/diagnostics_simple_good_separator_semicolon_add_managers.csv", ("refused", 1, ["année_bilan"])),
    ("diagnostics/diagnostics_simple_good_separator_semicolon_no_add_managers.csv", ("refused", 1, ["année_bilan"])),
    ("diagnostics/diagnostics_simple_good_separator_semicolon_decimal_number.csv", ("refused", 2, None)),
    ("diagnostics/diagnostics_simple_good_duplicate_siret.csv", ("refused", 1, ["siret"])),  # spaces in a SIRET
    ("diagnostics/diagnostics_simple_good_locations.csv", ("refused", 2, ["code_insee_commune"] * 2)),
    ("diagnostics/diagnostics_simple_good_separator_semicolon_no_appro.csv", ("refused", 1, [None])),
    ("diagnostics/diagnostics_simple_bad_location.csv", ("refused", 1, ["code_insee_commune"])),
    ("diagnostics/diagnostics_simple_bad_separator_semicolon_no_total.csv", ("refused", 1, [None])),
    (
        "diagnostics/diagnostics_simple_bad_separator_semicolon_add_managers.csv",
        ("refused", 2, ["siret_livreur_repas", "gestionnaires_additionnels"]),
    ),
    ("diagnostics/diagnostics_simple_cc_bad_same_siret.csv", ("refused", 1, ["siret_livreur_repas"])),
    ("diagnostics/diagnostics_simple_cc_good.csv", ("refused", 7, None)),  # no sectors, no year
    ("diagnostics/diagnostics_complete_good.csv", ("refused", 1, [None])),
    ("diagnostics/diagnostics_complete_good_encoding_utf-8.csv", ("refused", 1, [None])),
    ("diagnostics/diagnostics_complete_cc_good.csv", ("refused", 7, None)),
    ("diagnostics/diagnostics_complete_bad.csv", ("refused", 2, ["valeur_bio_produits_aquatiques", "secteurs"])),
    ("diagnostics/diagnostics_complete_staff_good.csv", ("refused", 9, None)),
    ("diagnostics/diagnostics_complete_bad_no_header.csv", ("refused", 1, [None])),
    ("diagnostics/diagnostics_complete_bad_wrong_header.csv", ("refused", 1, [None])),
    ("diagnostics/diagnostics_simple_staff_bad.csv", ("refused", 1, ["année_bilan"])),
    ("diagnostics/diagnostics_simple_staff_good_new_canteen.csv", ("refused", 1, ["année_bilan"])),
    # DIFFERENT: a declaration is made by its canteen during the campaign, never by an import
    ("diagnostics/teledeclaration_simple.csv", ("refused", 1, ["admin_statut_teledeclaration"])),
    ("diagnostics/teledeclaration_error.csv", ("refused", 2, ["admin_statut_teledeclaration"] * 2)),
    # DIFFERENT: UTF-16 is not one of the encodings read (UTF-8, Windows-1252)
    ("diagnostics/diagnostics_simple_good_encoding_utf-16.csv", ("refused", 1, [None])),
    ("diagnostics/diagnostics_bad_file_format.ods", ("refused", 1, [None])),
]


@pytest.mark.django_db
@pytest.mark.parametrize("path, expected", COMBINED, ids=[c[0] for c in COMBINED])
def test_combined_files(path, expected):
    from canteens.models import YearlyDiagnostic

    staff = UserFactory(is_staff=True)
    report = run((FILES / path).read_bytes(), path, staff)
    check(report, expected)
    saved = expected[0] == "ok"
    assert YearlyDiagnostic.objects.count() == (expected[1] if saved else 0)
    assert Canteen.objects.exists() == saved


@pytest.mark.django_db
def test_combined_admin_format_is_for_the_platform_team():
    path = "diagnostics/teledeclaration_simple.csv"
    report = run((FILES / path).read_bytes(), path, UserFactory())
    assert [error["message"] for error in report.as_dict()["errors"]] == [
        "Seule l'équipe de la plateforme peut importer ce format."
    ]


@pytest.mark.django_db
def test_combined_line_creates_or_updates_the_canteen_and_its_figures():
    from canteens.models import YearlyDiagnostic

    user = UserFactory()
    raw = (FILES / "diagnostics/diagnostics_simple_good_separator_semicolon.csv").read_bytes()
    raw = raw.replace(b";2020;", b";2024;")
    report = run(raw, "d.csv", user)
    assert report.format == "diagnostics" and report.accepted, report.errors
    canteen = Canteen.objects.get(siret="21340172201787")
    assert canteen.managers.filter(pk=user.pk).exists()
    assert (canteen.daily_meal_count, canteen.yearly_meal_count, canteen.city_insee_code) == (700, 14000, "45096")
    diagnostic = YearlyDiagnostic.objects.get(canteen=canteen, year=2024)
    assert (diagnostic.total, diagnostic.bio, diagnostic.siqo) == (1000, 500, Decimal("100.10"))
    # again: the canteen is updated, not duplicated; someone else may not touch it
    assert run(raw.replace(b"A cant", b"B cant"), "d.csv", user).accepted
    assert Canteen.objects.get().name.startswith("B cant")
    other = run(raw, "d.csv", UserFactory())
    assert [error["field"] for error in other.as_dict()["errors"]] == ["siret"]
    assert YearlyDiagnostic.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "insee, collectivity",
    [("98735", "Polynésie française"), ("98818", "Nouvelle-Calédonie"), ("98611", "Wallis-et-Futuna")],
)
def test_overseas_collectivities_outside_egalim_are_refused_with_their_reason(insee, collectivity):
    """984 and 986–989 are outside EGAlim's canteen rules (docs/donnees.md): refused with that reason, not as an
    unknown code; 975, 977 and 978 (Saint-Pierre-et-Miquelon, Saint-Barthélemy, Saint-Martin) stay accepted."""
    from django.core.exceptions import ValidationError

    from canteens.validators import validate_commune_code

    user = UserFactory()
    CanteenFactory(siret=C1, pk=9999999995, managers=[user])
    raw = (FILES / "canteens/canteens_update_good_insee.csv").read_bytes()
    report = run(raw.replace(b",75010,", f",{insee},".encode()), "c.csv", user)
    errors = report.as_dict()["errors"]
    assert [(error["field"], error["value"]) for error in errors] == [("code_insee", insee)]
    assert collectivity in errors[0]["message"] and "spécialité législative" in errors[0]["message"]
    with pytest.raises(ValidationError, match=collectivity):
        validate_commune_code(insee)
    for accepted in ("97502", "97701", "97801"):
        validate_commune_code(accepted)
        assert run(raw.replace(b",75010,", f",{accepted},".encode()), "c.csv", user, dry_run=True).accepted


@pytest.mark.django_db
def test_a_code_of_no_commune_is_refused_by_the_import_with_the_forms_message():
    """97625 (Mayotte's range; its communes are 97601–97617) is refused line by line with the same message as the
    form and the API: one rule, `canteens.validators.commune_code_error`, and nothing is saved."""
    from django.core.exceptions import ValidationError

    from canteens.validators import validate_commune_code

    user = UserFactory()
    CanteenFactory(siret=C1, pk=9999999995, managers=[user])
    raw = (FILES / "canteens/canteens_update_good_insee.csv").read_bytes()
    report = run(raw.replace(b",75010,", b",97625,"), "c.csv", user)
    assert not report.accepted
    errors = report.as_dict()["errors"]
    assert [(error["field"], error["value"]) for error in errors] == [("code_insee", "97625")]
    assert "Aucune commune n'a le code INSEE 97625" in errors[0]["message"]
    with pytest.raises(ValidationError) as raised:
        validate_commune_code("97625")
    assert raised.value.messages == [errors[0]["message"]]
    assert Canteen.objects.get().city_insee_code == "35238"
    assert run(raw.replace(b",75010,", b",97617,"), "c.csv", user, dry_run=True).accepted
