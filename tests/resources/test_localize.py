"""Translation through wagtail-localize's admin: a page subtree and the snippets it uses."""

import pytest
from wagtail_localize.models import Translation

from resources.models import GuidePage, MailTemplate, Measure
from tests.factories import GuidePageFactory, MailTemplateFactory, taxonomy_term

pytestmark = pytest.mark.django_db


def test_submitting_a_guide_for_translation(admin_client, guide_index, locales):
    template = MailTemplateFactory(name="cantine inscrite", code="cantine-inscrite")
    guide = GuidePageFactory(
        parent=guide_index,
        slug="guide",
        title="Guide des données ouvertes",
        measures=["quality"],
        body=[
            ("heading", {"text": "Trouver les données", "level": "h2"}),
            ("mail_template", {"mail_template": template, "introduction": "À envoyer aux communes."}),
        ],
    )
    guide.save_revision().publish()

    url = f"/admin/localize/submit/page/{guide_index.pk}/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"locales": [locales["en"].pk], "include_subtree": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]

    english_guide = GuidePage.objects.get(translation_key=guide.translation_key, locale=locales["en"])
    assert english_guide.alias_of_id is None
    # Taxonomy references stay on the source rows; the slug and the review date are synchronised.
    assert list(english_guide.measures.all()) == [taxonomy_term(Measure, "quality")]
    assert english_guide.last_reviewed == guide.last_reviewed
    # The mail template used in the body is submitted too, and the translated body points to its translation.
    english_template = MailTemplate.objects.get(translation_key=template.translation_key, locale=locales["en"])
    assert english_template.code == "cantine-inscrite"
    assert english_template.placeholders == template.placeholders
    block = next(b for b in english_guide.body if b.block_type == "mail_template")
    assert block.value["mail_template"] == english_template
    assert Translation.objects.filter(target_locale=locales["en"]).count() >= 3

    # The translation editor opens.
    assert admin_client.get(f"/admin/pages/{english_guide.pk}/edit/").status_code == 200
    snippet_url = f"/admin/snippets/resources/mailtemplate/edit/{english_template.pk}/"
    assert admin_client.get(snippet_url).status_code == 200


def test_taxonomy_can_be_submitted_for_translation(admin_client, home_page, locales):
    measure = taxonomy_term(Measure, "waste")
    url = f"/admin/localize/submit/snippet/resources/measure/{measure.pk}/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"locales": [locales["en"].pk]})
    assert response.status_code == 302
    english = Measure.objects.get(translation_key=measure.translation_key, locale=locales["en"])
    assert english.code == "waste"
