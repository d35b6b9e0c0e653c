from territories.tableschema import check_descriptor, validate_csv, validate_rows

SCHEMA = {
    "fields": [
        {"name": "siret", "type": "string", "constraints": {"pattern": r"\d{14}"}},
        {"name": "nom", "type": "string", "constraints": {"required": True}},
        {"name": "taux", "type": "number", "constraints": {"minimum": 0, "maximum": 100}},
        {"name": "annee", "type": "year"},
        {"name": "ok", "type": "boolean"},
        {"name": "gestion", "type": "string", "constraints": {"enum": ["direct", "conceded"]}},
        {"name": "date", "type": "date"},
    ],
    "missingValues": [""],
}


def test_a_valid_file_passes():
    text = "siret,nom,taux,annee,ok,gestion,date\r\n12345678901234,A,19.99,2024,true,direct,2025-01-31\r\n,B,,,,,\r\n"
    assert validate_csv(SCHEMA, text) == []


def test_each_kind_of_error_is_reported_with_its_row_and_field():
    text = (
        "siret,nom,taux,annee,ok,gestion,date\r\n"
        "1234,A,101,2024,yes,autre,2025-02-30\r\n"  # pattern is anchored; maximum; boolean; enum; date
        ",,abc,20x4,true,direct,\r\n"  # required; number; year
    )
    errors = validate_csv(SCHEMA, text)
    joined = "\n".join(errors)
    for expected in (
        "row 1, siret",
        "row 1, taux",
        "row 1, ok",
        "row 1, gestion",
        "row 1, date",
        "row 2, nom: required",
        "row 2, taux",
        "row 2, annee",
    ):
        assert expected in joined, expected
    assert len(errors) == 8


def test_header_must_match_the_fields():
    assert "header" in validate_csv(SCHEMA, "nom,siret\r\n")[0]


def test_typed_rows_from_json():
    good = {"siret": None, "nom": "A", "taux": 12.5, "annee": 2024, "ok": False, "gestion": "direct", "date": None}
    assert validate_rows(SCHEMA, [good]) == []
    bad = {**good, "taux": "12.5", "annee": True, "extra": 1}
    errors = validate_rows(SCHEMA, [bad])
    assert any("unknown fields" in e for e in errors) and any("annee" in e for e in errors)


def test_descriptor_checks():
    assert check_descriptor({"fields": [{"name": "a", "type": "money"}]}) == ["a: unknown type 'money'"]
    assert check_descriptor({"fields": []})
