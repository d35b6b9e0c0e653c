"""Admin: the synonyms snippet (Paramètres > Synonymes de recherche)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import SynonymGroup


class SynonymGroupViewSet(SnippetViewSet):
    model = SynonymGroup
    icon = "search"
    menu_label = _("Synonymes de recherche")
    menu_name = "synonymes-de-recherche"
    add_to_settings_menu = True
    list_display = ["terms", "comment"]
    search_fields = ["terms", "comment"]
    ordering = ["terms"]
    copy_view_enabled = False


register_snippet(SynonymGroupViewSet)
