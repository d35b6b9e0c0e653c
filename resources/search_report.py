"""Admin report « Recherches » (Rapports menu): what people search for, on the site and in the hub.

Built on `search.models.SearchStat` (one row per day, place, language and normalised query; no personal
data, see `search.analytics`). Three views over a period, exportable as CSV or XLSX (cells neutralised by
home/spreadsheets.py through `EditorReportView`):

- « Recherches les plus fréquentes »: every query, most searched first;
- « Recherches sans résultat »: queries that found nothing at least once, most frequent first — the content
  to write next;
- « Recherches sans clic »: queries that found results but whose results were never clicked.

Visible to editors who can add, change or publish pages, like the hub's other reports.
"""

import django_filters
from django.db.models import F, Max, Sum
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, NumberColumn

from search.models import SearchStat

from .hub_admin import EditorMenuItem, EditorReportView, period_start

PERIODS = [
    ("7", _("7 derniers jours")),
    ("30", _("30 derniers jours")),
    ("90", _("90 derniers jours")),
    ("365", _("12 derniers mois")),
]
VIEW_TOP, VIEW_NO_RESULT, VIEW_NO_CLICK = "top", "sans-resultat", "sans-clic"
VIEWS = [
    (VIEW_TOP, _("Recherches les plus fréquentes")),
    (VIEW_NO_RESULT, _("Recherches sans résultat")),
    (VIEW_NO_CLICK, _("Recherches avec résultats mais sans clic")),
]


class SearchStatFilterSet(WagtailFilterSet):
    view = django_filters.ChoiceFilter(label=_("Vue"), choices=VIEWS, empty_label=None, method="keep")
    period = django_filters.ChoiceFilter(
        label=_("Période"), choices=PERIODS, empty_label=_("Depuis le début"), method="by_period"
    )
    source = django_filters.ChoiceFilter(
        label=_("Moteur"), choices=SearchStat.SOURCES, empty_label=_("Les deux"), method="by_source"
    )
    language = django_filters.ChoiceFilter(
        label=_("Langue"),
        choices=[("fr", _("Français")), ("en", _("Anglais"))],
        empty_label=_("Toutes"),
        method="by_language",
    )

    class Meta:
        model = SearchStat
        fields = []

    def keep(self, queryset, name, value):
        return queryset  # the view is applied after the aggregation (SearchReportView.get_filtered_queryset)

    def by_period(self, queryset, name, value):
        start = period_start(value)
        return queryset.filter(day__gte=start) if start else queryset

    def by_source(self, queryset, name, value):
        return queryset.filter(source=value) if value else queryset

    def by_language(self, queryset, name, value):
        return queryset.filter(language=value) if value else queryset


def aggregate(rows, view: str):
    """Rows of SearchStat (already filtered) → one dict per query and language, for `view`."""
    totals = (
        rows.order_by()
        .values("query", "language")
        .annotate(
            searches_total=Sum("searches"),
            no_result_total=Sum("no_result"),
            clicks_total=Sum("clicks"),
            results_max=Max("results"),
            last_day=Max("day"),
        )
        .filter(searches_total__gt=0)
    )
    if view == VIEW_NO_RESULT:
        return totals.filter(no_result_total__gt=0).order_by("-no_result_total", "-searches_total", "query")
    if view == VIEW_NO_CLICK:
        return totals.filter(no_result_total__lt=F("searches_total"), clicks_total=0).order_by(
            "-searches_total", "query"
        )
    return totals.order_by("-searches_total", "query")


class ClickRateColumn(Column):
    def get_value(self, instance):
        searches = instance["searches_total"] or 0
        return f"{round(100 * instance['clicks_total'] / searches)} %" if searches else ""


class SearchReportView(EditorReportView):
    page_title = _("Recherches")
    header_icon = "search"
    index_url_name = "search_report"
    index_results_url_name = "search_report_results"
    filterset_class = SearchStatFilterSet
    verbose_name_plural = _("recherches")
    columns = [
        Column("query", label=_("Recherche")),
        Column("language", label=_("Langue")),
        NumberColumn("searches_total", label=_("Recherches")),
        NumberColumn("no_result_total", label=_("Sans résultat")),
        NumberColumn("results_max", label=_("Résultats")),
        NumberColumn("clicks_total", label=_("Clics")),
        ClickRateColumn("click_rate", label=_("Clics par recherche")),
        Column("last_day", label=_("Dernière fois")),
    ]
    list_export = ["query", "language", "searches_total", "no_result_total", "results_max", "clicks_total", "last_day"]
    export_headings = {
        "query": _("Recherche"),
        "language": _("Langue"),
        "searches_total": _("Recherches"),
        "no_result_total": _("Recherches sans résultat"),
        "results_max": _("Résultats (au plus)"),
        "clicks_total": _("Clics sur un résultat"),
        "last_day": _("Dernière fois"),
    }

    @property
    def view_code(self) -> str:
        view = self.request.GET.get("view")
        return view if view in dict(VIEWS) else VIEW_TOP

    def get_filename(self):
        return f"recherches-{self.view_code}"

    def get_queryset(self):
        return SearchStat.objects.all()

    def get_filtered_queryset(self):
        return aggregate(self.filter_queryset(self.get_queryset()), self.view_code)


@hooks.register("register_admin_urls")
def register_search_report_urls():
    return [
        path("reports/recherches/", SearchReportView.as_view(), name=SearchReportView.index_url_name),
        path(
            "reports/recherches/results/",
            SearchReportView.as_view(results_only=True),
            name=SearchReportView.index_results_url_name,
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_search_report_menu_item():
    return EditorMenuItem(
        SearchReportView.page_title,
        reverse(SearchReportView.index_url_name),
        name="recherches",
        icon_name="search",
        order=663,
    )
