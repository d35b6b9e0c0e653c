"""Page cache for anonymous visitors: the HTML of Wagtail pages, purged on every publication.

Switched on by the `PAGE_CACHE_SECONDS` setting (0 = off, the default in development and tests; production
turns it on when `REDIS_URL` gives a cache shared by the workers). What is cached:

- GET/HEAD requests of anonymous visitors with no pending message (« Merci, votre avis... »), answered by
  Wagtail's page view (`before_serve_page` hook below) with a 200 HTML response, for pages without view
  restriction (password, login or groups); the key is the host, the path and the query-string parameters
  pages read (`PAGE_CACHE_PARAMETERS`: the hub's filters, search, page), sorted, so French and English pages
  (/en/...) are distinct entries and junk parameters (`?junk=N`) add none: such a request gets the cached page
  without them, and a miss is rendered but not stored;
- the views named in `PAGE_CACHE_VIEWS` (the site search: its results only change with publications);
- never the admin, the accounts, the canteens, the diagnostic or the API, never a streamed response (kit ZIP),
  never a response setting a cookie or marked private/no-cache.

CSRF: a page with a form (« Cette ressource vous a-t-elle été utile ? ») is stored with its token replaced by
a placeholder; every visitor gets the page with a fresh token of their own (and the CSRF cookie that goes
with it), never somebody else's.

Invalidation: every key contains a generation stamp kept in the cache; publishing, unpublishing, moving or
deleting a page, changing a snippet (taxonomy, mail templates...), the site settings, a document, an image, a
site or a view restriction draws a new stamp, so the next request renders the page again. The stamp is drawn
again when the transaction commits (a request that read the old content meanwhile cannot leave it behind).
With a process-local cache (LocMemCache) each worker has its own stamp: use Redis when the cache is on with
several workers (`manage.py check` warns). The signals are wired once for both caches in
home/cache_invalidation.py.
"""

from __future__ import annotations

import hashlib
import re
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token

CACHE_ALIAS = "default"
GENERATION_KEY = "page-cache:generation"
HEADER = "X-Page-Cache"
TOKEN_RE = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
TOKEN_PLACEHOLDER = b"%%page-cache-csrf-token%%"
NOT_CACHEABLE = ("private", "no-cache", "no-store")


def cache_seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0) or 0)


def _cache():
    return caches[CACHE_ALIAS]


def generation() -> str:
    cache = _cache()
    stamp = cache.get(GENERATION_KEY)
    if stamp is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        stamp = cache.get(GENERATION_KEY) or "0"
    return stamp


def _new_generation():
    _cache().set(GENERATION_KEY, uuid.uuid4().hex, None)


def purge():
    """Forget every cached page, now and again when the current transaction commits."""
    _new_generation()
    transaction.on_commit(_new_generation)


def read_parameters() -> frozenset:
    """The query-string parameters cached pages read (PAGE_CACHE_PARAMETERS: the hub's filters, search, page)."""
    return frozenset(getattr(settings, "PAGE_CACHE_PARAMETERS", ()))


def unread_parameters(request) -> bool:
    """True when the query string holds a parameter no cached page reads (`?junk=N`)."""
    return any(name not in read_parameters() for name in request.GET)


def cache_key(request) -> str:
    """Host, path and only the parameters pages read, in a stable order: `/ressources/?junk=1` and `?junk=2`
    share the entry of `/ressources/`, `?b=2&a=1` that of `?a=1&b=2` (issue 15: one junk parameter per request
    filled the cache with misses)."""
    names = read_parameters()
    params = sorted((name, value) for name, values in request.GET.lists() if name in names for value in values)
    query = "&".join(f"{name}={value}" for name, value in params)
    path = f"{request.get_host()}{request.path}?{query}".encode()
    return f"page-cache:{generation()}:{hashlib.sha256(path).hexdigest()}"


def _is_anonymous(request) -> bool:
    user = getattr(request, "user", None)
    return user is not None and not user.is_authenticated


def _has_pending_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0  # reading does not consume the messages


def _storable(response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in NOT_CACHEABLE)


def _freeze(response) -> dict:
    return {
        "content": TOKEN_RE.sub(rb"\1" + TOKEN_PLACEHOLDER + rb"\2", response.content),
        "headers": [(name, value) for name, value in response.headers.items() if name.lower() != HEADER.lower()],
    }


def _thaw(entry, request) -> HttpResponse:
    content = entry["content"]
    if TOKEN_PLACEHOLDER in content:
        content = content.replace(TOKEN_PLACEHOLDER, get_token(request).encode())  # and the cookie that goes with it
    response = HttpResponse(content)
    for name, value in entry["headers"]:
        response[name] = value
    response[HEADER] = "hit"
    return response


class AnonymousPageCacheMiddleware:
    """At the end of MIDDLEWARE: sessions, language, CSRF, user and messages are known; CSP and security
    headers, the language and the CSRF cookie are added by the middlewares above on cached answers too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timeout = cache_seconds()
        if (
            timeout <= 0
            or request.method not in ("GET", "HEAD")
            or not _is_anonymous(request)
            or _has_pending_messages(request)
        ):
            return self.get_response(request)
        key = cache_key(request)
        entry = _cache().get(key)
        if entry is not None:
            return _thaw(entry, request)
        request.page_cache_allowed = False  # set to True by the before_serve_page hook or by process_view
        response = self.get_response(request)
        if (
            request.page_cache_allowed
            and not unread_parameters(request)  # rendered for junk: served, never stored
            and _storable(response)
            and not _has_pending_messages(request)
            and not getattr(getattr(request, "session", None), "modified", False)
        ):
            _cache().set(key, _freeze(response), timeout)
            response[HEADER] = "miss"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        """Views other than Wagtail's pages whose answer is the same for every anonymous visitor (PAGE_CACHE_VIEWS,
        URL names: the site search)."""
        if hasattr(request, "page_cache_allowed") and request.resolver_match:
            if request.resolver_match.view_name in getattr(settings, "PAGE_CACHE_VIEWS", ()):
                request.page_cache_allowed = True
        return None


def allow_caching(page, request):
    """Called by the before_serve_page hook: Wagtail serves this page; cache it unless it is restricted."""
    if hasattr(request, "page_cache_allowed"):
        request.page_cache_allowed = not page.get_view_restrictions().exists()
