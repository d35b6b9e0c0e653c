"""What every endpoint of the API shares: rate limit per IP, conditional GET (ETag, Last-Modified), pagination."""

import calendar

from django.conf import settings
from django.db.models import Max
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_ratelimit.core import is_ratelimited
from rest_framework import parsers, serializers
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.throttling import BaseThrottle

DEFAULT_READ_RATE_LIMIT = "300/m"
DEFAULT_WRITE_RATE_LIMIT = "30/m"
RETRY_AFTER = 60


def _rate(setting, default):
    def rate(group, request):
        return getattr(settings, setting, default)

    return rate


class JSONOnly(BaseContentNegotiation):
    """Always JSON. DRF's `?format=` override is off: `format` is one of the hub's filters."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class IPRateThrottle(BaseThrottle):
    """django-ratelimit per client IP (settings API_READ_RATE_LIMIT, API_WRITE_RATE_LIMIT; None: no limit).

    Reads (GET, HEAD, OPTIONS) and writes are counted separately, in the default cache. Over the limit DRF
    raises `Throttled`: 429 `{"errors": {"detail": ["Trop de requêtes…"]}}` with `Retry-After: 60`.
    """

    def allow_request(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            group, rate = "api.read", _rate("API_READ_RATE_LIMIT", DEFAULT_READ_RATE_LIMIT)
        else:
            group, rate = "api.write", _rate("API_WRITE_RATE_LIMIT", DEFAULT_WRITE_RATE_LIMIT)
        return not is_ratelimited(request._request, group=group, key="ip", rate=rate, increment=True)

    def wait(self):
        return RETRY_AFTER


def latest(*querysets_and_fields):
    """The latest of several `(queryset, field)` maxima (one aggregate query each), or None."""
    values = [queryset.aggregate(value=Max(field))["value"] for queryset, field in querysets_and_fields]
    values = [value for value in values if value is not None]
    return max(values) if values else None


def content_changed_at():
    """When published content last changed, as far as Wagtail's logs and publication dates tell."""
    from wagtail.models import ModelLogEntry, Page, PageLogEntry

    return latest(
        (PageLogEntry.objects.all(), "timestamp"),
        (ModelLogEntry.objects.all(), "timestamp"),
        (Page.objects.live(), "last_published_at"),
    )


MAX_ID = 2**31 - 1  # the largest id of an integer column: larger ids are not found (no database error)


class ThrottleFirstMixin:
    """Count the request before authentication, so that failed authentications are limited too; an id too
    large for the database is a 404 before any query."""

    def initial(self, request, *args, **kwargs):
        self.check_throttles(request)
        self._throttles_checked = True
        if int(kwargs.get("pk", 0)) > MAX_ID:
            raise NotFound()
        super().initial(request, *args, **kwargs)

    def check_throttles(self, request):
        if not getattr(self, "_throttles_checked", False):
            super().check_throttles(request)


class ConditionalGetMixin:
    """ETag (a hash of the body) and Last-Modified (`get_last_modified()`) on successful reads; 304 on match.

    The ETag is exact; Last-Modified is the latest change the database records (publication, logged edit,
    `updated_at`), so clients should prefer If-None-Match. `Cache-Control: no-cache`: always revalidate.
    """

    def get_last_modified(self):
        return None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.streaming:
            return response
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        set_response_etag(response)
        last_modified = self.get_last_modified()
        timestamp = calendar.timegm(last_modified.utctimetuple()) if last_modified else None
        if timestamp is not None:
            response["Last-Modified"] = http_date(timestamp)
        private = getattr(request, "auth", None) is not None
        patch_cache_control(response, no_cache=True, **({"private": True} if private else {"public": True}))
        return get_conditional_response(
            request._request, etag=response["ETag"], last_modified=timestamp, response=response
        )


class ApiPagination(PageNumberPagination):
    """`?page=` (from 1) and `?page_size=` (1 to 100, 20 by default): `{count, next, previous, results}`.

    A page that is not a positive integer is a 400; a page after the last one a 404.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_page_message = _lazy("Cette page n'existe pas : il y a moins de pages de résultats.")

    def get_page_size(self, request):
        return clean_page_size(request.query_params, self.page_size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        clean_page_number(request.query_params)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "next", "previous", "results"]
        for name in ("next", "previous"):  # OpenAPI 3.1: no `nullable`
            response["properties"][name] = {"type": ["string", "null"], "format": "uri"}
        return response

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"] = {"type": "integer", "minimum": 1}
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters


def clean_page_number(params) -> int:
    value = params.get("page", "1")
    try:
        number = int(value)
        if number < 1 or not str(value).strip().isdigit():
            raise ValueError
    except (TypeError, ValueError):
        raise serializers.ValidationError({"page": [_("Le numéro de page doit être un entier positif.")]}) from None
    return number


def clean_page_size(params, default, maximum) -> int:
    value = params.get("page_size")
    if value in (None, ""):
        return default
    try:
        size = int(value)
        if not 1 <= size <= maximum or not str(value).strip().isdigit():
            raise ValueError
    except (TypeError, ValueError):
        raise serializers.ValidationError(
            {"page_size": [_("La taille de page doit être un entier de 1 à %(max)d.") % {"max": maximum}]}
        ) from None
    return size


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; a body nested deeper than Python's decoder goes (RecursionError) is a parse error."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError("JSON parse error - nested too deeply") from error
