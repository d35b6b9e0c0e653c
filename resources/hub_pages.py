"""The listing page's and the resource page's context, kept between requests where it can be.

A page of the hub costs little more than the site's chrome (issue 21): what the listing shows (the facet
counts, see `HubQuery.facet_counts`; the cards of a page of results, `card_page`; the kits) and what a
resource page adds to its fields (files, taxonomy labels, related resources, `resource_extras`) are kept in
the shared chrome cache (home/request_cache.py): its generation is drawn again whenever a page is saved,
published, unpublished, moved or deleted, and whenever a snippet, a document, a view restriction, a site or
a locale changes, so nothing is stale after a publication. A full-text search (`q`) and a preview are always
computed afresh. Keys hold the locale, the language, the filters and the page number.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.utils import translation
from wagtail.models import Site

from home.request_cache import shared

from .hub import HubQuery, related_resources


@dataclass
class Card:
    """What a result card shows (resources/hub/card.html), read once and cached: no page object."""

    pk: int
    title: str
    summary: str
    url: str
    alias_of_id: int | None
    language: str
    last_published_at: datetime.datetime | None
    type_label: str = ""
    measure_labels: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    click_url: str = ""


class _Results:
    """The paginator's object list: the filtered queryset, built only when a page of cards is computed (a
    cached page reads nothing, not even the view restrictions behind `.public()`)."""

    def __init__(self, query: HubQuery):
        self.query = query

    def __len__(self):
        return self.query.total

    def __getitem__(self, key):
        return lambda: self.query.queryset[key]


def card_page(query: HubQuery, request):
    """The requested page of results, its `object_list` made of `Card`s."""
    page_obj = query.paginate(_Results(query))
    rows = page_obj.object_list

    def compute():
        return [
            Card(
                pk=resource.pk,
                title=resource.title,
                summary=resource.summary,
                url=resource.get_url(request) or "",
                alias_of_id=resource.alias_of_id,
                language=resource.language,
                last_published_at=resource.last_published_at,
                type_label=resource.type_label,
                measure_labels=resource.measure_labels,
                formats=resource.formats,
            )
            for resource in query.results(rows())
        ]

    if query.q:
        page_obj.object_list = compute()
    else:
        site = Site.find_for_request(request)
        extra = ("cards", query.sort, page_obj.number, query.per_page, query.language, getattr(site, "pk", None))
        page_obj.object_list = shared(f"hub:cards:{query.cache_key(*extra)}", compute)
    return page_obj


def kits(index_page) -> list:
    from .models.kits import KitPage

    return shared(
        f"hub:kits:{index_page.pk}",
        lambda: list(KitPage.objects.child_of(index_page).live().public().order_by("title")),
    )


def pagination_links(page_obj, query: HubQuery, base_url: str) -> dict:
    """Links of the DSFR pagination, keeping the filters; long ranges are elided (1 … 4 5 6 … 834)."""

    def url(number):
        return base_url + query.querystring(**({"page": number} if number > 1 else {}))

    paginator = page_obj.paginator
    items = [
        {"number": number, "url": url(number), "current": number == page_obj.number}
        if number != paginator.ELLIPSIS
        else {"number": None}
        for number in paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1)
    ]
    return {
        "items": items,
        "first": url(1) if page_obj.has_previous() else None,
        "previous": url(page_obj.previous_page_number()) if page_obj.has_previous() else None,
        "next": url(page_obj.next_page_number()) if page_obj.has_next() else None,
        "last": url(paginator.num_pages) if page_obj.has_next() else None,
    }


def hub_context(index_page, request) -> dict:
    """Template context of ResourceIndexPage: results, facets, messages, active filters, links."""
    from django.urls import reverse

    query = HubQuery(request.GET, translation.get_language(), locale_id=index_page.locale_id)
    facets = query.facets()
    page_obj = card_page(query, request)
    errors = list(query.errors)
    base_url = index_page.get_url(request) or ""
    querystring = query.querystring()
    search = hub_search_context(query, page_obj, base_url, request)
    context = {
        **search,
        "hub": query,
        "resources": page_obj,
        "facets": facets,
        "hub_errors": errors,
        "active_filters": query.active_filters(),
        "hub_url": base_url,
        "pagination": pagination_links(page_obj, query, base_url),
        "sort_hidden_fields": query.query_items(without=("sort", query.sort)),
        "filter_hidden_fields": [("sort", query.sort)] if ("sort", query.sort) in query.query_items() else [],
        "feed_rss_url": reverse("resources:feed_rss") + querystring,
        "feed_atom_url": reverse("resources:feed_atom") + querystring,
        "kits": kits(index_page),
    }
    if not query.q:  # the filters' form and the cards, rendered once per state (a search is always afresh)
        extra = ("html", query.sort, page_obj.number, query.per_page, query.language, base_url)
        context["fragments"] = shared(
            f"hub:html:{query.cache_key(*extra)}",
            lambda: {name: render_to_string(f"resources/hub/{name}.html", context) for name in ("filters", "cards")},
        )
    return context


def hub_search_context(query: HubQuery, page_obj, base_url: str, request) -> dict:
    """With `q`: result links that count clicks, « Vouliez-vous dire », the pages shown when nothing matches,
    and the search to count (`search_stat`, put on the response by ResourceIndexPage.serve)."""
    from search import analytics, service

    if not query.q:
        return {}
    language = translation.get_language()
    total = page_obj.paginator.count
    for resource in page_obj.object_list:
        resource.click_url = analytics.click_url(resource.pk, query.q, "hub")
    did_you_mean = service.did_you_mean(query.q, count=total, locale=language)
    if did_you_mean:
        did_you_mean["url"] = base_url + "?" + urlencode({"q": did_you_mean["query"]})
    # the first page of a search (filters included), not a change of page or of sort order
    counted = page_obj.number == 1 and "sort" not in request.GET
    return {
        "did_you_mean": did_you_mean,
        "fallback": service.no_result_pages(language, request=request) if not total else None,
        "search_stat": analytics.stat_header("hub", language, query.q, total) if counted else None,
    }


# --- the resource page -----------------------------------------------------------------------------------


def resource_extras(page, request) -> dict:
    """Files, taxonomy labels (current language) and related resources of a resource page; cached for the
    live page, computed from the page itself (a revision's in-memory relations) in a preview."""
    language = translation.get_language()

    def compute():
        return {
            "files": page.available_files(),
            "related": related_resources(page),
            "taxonomy": {
                "type": page.resource_type.localized.name if page.resource_type_id else "",
                "measures": [measure.localized.name for measure in page.measures.all()],
                "audiences": [audience.localized.name for audience in page.audiences.all()],
                "sectors": [sector.localized.name for sector in page.sectors.all()],
                "gaps": [str(gap) for gap in page.gaps.all()],
            },
        }

    if getattr(request, "is_preview", False) or page.pk is None:
        return compute()
    return shared(f"resource:extras:{page.pk}:{language}", compute)
