"""Rendering of every editorial page type (fr and en), tree rules, taxonomy."""

import datetime

import pytest
from wagtail.models import Page
from wagtail_localize.synctree import synchronize_tree

from home.models import HomePage, StandardPage
from resources.models import (
    Audience,
    GuideIndexPage,
    GuidePage,
    KitPage,
    Measure,
    MeasureIndexPage,
    MeasurePage,
    ResourceFile,
    ResourceIndexPage,
    ResourcePage,
    ResourceType,
    SectorCategory,
)
from resources.models.base import add_months
from resources.models.pages import url_format
from tests.factories import (
    DocumentFactory,
    GuidePageFactory,
    KitPageFactory,
    MailTemplateFactory,
    MeasurePageFactory,
    ResourcePageFactory,
    taxonomy_term,
)

pytestmark = pytest.mark.django_db


# --- taxonomy -------------------------------------------------------------------------------------------


def test_taxonomy_rows_exist_in_french():
    def codes(model):
        return list(model.objects.filter(locale__language_code="fr").values_list("code", flat=True))

    assert codes(Measure) == ["quality", "waste", "diversification", "plastic", "information"]
    assert sorted(codes(Audience)) == sorted(
        ["gestionnaire", "elu", "charge-de-mission", "ambassadeur", "convive", "societe-de-restauration"]
    )
    assert sorted(codes(ResourceType)) == sorted(
        [
            "guide",
            "fiche-pratique",
            "modele-de-mail",
            "plaquette",
            "support-de-presentation",
            "texte-reglementaire",
            "outil",
            "video",
            "retour-d-experience",
        ]
    )
    assert sorted(codes(SectorCategory)) == sorted(
        ["enseignement", "sante", "social", "administration", "entreprise", "loisirs", "autres"]
    )
    assert str(taxonomy_term(Measure, "waste")) == "Lutte contre le gaspillage alimentaire et dons"


def test_taxonomy_translation_keeps_code(locales):
    quality = taxonomy_term(Measure, "quality")
    english = quality.copy_for_translation(locales["en"])
    english.name = "Product quality and sustainability"
    english.save()
    assert english.code == "quality"
    assert english.translation_key == quality.translation_key


# --- rendering ------------------------------------------------------------------------------------------


def make_measure_page(measure_index, code="quality", **kwargs):
    return MeasurePageFactory(
        parent=measure_index,
        measure=taxonomy_term(Measure, code),
        thresholds=[
            (
                "table",
                {
                    "caption": "Seuils d'achats",
                    "rows": [
                        {
                            "criterion": "Produits durables et de qualité",
                            "scope": "Métropole",
                            "value": "50 %",
                            "since": "2022",
                        },
                        {"criterion": "dont produits bio", "scope": "Métropole", "value": "20 %", "since": "2022"},
                    ],
                    "note": "En valeur d'achat hors taxes.",
                },
            )
        ],
        sources=[
            (
                "source",
                {"title": "Code rural, article L230-5-1", "url": "https://www.legifrance.gouv.fr/", "description": ""},
            )
        ],
        faq=[("question", {"question": "Le bio compte-t-il ?", "answer": "<p>Oui, dans les 50 %.</p>"})],
        **kwargs,
    )


