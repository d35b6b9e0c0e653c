"""One error format for the whole API: `{"errors": {"field.path": ["message", ...]}}`.

400: one entry per invalid field (nested fields as dotted paths); any other status: `{"errors": {"detail":
["message"]}}` (404, 401, 403, 405, 429...). Set as REST_FRAMEWORK["EXCEPTION_HANDLER"], so every DRF view
under /api/ answers this way (wagtail-localize's admin views keep DRF's own); the EGAlim endpoints build the same
shape themselves.
"""

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from diagnostic.serializers import flatten_errors


def not_found_message() -> str:
    return _("Introuvable : cette adresse ne correspond à aucun contenu public de l'API.")


def rate_limited_message() -> str:
    return _("Trop de requêtes depuis cette adresse IP : réessayez dans une minute.")


def error_body(detail) -> dict:
    if isinstance(detail, (dict, list)):
        return {"errors": flatten_errors(detail)}
    return {"errors": {"detail": [str(detail)]}}


def detail_error(message, status_code, headers=None) -> Response:
    return Response({"errors": {"detail": [str(message)]}}, status=status_code, headers=headers)


def exception_handler(exc, context):
    request = context.get("request")
    if request is not None and not request.path.startswith("/api/"):
        # Other DRF views of the site (wagtail-localize's translation editor) keep DRF's own answers.
        return drf_exception_handler(exc, context)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(not_found_message())
    elif isinstance(exc, exceptions.NotFound):
        if str(exc.detail) == str(exceptions.NotFound.default_detail):
            exc = exceptions.NotFound(not_found_message())
    elif isinstance(exc, exceptions.Throttled):
        exc.detail = rate_limited_message()
    elif isinstance(exc, exceptions.ParseError):
        exc = exceptions.ValidationError({"body": [_("Le corps de la requête n'est pas un JSON valide.")]})
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body(exc.detail if isinstance(exc.detail, (dict, list)) else [exc.detail])
    else:
        response.data = error_body(getattr(exc, "detail", str(exc)))
    return response


def json_error(message, status_code=status.HTTP_404_NOT_FOUND) -> JsonResponse:
    """A plain Django JSON error (outside DRF: unknown URLs under /api/v1/, server errors)."""
    return JsonResponse({"errors": {"detail": [str(message)]}}, status=status_code)
