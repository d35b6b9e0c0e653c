"""The site search page (GET form, works without JavaScript) and the JSON suggestions of the search box."""

from urllib.parse import urlencode

from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET
from wagtail.models import Page

from . import analytics, service
from .results import SORT_DATE, SORT_RELEVANCE, SORT_TITLE

PER_PAGE = 10
MAX_PAGE_LINKS = 7

# Kinds in display order: (code, facet label, badge label).
KINDS = [
    ("resource", _("Ressources"), _("Ressource")),
    ("guide", _("Guides"), _("Guide")),
    ("measure", _("Mesures EGAlim"), _("Mesure EGAlim")),
    ("kit", _("Kits"), _("Kit")),
    ("page", _("Autres pages"), _("Page")),
]
KIND_CODES = [code for code, _label, _badge in KINDS]
SORT_CHOICES = [(SORT_RELEVANCE, _("Pertinence")), (SORT_DATE, _("Les plus récents")), (SORT_TITLE, _("Titre"))]


def _querystring(**params) -> str:
    items = []
    for name, value in params.items():
        if isinstance(value, list | tuple):
            items.extend((name, item) for item in value)
        elif value not in (None, ""):
            items.append((name, value))
    return "?" + urlencode(items) if items else "?"


def _page_numbers(current: int, last: int) -> list[int | None]:
    """1 … 4 5 [6] 7 8 … 20: None stands for an ellipsis."""
    if last <= MAX_PAGE_LINKS:
        return list(range(1, last + 1))
    window = {1, last, current - 1, current, current + 1}
    numbers, previous = [], 0
    for number in sorted(n for n in window if 1 <= n <= last):
        if number - previous > 1:
            numbers.append(None)
        numbers.append(number)
        previous = number
    return numbers


@require_GET
def search_view(request):
    query = service.clean_query(request.GET.get("q", ""))
    kinds = [kind for kind in dict.fromkeys(request.GET.getlist("type")) if kind in KIND_CODES]
    sort = request.GET.get("sort", SORT_RELEVANCE)
    sort = sort if sort in dict(SORT_CHOICES) else SORT_RELEVANCE
    results = service.search(
        query, filters={"kind": kinds}, sort=sort, page=request.GET.get("page", 1), per_page=PER_PAGE, request=request
    )
    if results.page > results.num_pages and results.total:
        results = service.search(
            query, filters={"kind": kinds}, sort=sort, page=results.num_pages, per_page=PER_PAGE, request=request
        )
    kind_counts = results.facets.get("kind", {})
    badges = {code: badge for code, _label, badge in KINDS}
    facets = []
    for code, label, _badge in KINDS:
        selected = code in kinds
        toggled = [kind for kind in kinds if kind != code] if selected else [*kinds, code]
        count = kind_counts.get(code, 0)
        if count or selected:
            facets.append(
                {
                    "code": code,
                    "label": label,
                    "count": count,
                    "selected": selected,
                    "url": _querystring(q=query, type=toggled, sort=sort if sort != SORT_RELEVANCE else ""),
                }
            )
    language = service.language_of()
    for hit in results.hits:
        hit.kind_label = badges.get(hit.kind, "")
        hit.click_url = analytics.click_url(hit.page_id, query, "site")
    sort_param = sort if sort != SORT_RELEVANCE else ""
    context = {
        "query": query,
        "results": results,
        "hits": results.hits,
        "start_index": (results.page - 1) * PER_PAGE + 1,
        "facets": facets,
        "kinds": kinds,
        "sort": sort,
        "sort_choices": SORT_CHOICES,
        "all_types_url": _querystring(q=query, sort=sort_param),
        "pages": [
            (number, _querystring(q=query, type=kinds, sort=sort_param, page=number) if number else None)
            for number in _page_numbers(results.page, results.num_pages)
        ],
        "previous_url": _querystring(q=query, type=kinds, sort=sort_param, page=results.page - 1)
        if results.page > 1
        else None,
        "next_url": _querystring(q=query, type=kinds, sort=sort_param, page=results.page + 1)
        if results.page < results.num_pages
        else None,
        "search_url": reverse("search:search"),
        "suggest_url": reverse("search:suggestions"),
        "corrections": results.corrections,
        "did_you_mean": service.did_you_mean(query, results, language, request=request),
        "fallback": service.no_result_pages(language, request=request) if not results.total else None,
    }
    response = render(request, "search/search.html", context)
    if query and results.page == 1 and "sort" not in request.GET and request.GET.get("page") in (None, "", "1"):
        # counted by search.analytics.SearchStatsMiddleware, also when the page cache answers
        response[analytics.HEADER] = analytics.stat_header("site", language, query, results.total)
    return response


@require_GET
@never_cache
def click_view(request, page_id: int):
    """A result clicked: count it (query, language, day; nothing about the person), go to the page."""
    page = Page.objects.live().public().filter(pk=page_id).first()
    if page is None:
        raise Http404
    url = page.get_url(request)
    if not url:
        raise Http404
    source = request.GET.get("from", "")
    if source in analytics.SOURCES and not analytics.is_robot(request):
        analytics.record_click(source, translation.get_language() or "fr", request.GET.get("q", ""))
    response = HttpResponseRedirect(url)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
@cache_control(max_age=60, public=True)
def suggestions_view(request):
    """[{"title", "url"}], at most 8 titles matching the beginning of what is typed (`?q=gasp`)."""
    suggestions = service.suggest(request.GET.get("q", ""), limit=8, request=request)
    return JsonResponse(suggestions, safe=False, json_dumps_params={"ensure_ascii": False})
