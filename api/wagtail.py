"""Wagtail's API v2 at /api/v1/pages/, /api/v1/images/, /api/v1/documents/, with the project's page fields.

- Only live, public pages of a site (Wagtail's `get_public_pages_queryset`), never drafts (a page's draft
  revision is not served: the API reads the published row), never pages under a view restriction, and never
  aliases (the English tree's untranslated copies of French pages): `?locale=en` lists real translations.
- `PAGE_API_FIELDS` is the single list of the fields each page type exposes; `register_api_fields()` (called
  by the app's `ready()`) sets them as the models' `api_fields`, so the page models stay free of API code.
- Errors in the API's format, rate limit per IP, ETag/Last-Modified, `meta.next`/`meta.previous` links.
"""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldError
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from wagtail.api import APIField
from wagtail.api.v2.filters import LocaleFilter, SearchFilter
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import PageHtmlUrlField, PageSerializer
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents import get_document_model
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Locale, ModelLogEntry, Page

from home.urls_absolute import page_url
from resources.models import ResourceFile
from search.service import filter_pages

from . import content
from .errors import not_found_message
from .http import MAX_ID, ConditionalGetMixin, IPRateThrottle, JSONOnly, ThrottleFirstMixin, content_changed_at, latest
from .streamfield import StreamFieldSerializer
from .wagtail_schema import (
    COMMON_PARAMETERS,
    DOCUMENT,
    IMAGE,
    PAGE,
    PAGE_PARAMETERS,
    STREAM,
    TERM,
    documented,
    page_types,
)

# --- fields of the page types -----------------------------------------------------------------------------


