"""What people search for: each search and each click on a result, counted per day, without personal data.

- `normalise(query)`: the words of a query as the report shows them — lowercase, no accents, no punctuation,
  e-mail addresses and numbers of five digits or more (telephone, SIRET) removed, at most 100 characters;
- `record_search(source, language, query, count)` and `record_click(source, language, query)`: one SQL
  statement each (INSERT … ON CONFLICT DO UPDATE on the day's row), safe under concurrent requests;
- the search views do not write: they put `X-Search-Stat` on their response (`stat_header`), and
  `SearchStatsMiddleware`, placed before the page cache in MIDDLEWARE, records it and removes it. A page
  served from the page cache carries the stored header, so cached searches are counted too, and counting
  never makes a search page uncacheable;
- a click goes through `/recherche/clic/<page id>/?q=…&from=site|hub` (`search.views.click_view`), which
  counts it and redirects to the page; result links carry it only when the page comes from a search.

Nothing identifies a person: no IP address, no user id, no session, no cookie, no time of day; robots
(by their user agent) are not counted.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from .text import tokens

HEADER = "X-Search-Stat"
SOURCES = ("site", "hub")
MAX_QUERY = 100
_EMAIL = re.compile(r"\S+@\S+")
_ROBOT = re.compile(r"bot|crawl|spider|slurp|preview|monitor|curl|wget|python-requests|headless", re.IGNORECASE)

UPSERT = """
INSERT INTO search_searchstat (day, source, language, query, searches, no_result, results, clicks)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (day, source, language, query) DO UPDATE SET
    searches = search_searchstat.searches + EXCLUDED.searches,
    no_result = search_searchstat.no_result + EXCLUDED.no_result,
    results = CASE WHEN EXCLUDED.searches > 0 THEN EXCLUDED.results ELSE search_searchstat.results END,
    clicks = search_searchstat.clicks + EXCLUDED.clicks
"""


def normalise(query) -> str:
    """« Menu VÉGÉ ?? » → « menu vege »; e-mail addresses and long numbers are dropped."""
    text = _EMAIL.sub(" ", str(query or ""))
    words = [word for word in tokens(text) if not (word.isdigit() and len(word) >= 5)]
    return " ".join(words)[:MAX_QUERY].strip()


def _upsert(source, language, query, searches, no_result, results, clicks):
    query = normalise(query)
    if not query or source not in SOURCES:
        return
    language = (language or "fr")[:8]
    with connection.cursor() as cursor:
        cursor.execute(
            UPSERT, [timezone.localdate(), source, language, query, searches, no_result, max(0, results), clicks]
        )


def record_search(source: str, language: str, query: str, count: int):
    _upsert(source, language, query, 1, 1 if count == 0 else 0, count, 0)


def record_click(source: str, language: str, query: str):
    _upsert(source, language, query, 0, 0, 0, 1)


def stat_header(source: str, language: str, query: str, count: int) -> str:
    """The value of `X-Search-Stat` for a search page (ASCII: the query is normalised)."""
    return urlencode({"source": source, "language": language, "q": normalise(query), "count": int(count)})


def click_url(page_id: int, query: str, source: str) -> str:
    return reverse("search:click", args=[page_id]) + "?" + urlencode({"q": normalise(query), "from": source})


def is_robot(request) -> bool:
    return bool(_ROBOT.search(request.headers.get("User-Agent", "")))


class SearchStatsMiddleware:
    """Records the search a response carries in `X-Search-Stat` (fresh or from the page cache), then drops it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        value = response.headers.get(HEADER)
        if value:
            del response[HEADER]
        if value and request.method == "GET" and response.status_code == 200 and not is_robot(request):
            fields = {name: values[0] for name, values in parse_qs(value).items()}
            try:
                count = int(fields.get("count", 0))
            except ValueError:
                count = 0
            try:
                record_search(fields.get("source", ""), fields.get("language", ""), fields.get("q", ""), count)
            except Exception:  # counting must never break a search page
                import logging

                logging.getLogger(__name__).exception("Search not counted")
        return response
