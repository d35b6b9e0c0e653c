"""The territories pages under /en/: the app's English catalogue (territories/locale/en) covers their labels,
while the Table Schema stays the same French contract at its stable URL."""

import pytest

from tests.factories import TerritoryOfficerFactory, WidgetFactory


def html(response):
    assert response.status_code == 200
    return response.content.decode()


def test_registry_in_english(client, world):
    page = html(client.get("/en/cantines/?region=53"))
    for label in (
        "Find a canteen",
        "Name or commune",
        "Region",
        "Department",
        "Sector category",
        "Management",
        "Production type",
        "Meals a day, at least",
        "Organic share, at least (%)",
        "EGAlim share, at least (%)",
        "EGAlim purchase targets met",
        "Sort by",
        "Organic share (descending)",
        "3 canteens",
        "Overseas collectivities",
        ">Education<",  # sector categories, management and production labels of canteens.choices
        ">Direct (self-managed)<",
        ">On-site kitchen<",
    ):
        assert label in page, label
    for french in (
        "Trouver une cantine",
        "Nom ou commune",
        "Trier par",
        "Objectifs d'achats EGAlim atteints",
        "Enseignement",
    ):
        assert french not in page, french
    assert 'lang="en"' in page


def test_registry_errors_in_english(client, world):
    page = html(client.get("/en/cantines/?min_meals=50&max_meals=10"))
    assert "The maximum must be greater than or equal to the minimum." in page


def test_dashboard_index_and_open_data_in_english(client, world, published):
    page = html(client.get("/en/territoires/region/53/"))
    assert "Dashboard of the region" in page and "Registered canteens" in page
    assert "Organic share (pooled)" in page and "France as a whole" in page
    assert "17.5" in page  # rates in the English format
    assert "Tableau de bord de la région" not in page
    assert "Dashboard of the department" in html(client.get("/en/territoires/departement/972/"))
    assert "Overseas collectivities" in html(client.get("/en/territoires/"))
    assert "names two territories" in html(client.get("/en/territoires/53/"))

    page = html(client.get("/en/donnees/?region=53"))
    assert "Open data" in page and "Canteen registry" in page and "Filter the downloads" in page
    assert "4 rows with these filters" in page
    assert "Name of the canteen." in page  # column descriptions
    assert "Codes of the canteen&#x27;s sectors" in page or "Codes of the canteen's sectors" in page
    assert "Not generated yet" in page


def test_the_schema_stays_french_at_its_stable_url(client, db):
    french = client.get("/donnees/schemas/registre-cantines.json").json()
    english = client.get("/en/donnees/schemas/registre-cantines.json").json()
    assert english == french
    assert french["path"] == "http://testserver/donnees/schemas/registre-cantines.json"
    assert french["title"] == "Registre des cantines"
    nom = next(field for field in french["fields"] if field["name"] == "secteurs")
    assert nom["description"].startswith("Codes des secteurs de la cantine (1 à 3)")
    assert "school_primary" in nom["description"]  # the codes list is filled in


def test_officer_pages_and_widget_in_english(client, world, officer):
    client.force_login(officer.user)
    page = html(client.get("/en/territoires/suivi/"))
    assert "Follow-up of my territory&#x27;s canteens" in page or "Follow-up of my territory's canteens" in page
    assert "Registered, not declared" in page and "Prepare a mail merge" in page
    assert "Signatory&#x27;s name" in page or "Signatory's name" in page
    page = html(client.get("/en/territoires/suivi/widgets/"))
    assert "Create a widget" in page and "Territory" in page
    widget = WidgetFactory(owner=officer.user, region_id="53")
    page = html(client.get(f"/en/widget/{widget.pk}/"))
    assert "canteens have published their report" in page and "organic" in page


@pytest.mark.parametrize("language, message", [("fr", "Le logo dépasse 512 Ko."), ("en", "larger than 512 KB")])
def test_widget_form_errors_are_translated(client, db, language, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    officer = TerritoryOfficerFactory(regions=["53"])
    client.force_login(officer.user)
    prefix = "" if language == "fr" else "/en"
    data = {
        "title": "Cantines",
        "territory": "region:53",
        "primary_colour": "#000091",
        "secondary_colour": "#3558a2",
        "logo": SimpleUploadedFile("logo.png", b"\x89PNG" + b"0" * 600_000),
    }
    assert message in html(client.post(f"{prefix}/territoires/suivi/widgets/", data))