class PageField(serializers.Field):
    """A read-only field computed from the whole page (source "*"), with the request's lookup cache."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    @property
    def cache(self):
        return self.context.setdefault("api_cache", {})

    @property
    def request(self):
        return self.context.get("request")

    def language(self, page):
        return content.language_of(page, self.cache)


class TermField(PageField):
    """A taxonomy foreign key as `{"code", "name"}` (name in the page's language)."""

    def __init__(self, relation, **kwargs):
        self.relation = relation
        super().__init__(**kwargs)

    def to_representation(self, page):
        return content.term(getattr(page, self.relation), self.language(page), self.cache)


class TermsField(TermField):
    """A taxonomy many-to-many as `[{"code", "name"}]`."""

    def to_representation(self, page):
        return content.terms(getattr(page, self.relation).all(), self.language(page), self.cache)


class GapsField(PageField):
    def to_representation(self, page):
        language = self.language(page)
        return [content.gap(code, language) for code in sorted(gap.pk for gap in page.gaps.all())]


class FilesField(PageField):
    """A resource's files and links: `[{"title", "url", "format", "size", "document"}]`."""

    def to_representation(self, page):
        files = [content.resource_file(f, self.request, self.cache) for f in page.files.all()]
        return [f for f in files if f is not None]


class RelatedResourcesField(PageField):
    def to_representation(self, page):
        links = [
            content.page_link(related.localized, self.request, self.cache) for related in page.related_resources.all()
        ]
        return [link for link in links if link is not None]


class KitItemsField(PageField):
    """A kit's items: `[{"type": "resource"|"document"|"mail_template", "title", ...}]`."""

    def to_representation(self, page):
        items = []
        for item, resource in page.visible_items():
            if resource is not None:
                link = content.page_link(resource, self.request, self.cache)
                if link:
                    items.append({"type": "resource", "title": item.label, "resource": link})
            elif item.document_id:
                document = content.document(item.document, self.request, self.cache)
                if document:
                    items.append({"type": "document", "title": item.label, "document": document})
            elif item.mail_template_id:
                template = item.mail_template.localized
                items.append(
                    {
                        "type": "mail_template",
                        "title": item.title or template.name,
                        "mail_template": {"id": template.pk, "code": template.code, "name": template.name},
                    }
                )
        return items


class ZipUrlField(PageField):
    def to_representation(self, page):
        return content.absolute(self.request, page.zip_url)


def stream(name):
    return APIField(name, serializer=StreamFieldSerializer())


def taxonomy(name, many=True):
    return APIField(name, serializer=TermsField(name) if many else TermField(name))


PAGE_API_FIELDS = {
    "home.HomePage": ["hero_title", "hero_text", stream("body")],
    "home.StandardPage": ["introduction", stream("body")],
    "resources.MeasureIndexPage": ["introduction", "last_reviewed"],
    "resources.MeasurePage": [
        taxonomy("measure", many=False),
        "summary",
        "requirements",
        "concerned",
        "since",
        stream("thresholds"),
        stream("body"),
        stream("sources"),
        stream("faq"),
        "last_reviewed",
    ],
    "resources.GuideIndexPage": ["introduction", "last_reviewed"],
    "resources.GuidePage": [
        "introduction",
        stream("body"),
        APIField("toc"),
        taxonomy("measures"),
        taxonomy("audiences"),
        taxonomy("sectors"),
        "last_reviewed",
    ],
    "resources.ResourceIndexPage": ["introduction", "last_reviewed"],
    "resources.ResourcePage": [
        "summary",
        taxonomy("resource_type", many=False),
        APIField("files", serializer=FilesField()),
        stream("body"),
        taxonomy("measures"),
        taxonomy("audiences"),
        taxonomy("sectors"),
        APIField("gaps", serializer=GapsField()),
        "language",
        "publication_date",
        APIField("related_resources", serializer=RelatedResourcesField()),
        "last_reviewed",
    ],
    "resources.KitPage": [
        "introduction",
        taxonomy("audience", many=False),
        APIField("items", serializer=KitItemsField()),
        APIField("zip_url", serializer=ZipUrlField()),
        "last_reviewed",
    ],
}


# What the fields above read, fetched for a whole listing page (or a detail) at once: no query per page.
PAGE_PREFETCH = {
    "resources.MeasurePage": ["measure"],
    "resources.GuidePage": ["measures", "audiences", "sectors"],
    "resources.ResourcePage": [
        "resource_type",
        "measures",
        "audiences",
        "sectors",
        "gaps",
        "related_resources",
        Prefetch("files", ResourceFile.objects.select_related("document")),
    ],
    "resources.KitPage": ["audience"],
}


def prefetch_page_fields(pages):
    """`pages` (a list) with their locale and the relations of their type's API fields prefetched."""
    prefetch_related_objects(pages, "locale")
    for label, lookups in PAGE_PREFETCH.items():
        model = apps.get_model(label)
        prefetch_related_objects([page for page in pages if type(page) is model], *lookups)
    return pages


def field_schema(field) -> dict:
    """The OpenAPI schema of one entry of PAGE_API_FIELDS (any JSON value for a plain model field)."""
    serializer = getattr(field, "serializer", None)
    if isinstance(serializer, StreamFieldSerializer):
        return STREAM
    if isinstance(serializer, TermsField):
        return {"type": "array", "items": TERM}
    if isinstance(serializer, TermField):
        return {"anyOf": [TERM, {"type": "null"}]}
    if isinstance(serializer, ZipUrlField):
        return {"type": "string"}
    if isinstance(serializer, PageField):
        return {"type": "array", "items": {"type": "object"}}
    return {}


def page_fields_schema() -> dict:
    def name(field):
        return field if isinstance(field, str) else field.name

    return {label: {name(f): field_schema(f) for f in fields} for label, fields in PAGE_API_FIELDS.items()}


def register_api_fields():
    for label, fields in PAGE_API_FIELDS.items():
        apps.get_model(label).api_fields = fields


# --- endpoints --------------------------------------------------------------------------------------------


class LinkedPagination(WagtailPagination):
    """Wagtail's `{"meta": {"total_count"}, "items"}` with `meta.next` and `meta.previous` (offset links)."""

    def paginate_queryset(self, queryset, request, view=None):
        page = super().paginate_queryset(queryset, request, view)
        self.request = request
        self.offset = int(request.GET.get("offset", 0))
        limit_max = getattr(settings, "WAGTAILAPI_LIMIT_MAX", 20)
        self.limit = int(request.GET.get("limit", 20 if not limit_max else min(20, limit_max)))
        return page

    def link(self, offset):
        url = self.request.build_absolute_uri()
        return remove_query_param(url, "offset") if offset <= 0 else replace_query_param(url, "offset", offset)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        meta = response.data["meta"]
        following = self.offset + self.limit
        meta["next"] = self.link(following) if self.limit and following < self.total_count else None
        meta["previous"] = self.link(max(self.offset - self.limit, 0)) if self.offset > 0 else None
        return response


class StrictLocaleFilter(LocaleFilter):
    """`?locale=` must be a language of the site: 400 otherwise (Wagtail answers 404)."""

    def filter_queryset(self, request, queryset, view):
        if "locale" in request.GET and not Locale.objects.filter(language_code=request.GET["locale"]).exists():
            raise BadRequestError(_("Langue inconnue : %(locale)s.") % {"locale": request.GET["locale"][:20]})
        return super().filter_queryset(request, queryset, view)


class ProjectSearchFilter(SearchFilter):
    """`?search=` on pages through the project's search service, as the site search and the hub rank them
    (docs/decisions/0007-one-search.md), not Wagtail's own index. Sorted by relevance unless `order` is given;
    the query is read in the language of `?locale=` (French by default)."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        if getattr(queryset, "_filtered_by_tag", False):
            raise BadRequestError("filtering by tag with a search query is not supported")
        found = filter_pages(queryset, request.GET["search"], locale=request.GET.get("locale") or "fr")
        return found if "order" in request.GET else found.order_by("-search_rank", "pk")


class EndpointMixin(ThrottleFirstMixin, ConditionalGetMixin):
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]  # the project's DRF settings are not global (see REST_FRAMEWORK)
    content_negotiation_class = JSONOnly
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [IPRateThrottle]
    pagination_class = LinkedPagination

    integer_parameters = ("id", "child_of", "descendant_of", "ancestor_of", "translation_of", "offset", "limit")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        for name, values in request.GET.lists():
            # PostgreSQL text cannot hold NUL: ?search=%00 or find/?html_path=/%00 made a 500 (issue 15)
            if "\x00" in name or any("\x00" in value for value in values):
                raise BadRequestError(_("Caractère nul interdit dans les paramètres."))
        for name in self.integer_parameters:
            value = request.GET.get(name)
            if value is None or (value == "root" and name in ("child_of", "descendant_of")):
                continue
            if not value.isdigit() or int(value) > MAX_ID:
                raise BadRequestError(_("%(name)s : entier positif attendu.") % {"name": name})

    def handle_exception(self, exc):
        if isinstance(exc, Http404):
            return Response({"errors": {"detail": [not_found_message()]}}, status=status.HTTP_404_NOT_FOUND)
        if isinstance(exc, BadRequestError):
            return Response({"errors": {"detail": [str(exc)]}}, status=status.HTTP_400_BAD_REQUEST)
        return super().handle_exception(exc)

    def filter_queryset(self, queryset):
        try:
            return super().filter_queryset(queryset)
        except (ValueError, TypeError, FieldError, DjangoValidationError) as error:
            raise BadRequestError(_("Paramètre de filtre invalide.")) from error

    def paginate_queryset(self, queryset):
        try:
            return list(super().paginate_queryset(queryset))  # evaluated here: a bad filter value is a 400
        except (ValueError, TypeError, FieldError, DjangoValidationError) as error:
            raise BadRequestError(_("Paramètre de filtre invalide.")) from error

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["api_cache"] = {}
        return context


class RequestHtmlUrlField(PageHtmlUrlField):
    """`meta.html_url` from the request's host (Wagtail's uses the Site's hostname: « localhost »)."""

    def to_representation(self, page):
        try:
            return page_url(page, self.context.get("request"))
        except NoReverseMatch:
            return None


class RequestPageSerializer(PageSerializer):
    html_url = RequestHtmlUrlField(read_only=True)


@documented(
    "pages",
    PAGE,
    COMMON_PARAMETERS + PAGE_PARAMETERS,
    gettext_lazy("Pages publiées et publiques"),
    detail_item=page_types(page_fields_schema()),
)
class PagesEndpoint(EndpointMixin, PagesAPIViewSet):
    base_serializer_class = RequestPageSerializer
    filter_backends = [
        {LocaleFilter: StrictLocaleFilter, SearchFilter: ProjectSearchFilter}.get(backend, backend)
        for backend in PagesAPIViewSet.filter_backends
    ]

    def paginate_queryset(self, queryset):
        return prefetch_page_fields(super().paginate_queryset(queryset))

    def get_object(self):
        return prefetch_page_fields([super().get_object()])[0]

    def get_base_queryset(self):
        # `pk`, not `alias_of`: `?search=` only filters on fields the search index knows (Page's FilterFields)
        aliases = Page.objects.filter(alias_of__isnull=False).values("pk")
        return super().get_base_queryset().exclude(pk__in=aliases)

    def get_last_modified(self):
        return content_changed_at()


@documented("images", IMAGE, COMMON_PARAMETERS, gettext_lazy("Images"))
class ImagesEndpoint(EndpointMixin, ImagesAPIViewSet):
    def get_last_modified(self):
        return latest((get_image_model().objects.all(), "created_at"), (ModelLogEntry.objects.all(), "timestamp"))


class DocumentFormatSerializer(serializers.CharField):
    def __init__(self, **kwargs):
        super().__init__(source="file_extension", read_only=True, **kwargs)

    def to_representation(self, value):
        return (value or "").lower()


class DocumentSizeSerializer(PageField):
    """The size in bytes, read from the file when Wagtail has not stored it yet (documents created by code)."""

    def to_representation(self, document):
        return content.document_size(document)


@documented("documents", DOCUMENT, COMMON_PARAMETERS, gettext_lazy("Documents publics"))
class DocumentsEndpoint(EndpointMixin, DocumentsAPIViewSet):
    body_fields = DocumentsAPIViewSet.body_fields + [
        APIField("file_size", DocumentSizeSerializer()),
        APIField("format", DocumentFormatSerializer()),
    ]
    listing_default_fields = DocumentsAPIViewSet.listing_default_fields + ["file_size", "format"]

    def get_last_modified(self):
        return latest((get_document_model().objects.all(), "created_at"), (ModelLogEntry.objects.all(), "timestamp"))


router = WagtailAPIRouter("wagtailapi")
router.register_endpoint("pages", PagesEndpoint)
router.register_endpoint("images", ImagesEndpoint)
router.register_endpoint("documents", DocumentsEndpoint)
