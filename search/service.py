"""The search service: one interface, two backends, and the fallback between them (only here).

- `search(query, filters, sort, page)` → `SearchResults` (hits with highlights, total, facet counts), used by
  the site search page;
- `filter_pages(queryset, q)` → the queryset restricted to the matching pages and annotated with
  `search_rank`, used by the resource hub (`resources.hub.search_resources`);
- `suggest(query)` → up to 8 `{"title", "url"}` for the search box.

With ELASTICSEARCH_URL set, Elasticsearch answers; if it is unreachable or errors, the request is answered
by the database (PostgreSQL full text, or the SQLite fallback in development), a warning is logged at most
once a minute and the circuit stays open for ELASTICSEARCH_COOLDOWN seconds (see `search.health`).
"""

from __future__ import annotations

import hashlib
import logging
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, FloatField, Value, When
from django.utils import translation
from wagtail.models import Page

from .backends.database import database_backend
from .health import breaker, elasticsearch_usable, report_failure
from .indexing import generation
from .results import SORT_RELEVANCE, SORTS, SearchResults
from .text import one_line, tokens

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
IDS_TIMEOUT = 60


def language_of(locale=None) -> str:
    """ "fr" or "en" from a Locale, a language code or the active language."""
    code = getattr(locale, "language_code", locale) or translation.get_language() or settings.LANGUAGE_CODE
    code = code.split("-")[0].lower()
    return code if code in {language for language, _name in settings.LANGUAGES} else settings.LANGUAGE_CODE


def clean_query(query) -> str:
    """One line of at most 200 characters, without NUL or other control characters."""
    return one_line(query)[:MAX_QUERY_LENGTH]


def _elasticsearch():
    from .backends.elastic import ElasticsearchBackend

    return ElasticsearchBackend()


def _with_fallback(elasticsearch_call, database_call):
    if elasticsearch_usable():
        try:
            result = elasticsearch_call(_elasticsearch())
        except Exception as error:  # unreachable, timeout, missing index, bad answer: the database answers
            report_failure(error)
        else:
            breaker.success()
            return result
    return database_call(database_backend())


def active_backend() -> str:
    if elasticsearch_usable():
        return "elasticsearch"
    return database_backend().name


def search(
    query,
    filters=None,
    sort: str = SORT_RELEVANCE,
    page: int = 1,
    per_page: int = 10,
    locale=None,
    facets: bool = True,
    request=None,
) -> SearchResults:
    """Search live, public pages of one language. `filters`: {"kind"|"measure"|"audience"|"sector"|"type": [codes]}."""
    language = language_of(locale)
    query = clean_query(query)
    sort = sort if sort in SORTS else SORT_RELEVANCE
    try:
        page = max(1, int(page))
    except (TypeError, ValueError):
        page = 1
    if not tokens(query):
        return SearchResults(query=query, hits=[], total=0, page=page, per_page=per_page)
    arguments = dict(filters=filters, sort=sort, page=page, per_page=per_page, facets=facets)
    results = _with_fallback(
        lambda backend: backend.search(query, language, **arguments),
        lambda backend: backend.search(query, language, **arguments),
    )
    attach_pages(results, request)
    return results


def attach_pages(results: SearchResults, request=None):
    """Set `hit.page` and `hit.url` (one query); hits whose page is gone or not live any more are dropped."""
    pages = Page.objects.live().filter(pk__in=results.page_ids).in_bulk()
    kept = []
    for hit in results.hits:
        page = pages.get(hit.page_id)
        if page is None:
            continue
        hit.page = page
        hit.url = page.get_url(request)
        kept.append(hit)
    results.total -= len(results.hits) - len(kept)
    results.hits = kept


def suggest(query, locale=None, limit: int = 8, request=None) -> list[dict]:
    """Titles for the search box: [{"title", "url"}], at most `limit` (8)."""
    language = language_of(locale)
    query = clean_query(query)[:100]
    if not tokens(query):
        return []
    rows = _with_fallback(
        lambda backend: backend.suggest(query, language, limit),
        lambda backend: backend.suggest(query, language, limit),
    )
    pages = Page.objects.live().filter(pk__in=[row["page_id"] for row in rows]).in_bulk()
    suggestions = []
    for row in rows:
        page = pages.get(row["page_id"])
        if page is not None:
            suggestions.append({"title": row["title"], "url": page.get_url(request)})
    return suggestions[:limit]


