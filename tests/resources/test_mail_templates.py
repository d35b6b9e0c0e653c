"""Mail templates: declared placeholders, rendering, admin form errors, revisions."""

import pytest
from django.core.exceptions import ValidationError

from resources.models import Audience, MailTemplate, Measure
from tests.factories import MailTemplateFactory, taxonomy_term

pytestmark = pytest.mark.django_db


def test_placeholder_names_and_render():
    template = MailTemplateFactory.build(
        subject="{{ nom_cantine }} : rejoignez ma cantine",
        body="Bonjour,\nla cantine {{nom_cantine}} de {{ commune }}.\n{{ nom_signataire }}",
        placeholders="nom_cantine, commune,nom_signataire, commune",
    )
    assert template.placeholder_names() == ["nom_cantine", "commune", "nom_signataire"]
    template.full_clean(exclude=["locale", "audience", "translation_key"])
    subject, body = template.render({"nom_cantine": "École Jules-Ferry", "commune": "Tulle"})
    assert subject == "École Jules-Ferry : rejoignez ma cantine"
    assert body == "Bonjour,\nla cantine École Jules-Ferry de Tulle.\n{{ nom_signataire }}"  # missing value kept


def test_undeclared_placeholder_is_a_validation_error():
    template = MailTemplateFactory.build(
        subject="Objet {{ nom_cantine }}", body="Bonjour {{ prenom }}, {{ commune }}", placeholders="nom_cantine"
    )
    with pytest.raises(ValidationError) as error:
        template.clean()
    assert "body" in error.value.message_dict
    assert "{{ prenom }}" in error.value.message_dict["body"][0]
    assert "subject" not in error.value.message_dict


def test_invalid_placeholder_names_are_refused():
    template = MailTemplateFactory.build(subject="Objet", body="{{ nom cantine }}", placeholders="nom cantine")
    with pytest.raises(ValidationError) as error:
        template.clean()
    assert "body" in error.value.message_dict  # "{{ nom cantine }}" is not the declared "nom" nor "cantine"
    template = MailTemplateFactory.build(subject="Objet", body="{{ Nom-Cantine }}", placeholders="Nom-Cantine")
    with pytest.raises(ValidationError) as error:
        template.clean()
    assert "placeholders" in error.value.message_dict


def admin_form_data(**overrides):
    data = {
        "name": "cantine non inscrite",
        "code": "cantine-non-inscrite",
        "audience": str(taxonomy_term(Audience, "elu").pk),
        "placeholders": "nom_cantine, commune",
        "subject": "{{ nom_cantine }} n'est pas encore sur ma cantine",
        "body": "Bonjour,\n\nla cantine {{ nom_cantine }} de {{ commune }}...\n\nSigné : {{ nom_signataire }}",
        "measures": [str(taxonomy_term(Measure, "information").pk)],
    }
    data.update(overrides)
    return data


def test_undeclared_placeholder_is_a_form_error_in_the_admin(admin_client, home_page):
    url = "/admin/snippets/resources/mailtemplate/add/?locale=fr"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, admin_form_data())
    assert response.status_code == 200  # form redisplayed with errors
    html = response.content.decode()
    assert "Variable non déclarée" in html and "nom_signataire" in html
    assert not MailTemplate.objects.exists()

    response = admin_client.post(url, admin_form_data(placeholders="nom_cantine, commune, nom_signataire"))
    assert response.status_code == 302, response.content.decode()[:3000]
    template = MailTemplate.objects.get(code="cantine-non-inscrite")
    assert template.placeholder_names() == ["nom_cantine", "commune", "nom_signataire"]
    assert [m.code for m in template.measures.all()] == ["information"]
    assert template.revisions.count() == 1  # snippets keep their revisions


def test_mail_template_as_text_and_mailto():
    template = MailTemplateFactory.build(subject="Objet é", body="Corps {{ commune }}", placeholders="commune")
    assert template.as_text().startswith("Objet : Objet é\n\nCorps {{ commune }}\n")
    assert "Variables à remplacer : {{ commune }}" in template.as_text()
    assert template.mailto_url() == "mailto:?subject=Objet%20%C3%A9&body=Corps%20%7B%7B%20commune%20%7D%7D"
