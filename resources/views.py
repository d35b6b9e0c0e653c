"""Admin report « Contenus à relire »: editorial pages whose last review is more than 12 months old."""

from django.apps import apps
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.reports import PageReportView

from .models.base import REVIEW_PERIOD_MONTHS, EditorialPageMixin, add_months, review_cutoff


def editorial_page_models():
    return [
        model
        for model in apps.get_app_config("resources").get_models()
        if issubclass(model, EditorialPageMixin) and not model._meta.abstract
    ]


def pages_due_for_review(queryset, today=None):
    """Filter a Page queryset to editorial pages due for review, annotated with `reviewed_on`, oldest first."""
    cutoff = review_cutoff(today)
    models = editorial_page_models()
    due = Q()
    for model in models:
        due |= Q(pk__in=model.objects.filter(last_reviewed__lt=cutoff).values("pk"))
    reviewed_on = [Subquery(model.objects.filter(pk=OuterRef("pk")).values("last_reviewed")[:1]) for model in models]
    return (
        queryset.filter(due, alias_of__isnull=True)
        .annotate(reviewed_on=Coalesce(*reviewed_on))
        .order_by("reviewed_on", "title")
    )


class ReviewDueReportView(PageReportView):
    page_title = _("Contenus à relire")
    header_icon = "time"
    results_template_name = "resources/admin/review_due_results.html"
    index_url_name = "resources_review_due"
    index_results_url_name = "resources_review_due_results"
    any_permission_required = ["add", "change", "publish"]
    export_headings = {
        **PageReportView.export_headings,
        "reviewed_on": _("Dernière relecture"),
        "review_due": _("À relire depuis"),
    }
    list_export = ["title", "reviewed_on", "review_due", "status_string", "url_path"]

    def get_filename(self):
        return "contenus-a-relire"

    def get_queryset(self):
        pages = self.permission_policy.instances_user_has_permission_for(self.request.user, "change")
        self.queryset = pages_due_for_review(pages).select_related("locale", "content_type")
        return super().get_queryset()

    def decorate_paginated_queryset(self, object_list):
        for page in object_list:
            page.review_due = add_months(page.reviewed_on, REVIEW_PERIOD_MONTHS) if page.reviewed_on else None
        return object_list
