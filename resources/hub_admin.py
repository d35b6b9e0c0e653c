"""Admin reports of the hub (Rapports menu): most downloaded resources, most useful resources, feedback.

Imported by resources/wagtail_hooks.py, which registers the hooks below. Visible to editors who can add,
change or publish pages (same rule as « Contenus à relire »).
"""

import datetime

import django_filters
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permissions import policy_registry

from home.spreadsheets import neutralise

from .models import ResourceDownload, ResourceFeedback, ResourcePage

PERIODS = [("30", _("30 derniers jours")), ("90", _("90 derniers jours")), ("365", _("12 derniers mois"))]
EDITOR_PERMISSIONS = ["add", "change", "publish"]


def period_start(value) -> datetime.date | None:
    try:
        return timezone.localdate() - datetime.timedelta(days=int(value))
    except (TypeError, ValueError):
        return None


class PeriodFilterSet(WagtailFilterSet):
    period = django_filters.ChoiceFilter(
        label=_("Période"), choices=PERIODS, empty_label=_("Depuis le début"), method="keep"
    )

    class Meta:
        model = ResourcePage
        fields = []

    def keep(self, queryset, name, value):
        return queryset  # the period restricts the counts (annotations), not the resources


class FeedbackFilterSet(WagtailFilterSet):
    useful = django_filters.ChoiceFilter(
        label=_("Réponse"), choices=[("1", _("Oui")), ("0", _("Non"))], empty_label=_("Toutes"), method="by_answer"
    )
    with_comment = django_filters.BooleanFilter(
        label=_("Avec un commentaire"), method="by_comment", widget=django_filters.widgets.BooleanWidget()
    )
    period = django_filters.ChoiceFilter(
        label=_("Période"), choices=PERIODS, empty_label=_("Depuis le début"), method="by_period"
    )

    class Meta:
        model = ResourceFeedback
        fields = []

    def by_answer(self, queryset, name, value):
        return queryset.filter(useful=value == "1") if value in ("0", "1") else queryset

    def by_comment(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(comment="") if value else queryset.filter(comment="")

    def by_period(self, queryset, name, value):
        start = period_start(value)
        return queryset.filter(created_at__date__gte=start) if start else queryset


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


class EditorReportView(ReportView):
    any_permission_required = EDITOR_PERMISSIONS

    @cached_property
    def permission_policy(self):
        return policy_registry.get_by_type(Page)

    @cached_property
    def since(self):
        return period_start(self.request.GET.get("period"))

    def preprocess_field_value(self, field, value, export_format):
        # a comment or a title starting with "=" stays text in the CSV and XLSX exports (home/spreadsheets.py)
        return neutralise(super().preprocess_field_value(field, value, export_format))


class LanguageColumn(Column):
    def get_value(self, instance):
        return instance.locale.language_code.upper()


class MostDownloadedReportView(EditorReportView):
    page_title = _("Ressources les plus téléchargées")
    header_icon = "download"
    index_url_name = "resources_hub_downloads"
    index_results_url_name = "resources_hub_downloads_results"
    filterset_class = PeriodFilterSet
    verbose_name_plural = _("ressources téléchargées")
    columns = [
        TitleColumn("title", label=_("Ressource"), get_url=edit_url),
        LanguageColumn("language", label=_("Langue")),
        NumberColumn("downloads", label=_("Téléchargements")),
        Column("files_detail", label=_("Par fichier")),
    ]
    list_export = ["title", "locale.language_code", "downloads", "url_path"]
    export_headings = {
        "title": _("Ressource"),
        "locale.language_code": _("Langue"),
        "downloads": _("Téléchargements"),
        "url_path": _("Chemin"),
    }

    def get_filename(self):
        return "ressources-les-plus-telechargees"

    def downloads(self):
        rows = ResourceDownload.objects.all()
        return rows.filter(day__gte=self.since) if self.since else rows

    def get_queryset(self):
        total = (
            self.downloads()
            .filter(page_id=OuterRef("pk"))
            .order_by()
            .values("page_id")
            .annotate(total=Sum("count"))
            .values("total")
        )
        return (
            ResourcePage.objects.annotate(downloads=Coalesce(Subquery(total, output_field=IntegerField()), 0))
            .filter(downloads__gt=0)
            .select_related("locale")
            .order_by("-downloads", "title", "pk")
        )

    def decorate_paginated_queryset(self, object_list):
        pages = list(object_list)
        rows = (
            self.downloads()
            .filter(page_id__in=[page.pk for page in pages])
            .order_by()
            .values("page_id", "file__title", "file__document__title", "file__url")
            .annotate(total=Sum("count"))
            .order_by("page_id", "-total")
        )
        details = {}
        for row in rows:
            label = row["file__title"] or row["file__document__title"] or row["file__url"] or _("fichier supprimé")
            details.setdefault(row["page_id"], []).append(f"{label} : {row['total']}")
        for page in pages:
            page.files_detail = " ; ".join(details.get(page.pk, []))
        return pages


class MostUsefulReportView(EditorReportView):
    page_title = _("Ressources les plus utiles")
    header_icon = "pick"
    index_url_name = "resources_hub_useful"
    index_results_url_name = "resources_hub_useful_results"
    filterset_class = PeriodFilterSet
    verbose_name_plural = _("ressources évaluées")
    columns = [
        TitleColumn("title", label=_("Ressource"), get_url=edit_url),
        LanguageColumn("language", label=_("Langue")),
        NumberColumn("useful_yes", label=_("Utile : oui")),
        NumberColumn("useful_no", label=_("Utile : non")),
        Column("useful_share", label=_("Part de « oui »")),
    ]
    list_export = ["title", "locale.language_code", "useful_yes", "useful_no", "url_path"]
    export_headings = {
        "title": _("Ressource"),
        "locale.language_code": _("Langue"),
        "useful_yes": _("Utile : oui"),
        "useful_no": _("Utile : non"),
        "url_path": _("Chemin"),
    }

    def get_filename(self):
        return "ressources-les-plus-utiles"

    def answers(self, useful: bool):
        rows = ResourceFeedback.objects.filter(page_id=OuterRef("pk"), useful=useful)
        if self.since:
            rows = rows.filter(created_at__date__gte=self.since)
        count = rows.order_by().values("page_id").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(count, output_field=IntegerField()), 0)

    def get_queryset(self):
        return (
            ResourcePage.objects.annotate(useful_yes=self.answers(True), useful_no=self.answers(False))
            .filter(Q(useful_yes__gt=0) | Q(useful_no__gt=0))
            .select_related("locale")
            .order_by("-useful_yes", "useful_no", "title", "pk")
        )

    def decorate_paginated_queryset(self, object_list):
        pages = list(object_list)
        for page in pages:
            total = page.useful_yes + page.useful_no
            page.useful_share = f"{round(100 * page.useful_yes / total)} %" if total else ""
        return pages


