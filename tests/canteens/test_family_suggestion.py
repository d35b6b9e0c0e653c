"""An unknown purchase family in an imported file (issue 16): the error suggests the family it most likely means
(« Volaille » → « Viandes et volailles »), or lists the families when nothing is near."""

import pytest
from django.utils import translation

from canteens.imports import suggest_family


@pytest.mark.parametrize(
    "text, family",
    [
        ("Volaille", "Viandes et volailles"),
        ("viande", "Viandes et volailles"),
        ("Fruit et legume", "Fruits et légumes"),
        ("Poisson", "Poissons et produits de la mer"),
        ("Fromage", "Produits laitiers (beurre, œufs, fromages)"),
        ("Boisson", "Boissons"),
        ("Céréales", None),
        ("", None),
    ],
)
def test_suggestion_in_french(text, family):
    with translation.override("fr"):
        assert suggest_family(text) == family


def test_suggestion_in_english():
    with translation.override("en"):
        assert suggest_family("Volaille") == "Meat and poultry"
        assert suggest_family("poultry") == "Meat and poultry"


def test_the_import_error_carries_the_suggestion(client, db):
    from tests.canteens.test_import import GOOD_LINES, csv_file, upload
    from tests.factories import CanteenFactory, UserFactory

    manager = UserFactory()
    canteen = CanteenFactory(managers=[manager])
    lines = list(GOOD_LINES)
    lines[1] = "16/01/2024;Poulet;Volailles d'ici;Volaille;Label Rouge;12"
    client.force_login(manager)
    html = upload(client, canteen, csv_file(lines)).content.decode()
    assert "famille inconnue « Volaille » : vouliez-vous dire « Viandes et volailles » ?" in html
