"""Shared pieces of the editorial page types: review dates, translation fallback, admin form."""

import datetime

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from home.models import TranslationFallbackMixin

from .taxonomy import source_locale_only

REVIEW_PERIOD_MONTHS = 12
RESOURCES_PER_PAGE = 12


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate_day)
        except ValueError:
            continue
    raise ValueError(day)


def review_cutoff(today: datetime.date | None = None) -> datetime.date:
    """Content last reviewed before this date is due for review."""
    return add_months(today or timezone.localdate(), -REVIEW_PERIOD_MONTHS)


def paginate(request, queryset, per_page=RESOURCES_PER_PAGE):
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


class EditorialPageMixin(TranslationFallbackMixin, models.Model):
    """Fields and helpers shared by the editorial pages: review date, translation fallback."""

    last_reviewed = models.DateField(
        _("dernière relecture"),
        default=timezone.localdate,
        help_text=_("Date de la dernière relecture du contenu. Il est signalé « à relire » 12 mois plus tard."),
    )

    class Meta:
        abstract = True

    @property
    def review_due(self) -> datetime.date | None:
        return add_months(self.last_reviewed, REVIEW_PERIOD_MONTHS) if self.last_reviewed else None

    @property
    def needs_review(self) -> bool:
        return self.review_due is not None and self.review_due < timezone.localdate()


class TaxonomyPageForm(WagtailAdminPageForm):
    """Page form showing taxonomy terms of the source locale only, and related resources of the same locale."""

    def __init__(self, *args, parent_page=None, **kwargs):
        super().__init__(*args, parent_page=parent_page, **kwargs)
        for name in ("measures", "audiences", "sectors", "resource_type", "measure"):
            if name in self.fields:
                self.fields[name].queryset = self.fields[name].queryset.filter(source_locale_only())
        if "related_resources" in self.fields:
            locale_id = getattr(self.instance, "locale_id", None) or (parent_page.locale_id if parent_page else None)
            queryset = self._meta.model.objects.filter(alias_of__isnull=True).order_by("title")
            if locale_id:
                queryset = queryset.filter(locale_id=locale_id)
            if self.instance.pk:
                queryset = queryset.exclude(pk=self.instance.pk)
            self.fields["related_resources"].queryset = queryset
