"""English pages carry no French text outside elements marked lang="fr" (RGAA 8.7): the header, the menu (an
untranslated page's French title), the home cards, the footer and the breadcrumb. French is spotted by its
accented letters, which English text does not use. Place names (registry, territories) are proper nouns, not
French text, and are left out."""

import re
from html.parser import HTMLParser

import pytest

from home import demo
from tests.conftest import build_site_once

pytestmark = pytest.mark.django_db

FRENCH = re.compile(r"[éèêàçùâîôû]", re.I)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class TextOutsideFrench(HTMLParser):
    """Collects the visible text (and aria-label/title attributes) not inside a lang="fr" element."""

    def __init__(self):
        super().__init__()
        self.stack = []  # (tag, is_french)
        self.found = []

    def french(self):
        return any(is_french for _tag, is_french in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # <title> cannot carry a language: an untranslated page's French title stays there (its h1 is marked)
        is_french = (attrs.get("lang") or "").startswith("fr") or tag in ("script", "style", "title")
        if not self.french() and not is_french:
            for name in ("aria-label", "title", "alt", "placeholder"):
                if attrs.get(name) and FRENCH.search(attrs[name]):
                    self.found.append(f"{tag}[{name}]: {attrs[name]}")
        if tag not in VOID:
            self.stack.append((tag, is_french))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if data.strip() and not self.french() and FRENCH.search(data):
            self.found.append(data.strip())


def french_leftovers(html):
    parser = TextOutsideFrench()
    parser.feed(html)
    return parser.found


class Quiet:
    def log(self, message):
        pass


@pytest.fixture(scope="module")
def shared_site(module_transaction, django_db_blocker):
    """The site with its standard pages, built once for the module (`module_transaction` in tests/conftest.py):
    the tests only read it, each in its own savepoint."""
    from wagtail_localize.synctree import synchronize_tree

    def standard_pages(site):
        demo.ensure_standard_pages(Quiet(), site["home_page"])
        synchronize_tree(site["locales"]["fr"], site["locales"]["en"])

    build_site_once(django_db_blocker, standard_pages=standard_pages)


@pytest.fixture
def site(shared_site, db):
    return shared_site


@pytest.mark.parametrize(
    "path",
    [
        "/en/",
        "/en/plan-du-site/",
        "/en/accessibilite/",  # computed sections in English, the statement's French text marked
        "/en/pour-qui/",
        "/en/compte/connexion/",
        "/en/compte/inscription/",
        "/en/diagnostic/",
    ],
)
def test_english_pages_mark_their_french(client, site, path):
    response = client.get(path)
    assert response.status_code == 200
    assert french_leftovers(response.content.decode()) == []


def test_an_untranslated_page_title_in_the_menu_is_marked_french(client, site):
    html = client.get("/en/").content.decode()
    assert re.search(r'<a class="fr-nav__link" href="/en/loi-egalim/" lang="fr">', html)
    french = client.get("/").content.decode()
    assert 'href="/loi-egalim/" lang="fr"' not in french
