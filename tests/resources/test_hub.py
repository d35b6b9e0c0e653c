"""The hub listing: every filter alone and combined, facet counts, invalid values, sorting, pagination,
English, and a number of SQL queries that does not depend on the number of resources.

The hub's resources (`hub`) are built once for the module (`build_site_once` in tests/conftest.py): each test
runs in a savepoint, so what it writes is rolled back, and gets a deep copy of the objects."""

import copy
import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction
from wagtail_localize.synctree import synchronize_tree

from home.request_cache import purge
from resources.hub import FACET_NAMES, HubQuery, hub_results, related_resources, search_resources
from resources.models import Measure, ResourcePage, ResourceType
from tests.conftest import build_site_once, new_resource_index
from tests.factories import (
    DocumentFactory,
    ResourcePageFactory,
    bulk_create_resources,
    taxonomy_term,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def make_resource(parent, title, *, days_ago=0, gaps=(), **kwargs):
    page = ResourcePageFactory(parent=parent, title=title, **kwargs)
    if gaps:
        page.gaps.set(gaps)
        page.save()
    published = NOW - datetime.timedelta(days=days_ago)
    ResourcePage.objects.filter(pk=page.pk).update(first_published_at=published, last_published_at=published)
    page.refresh_from_db()
    return page


@pytest.fixture(scope="module")
def shared_hub_site(module_transaction, django_db_blocker):
    return build_site_once(
        django_db_blocker, resource_index=new_resource_index, hub=lambda site: build_hub(site["resource_index"])
    )


@pytest.fixture
def hub_site(shared_hub_site, db):
    """The hub's resources (`hub`) with the locales, home page and resource index they were built in."""
    return copy.deepcopy(shared_hub_site)


@pytest.fixture
def hub(hub_site):
    return hub_site["hub"]


def build_hub(resource_index):
    """Five live resources, one draft, one private; titles say what they are."""
    pdf = DocumentFactory(title="Guide PDF", file__filename="guide.pdf")
    docx = DocumentFactory(title="Modèle DOCX", file__filename="modele.docx", file__data=b"docx")
    xlsx = DocumentFactory(title="Tableur", file__filename="tableur.xlsx", file__data=b"xlsx")
    pages = {
        "gaspillage": make_resource(
            resource_index,
            "Réduire le gaspillage alimentaire",
            summary="Peser les restes et agir.",
            measures=["waste"],
            audiences=["gestionnaire"],
            sectors=["enseignement"],
            files=[{"document": pdf}],
            gaps=["waste.no_action"],
            days_ago=1,
        ),
        "dons": make_resource(
            resource_index,
            "Convention de dons",
            summary="Un modèle de convention avec une association, contre le gaspillage.",
            measures=["waste", "quality"],
            audiences=["elu"],
            sectors=["sante"],
            files=[{"document": docx}, {"url": "https://www.associations.gouv.fr/"}],
            gaps=["waste.no_donation_agreement"],
            days_ago=2,
        ),
        "tableur": make_resource(
            resource_index,
            "Tableur de suivi des achats",
            summary="Calculer ses taux EGAlim.",
            measures=["quality"],
            audiences=["gestionnaire", "charge-de-mission"],
            sectors=["enseignement", "sante"],
            files=[{"document": xlsx}, {"url": "https://www.youtube.com/watch?v=abc"}],
            days_ago=3,
        ),
        "plaquette": make_resource(
            resource_index,
            "Plaquette végétarienne",
            summary="Pour présenter le menu végétarien.",
            measures=["diversification"],
            audiences=["ambassadeur"],
            files=[{"document": pdf}],
            days_ago=4,
        ),
        "vide": make_resource(resource_index, "Affiche sans fichier", summary="Informer les convives.", days_ago=5),
    }
    types = {"gaspillage": "guide", "dons": "fiche-pratique", "tableur": "outil", "plaquette": "plaquette"}
    for key, code in types.items():
        ResourcePage.objects.filter(pk=pages[key].pk).update(resource_type=taxonomy_term(ResourceType, code))
    make_resource(resource_index, "Brouillon gaspillage", measures=["waste"], live=False)
    private = make_resource(resource_index, "Privée gaspillage", measures=["waste"])
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    return pages


def titles(params, locale="fr"):
    page_obj, _facets, _errors = hub_results(params, locale)
    return {resource.title for resource in page_obj.object_list}


def names(hub, *keys):
    return {hub[key].title for key in keys}


# --- filters --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["gaspillage", "dons", "tableur", "plaquette", "vide"]),
        ({"measure": "waste"}, ["gaspillage", "dons"]),
        ({"measure": ["waste", "diversification"]}, ["gaspillage", "dons", "plaquette"]),  # OR within a parameter
        ({"type": "fiche-pratique"}, ["dons", "vide"]),
        ({"type": ["guide", "outil"]}, ["gaspillage", "tableur"]),
        ({"audience": "gestionnaire"}, ["gaspillage", "tableur"]),
        ({"sector": "sante"}, ["dons", "tableur"]),
        ({"format": "pdf"}, ["gaspillage", "plaquette"]),
        ({"format": "docx"}, ["dons"]),
        ({"format": "xlsx"}, ["tableur"]),
        ({"format": "link"}, ["dons"]),
        ({"format": "video"}, ["tableur"]),
        ({"format": ["video", "docx"]}, ["dons", "tableur"]),
        ({"format": "csv"}, []),
        ({"gap": "waste.no_action"}, ["gaspillage"]),
        ({"q": "gaspillage"}, ["gaspillage", "dons"]),  # title or summary
        ({"q": "GASPILLAGE convention"}, ["dons"]),  # every word, case-insensitive
        ({"q": "introuvable"}, []),
        # Combined: AND between parameters.
        ({"measure": "waste", "type": "guide"}, ["gaspillage"]),
        ({"measure": "quality", "audience": "gestionnaire", "sector": "sante"}, ["tableur"]),
        ({"measure": ["waste", "quality"], "format": "pdf"}, ["gaspillage"]),
        ({"audience": "gestionnaire", "q": "taux"}, ["tableur"]),
        ({"measure": "waste", "gap": "waste.no_donation_agreement", "format": "link"}, ["dons"]),
        ({"measure": "diversification", "type": "guide"}, []),
    ],
)
def test_filters_alone_and_combined(hub, params, expected):
    assert titles(params) == names(hub, *expected)


