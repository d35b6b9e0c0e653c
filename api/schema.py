"""The OpenAPI 3 schema (/api/v1/schema/, JSON; YAML with ?format=yaml) and its HTML page (/api/v1/docs/).

The page is rendered on the server from the same schema (no CDN, no JavaScript needed): every operation
with its parameters, request body and responses, then every component schema. GET operations without a
path parameter get a form that opens the JSON; `static/api/docs.js` (optional) also fills path parameters
and shows the answer in the page.

Wagtail's endpoints are described by hand in `api/wagtail_schema.py`.
"""

import functools

from django.shortcuts import render
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiJsonRenderer2, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView

LANGUAGES = ("fr", "en")
DESCRIPTION = _("Contenus, ressources, cantines et règles EGAlim.")


# --- schema and documentation views --------------------------------------------------------------------


def _resolved(value):
    """The schema with its lazy texts (gettext_lazy) turned into strings of the active language."""
    if isinstance(value, dict):
        return {key: _resolved(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_resolved(item) for item in value]
    return str(value) if isinstance(value, Promise) else value


def openapi_schema(language: str = "fr") -> dict:
    """The schema in `language` (its titles and descriptions go through gettext), generated once per process and
    language (it only changes with the code)."""
    return _schema(language)


@functools.cache
def _schema(language: str) -> dict:
    with translation.override(language):
        schema = SchemaGenerator().get_schema(request=None, public=True)
        schema["info"]["description"] = DESCRIPTION
        return _resolved(schema)


def schema_language(request) -> str:
    """The language of the schema and its page: `?locale=en` (the API's language parameter; `?lang=en` too, as
    the EGAlim endpoints and drf-spectacular say), else the client's `Accept-Language` (English when it prefers
    it), else French. Paths without a language prefix (all of /api/v1/) are French for LocaleMiddleware, hence the
    header read here."""
    locale = request.GET.get("locale") or request.GET.get("lang")
    if locale in LANGUAGES:
        return locale
    return "en" if translation.get_language_from_request(request).startswith("en") else "fr"


class SchemaView(SpectacularAPIView):
    """JSON by default (`?format=yaml` for YAML), in French or English (`schema_language`)."""

    renderer_classes = [OpenApiJsonRenderer2, OpenApiJsonRenderer, OpenApiYamlRenderer]
    authentication_classes = []

    def _get_schema_response(self, request):
        from rest_framework.response import Response

        language = schema_language(request._request)
        return Response(openapi_schema(language), headers={"Content-Language": language, "Vary": "Accept-Language"})


def type_label(schema: dict) -> str:
    if not schema:
        return gettext("objet")
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return type_label(schema["allOf"][0])
    if "oneOf" in schema:
        return gettext(" ou ").join(type_label(option) for option in schema["oneOf"])
    kind = schema.get("type", gettext("objet"))
    if isinstance(kind, list):  # OpenAPI 3.1: ["string", "null"]
        nullable = "null" in kind
        label = type_label({**schema, "type": next((k for k in kind if k != "null"), "null")})
        return label + (gettext(" ou null") if nullable else "")
    if kind == "array":
        label = gettext("liste de %(type)s") % {"type": type_label(schema.get("items", {}))}
    elif "enum" in schema:
        label = " | ".join(str(value) for value in schema["enum"] if value not in ("", None))
    else:
        label = kind + (f" ({schema['format']})" if schema.get("format") else "")
    return label


def first_ref(schema: dict) -> str | None:
    """The component a property refers to (directly, as list items or as a nullable oneOf)."""
    candidates = [schema, schema.get("items") or {}, *schema.get("oneOf", [])]
    return next((candidate["$ref"] for candidate in candidates if "$ref" in candidate), None)


def properties(schema: dict) -> list[dict]:
    required = set(schema.get("required", []))
    rows = []
    for name, prop in (schema.get("properties") or {}).items():
        ref = first_ref(prop)
        rows.append(
            {
                "name": name,
                "type": type_label(prop),
                "ref": ref.rsplit("/", 1)[-1] if ref else None,
                "required": name in required,
                "description": prop.get("description", ""),
            }
        )
    return rows


def body_of(content: dict | None) -> dict | None:
    if not content:
        return None
    schema = (content.get("application/json") or next(iter(content.values()), {})).get("schema", {})
    ref = first_ref(schema)
    return {
        "type": type_label(schema),
        "ref": ref.rsplit("/", 1)[-1] if ref else None,
        "properties": [] if ref else properties(schema),
    }


def documentation(schema: dict) -> dict:
    groups: dict[str, list] = {}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            parameters = [
                {
                    "name": parameter["name"],
                    "in": parameter["in"],
                    "type": type_label(parameter.get("schema", {})),
                    "array": parameter.get("schema", {}).get("type") == "array",
                    "required": parameter.get("required", False),
                    "description": parameter.get("description", ""),
                }
                for parameter in operation.get("parameters", [])
            ]
            entry = {
                "id": operation.get("operationId", f"{method}-{path}"),
                "method": method.upper(),
                "path": path,
                "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "parameters": parameters,
                "query_parameters": [p for p in parameters if p["in"] == "query"],
                "path_parameters": [p for p in parameters if p["in"] == "path"],
                "request": body_of((operation.get("requestBody") or {}).get("content")),
                "responses": [
                    {
                        "status": code,
                        "description": response.get("description", ""),
                        "body": body_of(response.get("content")),
                    }
                    for code, response in operation.get("responses", {}).items()
                ],
                "secured": any(requirement for requirement in operation.get("security", [])),
            }
            groups.setdefault((operation.get("tags") or [gettext("autres")])[0], []).append(entry)
    components = [
        {
            "name": name,
            "type": type_label(component),
            "properties": properties(component),
            "description": component.get("description", ""),
        }
        for name, component in sorted(schema.get("components", {}).get("schemas", {}).items())
    ]
    return {"info": schema.get("info", {}), "groups": sorted(groups.items()), "components": components}


def docs(request):
    """The API's documentation page, in the schema's language (`schema_language`: `?locale=en`, or a browser that
    prefers English): the page is outside the /en/ prefix."""
    language = schema_language(request)
    with translation.override(language):
        request.LANGUAGE_CODE = language
        response = render(
            request, "api/docs.html", {"doc": documentation(openapi_schema(language)), "locale": language}
        )
    response["Content-Language"] = language
    response["Vary"] = "Accept-Language"
    return response
