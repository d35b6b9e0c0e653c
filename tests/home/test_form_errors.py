"""Every form of the public site and of managers announces its errors the same way (RGAA 11.10, 8.5): a summary
with role=alert that takes the focus (autofocus on a tabindex=-1 block, no script), each error linking to its
field, the field pointing at its error with aria-describedby, the page's <title> prefixed with « Erreur : », and
« * » explained. One partial, templates/includes/error_summary.html, through DsfrFormMixin's template."""

import re

import pytest

from tests.factories import CanteenFactory, TerritoryOfficerFactory, UserFactory, WidgetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    user = UserFactory(email="gestion@example.org")
    client.force_login(user)
    return user


def assert_announced(response, field_id):
    assert response.status_code in (200, 400), response.status_code
    html = response.content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    assert title.startswith("Erreur :"), title
    summary = re.search(r'<div class="fr-alert fr-alert--error[^"]*"([^>]*)>', html)
    assert summary, "no error summary"
    attributes = summary.group(1)
    assert 'role="alert"' in attributes and 'tabindex="-1"' in attributes and "autofocus" in attributes
    assert f'href="#{field_id}"' in html, f"the summary does not link to #{field_id}"
    field = re.search(rf'<[^>]*\bid="{field_id}"[^>]*>', html).group(0)
    described = re.search(r'aria-describedby="([^"]+)"', field).group(1)
    for target in described.split():
        assert f'id="{target}"' in html, target
    assert 'aria-invalid="true"' in field
    return html


def test_signup(client, db):
    html = assert_announced(client.post("/compte/inscription/", {"email": "pas-une-adresse"}), "id_email")
    assert "Les champs marqués d'un astérisque (*) sont obligatoires." in html


def test_login(client, db):
    response = client.post("/compte/connexion/", {"username": "", "password": ""})
    assert_announced(response, "id_username")


def test_profile(client, manager):
    assert_announced(client.post("/compte/profil/", {"first_name": ""}), "id_first_name")


def test_canteen_creation(client, manager):
    assert_announced(client.post("/mes-cantines/nouvelle/", {"name": ""}), "id_name")


def test_canteen_managers(client, manager):
    canteen = CanteenFactory(managers=[manager])
    assert_announced(client.post(f"/mes-cantines/{canteen.pk}/gestionnaires/", {"email": "x"}), "id_email")


def test_join_request(client, manager):
    assert_announced(client.post("/mes-cantines/rejoindre/", {"siret": "12"}), "id_siret")


def test_api_tokens(client, manager):
    html = assert_announced(client.post("/compte/jetons/", {"name": ""}), "id_name")
    assert 'href="#id_scopes_0"' in html  # a group of checkboxes: its first box


def test_widgets(client, db):
    officer = TerritoryOfficerFactory(regions=["53"])
    client.force_login(officer.user)
    assert_announced(client.post("/territoires/suivi/widgets/", {"title": ""}), "id_title")
    widget = WidgetFactory(owner=officer.user)
    assert_announced(client.post(f"/territoires/suivi/widgets/{widget.pk}/", {"title": ""}), "id_title")


def test_no_error_no_summary_and_a_plain_title(client, manager):
    html = client.get("/mes-cantines/nouvelle/").content.decode()
    assert "Erreur :" not in html
    assert 'role="alert"' not in html
    assert "Les champs marqués d'un astérisque (*) sont obligatoires." in html


def test_purchase_import_file_error_is_linked_to_its_field(client, manager):
    canteen = CanteenFactory(managers=[manager])
    # a browser always posts the CSRF token: the form is bound, without a file
    html = assert_announced(client.post(f"/mes-cantines/{canteen.pk}/import/", {"csrfmiddlewaretoken": "x"}), "id_file")
    assert 'id="id_file-error"' in html
