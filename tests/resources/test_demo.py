"""`load_demo` builds the resource centre's demo content, and running it twice changes nothing."""

import io

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from pypdf import PdfReader
from wagtail.documents import get_document_model
from wagtail.models import Page, Revision, Site

from egalim.gaps import GAPS
from egalim.thresholds import thresholds_for
from home.models import HomePage
from resources import demo_content
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
    SectorCategory,
)
from resources.models.taxonomy import MEASURE_CODES

TAXONOMY = (Measure, Audience, ResourceType, SectorCategory)

pytestmark = pytest.mark.django_db


def snapshot():
    """What load_demo writes: pages with their revisions, snippets, documents, taxonomy, users, groups."""
    Document = get_document_model()
    return {
        "pages": sorted(
            Page.objects.values_list("id", "url_path", "locale_id", "alias_of_id", "live", "latest_revision_id")
        ),
        "revisions": Revision.objects.count(),
        "mail_templates": sorted(MailTemplate.objects.values_list("id", "code", "locale_id", "subject", "body")),
        "documents": sorted(Document.objects.values_list("id", "title", "file", "file_hash")),
        "taxonomy": sorted((m.__name__, *row) for m in TAXONOMY for row in m.objects.values_list("id", "code", "name")),
        "users": sorted(get_user_model().objects.values_list("id", "username", "password", "is_active")),
        "groups": sorted(Group.objects.values_list("id", "name")),
    }


@pytest.fixture
def demo(locales, monkeypatch):
    """`load_demo` run twice, the whole command (every app's demo), as `make run` does. The suite's only in-process
    run: the live site of the browser tests runs it once more, in its own database."""
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "un-mot-de-passe-de-demo")
    call_command("load_demo", stdout=io.StringIO())
    counts = {model: model.objects.count() for model in (ResourcePage, GuidePage, MeasurePage, KitPage, MailTemplate)}
    counts["documents"] = get_document_model().objects.count()
    counts["pages"] = Page.objects.count()
    counts["snapshot"] = snapshot()
    call_command("load_demo", stdout=io.StringIO())  # idempotent
    return counts


def test_demo_content_is_complete_and_idempotent(demo, client):
    for model in (ResourcePage, GuidePage, MeasurePage, KitPage, MailTemplate):
        assert model.objects.count() == demo[model], model
    assert get_document_model().objects.count() == demo["documents"]
    assert Page.objects.count() == demo["pages"]
    assert snapshot() == demo["snapshot"]  # the second run changed nothing, not even a revision or a password
    home = HomePage.objects.get(locale__language_code="fr")
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert authenticate(username="admin", password="un-mot-de-passe-de-demo") is not None

    french = ResourcePage.objects.filter(locale__language_code="fr")
    assert french.count() >= 30
    for model, field in [(Measure, "measures"), (ResourceType, "resource_type"), (Audience, "audiences")]:
        for term in model.objects.filter(locale__language_code="fr"):
            assert french.filter(**{field: term}).exists(), (model.__name__, term.code)
    for resource in french:
        assert resource.measures.exists() and resource.audiences.exists() and resource.sectors.exists(), resource
        assert resource.resource_type_id
    tagged_gaps = set(french.values_list("gaps__code", flat=True))
    # every gap of the diagnostic leads to resources; material for ambassadors (brochure, deck, mail templates to
    # communes) and reference sheets carry no gap on purpose (issue 16: tests/resources/test_gap_table.py)
    assert tagged_gaps - {None} == set(GAPS)

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
    assert kit.audience.code == "ambassadeur"
    kit_files = {
        f.document.title
        for item in kit.items.all()
        if item.resource_id
        for f in item.resource.specific.files.all()
        if f.document_id
    }
    assert {"Plaquette ma cantine", "Support de présentation ma cantine"} <= kit_files
    assert {item.mail_template.code for item in kit.items.all() if item.mail_template_id} == {
        "cantine-inscrite",
        "cantine-non-inscrite",
    }
    # The brochure and the deck are resources of their own type.
    for type_code, title in [
        ("plaquette", "Plaquette ma cantine"),
        ("support-de-presentation", "Support de présentation ma cantine"),
    ]:
        assert french.filter(resource_type__code=type_code, files__document__title=title).exists(), type_code

    # The five measure pages, one per measure, each with a thresholds table, translated into English.
    measure_pages = MeasurePage.objects.filter(locale__language_code="fr", alias_of__isnull=True)
    assert sorted(measure_pages.values_list("measure__code", flat=True)) == sorted(MEASURE_CODES)
    for measure_page in measure_pages:
        tables = [block.value for block in measure_page.thresholds if block.block_type == "table"]
        assert tables and all(len(table["rows"]) >= 1 for table in tables), measure_page.measure.code
        assert measure_page.requirements and measure_page.sources and measure_page.faq, measure_page.measure.code

    # The chargé·es de mission guide: the open data (find, filter) and bringing communes onto the platform.
    guide = guides.get(title="Guide de ressources pour les chargé·es de mission")
    text = " ".join(str(block.value) for block in guide.body)
    assert "données ouvertes" in text.lower() and "Filtrer pour votre territoire" in text
    assert "Embarquer les communes sur la plateforme" in text
    assert {block.value["mail_template"].code for block in guide.body if block.block_type == "mail_template"} == {
        "cantine-inscrite",
        "cantine-non-inscrite",
    }

    # The home page has a real English translation.
    home_en = HomePage.objects.get(locale__language_code="en")
    assert home_en.alias_of_id is None and home_en.live and home_en.title == "Home"

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


@pytest.mark.parametrize(
    ("territory", "department"), [("Guadeloupe", "971"), ("Mayotte", "976"), ("Saint-Pierre", "975")]
)
def test_demo_overseas_thresholds_agree_with_the_rules(territory, department):
    """The quality page's table is editorial text: it must say what egalim/ applies."""
    rows = [row for row in demo_content.OUTRE_MER_ROWS_FR if territory in row[1]]
    assert rows
    for _criterion, _scope, value, since in rows:
        egalim, bio = (int(part.strip().rstrip("%").strip()) for part in value.split("/"))
        years = [int(year) for year in since.split(" à ")]
        for year in range(years[0], years[-1] + 1):
            rule = thresholds_for(department, year)
            assert (rule.egalim, rule.bio) == (egalim, bio), (territory, year)
