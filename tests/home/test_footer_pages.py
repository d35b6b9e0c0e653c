"""The footer's mandatory pages (issue 16): accessibility statement in the RGAA form, legal notice, personal
data, cookies and a site map, as editable pages created by home/legal_pages.py, linked from every page's footer
in both languages (without a query), and « Plan du site »."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from home import demo
from home.models import StandardPage
from home.templatetags.site_tags import FOOTER_PAGES

pytestmark = pytest.mark.django_db


class Quiet:
    def log(self, message):
        pass


@pytest.fixture
def demo_pages(home_page, locales):
    demo.ensure_standard_pages(Quiet(), home_page)
    from wagtail_localize.synctree import synchronize_tree

    synchronize_tree(locales["fr"], locales["en"])


def footer(html):
    return re.search(r'<footer class="fr-footer".*?</footer>', html, re.S).group(0)


def test_every_footer_link_opens_its_page_in_french_and_english(client, demo_pages):
    html = footer(client.get("/").content.decode())
    for slug, _label in FOOTER_PAGES:
        assert f'href="/{slug}/"' in html, slug
        page = StandardPage.objects.get(slug=slug, locale__language_code="fr")
        assert page.live and page.latest_revision is not None  # published through revisions, editable
        assert client.get(f"/{slug}/").status_code == 200
        assert client.get(f"/en/{slug}/").status_code == 200  # the English alias until translated
    assert ">Accessibilité : partiellement conforme</a>" in html
    assert 'href="/plan-du-site/">Plan du site</a>' in html
    english = footer(client.get("/en/").content.decode())
    assert 'href="/en/mentions-legales/">Legal notice</a>' in english
    assert 'href="/en/accessibilite/">Accessibility: partially compliant</a>' in english
    assert 'href="/en/plan-du-site/">Site map</a>' in english


def test_the_accessibility_statement_has_the_rgaa_sections(client, demo_pages):
    html = client.get("/accessibilite/").content.decode()
    for section in (
        "État de conformité",
        "partiellement conforme",
        "RGAA",
        "Non-conformités",
        "Dérogations pour charge disproportionnée",
        "Établissement de cette déclaration",
        "Voies de recours",
        "Défenseur des droits",
    ):
        assert section in html, section


def test_the_cookies_page_says_none_needs_consent(client, demo_pages):
    html = unescape(client.get("/gestion-des-cookies/").content.decode())
    assert "aucun cookie de mesure d'audience" in html and "sessionid" in html and "csrftoken" in html


def test_the_footer_links_cost_no_query(rf, demo_pages):
    """The accessibility level costs one query per publication (shared cache), then none."""
    from django.template import Context, Template

    template = Template("{% load site_tags %}{% footer_links as links %}{{ links|length }}")
    template.render(Context({}))
    with CaptureQueriesContext(connection) as queries:
        assert template.render(Context({})) == str(len(FOOTER_PAGES) + 1)
    assert len(queries) == 0


def test_site_map_lists_the_pages_and_services(client, demo_pages):
    html = client.get("/plan-du-site/").content.decode()
    assert "<title>Plan du site — ma cantine</title>" in html
    assert 'href="/mentions-legales/">Mentions légales</a>' in html
    assert 'href="/diagnostic/">Autodiagnostic EGAlim</a>' in html
    english = client.get("/en/plan-du-site/").content.decode()
    assert '<html lang="en"' in english and "Site map" in english
    assert 'href="/en/mentions-legales/"' in english
