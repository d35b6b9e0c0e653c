"""API middleware for every path under /api/v1/.

- CORS: `Access-Control-Allow-Origin: *` on GET, HEAD and OPTIONS responses (no credentials, no cookies),
  preflight requests for GET/HEAD answered here. Writes (POST) are not open to other origins.
- Errors Django answers itself (unknown URL, server error) become JSON like the API's own errors.
"""

from http import HTTPStatus

from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from .errors import json_error, not_found_message

API_PREFIX = "/api/v1/"
HTML_PAGES = ("/api/v1/docs/",)  # the documentation page is HTML
READ_METHODS = ("GET", "HEAD", "OPTIONS")
ALLOWED_HEADERS = "Accept, Accept-Language, Content-Type, If-None-Match, If-Modified-Since"
EXPOSED_HEADERS = "ETag, Last-Modified, Retry-After, Content-Language"


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if self.is_preflight(request):
            response = self.preflight(request)
        elif not self.is_api_url(request.path_info) and not self.is_api_url(request.path_info + "/"):
            # e.g. Wagtail's catch-all page view: 404 in JSON here (without a slash: CommonMiddleware redirects)
            response = json_error(not_found_message(), 404)
        else:
            response = self.get_response(request)
            response = self.json_errors(request, response)
        if request.method in READ_METHODS:
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        return response

    @staticmethod
    def is_api_url(path):
        try:
            match = resolve(path)
        except Resolver404:
            return False
        return bool(match.namespaces) and (match.namespaces[0] == "api" or match.namespaces[0] == "wagtailapi")

    @staticmethod
    def is_preflight(request):
        return request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META

    @staticmethod
    def preflight(request):
        from django.http import HttpResponse

        requested = request.META["HTTP_ACCESS_CONTROL_REQUEST_METHOD"].upper()
        response = HttpResponse(status=204)
        if requested in ("GET", "HEAD"):
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response["Access-Control-Max-Age"] = "86400"
        patch_vary_headers(response, ["Access-Control-Request-Method"])
        return response

    @staticmethod
    def json_errors(request, response):
        if response.status_code < 400 or request.path.startswith(HTML_PAGES):
            return response
        if "json" in response.get("Content-Type", ""):
            return response
        if response.status_code == 404:
            return json_error(not_found_message(), 404)
        if response.status_code >= 500:
            return json_error(_("Erreur interne du serveur : l'équipe est prévenue."), response.status_code)
        return json_error(HTTPStatus(response.status_code).phrase, response.status_code)
