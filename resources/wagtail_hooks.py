"""Admin integration: taxonomy and mail-template snippets, the "Contenus à relire" report."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Page
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import (
    hub_admin,  # noqa: F401  (registers the hub's reports: downloads, most useful, feedback)
    review,
    search_report,  # noqa: F401  (registers the « Recherches » report: what people search for)
)
from .models import Audience, MailTemplate, Measure, ResourceType, SectorCategory
from .permissions import FixedMeasuresPermissionPolicy
from .translation_views import ReviewedUpdateTranslationsView
from .views import ReviewDueReportView


class TaxonomyViewSet(SnippetViewSet):
    list_display = ["name", "code", "locale"]
    list_filter = ["locale"]
    search_fields = ["name", "code"]
    ordering = ["sort_order", "name"]
    copy_view_enabled = False


class MeasureViewSet(TaxonomyViewSet):
    model = Measure
    icon = "tasks"
    menu_label = _("Mesures EGAlim")

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        if for_update:
            # The code of a measure is fixed: show it, never change it.
            form_class.base_fields["code"].disabled = True
        return form_class


class AudienceViewSet(TaxonomyViewSet):
    model = Audience
    icon = "group"
    menu_label = _("Publics")


class ResourceTypeViewSet(TaxonomyViewSet):
    model = ResourceType
    icon = "doc-full"
    menu_label = _("Types de ressource")


class SectorCategoryViewSet(TaxonomyViewSet):
    model = SectorCategory
    icon = "site"
    menu_label = _("Catégories de secteur")


class MailTemplateViewSet(SnippetViewSet):
    model = MailTemplate
    icon = "mail"
    menu_label = _("Modèles de mail")
    list_display = ["name", "subject", "audience", "locale"]
    list_filter = ["locale", "audience"]
    search_fields = ["name", "subject", "body"]


class EditorialSnippetGroup(SnippetViewSetGroup):
    items = (MailTemplateViewSet, MeasureViewSet, AudienceViewSet, ResourceTypeViewSet, SectorCategoryViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Centre de ressources")
    menu_name = "centre-de-ressources"


register_permission_policy(Measure, FixedMeasuresPermissionPolicy(Measure), exact_class=True)
register_snippet(EditorialSnippetGroup)


@hooks.register("before_delete_snippet")
def protect_measures(request, instances):
    """Belt and braces: the permission policy already hides and refuses the delete view for measures."""
    from django.core.exceptions import PermissionDenied

    if any(isinstance(instance, Measure) for instance in instances):
        raise PermissionDenied


class ReviewDueMenuItem(MenuItem):
    def is_shown(self, request):
        return policy_registry.get_by_type(Page).user_has_any_permission(request.user, ["add", "change", "publish"])


# order=-1: these URLs come before wagtail-localize's whatever the order its hooks module was imported in (home's
# explorer buttons import it first), so the reviewed views below replace its own.
@hooks.register("register_admin_urls", order=-1)
def register_resources_admin_urls():
    return [
        path(
            "localize/update/<int:translation_source_id>/",
            ReviewedUpdateTranslationsView.as_view(),
            name="resources_update_translations",
        ),
        path(
            "localize/page/<int:page_id>/convert_to_alias/", review.convert_to_alias, name="resources_convert_to_alias"
        ),
        path(
            "relecture/traduction/<int:translation_id>/soumettre/",
            review.submit_translation,
            name="resources_submit_translation",
        ),
        path(
            "relecture/traduction/<int:translation_id>/comparer/",
            review.compare_translation,
            name="resources_compare_translation",
        ),
        path("reports/contenus-a-relire/", ReviewDueReportView.as_view(), name="resources_review_due"),
        path(
            "reports/contenus-a-relire/results/",
            ReviewDueReportView.as_view(results_only=True),
            name="resources_review_due_results",
        ),
    ]


hooks.register("before_serve_document", review.hide_pending_document, order=-10)


@hooks.register("insert_editor_js")
def autosave_guard_js():
    """A click on a save or submit button waits for the autosave in flight (docs/decisions/0008-autosave.md)."""
    return format_html('<script src="{}"></script>', static("resources/admin/autosave-guard.js"))


@hooks.register("register_reports_menu_item")
def register_review_due_menu_item():
    return ReviewDueMenuItem(
        _("Contenus à relire"), reverse("resources_review_due"), name="contenus-a-relire", icon_name="time", order=650
    )