FEW_RESULTS = 5
SPELLING_SIMILARITY = 0.3


def did_you_mean(query, results=None, locale=None, count=None, request=None) -> dict | None:
    """« Vouliez-vous dire » for a query with no or few results: {"query", "url"} or None.

    Each word of the query unknown to the index's own vocabulary (`SearchWord`, filled at indexing, the same
    for every backend) is replaced by its closest vocabulary word (pg_trgm similarity ≥ 0.3 on PostgreSQL,
    difflib on SQLite): one query, and only when the search found fewer than FEW_RESULTS pages or had to
    correct a word.
    """
    from django.urls import reverse

    from .query import words_to_check

    language = language_of(locale)
    query = clean_query(query)
    total = results.total if results is not None else (count or 0)
    corrected = bool(results is not None and results.corrections)
    if not tokens(query) or (total >= FEW_RESULTS and not corrected):
        return None
    words, last = words_to_check(query, language)
    if not words:
        return None
    closest = database_backend().corrections(words, last, similarity=SPELLING_SIMILARITY, limit=1)
    if not closest:
        return None
    spans = tokens(query)
    suggestion = " ".join(closest.get(word, [word])[0] for word in spans)
    if suggestion == " ".join(spans):
        return None
    url = reverse("search:search") + "?" + urlencode({"q": suggestion})
    return {"query": suggestion, "url": url}


_no_result_providers = []


def register_no_result_provider(provider):
    """`provider(language, limit, request)` → [{"title", "url", "summary"}]: the upper layers' pages to show
    when a search finds nothing (resources registers « the most useful resources »)."""
    if provider not in _no_result_providers:
        _no_result_providers.append(provider)


def no_result_pages(locale=None, limit: int = 6, request=None) -> dict:
    """What a page with no result shows instead of a blank: {"measures": [...], "resources": [...]}.

    The measure pages come from the index (kind « measure », in the page's language); the resources from
    the providers registered by the upper layers.
    """
    from .models import SearchEntry

    language = language_of(locale)
    rows = list(
        SearchEntry.objects.filter(locale=language, kind="measure").order_by("title").values_list("page_id", "title")
    )
    pages = Page.objects.live().public().filter(pk__in=[page_id for page_id, _title in rows]).in_bulk()
    measures = [{"title": title, "url": pages[page_id].get_url(request)} for page_id, title in rows if page_id in pages]
    resources = []
    for provider in _no_result_providers:
        resources.extend(provider(language, limit, request))
    return {"measures": measures, "resources": resources[:limit]}


def _ranked_ids_from_elasticsearch(backend, query, language):
    digest = hashlib.sha1(f"{language}|{query}".encode()).hexdigest()
    key = f"search:es-ids:{generation()}:{digest}"
    ids = cache.get(key)
    if ids is None:
        ids = backend.ranked_ids(query, language)
        cache.set(key, ids, IDS_TIMEOUT)
    return ids


def filter_pages(queryset, q, locale=None):
    """The resource hub's full text: `queryset` restricted to the pages matching `q`, with `search_rank`.

    On the database the match and the rank are a join on the index table (no per-result query, and the
    query plan is cached, so repeated calls for the facets cost no extra query). With Elasticsearch, the
    ranked ids (at most 1000) are fetched once and cached for a minute.
    """
    language = language_of(locale)
    query = clean_query(q)
    if not tokens(query):
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))

    def with_elasticsearch(backend):
        ranked = _ranked_ids_from_elasticsearch(backend, query, language)
        if not ranked:
            return queryset.none().annotate(search_rank=Value(0.0, output_field=FloatField()))
        rank = Case(
            *[When(pk=page_id, then=Value(float(score))) for page_id, score in ranked],
            default=Value(0.0),
            output_field=FloatField(),
        )
        return queryset.filter(pk__in=[page_id for page_id, _score in ranked]).annotate(search_rank=rank)

    def with_database(backend):
        parsed = backend.plan(query, language)
        if not parsed:
            return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
        return backend.filter_pages(queryset, parsed)

    return _with_fallback(with_elasticsearch, with_database)
