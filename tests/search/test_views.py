"""The site search page (/recherche/, /en/search/), the suggestions endpoint, the synonyms admin."""

import pytest
from django.urls import reverse
from django.utils import translation

from search.models import SynonymGroup

from . import module_corpus

pytestmark = pytest.mark.django_db

# The corpus, built once for the module (tests/search/module_corpus.py).
shared_corpus_site, corpus_site = module_corpus.shared_corpus_site, module_corpus.corpus_site
locales, home_page, resource_index, corpus = (
    module_corpus.locales,
    module_corpus.home_page,
    module_corpus.resource_index,
    module_corpus.corpus,
)


def test_urls_follow_the_language():
    with translation.override("fr"):
        assert reverse("search:search") == "/recherche/"
        assert reverse("search:suggestions") == "/recherche/suggestions/"
    with translation.override("en"):
        assert reverse("search:search") == "/en/search/"
        assert reverse("search:suggestions") == "/en/search/suggestions/"


def test_empty_search_page(client, home_page):
    response = client.get("/recherche/")
    assert response.status_code == 200
    content = response.content.decode()
    assert '<form method="get" action="/recherche/"' in content
    assert 'name="q"' in content
    assert "search/suggest.js" in content


def test_search_page_lists_hits_with_highlights_and_type_facets(client, corpus):
    response = client.get("/recherche/", {"q": "gaspillage"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "2 résultats pour « gaspillage »" in content
    # result links count the click (search.analytics), then redirect to the page
    for page in (corpus["pain"], corpus["measure"]):
        assert f'href="/recherche/clic/{page.pk}/?q=gaspillage&amp;from=site"' in content
    assert "Réduire le <mark>gaspillage</mark> du pain à la cantine" in content
    assert "Ressources (1)" in content and "Mesures EGAlim (1)" in content
    assert "?q=gaspillage&amp;type=resource" in content


def test_type_filter(client, corpus):
    content = client.get("/recherche/", {"q": "gaspillage", "type": "resource"}).content.decode()
    assert "1 résultat pour « gaspillage »" in content
    assert f'href="/recherche/clic/{corpus["pain"].pk}/' in content
    assert f'href="/recherche/clic/{corpus["measure"].pk}/' not in content
    # the facet of the other type still counts its result, the active one removes the filter
    assert "Mesures EGAlim (1)" in content
    assert 'aria-current="true">Tous' not in content
    assert 'href="?q=gaspillage" aria-current="true">Ressources (1)' in content
    assert client.get("/recherche/", {"q": "gaspillage", "type": "unknown"}).status_code == 200


def test_titles_and_excerpts_are_escaped(client, corpus):
    content = client.get("/recherche/", {"q": "plastiques"}).content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content or "&lt;script&gt;alert(" in content
    content = client.get("/recherche/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)" not in content


def test_no_results_and_pagination(client, corpus):
    content = client.get("/recherche/", {"q": "tartiflette"}).content.decode()
    assert "Aucun résultat pour « tartiflette »" in content
    assert "Aucun contenu ne correspond" in content
    response = client.get("/recherche/", {"q": "gaspillage", "page": "abc"})
    assert response.status_code == 200
    response = client.get("/recherche/", {"q": "gaspillage", "page": "99"})
    assert response.status_code == 200 and "2 résultats" in response.content.decode()


def test_control_characters_in_queries(client, corpus):
    for params in ({"q": "\x00"}, {"q": "gaspillage\x00pain", "page": "-5", "sort": "x", "type": "x"}):
        assert client.get("/recherche/", params).status_code == 200
    content = client.get("/recherche/", {"q": "gaspillage\x00 pain"}).content.decode()
    assert "1 résultat pour « gaspillage pain »" in content
    assert client.get("/recherche/suggestions/", {"q": "\x00gasp"}).status_code == 200


def test_english_search_page(client, corpus, locales):
    from wagtail_localize.synctree import synchronize_tree

    synchronize_tree(locales["fr"], locales["en"])
    response = client.get("/en/search/", {"q": "gaspillage pain"})
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="en"' in content
    alias = corpus["pain"].get_translation(locales["en"])
    # French content shown on the English site; the link counts the click, then goes to the alias
    assert f'href="/en/search/clic/{alias.pk}/?q=gaspillage+pain&amp;from=site" lang="fr"' in content
    assert client.get(f"/en/search/clic/{alias.pk}/?q=gaspillage+pain&from=site")["Location"] == alias.url
    # The page itself is in English (search/locale/en), the header search box too.
    assert "1 result for “gaspillage pain”" in content
    assert "Content type" in content and "Resources (1)" in content and ">Resource</p>" in content
    assert "Search the resources, guides and measures" in content
    assert "Rechercher" not in content and "résultat" not in content
    empty = client.get("/en/search/", {"q": "tartiflette"}).content.decode()
    assert "No results for “tartiflette”" in empty and "No content matches your search" in empty
    assert client.get("/en/search/suggestions/", {"q": "gasp"}).json()[0]["url"].startswith("/en/")


def test_suggestions_endpoint(client, corpus):
    response = client.get("/recherche/suggestions/", {"q": "gasp"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    suggestions = response.json()
    assert {item["title"] for item in suggestions} == {corpus["pain"].title, corpus["measure"].title}
    assert all(set(item) == {"title", "url"} for item in suggestions)
    assert client.get("/recherche/suggestions/").json() == []
    assert client.get("/recherche/suggestions/", {"q": "zzzz"}).json() == []


def test_suggestions_are_at_most_eight(client, resource_index):
    from tests.factories import ResourcePageFactory

    from .conftest import publish

    for number in range(12):
        publish(ResourcePageFactory(parent=resource_index, title=f"Compostage en cantine, fiche {number}"))
    assert len(client.get("/recherche/suggestions/", {"q": "compost"}).json()) == 8


def test_synonyms_admin(client, home_page):
    from tests.factories import UserFactory

    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get(reverse("wagtailsnippets_search_synonymgroup:list"))
    assert response.status_code == 200
    assert "haute valeur environnementale" in response.content.decode()  # the starting list
    response = client.post(
        reverse("wagtailsnippets_search_synonymgroup:add"), {"terms": "zéro déchet , gaspi,gaspi", "comment": ""}
    )
    assert response.status_code == 302
    assert SynonymGroup.objects.filter(terms="zéro déchet, gaspi").exists()
    response = client.post(reverse("wagtailsnippets_search_synonymgroup:add"), {"terms": "seul", "comment": ""})
    assert response.status_code == 200
    assert "au moins deux termes" in response.content.decode()


def test_default_synonyms_cover_the_common_acronyms():
    terms = " | ".join(SynonymGroup.objects.values_list("terms", flat=True))
    for expected in ("bio", "végé", "gaspi", "HVE", "SIQO", "label rouge", "PAT", "convive"):
        assert expected in terms


def test_header_search_box_include():
    from django.template.loader import render_to_string

    with translation.override("fr"):  # the active language may be left on "en" by an earlier request
        html = render_to_string("search/includes/header_search.html")
    assert 'action="/recherche/"' in html and 'data-suggest-url="/recherche/suggestions/"' in html
    assert 'name="q"' in html
    with translation.override("en"):
        html = render_to_string("search/includes/header_search.html")
    assert 'action="/en/search/"' in html and 'data-suggest-url="/en/search/suggestions/"' in html
    assert 'placeholder="Search"' in html and ">Close</button>" in html


def test_header_search_box_on_every_page_suggests_in_its_language(client, corpus):
    """The header box (on every page, the hub and the search page included) points at the suggestions of the
    page's language, and those answer with pages of that language."""
    for url in ("/", corpus["pain"].url, "/ressources/?measure=waste", "/recherche/?q=pain"):
        html = client.get(url).content.decode()
        assert html.count('data-suggest-url="/recherche/suggestions/"') == (2 if url.startswith("/recherche/") else 1)
        assert html.count('id="header-search-input"') == 1
    suggestions = client.get("/recherche/suggestions/", {"q": "gaspillage pa"}).json()
    assert suggestions[0] == {"title": corpus["pain"].title, "url": corpus["pain"].url}


def test_title_says_the_query_the_types_and_the_page(client, resource_index):
    """RGAA 8.6, as on the hub, the registry and the follow-up (home/templates/includes/title_filters.html):
    page 2 and after say their number; the query and the chosen types are in the <title> too."""
    import re
    from html import unescape

    from tests.factories import ResourcePageFactory

    for number in range(12):
        ResourcePageFactory(parent=resource_index, title=f"Compostage des biodéchets, fiche {number}")

    def title(params):
        content = client.get("/recherche/", params).content.decode()
        return " ".join(unescape(re.search(r"<title>(.*?)</title>", content, re.S).group(1)).split())

    first = title({"q": "compostage"})
    assert first.startswith("« compostage » : résultats de recherche") and "page" not in first
    assert title({"q": "compostage", "page": "2"}).startswith("« compostage » : résultats de recherche — page 2 sur 2")
    assert title({"q": "compostage", "type": "resource", "page": "2"}).startswith(
        "« compostage » : résultats de recherche — Ressources — page 2 sur 2"
    )
