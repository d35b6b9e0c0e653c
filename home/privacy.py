"""Privacy of aliases: a page's view restriction also hides its aliases from every `.public()` query.

Wagtail serves an alias with its source page's restrictions (`Page.get_view_restrictions()` resolves aliases),
but `PageQuerySet.public()` only looks at tree paths: the English alias of a password-protected French page sits
in the English tree, outside the restricted section, so the API's lists and details, the hub's lists, the feeds
and the menus showed it with its full body. `install()` (called by HomeConfig.ready()) extends
`PageQuerySet.private_q()` — the one condition `public()`, `not_public()` and `private()` are built on — with the
aliases of every page of a restricted section, so every existing and future `.public()` holds for aliases too.
Unpublishing already reaches the aliases (Wagtail's unpublish action unpublishes them).

Serving a page, Wagtail asks `Page.get_view_restrictions()` (two queries: the ancestors, then the restrictions),
and the page cache asks again. `install()` answers « none » without a query when no restricted section and no
alias of one lies on the page's path (`restricted_paths()`, from the shared cache, emptied whenever a page or a
restriction changes); otherwise Wagtail's own method answers, as before.
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


def restricted_paths() -> tuple[str, ...]:
    """Tree paths under which a view restriction may apply: each restricted page's, and each alias's whose source
    is in a restricted section or is itself an alias (more than Wagtail checks: a path here only means « ask
    Wagtail »). One query without restriction, two with; shared between requests (home/request_cache.py)."""
    from wagtail.models import Page, PageViewRestriction

    from .request_cache import shared

    def compute():
        restricted = list(PageViewRestriction.objects.values_list("page__path", flat=True))
        if not restricted:
            return ()
        q = Q(alias_of__alias_of__isnull=False)
        for path in restricted:
            q |= Q(alias_of__path__startswith=path)
        aliases = Page.objects.filter(alias_of__isnull=False).filter(q).values_list("path", flat=True)
        return (*restricted, *aliases)

    return shared("restricted-paths", compute)


def _get_view_restrictions(original):
    def get_view_restrictions(self):
        """Wagtail's restrictions of this page, or none without a query when nothing restricted is on its path."""
        from wagtail.models import PageViewRestriction

        from .request_cache import sharing

        if self.pk is not None and self.path and sharing():
            if not any(self.path.startswith(path) for path in restricted_paths()):
                return PageViewRestriction.objects.none()
        return original(self)

    get_view_restrictions.cached = True
    return get_view_restrictions


def install():
    from wagtail.models import Page

    if PageQuerySet.private_q is not private_q_with_aliases:
        PageQuerySet.private_q = private_q_with_aliases
    if not getattr(Page.get_view_restrictions, "cached", False):
        Page.get_view_restrictions = _get_view_restrictions(Page.get_view_restrictions)
