"""Absolute URLs of pages for feeds and the API, from the request (or WAGTAILADMIN_BASE_URL without one).

Wagtail's `full_url` and `get_full_url()` prefix the Wagtail Site's hostname, « localhost » on a site set up
by the demo or the migrations: the RSS feed and the API then linked to http://localhost/… in production.
"""

from django.conf import settings


def absolute_url(url: str, request=None) -> str:
    """`url` (relative or absolute) made absolute with the request's scheme and host, or the base URL setting."""
    if not url or url.startswith(("http://", "https://")):
        return url
    if request is not None:
        return request.build_absolute_uri(url)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


def page_url(page, request=None) -> str:
    """The page's absolute URL as the visitor (or the configured base URL) sees the site."""
    return absolute_url(page.get_url(request=request), request)
