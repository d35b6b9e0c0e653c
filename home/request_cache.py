"""Two caches for what every page recomputes: a per-request memo, and a shared cache of the site's chrome.

**Per request** (`memoised(key, compute)`): `RequestMemoMiddleware` opens an empty memo for each request (a
context variable: one per thread or task); the locales looked up by language, the view restrictions behind
`.public()` and the localized home page are read once per request instead of up to eight times. Outside a
request (commands, tests calling functions directly) nothing is memoised. Saving a page, a restriction or a
locale empties the current request's memo, so a request that writes and then renders reads its own writes.

**Across requests** (`shared(key, compute)`): the taxonomy catalogue, the main menu, the language links and
the breadcrumb of a page, stored in the default cache for `CHROME_CACHE_SECONDS` (0 = off; on by default
when `REDIS_URL` gives a cache shared by the workers, and in the test settings). Every key holds a generation
stamp kept in the cache, drawn again (now and when the transaction commits) whenever a page is saved,
published, unpublished, moved or deleted, and whenever a snippet (the taxonomies), a view restriction, a site,
a locale or a setting changes: the next request reads the database again (signals wired once for both caches
in home/cache_invalidation.py). A menu is never stale after a publication (tests/home/test_request_cache.py).
"""

from __future__ import annotations

import contextvars
import pickle
import threading
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

GENERATION_KEY = "chrome-cache:generation"
_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("cantine_request_memo", default=None)


class RequestMemoMiddleware:
    """Gives each request its own memo (first in MIDDLEWARE: templates render inside it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)


def memoised(key, compute):
    """`compute()` once per request for `key` (every time outside a request)."""
    memo = _memo.get()
    if memo is None:
        return compute()
    try:
        return memo[key]
    except KeyError:
        value = memo[key] = compute()
        return value


def forget():
    """Empty the current request's memo (after a write)."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()


# --- shared across requests ------------------------------------------------------------------------------


def cache_seconds() -> int:
    return int(getattr(settings, "CHROME_CACHE_SECONDS", 0) or 0)


def generation() -> str:
    def read():
        cache = caches["default"]
        stamp = cache.get(GENERATION_KEY)
        if stamp is None:
            cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
            stamp = cache.get(GENERATION_KEY) or "0"
        return stamp

    return memoised(GENERATION_KEY, read)


def _new_generation():
    caches["default"].set(GENERATION_KEY, uuid.uuid4().hex, None)


def purge():
    """Forget every shared entry (now and when the transaction commits) and the request's memo."""
    forget()
    _new_generation()
    transaction.on_commit(_new_generation)


def sharing() -> bool:
    """True when `shared()` keeps a value beyond one call: inside a request, or with the shared cache on."""
    return bool(cache_seconds()) or _memo.get() is not None


def shared(key: str, compute):
    """`compute()`'s value from the shared cache (and memoised in the request); computed when missing."""
    seconds = cache_seconds()
    if not seconds:
        return memoised(("shared", key), compute)

    def read():
        cache = caches["default"]
        full_key = f"chrome:{generation()}:{key}"
        value = cache.get(full_key)
        if value is None:
            value = compute()
            cache.set(full_key, value, seconds)
        return value

    return memoised(("shared", key), read)


# --- rendered fragments of the chrome, kept in each process ---------------------------------------------

_fragments: dict[str, str] = {}
_fragments_lock = threading.Lock()
MAX_FRAGMENTS = 2000  # header variants (language, visitor, menu section) and footers: a few dozen in practice


def fragment(key: str, render) -> str:
    """The HTML `render()` returns for `key`, kept in this process under the current generation stamp: the
    header and footer every page renders the same way (home/templatetags/site_tags.py, `{% chrome %}`). No
    round trip to the shared cache (the stamp is read once per request anyway); a new stamp (publication,
    snippet, setting...) makes every process render them again. Off when the shared chrome cache is off."""
    if not cache_seconds():
        return render()
    full_key = f"{generation()}:{key}"
    html = _fragments.get(full_key)
    if html is None:
        html = render()
        with _fragments_lock:
            if len(_fragments) >= MAX_FRAGMENTS:  # old stamps' entries: start again rather than track ages
                _fragments.clear()
            _fragments[full_key] = html
    return html


# --- Wagtail's locale lookups, once per request ----------------------------------------------------------


def install():
    """`Locale.objects.get_for_language()` (behind `Locale.get_active()`, `.localized`, every translated
    snippet's label) memoised per request (it ran up to eight identical queries on a resource page) and kept in
    the shared cache, emptied when a locale changes (home/cache_invalidation.py); then the site lookup."""
    from wagtail.models.i18n import LocaleManager

    original = LocaleManager.get_for_language
    if getattr(original, "memoised", False):
        return

    def get_for_language(self, language_code):
        return memoised(
            ("locale", language_code),
            lambda: shared(f"locale:{language_code}", lambda: original(self, language_code)),
        )

    get_for_language.memoised = True
    LocaleManager.get_for_language = get_for_language
    install_site_lookup()


# --- Wagtail's site lookup, once per process and generation ----------------------------------------------

_sites: dict[tuple, bytes | None] = {}


def install_site_lookup():
    """Wagtail finds the site of every request (routing, page URLs, settings) with a query on the sites and their
    root pages: one per request, the same answer every time. The answer (the site with its root page, pickled,
    so each request gets its own copy) is kept in each process under the chrome cache's generation stamp, drawn
    again when a site or a page changes (home/cache_invalidation.py). Off when the chrome cache is off."""
    from wagtail.models import sites

    original = sites.get_site_for_hostname
    if getattr(original, "cached", False):
        return

    def get_site_for_hostname(hostname, port):
        if not cache_seconds():
            return original(hostname, port)
        key = (generation(), hostname, port)
        try:
            stored = _sites[key]
        except KeyError:
            try:
                site = original(hostname, port)
                site.root_page.specific  # noqa: B018  (pickled with the site: the routing starts there)
                stored = pickle.dumps(site)
            except sites.Site.DoesNotExist:
                stored = None
            with _fragments_lock:
                if len(_sites) >= MAX_FRAGMENTS:
                    _sites.clear()
                _sites[key] = stored
        if stored is None:
            raise sites.Site.DoesNotExist
        return pickle.loads(stored)

    get_site_for_hostname.cached = True
    sites.get_site_for_hostname = get_site_for_hostname