def test_drafts_private_pages_and_other_locales_are_never_listed(hub_site):
    hub, locales = hub_site["hub"], hub_site["locales"]
    synchronize_tree(locales["fr"], locales["en"])  # English aliases of every page
    assert "Brouillon gaspillage" not in titles({"measure": "waste"})
    assert "Privée gaspillage" not in titles({"measure": "waste"})
    assert len(titles({})) == 5  # not the English aliases
    assert titles({"measure": "waste"}, "en") == names(hub, "gaspillage", "dons")  # the aliases, in English


def test_filters_through_the_page(client, hub):
    html = client.get("/ressources/?measure=waste&type=guide").content.decode()
    assert hub["gaspillage"].title in html
    assert hub["dons"].title not in html
    assert "1 ressource" in html


# --- facets ---------------------------------------------------------------------------------------------


def facet_counts(params):
    _page, facets, _errors = hub_results(params, "fr")
    return {facet.name: {value.code: value.count for value in facet.values} for facet in facets}


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"measure": "waste"},
        {"measure": ["waste", "quality"], "format": "pdf"},
        {"audience": "gestionnaire", "sector": "sante", "q": "taux"},
        {"type": "fiche-pratique", "gap": "waste.no_donation_agreement"},
    ],
)
def test_facet_counts_are_what_ticking_the_value_gives(hub, params):
    """Count of a value = results with the other parameters' filters and this value for its parameter."""
    counts = facet_counts(params)
    assert set(counts) == set(FACET_NAMES)
    for name, values in counts.items():
        for code, count in values.items():
            real = HubQuery({**params, name: [code]}, "fr").queryset.count()
            assert count == real, (name, code)


