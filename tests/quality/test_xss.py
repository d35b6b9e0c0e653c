"""Stored and reflected XSS: script payloads in every text a user can write are rendered inert; rich text is
sanitised on the way in (Draftail and wagtail-localize whitelists) and links only take web and mail schemes.

A payload is inert when its markup is escaped: the raw `<script>alert(` or `<img src=x onerror` never reaches
a page (HTML), a feed (XML) or the admin; the escaped text is shown instead.
"""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page

from canteens.models import Canteen
from home.models import SiteSettings
from resources.models import Audience, MailTemplate, ResourceFeedback, ResourceFile
from tests.factories import (
    CanteenFactory,
    DocumentFactory,
    GuideIndexPageFactory,
    GuidePageFactory,
    MailTemplateFactory,
    MeasureIndexPageFactory,
    MeasurePageFactory,
    ResourceIndexPageFactory,
    ResourcePageFactory,
    StandardPageFactory,
    UserFactory,
    YearlyDiagnosticFactory,
)

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("xss")</script>'
IMG = '"><img src=x onerror=alert(1)>'
PAYLOAD = f"Cantine {SCRIPT}{IMG}"
RAW_MARKERS = ["<script>alert(", "<img src=x onerror", "onerror=alert(1)>"]


def assert_inert(html, where, expect_escaped=True):
    for marker in RAW_MARKERS:
        assert marker not in html, f"raw payload in {where}"
    if expect_escaped:
        assert "&lt;script&gt;alert(" in html or "&amp;lt;script&amp;gt;" in html, f"payload not shown in {where}"


@pytest.fixture
def site(home_page):
    """Every public text field of the content filled with the payload."""
    settings = SiteSettings.load()
    settings.footer_text = PAYLOAD
    settings.save()

    StandardPageFactory(
        parent=home_page,
        title=PAYLOAD,
        slug="a-propos",
        introduction=PAYLOAD,
        seo_title=PAYLOAD,
        search_description=PAYLOAD,
        show_in_menus=True,
    )
    audience = Audience.objects.get(code="elu", locale__language_code="fr")
    audience.name = PAYLOAD
    audience.save()

    measures = MeasureIndexPageFactory(parent=home_page)
    MeasurePageFactory(parent=measures, summary=PAYLOAD, since=PAYLOAD)

    template = MailTemplateFactory(
        name=PAYLOAD, subject=f"{PAYLOAD} {{{{ nom_cantine }}}}", body=f"Bonjour,\n{PAYLOAD}\n{{{{ commune }}}}"
    )
    guides = GuideIndexPageFactory(parent=home_page)
    GuidePageFactory(
        parent=guides,
        slug="guide",
        title=PAYLOAD,
        introduction=PAYLOAD,
        body=json.dumps(
            [
                {"type": "heading", "value": {"text": PAYLOAD, "level": "h2"}},
                {"type": "mail_template", "value": {"mail_template": template.pk, "introduction": PAYLOAD}},
            ]
        ),
        audiences=["elu"],
    )

    index = ResourceIndexPageFactory(parent=home_page)
    document = DocumentFactory(title=PAYLOAD)
    resource = ResourcePageFactory(
        parent=index,
        slug="fiche",
        title=PAYLOAD,
        summary=PAYLOAD,
        audiences=["elu"],
        measures=["quality"],
        files=[{"document": document}, {"title": PAYLOAD, "url": "https://example.org/guide"}],
    )
    return {"resource": resource, "template": template}


