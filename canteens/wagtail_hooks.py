from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Campaign


class CampaignViewSet(SnippetViewSet):
    model = Campaign
    icon = "date"
    menu_label = "Campagnes de télédéclaration"
    add_to_admin_menu = True
    menu_order = 900
    # Open a campaign by creating it with its dates, extend it by moving an end date, close it early with
    # « clôturée le »: declarations outside its windows are refused with these dates.
    list_display = [
        "year",
        "declaration_start",
        "declaration_end",
        "correction_start",
        "correction_end",
        "closed_on",
        "phase_label",
    ]


register_snippet(CampaignViewSet)
