"""Gaps → resources: the top resources of each gap (tagged first, then the measure's), and the results page."""

import copy
import datetime
from html import unescape

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from egalim.models import Gap
from resources.gaps import hub_url, resources_for_gaps
from resources.models import ResourceType
from tests.conftest import build_site_once, make_home_page, make_locales
from tests.diagnostic.test_pages import complete, main
from tests.factories import ResourceIndexPageFactory, ResourcePageFactory, taxonomy_term

pytestmark = pytest.mark.django_db

BIO = "quality.bio_below_threshold"
EGALIM = "quality.egalim_below_threshold"
NO_ACTION = "waste.no_action"
NOT_INFORMED = "information.not_informed"


def resource(index, title, days_ago, measures=(), gaps=(), live=True):
    page = ResourcePageFactory(parent=index, title=title, measures=list(measures), live=live)
    page.first_published_at = timezone.now() - datetime.timedelta(days=days_ago)
    page.gaps.set(Gap.objects.filter(code__in=gaps))
    page.save()
    return page


@pytest.fixture(scope="module")
def shared_hub_site(module_transaction, django_db_blocker):
    """The home page and the hub's resources, built once for the module (`module_transaction` in
    tests/conftest.py): each test runs in a savepoint and gets a copy of the objects (`hub_site`)."""
    return build_site_once(django_db_blocker, hub=lambda site: build_hub(site["home_page"]))


@pytest.fixture
def hub_site(shared_hub_site, db):
    return copy.deepcopy(shared_hub_site)


@pytest.fixture
def locales(hub_site):
    return hub_site["locales"]


@pytest.fixture
def home_page(hub_site):
    return hub_site["home_page"]


@pytest.fixture
def hub(hub_site):
    return hub_site["hub"]


def build_hub(home_page):
    index = ResourceIndexPageFactory(parent=home_page)
    pages = {
        "bio-old": resource(index, "Passer au bio (ancien)", 30, ["quality"], [BIO]),
        "bio-new": resource(index, "Passer au bio", 1, ["quality"], [BIO]),
        "bio-egalim": resource(index, "Tableur des achats EGAlim", 10, ["quality"], [BIO, EGALIM]),
        "bio-fourth": resource(index, "Quatrième ressource bio", 40, ["quality"], [BIO]),
        "quality-1": resource(index, "Les labels EGAlim", 2, ["quality"]),
        "quality-2": resource(index, "Marchés publics", 3, ["quality"]),
        "waste": resource(index, "Peser ses restes", 5, ["waste"], [NO_ACTION]),
        "draft": resource(index, "Brouillon bio", 0, ["quality"], [BIO], live=False),
        "private": resource(index, "Ressource privée bio", 0, ["quality"], [BIO]),
    }
    PageViewRestriction.objects.create(page=pages["private"], restriction_type="password", password="secret")
    return index, pages


def titles(pages):
    return [page.title for page in pages]


def test_tagged_resources_first_then_the_measure_ones(hub, django_assert_num_queries):
    with django_assert_num_queries(5):
        result = resources_for_gaps([BIO, EGALIM, NO_ACTION, NOT_INFORMED], "fr")
    # Newest last: a resource that has been there longer comes first, all else being equal.
    assert titles(result[BIO]) == ["Quatrième ressource bio", "Passer au bio (ancien)", "Tableur des achats EGAlim"]
    # One tagged resource, completed with the resources of the measure.
    assert titles(result[EGALIM]) == ["Tableur des achats EGAlim", "Quatrième ressource bio", "Passer au bio (ancien)"]
    assert titles(result[NO_ACTION]) == ["Peser ses restes"]
    assert result[NOT_INFORMED] == []


def test_drafts_and_private_resources_are_left_out(hub):
    found = {page.title for pages in resources_for_gaps([BIO, EGALIM], "fr", limit=20).values() for page in pages}
    assert "Brouillon bio" not in found
    assert "Ressource privée bio" not in found
    assert "Quatrième ressource bio" in found


def test_the_query_count_does_not_grow_with_the_number_of_gaps(hub, django_assert_num_queries):
    with django_assert_num_queries(5):
        resources_for_gaps([BIO], "fr")
    every_gap = list(Gap.objects.values_list("code", flat=True))
    with django_assert_num_queries(5):
        resources_for_gaps(every_gap, "fr")


