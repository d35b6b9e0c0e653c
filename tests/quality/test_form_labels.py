"""Form labels say what the field asks for (RGAA 11.1 / 11.2): regression tests for bugs found in the browser."""

import re

import pytest

pytestmark = pytest.mark.django_db


def label_of(html, field_id):
    match = re.search(rf'<label[^>]*for="{field_id}"[^>]*>(.*?)</label>', html, re.S)
    assert match, f"no label for {field_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


@pytest.mark.parametrize(
    "url, field_id",
    [("/compte/connexion/", "id_username"), ("/compte/mot-de-passe/oubli/", "id_email")],
)
def test_email_fields_are_labelled_as_email_addresses(client, url, field_id):
    # The login form asked for a « Nom d'utilisateur » and the reset form for an « E-mail »: DsfrFormMixin had
    # already rendered the bound fields' labels when the forms set theirs in __init__.
    html = client.get(url).content.decode()
    assert label_of(html, field_id).startswith("Adresse e-mail")


def test_login_password_label(client):
    html = client.get("/compte/connexion/").content.decode()
    assert label_of(html, "id_password").startswith("Mot de passe")
    assert 'autocomplete="email"' in html and 'autocomplete="current-password"' in html
