"""A lost database answers 503 « Service momentanément indisponible » (with Retry-After), not a 500.

Last in MIDDLEWARE (settings), so it sees the view's exceptions first.

Connection errors (PostgreSQL restarting, refusing connections, a connection cut in the middle of a request)
are `OperationalError` / `InterfaceError`: the page says to retry in a minute, load balancers see a 503, and
the error is still logged with its traceback. With CONN_HEALTH_CHECKS the next request reconnects.
"""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger("django.request")
RETRY_AFTER_SECONDS = 30


MESSAGE = "Service momentanément indisponible : réessayez dans une minute."


def database_unavailable(request=None):
    if request is not None and request.path.startswith("/api/"):
        response = JsonResponse({"errors": {"database": [MESSAGE]}}, status=503)
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if settings.DEBUG or not isinstance(exception, OperationalError | InterfaceError):
            return None  # in development, Django's debug page
        logger.error(
            "Database unavailable: %s %s", request.method, request.path, exc_info=exception, extra={"status_code": 503}
        )
        return database_unavailable(request)


class PreviewFramingMiddleware:
    """Wagtail renders a preview (the editor's panel, in an iframe of the admin) by passing a dummy request with
    the page's own URL through the middleware: the public pages' CSP `frame-ancestors 'none'` then forbade the admin
    to show it (an error page in the panel). A preview may be framed by the site itself, nothing else.

    After CSPMiddleware in MIDDLEWARE, so it marks the response before the policy is written."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "is_preview", False):
            replace = dict(getattr(response, "_csp_replace", None) or {})
            replace["frame-ancestors"] = ["'self'"]
            response._csp_replace = replace
        return response