def test_no_gap_no_query(hub, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert resources_for_gaps([], "fr") == {}


def test_resources_of_the_requested_locale_only(hub, locales, home_page_en):
    index, pages = hub
    index_en = index.copy_for_translation(locales["en"])
    index_en.save_revision().publish()
    translated = pages["bio-new"].copy_for_translation(locales["en"])
    translated.title = "Going organic"
    translated.save_revision().publish()
    translated.refresh_from_db()
    assert list(translated.specific.gaps.values_list("code", flat=True)) == [BIO]  # synchronised field
    result = resources_for_gaps([BIO], "en")
    assert titles(result[BIO]) == ["Going organic"]
    assert hub_url("en") == index_en.url
    assert hub_url("fr") == index.url == "/ressources/"


def test_hub_url_without_a_hub_page(db):
    make_home_page(make_locales())  # a site of its own, without the module's hub
    assert hub_url("fr") == "/ressources/"
    assert hub_url("en") == "/en/ressources/"


def test_results_page_lists_the_resources_of_each_gap(client, hub, django_assert_max_num_queries):
    complete(client)
    client.post("/diagnostic/", {"department": "972", "year": "2026", "state_restaurant": "no"})
    client.post("/diagnostic/gaspillage/", {"diagnostic_done": "yes", "donation_agreement": "yes"})  # no action
    # 5 queries for the resources of every gap (candidates, then gaps, measures, audiences, sectors).
    with django_assert_max_num_queries(15):
        response = client.get("/diagnostic/resultats/")
    html = main(response)
    _index, pages = hub
    for key in ("bio-fourth", "bio-egalim", "bio-old"):
        assert f'href="{pages[key].url}"' in html
    assert html.index(pages["bio-old"].title) < html.index(pages["bio-egalim"].title)  # newest last
    assert "Peser ses restes" in html
    assert 'href="/ressources/?measure=quality&gap=quality.bio_below_threshold&audience=gestionnaire"' in html
    assert 'href="/ressources/?measure=waste&gap=waste.no_action&audience=gestionnaire"' in html
    assert "Brouillon bio" not in html and "Ressource privée bio" not in html


def test_results_query_count_does_not_depend_on_the_number_of_gaps(client, hub, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    complete(client)
    client.post("/diagnostic/gaspillage/", {"diagnostic_done": "yes", "donation_agreement": "yes"})  # no action
    with CaptureQueriesContext(connection) as few:
        response = client.get("/diagnostic/resultats/")
    assert unescape(response.content.decode()).count('id="ecart-') == 1
    for url, data in [
        ("/diagnostic/", {"department": "75", "year": "2030", "state_restaurant": "yes", "daily_meals": "5000"}),
        ("/diagnostic/gaspillage/", {"diagnostic_done": "no", "donation_agreement": "no"}),
        ("/diagnostic/diversification/", {"plan": "no", "vegetarian_frequency": "never", "menu_choice": "yes"}),
        ("/diagnostic/plastiques/", {"cooking_containers": "no", "bottles": "no", "tableware": "no"}),
        ("/diagnostic/information/", {"informs_diners": "no"}),
    ]:
        client.post(url, data)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/diagnostic/resultats/")
    assert unescape(response.content.decode()).count('id="ecart-') == 12
    assert len(many.captured_queries) == len(few.captured_queries)


def test_printable_view_shows_full_resource_urls(client, hub):
    complete(client)
    client.post("/diagnostic/", {"department": "972", "year": "2026"})
    html = main(client.get("/diagnostic/resultats/imprimer/"))
    _index, pages = hub
    assert f"http://testserver{pages['bio-fourth'].url}" in html


def test_practical_before_legal_and_audience_before_other_material(hub, django_assert_num_queries):
    index, _pages = hub
    law = resource(index, "La loi", 100, ["waste"], [NO_ACTION])
    law.resource_type = taxonomy_term(ResourceType, "texte-reglementaire")
    law.save()
    deck = ResourcePageFactory(parent=index, title="Support ambassadeur", measures=["waste"], audiences=["ambassadeur"])
    deck.gaps.set(Gap.objects.filter(code=NO_ACTION))
    deck.save()
    ambassador_only = ResourcePageFactory(
        parent=index, title="Mail aux communes", measures=["waste"], audiences=["ambassadeur"]
    )
    result = resources_for_gaps([NO_ACTION], "fr", limit=10)
    ranked = titles(result[NO_ACTION])
    # The tagged practical sheet, the tagged law (legal last among tagged ones), then the ambassador deck
    # tagged with the gap; the ambassador material of the measure that is not tagged never shows.
    assert ranked == ["Peser ses restes", "La loi", "Support ambassadeur"]
    assert ambassador_only.title not in ranked
    # For an ambassador, their own material of the measure is suggested.
    for_ambassador = titles(resources_for_gaps([NO_ACTION], "fr", limit=10, audience="ambassadeur")[NO_ACTION])
    assert "Mail aux communes" in for_ambassador


def test_the_canteen_sector_comes_first(hub):
    index, _pages = hub
    school = ResourcePageFactory(parent=index, title="Pour les écoles", measures=["waste"], sectors=["enseignement"])
    school.gaps.set(Gap.objects.filter(code=NO_ACTION))
    school.first_published_at = timezone.now()
    school.save()
    assert titles(resources_for_gaps([NO_ACTION], "fr", sector="education")[NO_ACTION])[0] == "Pour les écoles"
    assert titles(resources_for_gaps([NO_ACTION], "fr", sector="health")[NO_ACTION])[0] == "Peser ses restes"


def test_the_gap_hub_link_carries_the_audience():
    from resources.gaps import gap_resources_url

    url = gap_resources_url(NO_ACTION, "/ressources/")
    assert url == "/ressources/?measure=waste&gap=waste.no_action&audience=gestionnaire"
