"""The per-request memo and the shared chrome cache (home/request_cache.py): fewer queries, never stale."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from home.models import SiteSettings
from home.request_cache import memoised
from resources.models import Measure
from tests.factories import ResourceIndexPageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


def nav(client, url="/"):
    html = client.get(url).content.decode()
    return html.split('id="navigation-principale"')[1].split("</nav>")[0]


def test_menu_follows_publication_unpublication_and_moves(client, home_page):
    about = StandardPageFactory(parent=home_page, title="Qui sommes-nous", slug="qui", show_in_menus=True)
    assert "Qui sommes-nous" in nav(client)  # the menu is now in the shared cache
    draft = StandardPageFactory(parent=home_page, title="Nouveauté", slug="nouveaute", show_in_menus=True, live=False)
    assert "Nouveauté" not in nav(client)

    draft.save_revision().publish()
    assert "Nouveauté" in nav(client)  # not the stale cached menu

    about.title = "Notre équipe"
    revision = about.save_revision()
    assert "Qui sommes-nous" in nav(client)  # a draft changes nothing for visitors
    revision.publish()
    menu = nav(client)
    assert "Notre équipe" in menu and "Qui sommes-nous" not in menu

    draft.refresh_from_db()
    draft.unpublish()
    assert "Nouveauté" not in nav(client)

    draft.save_revision().publish()
    about.refresh_from_db()
    about.move(draft, pos="last-child")  # under a page: no longer a top-level entry
    assert "Notre équipe" not in nav(client)


def test_menu_hides_a_page_as_soon_as_it_is_restricted(client, home_page):
    secret = StandardPageFactory(parent=home_page, title="Réservé", slug="reserve", show_in_menus=True)
    assert "Réservé" in nav(client)
    PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.PASSWORD, password="x")
    assert "Réservé" not in nav(client)


def test_taxonomy_and_footer_edits_show_at_once(client, home_page):
    ResourceIndexPageFactory(parent=home_page)
    assert "Lutte contre le gaspillage" in client.get("/ressources/").content.decode()
    waste = Measure.objects.get(code="waste", locale__language_code="fr")
    waste.name = "Lutte anti-gaspi renommée"
    waste.save()
    assert "Lutte anti-gaspi renommée" in client.get("/ressources/").content.decode()

    settings = SiteSettings.load()
    settings.footer_text = "Pied de page modifié"
    settings.save()
    assert "Pied de page modifié" in client.get("/ressources/").content.decode()


def test_second_visit_reads_neither_taxonomy_nor_menu(client, home_page):
    SiteSettings.load()  # created on first use, which purges the cache: do it before
    ResourceIndexPageFactory(parent=home_page)
    StandardPageFactory(parent=home_page, title="Pour qui ?", slug="pour-qui", show_in_menus=True)
    client.get("/ressources/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/ressources/")
    assert "Pour qui ?" in response.content.decode()
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert '"resources_measure"."code" AS "code"' not in tables  # the taxonomy catalogue
    assert "home_sitesettings" not in tables
    # the view restrictions behind `.public()` are not read at all (Wagtail's own check of the page aside): the
    # hub's facets, cards and kits come from the shared cache too (resources/hub_pages.py)
    assert tables.count('"wagtailcore_pageviewrestriction"."page_id", "wagtailcore_page"."id"') == 0


def test_memo_is_per_request_only():
    calls = []
    assert memoised("k", lambda: calls.append(1) or len(calls)) == 1
    assert memoised("k", lambda: calls.append(1) or len(calls)) == 2  # outside a request: computed every time
