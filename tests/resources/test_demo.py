"""`load_demo` builds the resource centre's demo content, and running it twice changes nothing."""

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader
from wagtail.documents import get_document_model
from wagtail.models import Page

from diagnostic.rules.gaps import GAPS
from resources.models import (
    Audience,
    GuidePage,
    KitPage,
    MailTemplate,
    Measure,
    MeasurePage,
    ResourceFile,
    ResourcePage,
    ResourceType,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(locales):
    call_command("load_demo", stdout=io.StringIO())
    counts = {model: model.objects.count() for model in (ResourcePage, GuidePage, MeasurePage, KitPage, MailTemplate)}
    counts["documents"] = get_document_model().objects.count()
    counts["pages"] = Page.objects.count()
    call_command("load_demo", stdout=io.StringIO())  # idempotent
    return counts


def test_demo_content_is_complete_and_idempotent(demo, client):
    for model in (ResourcePage, GuidePage, MeasurePage, KitPage, MailTemplate):
        assert model.objects.count() == demo[model], model
    assert get_document_model().objects.count() == demo["documents"]
    assert Page.objects.count() == demo["pages"]

    french = ResourcePage.objects.filter(locale__language_code="fr")
    assert french.count() >= 30
    for model, field in [(Measure, "measures"), (ResourceType, "resource_type"), (Audience, "audiences")]:
        for term in model.objects.filter(locale__language_code="fr"):
            assert french.filter(**{field: term}).exists(), (model.__name__, term.code)
    for resource in french:
        assert resource.measures.exists() and resource.audiences.exists() and resource.sectors.exists(), resource
        assert resource.gaps.exists(), resource
        assert resource.resource_type_id
    tagged_gaps = set(french.values_list("gaps__code", flat=True))
    assert tagged_gaps == set(GAPS)  # every gap of the diagnostic leads to at least one resource

    guides = GuidePage.objects.filter(locale__language_code="fr")
    assert guides.count() >= 3
    assert guides.filter(title="Guide de ressources pour les chargé·es de mission").exists()
    assert set(MailTemplate.objects.filter(locale__language_code="fr").values_list("code", flat=True)) >= {
        "cantine-inscrite",
        "cantine-non-inscrite",
    }
    for template in MailTemplate.objects.all():
        template.full_clean()  # placeholders are all declared

    Document = get_document_model()
    for title, min_pages in [("Plaquette ma cantine", 1), ("Support de présentation ma cantine", 6)]:
        document = Document.objects.get(title=title)
        with document.file.open("rb") as handle:
            assert len(PdfReader(handle).pages) >= min_pages
    assert set(ResourceFile.objects.values_list("format", flat=True)) >= {"pdf", "xlsx", "docx", "odt", "csv", "link"}

    kit = KitPage.objects.get(slug="kit-ambassadeur", locale__language_code="fr")
    assert kit.items.count() >= 4

    # English: real translations for the home page and the measure pages, aliases elsewhere.
    for measure_page in MeasurePage.objects.filter(locale__language_code="fr"):
        english = measure_page.get_translation(measure_page.locale.__class__.objects.get(language_code="en"))
        assert english.alias_of_id is None
        assert english.title != measure_page.title

    for url in [
        "/",
        "/mesures-egalim/",
        "/mesures-egalim/quality/",
        "/guides/guide-charges-de-mission/",
        "/ressources/",
        "/ressources/calculer-ses-taux-egalim/",
        "/ressources/kit-ambassadeur/",
        "/en/",
        "/en/egalim-measures/",
        "/en/egalim-measures/waste/",
        "/en/resources/",
        "/en/resources/calculer-ses-taux-egalim/",
        "/en/guides/guide-charges-de-mission/",
    ]:
        assert client.get(url).status_code == 200, url
    assert "Fighting food waste and food donations" in client.get("/en/egalim-measures/waste/").content.decode()
    response = client.get("/ressources/kit-ambassadeur/zip/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"