def test_facet_counts_by_hand(hub):
    counts = facet_counts({"measure": "waste"})
    # Other parameters are counted within the waste resources...
    assert counts["type"]["guide"] == 1 and counts["type"]["fiche-pratique"] == 1 and counts["type"]["outil"] == 0
    assert counts["format"] == {"pdf": 1, "docx": 1, "odt": 0, "pptx": 0, "xlsx": 0, "csv": 0, "link": 1, "video": 0}
    assert counts["gap"]["waste.no_action"] == 1
    # ...the measure facet itself ignores the measure filter: what adding a measure would give.
    assert counts["measure"] == {"quality": 2, "waste": 2, "diversification": 1, "plastic": 0, "information": 0}


def test_zero_values_are_shown_but_cannot_be_ticked(client, hub):
    html = client.get("/ressources/?measure=waste").content.decode()
    plastic = re.search(r'<input type="checkbox" name="measure" value="plastic"[^>]*>', html).group(0)
    assert "disabled" in plastic
    assert re.search(r"Substitution des plastiques <span class=\"hub__count\">\(0\)</span>", html)
    waste = re.search(r'<input type="checkbox" name="measure" value="waste"[^>]*>', html).group(0)
    assert "checked" in waste and "disabled" not in waste
    # No link leads to an empty page: the form is a plain GET form with a submit button.
    assert '<form method="get" action="/ressources/"' in html and 'type="submit">Filtrer</button>' in html


# --- state in the URL, active filters, empty results ----------------------------------------------------


def test_active_filters_are_removable_tags_and_reset(client, hub):
    html = client.get("/ressources/?measure=waste&measure=quality&format=pdf&q=gaspillage").content.decode()
    tags = re.findall(r'<a class="fr-tag fr-tag--dismiss" href="([^"]+)"', html)
    assert tags == [
        "/ressources/?measure=quality&amp;format=pdf&amp;q=gaspillage",
        "/ressources/?measure=waste&amp;format=pdf&amp;q=gaspillage",
        "/ressources/?measure=waste&amp;measure=quality&amp;q=gaspillage",
        "/ressources/?measure=waste&amp;measure=quality&amp;format=pdf",
    ]
    assert "Recherche : « gaspillage »" in html
    assert 'fr-link--icon-left" href="/ressources/">Réinitialiser</a>' in html