def test_public_pages_render_the_payloads_inert(client, site):
    for url in [
        "/",
        "/a-propos/",
        "/mesures-egalim/",
        "/mesures-egalim/quality/",
        "/guides/",
        "/guides/guide/",
        "/ressources/",
        "/ressources/?audience=elu",
        "/ressources/fiche/",
        "/en/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode(), url)


def test_titles_and_meta_tags_are_escaped(client, site):
    html = client.get("/a-propos/").content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "&lt;script&gt;" in title
    description = re.search(r'<meta name="description" content="([^"]*)"', html).group(1)
    assert "&lt;script&gt;" in description and "&quot;&gt;&lt;img" in description


def test_feeds_escape_the_payloads(client, site):
    for url in ["/ressources/feed.xml", "/ressources/atom.xml"]:
        response = client.get(url)
        assert response.status_code == 200
        assert_inert(response.content.decode(), url)


def test_reflected_parameters_are_escaped(client, site):
    from urllib.parse import quote

    payload = quote(PAYLOAD)
    for url in [
        f"/recherche/?q={payload}",
        f"/en/search/?q={payload}",
        f"/ressources/?q={payload}",
        f"/ressources/?measure={payload}&sort={payload}&page={payload}",
        f"/{payload}/",  # the 404 page shows the path
    ]:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert_inert(response.content.decode(), url, expect_escaped=False)


def test_suggestions_are_json_inserted_as_text(client, site):
    """The search box's suggestions are JSON (never sniffed as HTML) and suggest.js writes them as text."""
    from pathlib import Path
    from urllib.parse import quote

    response = client.get(f"/recherche/suggestions/?q={quote('Cantine')}")
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert any(SCRIPT in suggestion["title"] for suggestion in response.json())
    script = (Path(__file__).resolve().parents[2] / "static" / "search" / "suggest.js").read_text()
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script
    assert "textContent = suggestion.title" in script


def test_search_hits_and_highlights_are_escaped(client, site):
    html = client.get("/recherche/?q=cantine").content.decode()
    # the resource is found (results link through the click counter, /recherche/clic/<page id>/)
    assert f"/recherche/clic/{site['resource'].pk}/" in html
    assert_inert(html, "search results")


def test_mail_template_downloads_and_fill_form_are_inert(client, site):
    template = site["template"]
    from urllib.parse import quote

    text = client.get(f"/ressources/modeles-de-mail/{template.pk}.txt?nom_cantine={quote(PAYLOAD)}")
    assert text["Content-Type"].startswith("text/plain")
    assert text["Content-Disposition"].startswith("attachment")
    eml = client.get(f"/ressources/modeles-de-mail/{template.pk}.eml?nom_cantine={quote(PAYLOAD)}")
    assert eml["Content-Disposition"].startswith("attachment")
    html = client.get(f"/guides/guide/?nom_cantine={quote(PAYLOAD)}").content.decode()
    assert_inert(html, "guide with a filled mail template")


def test_feedback_comment_is_inert_in_the_admin_reports(client, site):
    resource = site["resource"]
    client.post(f"/ressources/avis/{resource.pk}/", {"useful": "no", "comment": PAYLOAD})
    assert ResourceFeedback.objects.get().comment == PAYLOAD
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for url in ["/admin/reports/avis-sur-les-ressources/", "/admin/reports/ressources-les-plus-utiles/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode(), url, expect_escaped=False)
    assert "&lt;script&gt;alert(" in client.get("/admin/reports/avis-sur-les-ressources/").content.decode()


def test_admin_listings_escape_titles_and_snippets(client, site):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    index = Page.objects.get(slug="ressources")
    for url in [
        f"/admin/pages/{index.pk}/",
        "/admin/documents/",
        "/admin/snippets/resources/mailtemplate/",
        "/admin/snippets/resources/audience/",
        "/admin/settings/home/sitesettings/",
        "/admin/reports/contenus-a-relire/",
    ]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert_inert(response.content.decode(), url, expect_escaped=False)


def test_canteen_and_user_names_are_inert(client, home_page):
    manager = UserFactory(first_name=PAYLOAD, last_name=IMG)
    canteen = CanteenFactory(name=PAYLOAD, city=PAYLOAD, managers=[manager])
    YearlyDiagnosticFactory(canteen=canteen, year=2024, is_published=True)
    response = client.get(canteen.get_public_url())
    assert response.status_code == 200
    assert_inert(response.content.decode(), "public canteen page")

    client.force_login(manager)
    for url in ["/mes-cantines/", f"/mes-cantines/{canteen.pk}/", f"/mes-cantines/{canteen.pk}/gestionnaires/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode(), url, expect_escaped=False)
    assert "&lt;script&gt;alert(" in client.get(f"/mes-cantines/{canteen.pk}/gestionnaires/").content.decode()
    profile = client.get("/compte/profil/").content.decode()
    assert_inert(profile, "profile")


# Markup that WeasyPrint would fetch if it reached the poster's HTML unescaped: a local file, a host.
FETCHES = '<img src="file:///etc/passwd"><link rel="stylesheet" href="http://127.0.0.1:9/x.css">'


def test_poster_pdfs_get_the_payloads_as_text(client, home_page, monkeypatch):
    """The manager's poster (canteen name, message to diners) and the anonymous one (?name=, ?note=): the HTML
    handed to WeasyPrint has them escaped, so no script, no image or stylesheet fetched from a file or a host."""
    from urllib.parse import quote

    import weasyprint

    rendered = []

    class Capture:
        def __init__(self, string=None, **kwargs):
            rendered.append(string)

        def write_pdf(self, *args, **kwargs):
            return b"%PDF-1.7 captured"

    monkeypatch.setattr(weasyprint, "HTML", Capture)
    manager = UserFactory()
    canteen = CanteenFactory(name=PAYLOAD, managers=[manager])
    YearlyDiagnosticFactory(canteen=canteen, year=2024, poster_note=f"{PAYLOAD}\n{FETCHES}")
    client.force_login(manager)
    assert client.get(f"/mes-cantines/{canteen.pk}/diagnostics/2024/affiche.pdf").status_code == 200
    client.logout()
    client.post("/diagnostic/", {"department": "35", "year": "2024", "state_restaurant": "no"})
    response = client.get(f"/diagnostic/resultats/affiche.pdf?name={quote(PAYLOAD)}&note={quote(FETCHES)}")
    assert response.status_code == 200
    assert len(rendered) == 2
    for html in rendered:
        assert_inert(html, "poster")
        assert '<img src="file:' not in html and '<link rel="stylesheet" href="http' not in html
        assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html  # shown as text


def test_widget_title_is_inert_in_the_embedded_widget(client, home_page):
    from tests.factories import WidgetFactory

    widget = WidgetFactory(owner=UserFactory(), region_id="53", title=PAYLOAD[:120])
    response = client.get(f"/widget/{widget.pk}/")
    assert response.status_code == 200
    assert_inert(response.content.decode(), "widget")


def test_canteen_name_from_the_form_is_stored_as_text(client, home_page):
    from tests.factories import luhn_complete

    manager = UserFactory()
    client.force_login(manager)
    response = client.post(
        "/mes-cantines/nouvelle/",
        {
            "name": PAYLOAD,
            "siret": luhn_complete("3000000000001"),
            "city_insee_code": "35238",
            "sectors": ["school_primary"],
            "management_type": "direct",
            "production_type": "on_site",
            "economic_model": "public",
            "daily_meal_count": "120",
            "yearly_meal_count": "20000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    canteen = Canteen.objects.get(managers=manager)
    assert canteen.name == PAYLOAD
    assert_inert(client.get(response["Location"]).content.decode(), "canteen overview")


# --- rich text ----------------------------------------------------------------------------------------------------


def draftail_value(text, link=None):
    block = {"key": "a", "text": text, "type": "unstyled", "depth": 0, "inlineStyleRanges": [], "data": {}}
    entity_map = {}
    if link:
        block["entityRanges"] = [{"offset": 0, "length": 4, "key": 0}]
        entity_map = {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": link}}}
    else:
        block["entityRanges"] = []
    return json.dumps({"blocks": [block], "entityMap": entity_map})


def test_rich_text_from_the_editor_keeps_only_whitelisted_markup(client, home_page):
    """What the admin's Draftail editor sends is converted with the features whitelist: no script, no event
    handler, no javascript: link can be stored, whatever the request contains."""
    from wagtail.admin.rich_text import DraftailRichTextArea

    from home.blocks import RICH_TEXT_FEATURES

    widget = DraftailRichTextArea(features=RICH_TEXT_FEATURES)
    stored = widget.value_from_datadict({"f": draftail_value(f"Lien {SCRIPT}", link="javascript:alert(1)")}, {}, "f")
    assert "<script>" not in stored
    assert "javascript:" not in stored
    assert "&lt;script&gt;" in stored  # the text typed by the editor, as text

    measures = MeasureIndexPageFactory(parent=home_page)
    MeasurePageFactory(parent=measures, requirements=stored)
    html = client.get("/mesures-egalim/quality/").content.decode()
    assert_inert(html, "measure page")
    assert 'href="javascript:' not in html


def test_rich_text_html_is_whitelisted_when_converted(client):
    from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter

    from home.blocks import RICH_TEXT_FEATURES

    converter = EditorHTMLConverter(features=RICH_TEXT_FEATURES)
    html = converter.to_database_format(
        '<p onclick="alert(1)">Texte<script>alert(1)</script><img src=x onerror=alert(1)>'
        '<a href="javascript:alert(1)">lien</a><iframe src="https://evil.example"></iframe></p>'
    )
    for forbidden in ("<script", "onclick", "onerror", "<img", "javascript:", "<iframe"):
        assert forbidden not in html
    assert "Texte" in html


def test_translations_cannot_bring_markup(client):
    """wagtail-localize refuses tags other than inline ones, and attributes, in translated strings."""
    from wagtail_localize.strings import StringValue

    for translated in [SCRIPT, IMG, '<a href="javascript:alert(1)">x</a>', '<b onmouseover="alert(1)">x</b>']:
        with pytest.raises(ValueError):
            StringValue.from_translated_html(translated)


def test_resource_links_only_take_web_schemes(site):
    for url in ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)"]:
        file = ResourceFile(page=site["resource"], url=url)
        with pytest.raises(ValidationError):
            file.full_clean()


def test_mail_template_text_is_never_html(site):
    subject, body = MailTemplate.objects.get(pk=site["template"].pk).render({"nom_cantine": PAYLOAD})
    assert SCRIPT in subject  # plain text, meant for a mail client; every HTML page escapes it (tests above)
