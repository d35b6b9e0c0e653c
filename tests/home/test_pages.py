import pytest
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, streamfield

from home.models import HomePage, StandardPage
from tests.factories import StandardPageFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_home_page_renders_in_french_with_dsfr_layout(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert "ma cantine — centre de ressources" in html
    assert "Souveraineté<br>alimentaire" in html  # Marianne block
    assert 'href="#contenu"' in html  # skip link
    assert 'id="pied-de-page"' in html
    assert "dsfr.min.css" in html


def test_home_page_renders_in_english(client, home_page_en):
    response = client.get("/en/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "ma cantine — resource centre" in html
    assert "not translated yet" not in html  # a real translation, no fallback notice


def test_standard_page_renders_in_french_and_english(client, home_page, locales):
    page = StandardPageFactory(
        parent=home_page,
        title="Qu'est-ce que la loi EGAlim ?",
        slug="loi-egalim",
        body=[("heading", {"text": "Cinq mesures", "level": "h2"}), ("paragraph", "<p>Au moins 50 %</p>")],
    )
    page.copy_for_translation(locales["en"], alias=True)

    response = client.get("/loi-egalim/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h2>Cinq mesures</h2>" in html
    assert "Au moins 50 %" in html
    assert 'aria-label="vous êtes ici :"' in html  # breadcrumb

    assert "Read the French version" not in html and "Lire la version française" not in html

    # Untranslated page: the English tree holds an alias showing the French content, and says so.
    response = client.get("/en/loi-egalim/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "This page is not translated yet: its content is shown in French." in html
    assert 'href="/loi-egalim/" hreflang="fr">Read the French version</a>' in html
    assert "Au moins 50 %" in html


def test_language_switcher_points_to_translation(client, home_page, home_page_en):
    html = client.get("/").content.decode()
    assert 'href="/en/" hreflang="en"' in html
    html = client.get("/en/").content.decode()
    assert 'href="/" hreflang="fr"' in html


def test_main_menu_lists_pages_shown_in_menus(client, home_page):
    StandardPageFactory(parent=home_page, title="Pour qui ?", slug="pour-qui", show_in_menus=True)
    StandardPageFactory(parent=home_page, title="Page cachée", slug="cachee", show_in_menus=False)
    html = client.get("/").content.decode()
    nav = html.split('id="navigation-principale"')[1].split("</nav>")[0]
    assert "Pour qui ?" in nav
    assert "Page cachée" not in nav


def test_standard_page_user_text_is_escaped(client, home_page):
    StandardPageFactory(parent=home_page, slug="xss", introduction="<script>alert(1)</script>")
    html = client.get("/xss/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_page_tree_rules():
    from wagtail.models import get_page_models

    assert HomePage.parent_page_types == ["wagtailcore.Page"]
    assert StandardPage.can_create_at(HomePage())
    assert not HomePage.can_create_at(StandardPage())
    # Every page type of the project says which parents and children it allows (itself or through its abstract
    # base, such as resources' IndexPage), never by inheriting Wagtail's « anything goes ».
    for model in get_page_models():
        if model is not Page:
            own = [cls for cls in model.__mro__ if issubclass(cls, Page) and cls is not Page]
            for rule in ("parent_page_types", "subpage_types"):
                assert any(rule in vars(cls) for cls in own), (model, rule)
    assert [m._meta.label for m in StandardPage.creatable_subpage_models()] == ["home.StandardPage"]
    assert {m._meta.label for m in HomePage.creatable_subpage_models()} == {
        "home.StandardPage",
        "home.AccessibilityStatementPage",  # one per home page (max_count_per_parent)
        "resources.MeasureIndexPage",
        "resources.GuideIndexPage",
        "resources.ResourceIndexPage",
    }


def test_editor_can_create_standard_page_in_admin(admin_client, home_page):
    url = f"/admin/pages/add/home/standardpage/{home_page.pk}/"
    assert admin_client.get(url).status_code == 200
    data = nested_form_data(
        {
            "title": "Mentions légales",
            "slug": "mentions-legales",
            "introduction": "Éditeur du site",
            "body": streamfield([("quote", {"text": "Bien manger", "author": "DGAL", "role": ""})]),
            "action-publish": "publish",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = StandardPage.objects.get(slug="mentions-legales", locale__language_code="fr")
    assert page.live
    assert Page.objects.get(pk=page.pk).get_parent().pk == home_page.pk

    # The English tree is synchronised (home migration 0002): the new page has an English alias at once,
    # showing the French content with a link to the French version.
    alias = StandardPage.objects.get(slug="mentions-legales", locale__language_code="en")
    assert alias.alias_of_id == page.pk and alias.live
    response = admin_client.get("/en/mentions-legales/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert 'href="/mentions-legales/" hreflang="fr">Read the French version</a>' in html
    assert '<div class="fr-container fr-my-4w" lang="fr">' in html and "Éditeur du site" in html


def test_header_links_to_diagnostic_and_login_then_my_canteens(client, home_page):
    html = client.get("/").content.decode()
    assert 'href="/diagnostic/"' in html
    assert 'href="/compte/connexion/"' in html
    assert "Mes cantines" not in html
    user = UserFactory()
    client.force_login(user)
    html = client.get("/").content.decode()
    assert 'href="/mes-cantines/"' in html
    assert "Se connecter" not in html


def test_site_wide_strings_are_translated_in_english(client, home_page_en):
    html = client.get("/en/").content.decode()
    assert "Run my diagnostic" in html
    assert "Resource centre for collective catering" in html
    assert "Souveraineté<br>alimentaire" in html  # the Marianne block stays in French