def test_empty_result_suggests_removing_a_filter(client, hub):
    html = client.get("/ressources/?measure=diversification&type=guide").content.decode()
    assert "0 ressource" in html
    assert "Aucune ressource ne correspond à votre recherche" in html
    assert "Retirez un filtre" in html
    assert 'href="/ressources/?type=guide"' in html  # removing the measure gives results


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?measure=nope", "« nope » n&#x27;est pas une valeur connue du filtre « Mesure EGAlim »"),
        ("?format=exe&measure=waste", "« exe » n&#x27;est pas une valeur connue du filtre « Format »"),
        ("?type=%3Cscript%3E", "« &lt;script&gt; » n&#x27;est pas une valeur connue"),
        ("?gap=nope", "filtre « Écart au diagnostic »"),
        ("?sort=random", "Tri inconnu « random »"),
        ("?q=" + "a" * 300, "La recherche est limitée à 200 caractères."),
    ],
)
def test_invalid_values_give_a_message_never_a_500(client, hub, query, message):
    response = client.get("/ressources/" + query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "fr-alert--warning" in html and message in html
    assert "<script>" not in html.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize("query", ["?q=%00", "?q=%00&sort=relevance", "?q=gaspillage%00", "?q=%01%1f%7f&measure=waste"])
def test_control_characters_in_the_search_never_give_a_500(client, hub, query):
    """Django's CharField refuses NUL: the search ignored it while the « Pertinence » sort still asked for
    its rank (FieldError, 500). Control characters are now spaces."""
    response = client.get("/ressources/" + query)
    assert response.status_code == 200


def test_control_characters_in_the_search_are_spaces(hub):
    query = HubQuery({"q": "gaspillage\x00 convention\r\n"}, "fr")
    assert query.q == "gaspillage convention" and query.sort == "relevance"
    assert [r.title for r in query.queryset] == [hub["dons"].title]


def test_invalid_values_are_ignored_but_valid_ones_kept(hub):
    page_obj, _facets, errors = hub_results({"measure": ["waste", "nope"]}, "fr")
    assert {r.title for r in page_obj.object_list} == names(hub, "gaspillage", "dons")
    assert len(errors) == 1


@pytest.mark.parametrize(("page", "expected"), [("999", 2), ("abc", 1), ("-1", 2), ("0", 2), ("", 1), ("2", 2)])
def test_out_of_range_pages(client, resource_index, page, expected):
    bulk_create_resources(resource_index, 14)
    response = client.get(f"/ressources/?page={page}")
    assert response.status_code == 200
    assert response.context["resources"].number == expected


def test_pagination_keeps_the_filters(client, resource_index):
    bulk_create_resources(resource_index, 40)  # 16 with quality or waste first, 4 more as second measure
    response = client.get("/ressources/?measure=quality&measure=waste")
    page_obj = response.context["resources"]
    assert page_obj.paginator.count == 20 and page_obj.paginator.num_pages == 2
    assert len(page_obj.object_list) == 12
    html = response.content.decode()
    assert 'href="/ressources/?measure=quality&amp;measure=waste&amp;page=2"' in html
    assert "fr-pagination" in html
    second = client.get("/ressources/?measure=quality&measure=waste&page=2").context["resources"]
    assert len(second.object_list) == 8
    assert not {r.pk for r in page_obj.object_list} & {r.pk for r in second.object_list}


def test_long_ranges_of_pages_are_elided(client, resource_index):
    bulk_create_resources(resource_index, 12 * 30)
    html = client.get("/ressources/?page=15").content.decode()
    assert "…" in html
    assert html.count('class="fr-pagination__link"') < 12
    assert 'href="/ressources/?page=30"' in html


# --- sorting and search ---------------------------------------------------------------------------------


def test_sorting(hub):
    recent = [r.title for r in hub_results({}, "fr")[0].object_list]
    assert recent[0] == hub["gaspillage"].title and recent[-1] == hub["vide"].title
    by_title = [r.title for r in hub_results({"sort": "title"}, "fr")[0].object_list]
    assert by_title == sorted(by_title, key=str.lower)


def test_relevance_puts_title_matches_first(hub):
    query = HubQuery({"q": "gaspillage"}, "fr")
    assert query.sort == "relevance"
    assert [r.title for r in query.queryset] == [hub["gaspillage"].title, hub["dons"].title]
    assert HubQuery({"sort": "relevance"}, "fr").sort == "recent"  # no words, no relevance


def test_search_resources_is_a_queryset_filter(hub):
    queryset = search_resources(ResourcePage.objects.all(), "  plaquette   végétarienne ")
    assert list(queryset.values_list("title", flat=True)) == ["Plaquette végétarienne"]


# --- English --------------------------------------------------------------------------------------------


def translate(page, locale, **fields):
    translation = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation


def test_english_hub(client, hub_site):
    hub, resource_index, locales = hub_site["hub"], hub_site["resource_index"], hub_site["locales"]
    translate(resource_index, locales["en"], title="Resources", slug="resources")
    synchronize_tree(locales["fr"], locales["en"])
    waste_en = taxonomy_term(Measure, "waste").copy_for_translation(locales["en"])
    waste_en.name = "Food waste (translated)"
    waste_en.save()
    response = client.get("/en/resources/?measure=waste&measure=nope")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "Food waste (translated)" in html  # translated term
    assert "Informing diners" in html  # untranslated measure: the English label of the rules
    assert "EGAlim measure" in html and "Filter</button>" in html and "Reset" in html
    assert "is not a known value" in html
    assert hub["gaspillage"].title in html and hub["plaquette"].title not in html
    assert 'href="/en/resources/' in html
    assert 'href="/en/resources/feed.xml?measure=waste"' in html


# --- related resources ----------------------------------------------------------------------------------


def test_related_resources_same_measure_then_same_type(hub):
    chosen = hub["plaquette"]
    page = hub["gaspillage"]
    page.related_resources.set([chosen])
    page.save()
    related = related_resources(page)
    # The editors' choice, then the resource sharing the measure (waste), then the other guides.
    assert [r.title for r in related][:2] == [chosen.title, hub["dons"].title]
    assert page not in related
    assert len(related) <= 4


def test_resource_page_shows_details_files_and_feedback_form(client, hub):
    page = hub["dons"]
    html = client.get(page.url).content.decode()
    assert "Mis à jour le" in html
    assert f'href="/ressources/telecharger/{page.files.first().pk}/"' in html
    assert "DOCX" in html and "Français" in html
    assert "Cette ressource vous a-t-elle été utile ?" in html
    assert f'action="/ressources/avis/{page.pk}/"' in html and "csrfmiddlewaretoken" in html
    assert hub["gaspillage"].title in html  # related: same measure


# --- performance ----------------------------------------------------------------------------------------


def test_resource_page_query_count_does_not_grow_with_files(client, resource_index):
    """Each file's document was read with its own query (display title, size)."""

    def resource(title, count):
        documents = [DocumentFactory(title=f"{title} {n}", file__filename=f"{title}-{n}.pdf") for n in range(count)]
        return make_resource(resource_index, title, measures=["waste"], files=[{"document": d} for d in documents])

    one, six = resource("un", 1), resource("six", 6)
    for _round in range(2):  # the documents' stored sizes (a purge), then the shared chrome cache of each page
        client.get(one.url)
        client.get(six.url)
    few, _response = count_queries(client, one.url)
    many, response = count_queries(client, six.url)
    assert many == few <= MAX_RESOURCE_PAGE_QUERIES
    assert response.content.decode().count('class="fr-download__link"') == 6


LISTING = "/ressources/?measure=waste&measure=quality&format=pdf&sort=title"
MAX_LISTING_QUERIES = 1  # 26, 13 before the hub's own cache (resources/hub_pages.py), 7 before the cached routing
MAX_COLD_LISTING_QUERIES = 24  # the first request after a publication: every cache (chrome, hub, footer level) is cold
MAX_RESOURCE_PAGE_QUERIES = 2  # 35, 19 before home/request_cache.py and resources/hub_pages.py, 8 before routing


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("count", [5, 200])
def test_listing_query_count_is_constant(client, resource_index, django_assert_max_num_queries, count):
    documents = [
        DocumentFactory(file__filename="a.pdf"),
        DocumentFactory(file__filename="b.docx", file__data=b"docx"),
    ]
    bulk_create_resources(resource_index, count, documents=documents)
    client.get(LISTING)  # warm the per-process caches (site root paths, content types)
    # 1 (26 before issue 21): the hub's page; the site, the locale, the home page's children, the view
    # restrictions (home/request_cache.py, home/privacy.py), the facet counts, the cards and the kits
    # (resources/hub_pages.py), the taxonomies, menu, breadcrumb, language switcher and footer come from the
    # shared cache, emptied on publication.
    with django_assert_max_num_queries(MAX_LISTING_QUERIES):
        response = client.get(LISTING)
    assert response.context["resources"].paginator.count > 0


def test_listing_query_count_does_not_grow_with_resources(client, resource_index):
    documents = [DocumentFactory(file__filename="a.pdf")]
    bulk_create_resources(resource_index, 5, documents=documents)
    client.get(LISTING)
    purge()  # every shared cache cold, as after a publication (chrome and hub)
    few, _response = count_queries(client, LISTING)
    bulk_create_resources(resource_index, 200, documents=documents, start=5)  # empties the cache too
    many, response = count_queries(client, LISTING)
    assert many == few <= MAX_COLD_LISTING_QUERIES
    assert len(response.context["resources"].object_list) == 12


def test_bulk_created_resources_are_a_valid_tree(client, resource_index):
    ids = bulk_create_resources(resource_index, 30, documents=[DocumentFactory()])
    assert Page.find_problems() == ([], [], [], [], [])
    page = ResourcePage.objects.get(pk=ids[0])
    assert client.get(page.url).status_code == 200
    resource_index.refresh_from_db()
    assert resource_index.get_children().count() == 30
