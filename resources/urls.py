"""URLs of the hub outside the page tree (included in i18n_patterns, before Wagtail's catch-all).

The paths are translatable: /ressources/feed.xml in French, /en/resources/feed.xml in English.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import hub_views
from .feeds import AtomResourcesFeed, ResourcesFeed

app_name = "resources"

# The first path segment this app owns, translated (mounted at "" by config/urls.py;
# docs/decisions/0011-url-prefixes.md).
PREFIXES = (_("ressources/"),)

urlpatterns = [
    path(_("ressources/telecharger/<int:file_id>/"), hub_views.download, name="download"),
    path(_("ressources/avis/<int:page_id>/"), hub_views.feedback, name="feedback"),
    path(_("ressources/modeles-de-mail/<int:pk>.eml"), hub_views.mail_template_eml, name="mail_template_eml"),
    path(_("ressources/modeles-de-mail/<int:pk>.txt"), hub_views.mail_template_txt, name="mail_template_txt"),
    path(_("ressources/feed.xml"), ResourcesFeed(), name="feed_rss"),
    path(_("ressources/atom.xml"), AtomResourcesFeed(), name="feed_atom"),
]
