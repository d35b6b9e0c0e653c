"""What every backend returns."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

SORT_RELEVANCE, SORT_DATE, SORT_TITLE = "relevance", "date", "title"
SORTS = (SORT_RELEVANCE, SORT_DATE, SORT_TITLE)
FILTER_NAMES = ("kind", "measure", "audience", "sector", "type")


@dataclass
class Hit:
    page_id: int
    kind: str
    title: str
    title_html: str  # escaped, with <mark> around the matched words
    excerpt_html: str  # idem
    score: float = 0.0
    published_at: object = None
    url: str | None = None
    page: object = None


@dataclass
class SearchResults:
    query: str
    hits: list[Hit]
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    page: int = 1
    per_page: int = 10
    backend: str = ""  # "postgresql", "database" (SQLite fallback) or "elasticsearch"
    corrections: dict[str, list[str]] = field(default_factory=dict)

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page)) if self.per_page else 1

    @property
    def page_ids(self) -> list[int]:
        return [hit.page_id for hit in self.hits]


def clean_filters(filters) -> dict[str, list[str]]:
    """{name: [values]} with only the known names and non-empty string values."""
    cleaned = {}
    for name in FILTER_NAMES:
        values = (filters or {}).get(name) or []
        if isinstance(values, str):
            values = [values]
        values = [str(value).strip() for value in values if str(value).strip()]
        if values:
            cleaned[name] = list(dict.fromkeys(values))[:20]
    return cleaned
