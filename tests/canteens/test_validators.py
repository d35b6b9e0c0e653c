import pytest

from canteens.validators import department_of_commune, is_valid_siret, siren_error, siret_error


@pytest.mark.parametrize(
    "value, valid",
    [
        ("21340172201787", True),  # a commune's SIRET, Luhn valid
        ("213 401 722 01787", True),  # spaces are ignored
        ("73282932000074", True),
        ("21340172201788", False),  # bad checksum
        ("73282932000075", False),
        ("35600000000010", True),  # La Poste: digit sum 15, a multiple of 5, though not Luhn valid
        ("35600000049837", True),  # La Poste: digit sum 45
        ("35600000000011", False),  # La Poste: digit sum 16
        ("35600000000048", False),  # La Poste: Luhn valid but digit sum 26: La Poste's rule decides
        ("2134017220178", False),  # 13 digits
        ("213401722017870", False),  # 15 digits
        ("", False),
        ("2134017220178A", False),  # letters
        ("ABCDEFGHIJKLMN", False),
        ("２１３４０１７２２０１７８７", False),  # full-width digits are not ASCII digits
    ],
)
def test_siret_validation(value, valid):
    assert is_valid_siret(value) is valid


def test_siret_messages_say_what_is_wrong():
    assert "14 chiffres" in siret_error("123")
    assert "que des chiffres" in siret_error("1234567890123A")
    assert "clé de contrôle" in siret_error("21340172201788")
    assert "La Poste" in siret_error("35600000000011")


@pytest.mark.parametrize(
    "value, valid",
    [("213401722", True), ("356000000", True), ("213401723", False), ("21340172", False), ("21340172A", False)],
)
def test_siren_validation(value, valid):
    assert (siren_error(value) is None) is valid


@pytest.mark.parametrize(
    "code, department",
    [
        ("35238", "35"),
        ("01053", "01"),
        ("2A004", "2A"),
        ("2b033", "2B"),
        ("97209", "972"),
        ("97611", "976"),
        ("20004", None),
        ("9720", None),
        ("ABCDE", None),
        ("", None),
    ],
)
def test_department_of_commune(code, department):
    assert department_of_commune(code) == department
