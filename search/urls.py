"""Site search: /recherche/ in French, /en/search/ in English (the route follows the active language)."""

from django.urls import path
from django.utils.functional import lazy
from django.utils.translation import get_language

from . import views

app_name = "search"

ROUTES = {"en": "search/"}
DEFAULT_ROUTE = "recherche/"


def _route(suffix: str = "") -> str:
    return ROUTES.get((get_language() or "fr").split("-")[0], DEFAULT_ROUTE) + suffix


route = lazy(_route, str)

# The first path segment this app owns, in the active language (mounted at "" by config/urls.py;
# docs/decisions/0011-url-prefixes.md).
PREFIXES = (route(),)

urlpatterns = [
    path(route(), views.search_view, name="search"),
    path(route("suggestions/"), views.suggestions_view, name="suggestions"),
    path(route("clic/<int:page_id>/"), views.click_view, name="click"),
]
