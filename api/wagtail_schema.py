"""OpenAPI description of Wagtail's endpoints (pages, images, documents), written by hand.

drf-spectacular cannot introspect them: their fields depend on `?type=` and `?fields=`. The schema gives the
fields every item has (`id`, `meta`, `title`…) and allows the others (`additionalProperties`); a page's detail
also describes the fields of each page type (`page_types()`, from `api.wagtail.PAGE_API_FIELDS`), none of them
required since `?fields=` can leave them out.
"""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}
    },
    "required": ["errors"],
}
NULLABLE_STRING = {"type": ["string", "null"]}


def _item(meta_properties, body_properties):
    return {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "meta": {"type": "object", "properties": meta_properties, "additionalProperties": True},
            **body_properties,
        },
        "required": ["id", "meta"],
        "additionalProperties": True,
    }


PAGE_META = {
    "type": {"type": "string", "description": gettext_lazy("Type de page, par exemple resources.ResourcePage.")},
    "detail_url": {"type": "string"},
    "html_url": NULLABLE_STRING,
    "slug": {"type": "string"},
    "first_published_at": {"type": ["string", "null"], "format": "date-time"},
    "locale": {"type": "string"},
}
PAGE = _item(PAGE_META, {"title": {"type": "string"}})
FILE_META = {
    "type": {"type": "string"},
    "detail_url": {"type": "string"},
    "download_url": {"type": "string"},
    "tags": {"type": "array", "items": {"type": "string"}},
}
IMAGE = _item(FILE_META, {"title": {"type": "string"}, "width": {"type": "integer"}, "height": {"type": "integer"}})
DOCUMENT = _item(
    FILE_META,
    {
        "title": {"type": "string"},
        "file_size": {"type": ["integer", "null"], "description": gettext_lazy("Taille en octets.")},
        "format": {"type": "string", "description": gettext_lazy("Extension du fichier : pdf, docx…")},
    },
)


def _listing(item):
    return {
        "type": "object",
        "properties": {
            "meta": {
                "type": "object",
                "properties": {
                    "total_count": {"type": "integer"},
                    "next": NULLABLE_STRING,
                    "previous": NULLABLE_STRING,
                },
                "required": ["total_count"],
            },
            "items": {"type": "array", "items": item},
        },
        "required": ["meta", "items"],
    }


COMMON_PARAMETERS = [
    OpenApiParameter(
        "limit", OpenApiTypes.INT, description=gettext_lazy("Nombre de résultats (20 par défaut, 100 au plus).")
    ),
    OpenApiParameter("offset", OpenApiTypes.INT, description=gettext_lazy("Résultats à sauter.")),
    OpenApiParameter(
        "fields",
        OpenApiTypes.STR,
        description=gettext_lazy(
            "Champs à ajouter ou retirer : `fields=summary,measures`, `fields=*`, `fields=-title`."
        ),
    ),
    OpenApiParameter("order", OpenApiTypes.STR, description=gettext_lazy("Tri : `title`, `-id`, `random`…")),
    OpenApiParameter("search", OpenApiTypes.STR, description=gettext_lazy("Recherche plein texte.")),
]
PAGE_PARAMETERS = [
    OpenApiParameter(
        "type",
        OpenApiTypes.STR,
        description=gettext_lazy("Type de page (`resources.ResourcePage`) : ouvre ses champs aux filtres."),
    ),
    OpenApiParameter("locale", OpenApiTypes.STR, enum=["fr", "en"], description=gettext_lazy("Langue des pages.")),
    OpenApiParameter("child_of", OpenApiTypes.INT, description=gettext_lazy("Pages enfants de la page donnée.")),
    OpenApiParameter("descendant_of", OpenApiTypes.INT, description=gettext_lazy("Pages sous la page donnée.")),
    OpenApiParameter("translation_of", OpenApiTypes.INT, description=gettext_lazy("Traductions de la page donnée.")),
]
DETAIL_PARAMETERS = [
    OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH),
    OpenApiParameter("fields", OpenApiTypes.STR, description=gettext_lazy("Champs à ajouter ou retirer.")),
]
ERROR_RESPONSES = {
    400: OpenApiResponse(ERROR_SCHEMA, description=gettext_lazy("Paramètre invalide.")),
    429: OpenApiResponse(ERROR_SCHEMA, description=gettext_lazy("Trop de requêtes depuis cette adresse IP.")),
    304: OpenApiResponse(description=gettext_lazy("Non modifié.")),
}
NOT_FOUND = {404: OpenApiResponse(ERROR_SCHEMA, description=gettext_lazy("Introuvable, non publié ou privé."))}


TERM = {"type": "object", "properties": {"code": {"type": "string"}, "name": {"type": "string"}}}
STREAM = {
    "type": "array",
    "description": gettext_lazy(
        "StreamField : blocs `{type, id, value}`, documents, images et pages choisis développés."
    ),
    "items": {"type": "object", "properties": {"type": {"type": "string"}, "id": {"type": ["string", "null"]}}},
}


def page_types(fields_by_type: dict) -> dict:
    """A page's schema: the fields every page has, then one `anyOf` branch per page type with its own fields
    (`fields_by_type`: {"resources.ResourcePage": {"measures": schema, ...}}), each branch chosen by `meta.type`."""
    branches = [
        {
            "title": label.rsplit(".", 1)[-1],
            "type": "object",
            "properties": {
                "meta": {"type": "object", "properties": {"type": {"const": label}}},
                **properties,
            },
        }
        for label, properties in fields_by_type.items()
    ]
    other = {
        "type": "object",
        "properties": {"meta": {"type": "object", "properties": {"type": {"not": {"enum": list(fields_by_type)}}}}},
    }
    return {**PAGE, "anyOf": [*branches, other]}


def documented(name, item, listing_parameters, description, detail_item=None):
    """Class decorator: the schema of a Wagtail endpoint's listing, detail and find views."""
    find_parameters = [OpenApiParameter("id", OpenApiTypes.INT, description=gettext_lazy("Identifiant de l'objet."))]
    if name == "pages":
        find_parameters.append(
            OpenApiParameter("html_path", OpenApiTypes.STR, description=gettext_lazy("Chemin de la page."))
        )

    def decorator(cls):
        def listing_view(self, request):
            return super(cls, self).listing_view(request)

        def detail_view(self, request, pk):
            return super(cls, self).detail_view(request, pk)

        def find_view(self, request):
            return super(cls, self).find_view(request)

        cls.listing_view = extend_schema(
            operation_id=f"{name}_list",
            summary=description,
            tags=[name],
            parameters=listing_parameters,
            responses={200: _listing(item), **ERROR_RESPONSES, **NOT_FOUND},
        )(listing_view)
        cls.detail_view = extend_schema(
            operation_id=f"{name}_retrieve",
            summary=format_lazy(gettext_lazy("{name} : un élément, avec tous ses champs"), name=description),
            tags=[name],
            parameters=DETAIL_PARAMETERS,
            responses={200: detail_item or item, **ERROR_RESPONSES, **NOT_FOUND},
        )(detail_view)
        cls.find_view = extend_schema(
            operation_id=f"{name}_find",
            summary=gettext_lazy("Redirige vers l'élément trouvé"),
            tags=[name],
            parameters=find_parameters,
            responses={
                302: OpenApiResponse(description=gettext_lazy("Redirection vers l'élément.")),
                **ERROR_RESPONSES,
                **NOT_FOUND,
            },
        )(find_view)
        return cls

    return decorator