class AnswerColumn(Column):
    def get_value(self, instance):
        return _("Oui") if instance.useful else _("Non")


class FeedbackReportView(EditorReportView):
    page_title = _("Avis sur les ressources")
    header_icon = "comment"
    index_url_name = "resources_hub_feedback"
    index_results_url_name = "resources_hub_feedback_results"
    filterset_class = FeedbackFilterSet
    verbose_name_plural = _("avis")
    columns = [
        DateColumn("created_at", label=_("Reçu le")),
        TitleColumn("page", label=_("Ressource"), accessor="page.title", get_url=lambda f: edit_url(f.page)),
        AnswerColumn("useful", label=_("Utile ?")),
        Column("comment", label=_("Commentaire")),
        Column("language", label=_("Langue")),
    ]
    list_export = ["created_at", "page.title", "useful", "comment", "language"]
    export_headings = {
        "created_at": _("Reçu le"),
        "page.title": _("Ressource"),
        "useful": _("Utile"),
        "comment": _("Commentaire"),
        "language": _("Langue"),
    }

    def get_filename(self):
        return "avis-sur-les-ressources"

    def get_queryset(self):
        return ResourceFeedback.objects.select_related("page").order_by("-created_at", "-pk")


REPORTS = [
    ("ressources-les-plus-telechargees", MostDownloadedReportView, "download", 660),
    ("ressources-les-plus-utiles", MostUsefulReportView, "pick", 661),
    ("avis-sur-les-ressources", FeedbackReportView, "comment", 662),
]


class EditorMenuItem(MenuItem):
    def is_shown(self, request):
        return policy_registry.get_by_type(Page).user_has_any_permission(request.user, EDITOR_PERMISSIONS)


@hooks.register("register_admin_urls")
def register_hub_report_urls():
    urls = []
    for slug, view, _icon, _order in REPORTS:
        urls += [
            path(f"reports/{slug}/", view.as_view(), name=view.index_url_name),
            path(f"reports/{slug}/results/", view.as_view(results_only=True), name=view.index_results_url_name),
        ]
    return urls


def _menu_item_hook(slug, view, icon, order):
    def hook():
        return EditorMenuItem(view.page_title, reverse(view.index_url_name), name=slug, icon_name=icon, order=order)

    return hook


for _report in REPORTS:
    hooks.register("register_reports_menu_item", _menu_item_hook(*_report))
