"""Privacy of aliases: a page's view restriction also hides its aliases from every `.public()` query.

Wagtail serves an alias with its source page's restrictions (`Page.get_view_restrictions()` resolves aliases),
but `PageQuerySet.public()` only looks at tree paths: the English alias of a password-protected French page sits
in the English tree, outside the restricted section, so the API's lists and details, the hub's lists, the feeds
and the menus showed it with its full body. `install()` (called by HomeConfig.ready()) extends
`PageQuerySet.private_q()` — the one condition `public()`, `not_public()` and `private()` are built on — with the
aliases of every page of a restricted section, so every existing and future `.public()` holds for aliases too.
Unpublishing already reaches the aliases (Wagtail's unpublish action unpublishes them).
"""

from django.db.models import Q
from wagtail.query import PageQuerySet


def private_q_with_aliases(self):
    """Wagtail's `private_q()` (every page of a restricted section) plus those pages' aliases, from the same
    single query of the restrictions (the hub, menus and API call `.public()` several times per request)."""
    from wagtail.models import PageViewRestriction

    from .request_cache import memoised

    # once per request (home/request_cache.py): the hub, the kits, the menu and the related resources all ask
    restricted = memoised(
        "restricted-pages", lambda: [r.page for r in PageViewRestriction.objects.select_related("page").all()]
    )
    q = Q()
    for page in restricted:
        q |= self.descendant_of_q(page, inclusive=True)
        q |= Q(alias_of__path__startswith=page.path)
    # do not match any page if no private section exists (as Wagtail's).
    return q if q else Q(pk__in=[])


def install():
    if PageQuerySet.private_q is not private_q_with_aliases:
        PageQuerySet.private_q = private_q_with_aliases
