"""What people search for (issue 22): counting without personal data, clicks, the page cache, the report."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from search import analytics
from search.models import SearchStat
from tests.factories import UserFactory

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


def rows():
    return list(
        SearchStat.objects.order_by("source", "query").values_list(
            "source", "language", "query", "searches", "no_result", "results", "clicks"
        )
    )


def test_normalised_query_keeps_no_personal_data():
    assert analytics.normalise("  Menu VÉGÉ ?? ") == "menu vege"
    assert analytics.normalise("contact jean.dupont@mairie.fr cantine") == "contact cantine"
    assert analytics.normalise("SIRET 21750001600019 tel 0612345678 loi 2018") == "siret tel loi 2018"
    assert analytics.normalise("x" * 300) == "x" * 100
    # what is stored: no IP address, no user, no session, no time of day
    names = {field.name for field in SearchStat._meta.get_fields()}
    assert names == {"id", "day", "source", "language", "query", "searches", "no_result", "results", "clicks"}


def test_each_search_is_counted_once_per_day_with_one_upsert(client, corpus):
    with CaptureQueriesContext(connection) as queries:
        client.get("/recherche/", {"q": "Gaspillage"}, REMOTE_ADDR="203.0.113.7")
    writes = [q["sql"] for q in queries.captured_queries if "search_searchstat" in q["sql"]]
    assert len(writes) == 1 and writes[0].startswith("\nINSERT INTO search_searchstat")
    client.get("/recherche/", {"q": "gaspillage "})
    client.get("/recherche/", {"q": "zzqqx"})
    client.get("/recherche/", {"q": "gaspillage", "page": "2"})  # another page of the same search: not counted
    client.get("/recherche/", {"q": "gaspillage", "sort": "date"})  # another order: not counted
    client.get("/recherche/", {"q": "gaspillage"}, HTTP_USER_AGENT="Googlebot/2.1")  # robots: not counted
    client.get("/recherche/")  # no query
    assert rows() == [("site", "fr", "gaspillage", 2, 0, 2, 0), ("site", "fr", "zzqqx", 1, 1, 0, 0)]
    assert SearchStat.objects.get(query="gaspillage").day == timezone.localdate()


def test_the_internal_header_never_reaches_the_visitor(client, corpus):
    response = client.get("/recherche/", {"q": "gaspillage"})
    assert analytics.HEADER not in response.headers


def test_searches_answered_by_the_page_cache_are_counted(client, corpus, settings):
    from django.core.cache import cache

    from home.models import SiteSettings

    settings.PAGE_CACHE_SECONDS = 60
    SiteSettings.load()  # created on first use, which purges the page cache: before the searches
    cache.clear()
    first = client.get("/recherche/", {"q": "pain"})
    second = client.get("/recherche/", {"q": "pain"})
    assert second.headers.get("X-Page-Cache") == "hit", (first.headers, second.headers)
    assert analytics.HEADER not in second.headers
    assert rows() == [("site", "fr", "pain", 2, 0, 1, 0)]


def test_hub_searches_and_clicks_are_counted(client, corpus, resource_index):
    response = client.get(resource_index.url, {"q": "pain"})
    assert response.status_code == 200
    click = analytics.click_url(corpus["pain"].pk, "pain", "hub")
    assert click.replace("&", "&amp;") in response.content.decode()  # result links count the click
    plain = client.get(resource_index.url)  # no search: plain links, nothing counted
    assert "/recherche/clic/" not in plain.content.decode()
    redirect = client.get(click)
    assert redirect.status_code == 302 and redirect["Location"] == corpus["pain"].url
    assert rows() == [("hub", "fr", "pain", 1, 0, 1, 1)]


def test_clicks_on_site_results(client, corpus):
    response = client.get("/recherche/", {"q": "gaspillage"})
    click = analytics.click_url(corpus["pain"].pk, "gaspillage", "site")
    assert f'href="{click.replace("&", "&amp;")}"' in response.content.decode()
    assert client.get(click).status_code == 302
    client.get(click, HTTP_USER_AGENT="bingbot")  # a robot following the link: redirected, not counted
    assert SearchStat.objects.get(query="gaspillage").clicks == 1


def test_click_on_a_missing_or_unpublished_page_is_a_404(client, corpus):
    assert client.get("/recherche/clic/999999/?q=x&from=site").status_code == 404
    corpus["pain"].unpublish()
    assert client.get(f"/recherche/clic/{corpus['pain'].pk}/?q=x&from=site").status_code == 404
    assert client.get(f"/recherche/clic/{corpus['vege'].pk}/?q=x&from=evil").status_code == 302  # not counted
    assert rows() == []


def test_counting_is_one_statement_that_adds_up(corpus):
    # INSERT … ON CONFLICT DO UPDATE: concurrent searches add up in the database, never read-modify-write
    analytics.record_search("site", "fr", "Menu végé", 3)
    analytics.record_search("site", "fr", "menu vege", 0)
    analytics.record_click("site", "fr", "menu  VEGE")
    analytics.record_click("hub", "fr", "menu vege")  # a click with no counted search still counts
    analytics.record_search("elsewhere", "fr", "menu vege", 1)  # unknown source: ignored
    analytics.record_search("site", "fr", "  ?? ", 1)  # nothing left after normalising: ignored
    assert rows() == [("hub", "fr", "menu vege", 0, 0, 0, 1), ("site", "fr", "menu vege", 2, 1, 0, 1)]


# --- the report ---------------------------------------------------------------------------------------------


@pytest.fixture
def stats(db):
    today = timezone.localdate()
    old = today - datetime.timedelta(days=60)
    for source, language, query, searches, no_result, results, clicks, day in [
        ("site", "fr", "menu vege", 5, 0, 12, 3, today),
        ("hub", "fr", "menu vege", 2, 0, 8, 1, today),
        ("site", "fr", "compost", 4, 4, 0, 0, today),
        ("site", "fr", "cantine bio", 3, 0, 6, 0, today),
        ("site", "en", "compost", 1, 1, 0, 0, today),
        ("site", "fr", "compost", 10, 10, 0, 0, old),
        ("site", "fr", "=hyperlink", 1, 1, 0, 0, today),
    ]:
        SearchStat.objects.create(
            source=source,
            language=language,
            query=query,
            searches=searches,
            no_result=no_result,
            results=results,
            clicks=clicks,
            day=day,
        )


def report(client, **params):
    response = client.get("/admin/reports/recherches/", params)
    assert response.status_code == 200
    return [
        (row["query"], row["language"], row["searches_total"], row["no_result_total"], row["clicks_total"])
        for row in response.context["object_list"]
    ]


def test_report_top_searches_per_period(admin_client, stats):
    assert report(admin_client, period="30")[:3] == [
        ("menu vege", "fr", 7, 0, 4),
        ("compost", "fr", 4, 4, 0),
        ("cantine bio", "fr", 3, 0, 0),
    ]
    assert report(admin_client)[0] == ("compost", "fr", 14, 14, 0)  # since the beginning
    assert report(admin_client, period="30", source="hub") == [("menu vege", "fr", 2, 0, 1)]
    assert report(admin_client, period="30", language="en") == [("compost", "en", 1, 1, 0)]


def test_report_searches_without_result_and_without_click(admin_client, stats):
    assert report(admin_client, view="sans-resultat", period="30", language="fr") == [
        ("compost", "fr", 4, 4, 0),
        ("=hyperlink", "fr", 1, 1, 0),
    ]
    assert report(admin_client, view="sans-clic", period="30") == [("cantine bio", "fr", 3, 0, 0)]


def test_report_exports_are_neutralised(admin_client, stats):
    export = admin_client.get("/admin/reports/recherches/", {"view": "sans-resultat", "export": "csv"})
    assert export.status_code == 200
    text = b"".join(export.streaming_content).decode()
    assert "Recherches sans résultat" in text.splitlines()[0]
    assert "'=hyperlink" in text and ",=hyperlink" not in text
    xlsx = admin_client.get("/admin/reports/recherches/", {"export": "xlsx"})
    assert xlsx.status_code == 200
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content)).active
    values = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert "'=hyperlink" in values and "=hyperlink" not in values


def test_report_is_for_editors(client, stats):
    assert Client().get("/admin/reports/recherches/").status_code == 302
    user = UserFactory()
    client.force_login(user)
    assert client.get("/admin/reports/recherches/").status_code in (302, 403)
    editor = UserFactory(username="redactrice-recherche")
    editor.groups.add(Group.objects.get(name="Rédacteurs"))
    client.force_login(editor)
    assert client.get("/admin/reports/recherches/").status_code == 200
    assert "/admin/reports/recherches/" in client.get("/admin/").content.decode()
