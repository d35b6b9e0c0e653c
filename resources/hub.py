"""The resource hub: filters (django-filter), facet counts, sorting and pagination of ResourcePages.

Everything the listing page, the feeds and the future JSON API need goes through `HubQuery`, or through
`hub_results(params, locale) -> (page_obj, facets, errors)`.

Query parameters (all optional, the URL holds the whole state):

- `measure`, `type`, `audience`, `sector`, `format`, `gap`: codes, repeatable (`?measure=waste&measure=quality`).
  Values of one parameter are combined with OR, parameters with AND.
- `q`: full text (see `search_resources`), `sort`: `relevance` (default when `q` is given), `recent`
  (default otherwise: last published first) or `title`; `page`: 12 results per page.

Invalid values never fail: an unknown code is ignored with a message (`errors`), `?page=abc` gives the
first page and `?page=999` the last one.

Facets (disjunctive faceting): the count next to a value is the number of resources having that value
among those matching every *other* parameter (the facet's own parameter is left out). It is what the
listing shows when this value is the only one ticked for its parameter; ticking it besides other values
of the same parameter (OR) adds at most that many. So a value with a count never leads to an empty page,
and the values of an already filtered parameter keep useful counts. A value at 0 is shown, not tickable.

All facets and the total are computed by ONE SQL query (a GROUP BY per facet over a common table
expression, see `HubQuery.facet_counts`), never one query per value: the number of queries does not
depend on the number of resources nor on the number of values.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

import django_filters
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Case, F, IntegerField, Prefetch, Q, Value, When
from django.db.models.functions import Lower
from django.http import QueryDict
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.coreutils import get_supported_content_language_variant

from home.request_cache import shared
from search.text import one_line

from .models import Audience, Measure, ResourceFile, ResourcePage, ResourceType, SectorCategory
from .models.base import RESOURCES_PER_PAGE
from .terms import Term, _language, taxonomy_terms, term_catalogue  # noqa: F401  (taxonomy labels, see there)

SORT_RELEVANCE, SORT_RECENT, SORT_TITLE = "relevance", "recent", "title"
SORT_LABELS = {
    SORT_RELEVANCE: _("Pertinence"),
    SORT_RECENT: _("Les plus récentes"),
    SORT_TITLE: _("Titre (A → Z)"),
}
RECENT_FIRST = F("last_published_at").desc(nulls_last=True)
Q_MAX_LENGTH = 200
Q_MAX_TERMS = 8
MAX_VALUES_PER_PARAMETER = 20

# Facet parameters, in display order: (parameter, label, taxonomy model or None).
FACETS = [
    ("measure", _("Mesure EGAlim"), Measure),
    ("type", _("Type de ressource"), ResourceType),
    ("audience", _("Public"), Audience),
    ("sector", _("Secteur"), SectorCategory),
    ("format", _("Format"), None),
    ("gap", _("Écart au diagnostic"), None),
]
FACET_NAMES = [name for name, _label, _model in FACETS]
PARAMETERS = [*FACET_NAMES, "q", "sort", "page"]

# Many-to-many relations of ResourcePage behind the taxonomy parameters: parameter → (through, column).
M2M = {
    "measure": (ResourcePage.measures.through, "measure_id"),
    "audience": (ResourcePage.audiences.through, "audience_id"),
    "sector": (ResourcePage.sectors.through, "sectorcategory_id"),
    "gap": (ResourcePage.gaps.through, "gap_id"),
}


def available_files_q(prefix: str = "") -> Q:
    """ResourceFile rows that can be downloaded or followed (a document, or a non-empty link)."""
    return Q(**{f"{prefix}document__isnull": False}) | ~Q(**{f"{prefix}url": ""})


def search_resources(queryset, q: str):
    """Full-text filter of the hub, through the search service (`search.service.filter_pages`).

    French full text on PostgreSQL (accents, plurals, typos, synonyms; Elasticsearch when configured, with
    a fallback to the database): the queryset is restricted to the matching pages, with a join on the search
    index (no query per result), and annotated with `search_rank` for the « Pertinence » sort. Up to two
    words must all match, 75 % of them beyond (see `search.query`).
    """
    from search.service import filter_pages

    return filter_pages(queryset, " ".join((q or "").split()[:Q_MAX_TERMS]))


# --- the filterset ---------------------------------------------------------------------------------------


class CodesFilter(django_filters.MultipleChoiceFilter):
    """A repeatable parameter of codes, filtered with an IN (subquery) condition (no join, no DISTINCT).

    `condition(ids)` builds the filter from the values' database ids; the filterset gives the choices.
    """

    def __init__(self, *args, condition=None, **kwargs):
        self.condition = condition
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        ids = [self.parent.ids[self.field_name][code] for code in value]
        return qs.filter(self.condition(ids))


# Conditions are `pk IN (uncorrelated subquery)`: a semi-join in WHERE, and a hashed subplan (computed once)
# in the facet query's 0/1 columns, where a correlated EXISTS would be costed per row and push PostgreSQL
# past its JIT threshold (35 ms of compilation for a 10 ms query).


def m2m_condition(parameter):
    through, column = M2M[parameter]

    def condition(ids):
        return Q(pk__in=through.objects.filter(**{f"{column}__in": ids}).values("resourcepage_id"))

    return condition


def format_condition(codes):
    return Q(pk__in=ResourceFile.objects.filter(available_files_q(), format__in=codes).values("page_id"))


def type_condition(ids):
    return Q(resource_type_id__in=ids)


class HubFilterSet(django_filters.FilterSet):
    measure = CodesFilter(field_name="measure", label=_("Mesure EGAlim"), condition=m2m_condition("measure"))
    type = CodesFilter(field_name="type", label=_("Type de ressource"), condition=type_condition)
    audience = CodesFilter(field_name="audience", label=_("Public"), condition=m2m_condition("audience"))
    sector = CodesFilter(field_name="sector", label=_("Secteur"), condition=m2m_condition("sector"))
    format = CodesFilter(field_name="format", label=_("Format"), condition=format_condition)
    gap = CodesFilter(field_name="gap", label=_("Écart au diagnostic"), condition=m2m_condition("gap"))
    q = django_filters.CharFilter(label=_("Rechercher"), method="filter_q", max_length=Q_MAX_LENGTH)

    class Meta:
        model = ResourcePage
        fields = []

    def __init__(self, data=None, queryset=None, *, catalogue, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.ids = {name: {term.code: term.id for term in terms} for name, terms in catalogue.items()}
        for name, terms in catalogue.items():
            self.filters[name].extra["choices"] = [(term.code, term.label) for term in terms]

    def filter_q(self, queryset, name, value):
        return search_resources(queryset, value) if value else queryset

    def filter_queryset(self, queryset, exclude=()):
        """The queryset filtered by every parameter, except those named in `exclude`."""
        for name, value in self.form.cleaned_data.items():
            if name not in exclude:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def condition(self, name):
        """The filter expression of a facet parameter for its current values (an Exists or a Q)."""
        filter_ = self.filters[name]
        return filter_.condition([self.ids[name][code] for code in self.form.cleaned_data[name]])


# --- results and facets ----------------------------------------------------------------------------------


@dataclass
class FacetValue:
    code: str
    label: str
    count: int = 0
    selected: bool = False

    @property
    def disabled(self) -> bool:
        """A value that would give no result is shown (with 0) but cannot be ticked."""
        return self.count == 0 and not self.selected


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue] = field(default_factory=list)

    @property
    def selected(self) -> list[FacetValue]:
        return [value for value in self.values if value.selected]


@dataclass
class ActiveFilter:
    """A removable tag: the label and the query string without this value."""

    name: str
    code: str
    label: str
    remove_query: str


def _getlist(params, name) -> list[str]:
    if hasattr(params, "getlist"):
        values = params.getlist(name)
    else:
        values = params.get(name, [])
        values = [values] if isinstance(values, str) else list(values or [])
    return [str(value).strip() for value in values if str(value).strip()]


class HubQuery:
    """One request to the hub: cleaned parameters, filtered queryset, facets, page, messages.

    `params` is a QueryDict or a mapping {name: value or [values]}; `locale` a wagtail Locale or a
    language code (default: the active language).
    """

    def __init__(self, params: Mapping, locale=None, per_page: int = RESOURCES_PER_PAGE, locale_id=None):
        self.language = _language(locale)
        self.locale_id = locale_id if locale_id is not None else getattr(locale, "pk", None)
        self.per_page = per_page
        self.errors: list[str] = []
        self.catalogue = term_catalogue(self.language)
        self.labels = {name: {term.code: term.label for term in terms} for name, terms in self.catalogue.items()}
        self.selected = self._clean(params)

    @cached_property
    def base(self):
        return self.base_queryset()  # `.public()` costs one query: build it once, and only when one is run

    @cached_property
    def filterset(self):
        filterset = HubFilterSet(self._filter_data(), self.base, catalogue=self.catalogue)
        filterset.is_valid()  # values are cleaned in `_clean`: the form is always valid
        return filterset

    def cache_key(self, *extra) -> str:
        """The state's key in the shared cache (home/request_cache.py, emptied whenever a page, a restriction
        or a snippet changes): locale, filters, `q` and `extra`, hashed."""
        state = repr((self.locale_id or self.language, sorted(self.selected.items()), self.q, extra))
        return hashlib.sha256(state.encode()).hexdigest()

    # parameters

    def _clean(self, params) -> dict[str, list[str]]:
        selected = {}
        for name, label, _model in FACETS:
            known = self.labels[name]
            values = list(dict.fromkeys(_getlist(params, name)))[:MAX_VALUES_PER_PARAMETER]
            invalid = [value for value in values if value not in known]
            for value in invalid:
                self.errors.append(
                    gettext("« %(value)s » n'est pas une valeur connue du filtre « %(filter)s » : elle est ignorée.")
                    % {"value": value[:50], "filter": label}
                )
            selected[name] = [value for value in values if value in known]
        # NUL and other control characters (?q=%00) become spaces: Django's CharField refuses NUL, which left
        # the « Pertinence » sort without its `search_rank` (a 500).
        q = one_line(" ".join(_getlist(params, "q")))
        if len(q) > Q_MAX_LENGTH:
            q = q[:Q_MAX_LENGTH]
            self.errors.append(gettext("La recherche est limitée à %(max)d caractères.") % {"max": Q_MAX_LENGTH})
        self.q = q
        sort = (_getlist(params, "sort") or [""])[0]
        if sort and sort not in SORT_LABELS:
            self.errors.append(gettext("Tri inconnu « %(value)s » : tri par défaut.") % {"value": sort[:50]})
            sort = ""
        if sort == SORT_RELEVANCE and not q:
            sort = ""
        self.sort = sort or (SORT_RELEVANCE if q else SORT_RECENT)
        self.page_number = (_getlist(params, "page") or ["1"])[0]
        return selected

    def _filter_data(self) -> QueryDict:
        data = QueryDict(mutable=True)
        for name, values in self.selected.items():
            data.setlist(name, values)
        if self.q:
            data["q"] = self.q
        return data

    @property
    def sort_choices(self):
        choices = [(code, label) for code, label in SORT_LABELS.items() if code != SORT_RELEVANCE or self.q]
        return [(code, str(label), code == self.sort) for code, label in choices]

    @property
    def is_filtered(self) -> bool:
        return bool(self.q or any(self.selected.values()))

    # querysets

    def base_queryset(self):
        pages = ResourcePage.objects.live().public()
        if self.locale_id is not None:
            return pages.filter(locale_id=self.locale_id)
        return pages.filter(locale__language_code=get_supported_content_language_variant(self.language))

    @property
    def queryset(self):
        """The filtered, sorted results (not paginated)."""
        queryset = self.filterset.qs
        if self.sort == SORT_RELEVANCE and "search_rank" in queryset.query.annotations:
            return queryset.order_by("-search_rank", RECENT_FIRST, "-pk")
        if self.sort == SORT_TITLE:
            return queryset.order_by(Lower("title"), "pk")
        return queryset.order_by(RECENT_FIRST, "-pk")

    def page(self):
        """The requested page of results (first page if not a number, last page if too far)."""
        page_obj = self.paginate(self.queryset)
        page_obj.object_list = self.results(page_obj.object_list)
        return page_obj

    def paginate(self, object_list):
        paginator = Paginator(object_list, self.per_page)
        paginator.count = self.total  # known from the facet query: no COUNT(*)
        return paginator.get_page(self.page_number)

    def results(self, object_list) -> list[ResourcePage]:
        """The ResourcePages of a page of results, with `type_label`, `measure_labels` and `formats`."""
        resources = list(
            object_list.select_related("resource_type").prefetch_related(
                "measures",
                Prefetch(
                    "files",
                    queryset=ResourceFile.objects.filter(available_files_q()).select_related("document"),
                ),
            )
        )
        type_labels = {term.id: term.label for term in self.catalogue["type"]}
        measure_labels = {term.id: term.label for term in self.catalogue["measure"]}
        for resource in resources:
            resource.type_label = type_labels.get(resource.resource_type_id, "")
            resource.measure_labels = [measure_labels.get(m.pk, m.name) for m in resource.measures.all()]
            resource.formats = list(dict.fromkeys(str(file.get_format_display()) for file in resource.files.all()))
        return resources

    def facets(self) -> list[Facet]:
        """Every facet with a count for each value (see `facet_counts`)."""
        counts = self.facet_counts()
        facets = []
        for name, label, _model in FACETS:
            values = [
                FacetValue(
                    code=term.code,
                    label=term.label,
                    count=counts[name].get(str(term.id), 0),
                    selected=term.code in self.selected[name],
                )
                for term in self.catalogue[name]
            ]
            facets.append(Facet(name=name, label=str(label), values=values))
        return facets

    def facet_counts(self) -> dict[str, dict[str, int]]:
        """{facet: {value id as text: number of resources}} and {"total": {"": results}}: ONE query.

        The resources matching everything but the facet parameters (locale, live, public, `q`) are read
        once in a common table expression, with one 0/1 column per active facet parameter (« matches
        this parameter's filter »); each facet is then a GROUP BY over that table, keeping the rows that
        match every *other* active parameter, and the branches are glued with UNION ALL. Same result as
        one ORM query per facet, without evaluating the filtered set seven times.
        """
        if not hasattr(self, "_facet_counts"):
            # kept between requests (emptied on publication); a full-text search is always asked afresh
            count = self._count_facets
            self._facet_counts = count() if self.q else shared(f"hub:facets:{self.cache_key()}", count)
        return self._facet_counts

    def _count_facets(self) -> dict[str, dict[str, int]]:
        connection = connections[ResourcePage.objects.db]
        quote = connection.ops.quote_name
        active = [name for name in FACET_NAMES if self.selected[name]]
        flags = {
            f"hub_f_{name}": Case(
                When(self.filterset.condition(name), then=Value(1)), default=Value(0), output_field=IntegerField()
            )
            for name in active
        }
        rows = (
            self.filterset.filter_queryset(self.base.all(), exclude=FACET_NAMES)
            .order_by()
            .values(
                hub_id=F("pk"), hub_type=F("resource_type_id"), **{flag: flag_expr for flag, flag_expr in flags.items()}
            )
        )
        rows_sql, params = rows.query.sql_with_params()

        def where(except_name=None, extra=()):
            conditions = [*extra, *(f"h.hub_f_{name} = 1" for name in active if name != except_name)]
            return f" WHERE {' AND '.join(conditions)}" if conditions else ""

        branches = [f"SELECT 'total', '', COUNT(*) FROM hub h{where()}"]
        branches.append(
            f"SELECT 'type', CAST(h.hub_type AS TEXT), COUNT(*) FROM hub h{where('type')} GROUP BY h.hub_type"
        )
        for name, (through, column) in M2M.items():
            table, page_column = quote(through._meta.db_table), quote("resourcepage_id")
            branches.append(
                f"SELECT '{name}', CAST(t.{quote(column)} AS TEXT), COUNT(*) FROM hub h"
                f" INNER JOIN {table} t ON t.{page_column} = h.hub_id{where(name)} GROUP BY t.{quote(column)}"
            )
        files = quote(ResourceFile._meta.db_table)
        available = f"(f.{quote('document_id')} IS NOT NULL OR f.{quote('url')} <> '')"
        branches.append(
            f"SELECT 'format', f.{quote('format')}, COUNT(DISTINCT f.{quote('page_id')}) FROM hub h"
            f" INNER JOIN {files} f ON f.{quote('page_id')} = h.hub_id{where('format', [available])}"
            f" GROUP BY f.{quote('format')}"
        )
        sql = f"WITH hub AS ({rows_sql}) " + " UNION ALL ".join(branches)
        counts = {name: {} for name in [*FACET_NAMES, "total"]}
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for name, value, count in cursor.fetchall():
                counts[name][str(value) if value is not None else ""] = count
        return counts

    @property
    def total(self) -> int:
        return self.facet_counts()["total"].get("", 0)

    # URLs

    def query_items(self, without: tuple[str, str] | None = None, **overrides) -> list[tuple[str, str]]:
        """The canonical query string items of the current state (no page), minus one value."""
        items = [(name, value) for name in FACET_NAMES for value in self.selected[name] if (name, value) != without]
        q = "" if without == ("q", self.q) else self.q
        if q:
            items.append(("q", q))
        sort = SORT_RECENT if self.sort == SORT_RELEVANCE and not q else self.sort
        if sort != (SORT_RELEVANCE if q else SORT_RECENT):
            items.append(("sort", sort))
        items += list(overrides.items())
        return items

    def querystring(self, **kwargs) -> str:
        items = self.query_items(**kwargs)
        return "?" + urlencode(items) if items else ""

    def active_filters(self) -> list[ActiveFilter]:
        active = []
        for name in FACET_NAMES:
            for code in self.selected[name]:
                active.append(ActiveFilter(name, code, self.labels[name][code], self.querystring(without=(name, code))))
        if self.q:
            label = gettext("Recherche : « %(q)s »") % {"q": self.q}
            active.append(ActiveFilter("q", self.q, label, self.querystring(without=("q", self.q))))
        return active

    def run(self):
        facets = self.facets()
        return self.page(), facets, list(self.errors)


def hub_results(params: Mapping, locale=None, per_page: int = RESOURCES_PER_PAGE):
    """(page_obj, facets, errors) for the query parameters `params` in `locale` (see the module docstring).

    `page_obj.object_list` holds ResourcePages with `type_label`, `measure_labels` and `formats`; `facets`
    is a list of `Facet` (name, label, values with code, label, count, selected); `errors` a list of
    messages in the active language about ignored parameters.
    """
    return HubQuery(params, locale, per_page=per_page).run()


# --- the resource page (the listing page's context: resources/hub_pages.py) ---------------------------


RELATED_LIMIT = 4


def related_resources(page, limit: int = RELATED_LIMIT) -> list:
    """Resources shown next to `page`: the editors' choice, then the same measure, then the same type.

    Live, public resources of the page's language only; at most `limit`.
    """
    chosen = []
    # On a revision (preview, workflow preview, compare) the page's relations are in-memory FakeQuerySets:
    # read their ids only, then ask the database (live(), public() and order_by() are queryset methods).
    chosen_ids = [related.pk for related in page.related_resources.all()]
    for related in ResourcePage.objects.filter(pk__in=chosen_ids).live().public().order_by("title"):
        related = related.localized
        if related.live and related.pk != page.pk and related not in chosen:
            chosen.append(related)
    if len(chosen) >= limit:
        return chosen[:limit]
    measure_ids = [measure.pk for measure in page.measures.all()]
    same_measure = m2m_condition("measure")(measure_ids)
    same_type = Q(resource_type_id=page.resource_type_id) if page.resource_type_id else Q(pk__in=[])
    candidates = (
        ResourcePage.objects.live()
        .public()
        .filter(locale_id=page.locale_id)
        .exclude(pk__in=[page.pk, *(related.pk for related in chosen)])
        .filter(same_measure | same_type)
        .annotate(
            shares_measure=Case(When(same_measure, then=Value(1)), default=Value(0), output_field=IntegerField()),
            shares_type=Case(When(same_type, then=Value(1)), default=Value(0), output_field=IntegerField()),
        )
        .order_by("-shares_measure", "-shares_type", RECENT_FIRST, "-pk")
    )
    return chosen + list(candidates[: limit - len(chosen)])
