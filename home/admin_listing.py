"""The admin page explorer without two queries per row.

wagtail-localize adds « Translate this page » and « Sync translated pages » to each row's « More » menu, and
decides whether to show them with two queries per row (is there a locale without a translation? is the page
the source of enabled translations?): 101 of the explorer's 132 queries for 50 rows of the resource hub.
`annotate_explorer_pages` (hook `construct_explorer_page_queryset`) computes both answers in the listing's own
query, and `page_listing_more_buttons` replaces wagtail-localize's row buttons with the same buttons read
from those annotations (wagtail-localize's own function when a page comes without them). The page header's
buttons (one page) stay wagtail-localize's.
"""

from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail.models import Locale, Page

HOOK = "register_page_listing_more_buttons"


def annotate_explorer_pages(parent_page, pages, request):
    from wagtail_localize.models import TranslationSource

    if not request.user.has_perm("wagtail_localize.submit_translation"):
        return pages
    translated = Page.objects.filter(
        translation_key=OuterRef(OuterRef("translation_key")), alias_of__isnull=True
    ).values("locale_id")
    source = TranslationSource.objects.filter(
        object_id=OuterRef("translation_key"), locale_id=OuterRef("locale_id"), translations__enabled=True
    ).values("pk")[:1]
    return pages.annotate(
        _localize_can_translate=Exists(Locale.objects.exclude(id__in=translated)),
        _localize_sync_source=Subquery(source),
    )


def page_listing_more_buttons(page, user, view_name=None, next_url=None):
    from wagtail_localize.wagtail_hooks import page_listing_more_buttons as localize_buttons

    if not hasattr(page, "_localize_can_translate"):
        yield from localize_buttons(page, user, view_name=view_name, next_url=next_url)
        return
    if page.is_root() or not user.has_perm("wagtail_localize.submit_translation"):
        return
    if page._localize_can_translate:
        url = reverse("wagtail_localize:submit_page_translation", args=[page.alias_of_id or page.id])
        yield ListingButton(_("Translate this page"), url, priority=60, icon_name="wagtail-localize-language")
    if page._localize_sync_source is not None:
        url = reverse("wagtail_localize:update_translations", args=[page._localize_sync_source])
        if next_url is not None:
            url += "?" + urlencode({"next": next_url})
        yield ListingButton(_("Sync translated pages"), url, priority=60, icon_name="resubmit")


def install():
    """Swap wagtail-localize's row buttons for ours (its module is imported first, so its hooks are in)."""
    from wagtail_localize import wagtail_hooks as localize_hooks

    registered = hooks._hooks.get(HOOK, [])
    hooks._hooks[HOOK] = [
        (page_listing_more_buttons if fn is localize_hooks.page_listing_more_buttons else fn, order)
        for fn, order in registered
    ]
    hooks.register("construct_explorer_page_queryset", annotate_explorer_pages)