def test_measure_pages_render_with_thresholds_sources_faq_and_resources(client, measure_index, resource_index):
    page = make_measure_page(measure_index)
    ResourcePageFactory(parent=resource_index, title="Fiche : calculer ses taux", measures=["quality"])
    ResourcePageFactory(parent=resource_index, title="Fiche : le gaspillage", measures=["waste"])

    html = client.get("/mesures-egalim/").content.decode()
    assert page.title in html and 'href="/mesures-egalim/quality/"' in html

    response = client.get("/mesures-egalim/quality/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<caption>Seuils d&#x27;achats</caption>" in html
    assert "fr-table" in html and "50 %" in html
    assert "fr-accordion" in html and "Le bio compte-t-il ?" in html
    assert "Code rural, article L230-5-1" in html
    # Resources of the measure are listed automatically, not the others.
    assert "Fiche : calculer ses taux" in html
    assert "Fiche : le gaspillage" not in html
    assert 'href="/ressources/?measure=quality"' in html


def test_guide_page_renders_with_table_of_contents(client, guide_index):
    template = MailTemplateFactory(name="cantine inscrite", code="cantine-inscrite")
    GuidePageFactory(
        parent=guide_index,
        title="Guide des chargé·es de mission",
        slug="guide-charges-de-mission",
        measures=["quality"],
        audiences=["charge-de-mission"],
        body=[
            ("heading", {"text": "Trouver les données", "level": "h2"}),
            ("paragraph", "<p>Le registre national des cantines.</p>"),
            ("heading", {"text": "Trouver les données", "level": "h2"}),
            ("callout", {"title": "À savoir", "text": "<p>Données ouvertes.</p>", "kind": "info"}),
            ("accordion", {"title": "", "items": [{"question": "Quel format ?", "answer": "<p>CSV</p>"}]}),
            ("mail_template", {"mail_template": template, "introduction": "À envoyer aux communes."}),
        ],
    )
    assert client.get("/guides/").status_code == 200
    response = client.get("/guides/guide-charges-de-mission/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#trouver-les-donnees"' in html and 'id="trouver-les-donnees"' in html
    assert 'id="trouver-les-donnees-2"' in html  # duplicate headings get unique anchors
    assert "fr-sidemenu" in html and "fr-callout" in html and "fr-accordion" in html
    assert "cantine inscrite" in html
    assert '<mark class="mail-template__placeholder">{{ nom_cantine }}</mark>' in html
    assert "mailto:?subject=" in html
    assert "Chargé·e de mission (DRAAF, PAT, réseaux)" in html  # audience tag


def test_resource_index_and_resource_page_render(client, resource_index):
    pdf = DocumentFactory(title="Guide PDF", file__filename="guide.pdf", file__data=b"%PDF-1.4" + b"x" * 2000)
    other = ResourcePageFactory(parent=resource_index, title="Ressource liée")
    resource = ResourcePageFactory(
        parent=resource_index,
        title="Calculer ses taux EGAlim",
        slug="calculer-ses-taux",
        measures=["quality"],
        audiences=["gestionnaire"],
        sectors=["enseignement"],
        files=[{"document": pdf}, {"url": "https://www.youtube.com/watch?v=abc", "title": "La vidéo"}],
    )
    resource.gaps.set(["quality.bio_below_threshold"])
    resource.related_resources.set([other])
    resource.save()

    response = client.get("/ressources/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Calculer ses taux EGAlim" in html and "fr-card" in html

    response = client.get("/ressources/calculer-ses-taux/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "fr-download" in html and "Guide PDF" in html and "PDF – 2,0" in html
    assert "La vidéo" in html and "Vidéo" in html
    assert "Part de produits bio sous le seuil" in html  # gap
    assert "Enseignement" in html and "Gestionnaire de cantine" in html
    assert "Ressource liée" in html
    assert "Dernière relecture" in html


def test_resource_index_paginates_by_12(client, resource_index):
    for number in range(14):
        ResourcePageFactory(parent=resource_index, title=f"Ressource numéro {number:02d}")
    first = client.get("/ressources/").content.decode()
    second = client.get("/ressources/?page=2").content.decode()
    assert first.count('class="fr-card ') == 12
    assert second.count('class="fr-card ') == 2
    assert client.get("/ressources/?page=abc").status_code == 200
    assert client.get("/ressources/?page=99").status_code == 200


def test_kit_page_renders(client, resource_index):
    resource = ResourcePageFactory(parent=resource_index, title="Plaquette ma cantine")
    KitPageFactory(parent=resource_index, items=[{"resource": resource}])
    assert "Kit ambassadeur" in client.get("/ressources/").content.decode()
    response = client.get("/ressources/kit-ambassadeur/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/ressources/kit-ambassadeur/zip/"' in html
    assert "Plaquette ma cantine" in html


def test_user_text_is_escaped(client, resource_index):
    ResourcePageFactory(parent=resource_index, slug="xss", summary="<script>alert(1)</script>")
    html = client.get("/ressources/xss/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- English --------------------------------------------------------------------------------------------


def translate(page, locale, **fields):
    translated = page.copy_for_translation(locale, copy_parents=True).specific
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    return translated


def test_every_page_type_renders_in_english_translated_or_not(
    client, home_page, locales, measure_index, guide_index, resource_index
):
    measure_page = make_measure_page(measure_index)
    GuidePageFactory(parent=guide_index, slug="guide", title="Un guide")
    ResourcePageFactory(parent=resource_index, slug="fiche", title="Une fiche", measures=["quality"])
    KitPageFactory(parent=resource_index)
    english_quality = taxonomy_term(Measure, "quality").copy_for_translation(locales["en"])
    english_quality.name = "Product quality and sustainability"
    english_quality.save()

    translate(measure_index, locales["en"], title="EGAlim measures", slug="egalim-measures")
    translate(measure_page, locales["en"], title="Quality and sustainability", summary="At least 50 %.")
    translate(resource_index, locales["en"], title="Resources", slug="resources")
    synchronize_tree(locales["fr"], locales["en"])

    # Translated pages.
    html = client.get("/en/egalim-measures/").content.decode()
    assert '<html lang="en"' in html and "Quality and sustainability" in html
    response = client.get("/en/egalim-measures/quality/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "At least 50 %." in html and "not translated yet" not in html
    assert "What the law requires" in html  # interface strings are translated too
    assert "Une fiche" in html  # the English alias of the resource is listed
    assert client.get("/en/resources/").status_code == 200

    # Untranslated pages: English aliases show the French content and link to the French version.
    for url, french_url in [
        ("/en/guides/", "/guides/"),
        ("/en/guides/guide/", "/guides/guide/"),
        ("/en/resources/fiche/", "/ressources/fiche/"),
        ("/en/resources/kit-ambassadeur/", "/ressources/kit-ambassadeur/"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'href="{french_url}" hreflang="fr">Read the French version</a>' in html, url
    # Taxonomy names are shown in the current language when translated.
    html = client.get("/en/resources/fiche/").content.decode()
    assert "Product quality and sustainability" in html
    assert client.get("/en/resources/kit-ambassadeur/zip/").status_code == 200
    # A page that does not exist in English is a 404, not a 500.
    assert client.get("/en/resources/does-not-exist/").status_code == 404


# --- tree rules -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("child", "parent", "allowed"),
    [
        (MeasureIndexPage, HomePage, True),
        (GuideIndexPage, HomePage, True),
        (ResourceIndexPage, HomePage, True),
        (MeasurePage, MeasureIndexPage, True),
        (GuidePage, GuideIndexPage, True),
        (ResourcePage, ResourceIndexPage, True),
        (KitPage, ResourceIndexPage, True),
        (MeasurePage, HomePage, False),
        (MeasurePage, ResourceIndexPage, False),
        (GuidePage, HomePage, False),
        (GuidePage, ResourceIndexPage, False),
        (ResourcePage, HomePage, False),
        (ResourcePage, GuideIndexPage, False),
        (ResourcePage, StandardPage, False),
        (KitPage, HomePage, False),
        (MeasureIndexPage, StandardPage, False),
        (StandardPage, ResourceIndexPage, False),
        (ResourcePage, ResourcePage, False),
    ],
)
def test_page_type_rules(child, parent, allowed):
    assert child.can_create_at(parent()) is allowed
    assert (child in parent.allowed_subpage_models()) is allowed


def test_index_pages_are_unique_under_home(admin_client, resource_index, home_page):
    assert not ResourceIndexPage.can_create_at(Page.objects.get(pk=home_page.pk).specific)
    response = admin_client.get(f"/admin/pages/add/resources/resourceindexpage/{home_page.pk}/")
    assert response.status_code in (302, 403)  # Wagtail refuses (redirect with an error message)
    assert ResourceIndexPage.objects.count() == 1


def test_admin_refuses_a_resource_under_the_home_page(admin_client, home_page, resource_index):
    response = admin_client.get(f"/admin/pages/add/resources/resourcepage/{home_page.pk}/")
    assert response.status_code in (302, 403)
    response = admin_client.get(f"/admin/pages/add/resources/resourcepage/{resource_index.pk}/")
    assert response.status_code == 200


def test_one_measure_page_per_measure_and_locale(measure_index):
    from django.core.exceptions import ValidationError

    make_measure_page(measure_index)
    duplicate = MeasurePage(
        title="Doublon", slug="doublon", measure=taxonomy_term(Measure, "quality"), locale=measure_index.locale
    )
    with pytest.raises(ValidationError):
        duplicate.full_clean()


# --- files ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "expected"),
    [("a.pdf", "pdf"), ("a.DOCX", "docx"), ("a.odt", "odt"), ("a.pptx", "pptx"), ("a.xlsx", "xlsx"), ("a.csv", "csv")],
)
def test_resource_file_format_and_size_from_document(resource_index, filename, expected):
    document = DocumentFactory(file__filename=filename, file__data=b"x" * 1234)
    resource = ResourcePageFactory(parent=resource_index, files=[{"document": document}])
    file = resource.files.get()
    assert file.format == expected
    assert file.size == 1234
    assert ResourceFile.objects.filter(format=expected).count() == 1  # stored, so the hub can filter on it


def test_resource_file_links_and_validation(resource_index):
    from django.core.exceptions import ValidationError

    assert url_format("https://www.youtube.com/watch?v=x") == "video"
    assert url_format("https://videos.example.org/film.mp4") == "video"
    assert url_format("https://www.legifrance.gouv.fr/") == "link"
    resource = ResourcePageFactory(parent=resource_index, files=[{"url": "https://vimeo.com/1"}])
    assert resource.files.get().format == "video"
    assert resource.files.get().size is None
    with pytest.raises(ValidationError):
        ResourceFile(page=resource).clean()  # neither document nor link
    with pytest.raises(ValidationError):
        ResourceFile(page=resource, url="https://a.example", document=DocumentFactory()).clean()  # both
    with pytest.raises(ValidationError):
        ResourceFile(page=resource, document=DocumentFactory(file__filename="notes.txt")).clean()


def test_review_dates():
    assert add_months(datetime.date(2024, 2, 29), 12) == datetime.date(2025, 2, 28)
    assert add_months(datetime.date(2025, 3, 31), -1) == datetime.date(2025, 2, 28)
    page = ResourcePage(last_reviewed=datetime.date(2020, 1, 1))
    assert page.needs_review
    assert not ResourcePage(last_reviewed=datetime.date.today()).needs_review


def test_resource_file_size_is_read_without_saving_the_document(resource_index):
    """Documents created by code have no stored size: showing it must not save them (nor reindex pages)."""
    from wagtail.documents import get_document_model

    document = DocumentFactory(file__filename="a.pdf", file__data=b"x" * 1234)
    resource = ResourcePageFactory(parent=resource_index, files=[{"document": document}])
    get_document_model().objects.filter(pk=document.pk).update(file_size=None)
    file = ResourceFile.objects.select_related("document").get(page=resource)
    assert file.size == 1234
    assert get_document_model().objects.get(pk=document.pk).file_size is None
