"""Admin: the territory officer role (who follows which regions and departments) and the publication of a
campaign's results, under one « Territoires » menu."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import CampaignPublication, TerritoryOfficer, Widget


class TerritoryOfficerViewSet(SnippetViewSet):
    model = TerritoryOfficer
    icon = "group"
    menu_label = _("Chargé·es de mission")
    list_display = ["__str__", "user", "organisation"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "organisation"]
    panels = [
        FieldPanel("user"),
        FieldPanel("organisation"),
        FieldPanel("regions", widget=forms.CheckboxSelectMultiple),
        FieldPanel("departments", widget=forms.SelectMultiple(attrs={"size": 12})),
    ]


class CampaignPublicationViewSet(SnippetViewSet):
    model = CampaignPublication
    icon = "date"
    menu_label = _("Résultats publiés")
    list_display = ["__str__", "published_on", "note"]
    panels = [FieldPanel("campaign"), FieldPanel("published_on"), FieldPanel("note")]


class WidgetViewSet(SnippetViewSet):
    model = Widget
    icon = "code"
    menu_label = _("Widgets")
    list_display = ["title", "owner", "region", "department", "created_at"]
    panels = [FieldPanel("title"), FieldPanel("owner"), FieldPanel("region"), FieldPanel("department")]


class TerritoriesGroup(SnippetViewSetGroup):
    menu_label = _("Territoires")
    menu_icon = "site"
    menu_order = 910
    items = (TerritoryOfficerViewSet, CampaignPublicationViewSet, WidgetViewSet)


register_snippet(TerritoriesGroup)
