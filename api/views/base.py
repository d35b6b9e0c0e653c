"""What every product endpoint of /api/v1/ shares: JSON only, errors `{"errors": {...}}`, rate limit per IP
(reads and writes counted apart), ETag/Last-Modified on reads, the paginated list body, the token views."""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from diagnostic.serializers import ErrorsSerializer

from ..authentication import BearerTokenAuthentication, HasScope, OAuthAuthentication
from ..http import (
    ConditionalGetMixin,
    IPRateThrottle,
    JSONOnly,
    JSONParser,
    ThrottleFirstMixin,
)
from ..serializers import (
    LOCALES,
)

ERRORS = {
    400: OpenApiResponse(ErrorsSerializer, description=gettext_lazy("Paramètres invalides : messages par paramètre.")),
    429: OpenApiResponse(
        ErrorsSerializer, description=gettext_lazy("Trop de requêtes depuis cette adresse IP (Retry-After).")
    ),
}


NOT_FOUND = {404: OpenApiResponse(ErrorsSerializer, description=gettext_lazy("Introuvable (ou non publié)."))}


NOT_MODIFIED = {304: OpenApiResponse(description=gettext_lazy("Non modifié depuis l'ETag ou la date envoyés."))}


class ApiView(ThrottleFirstMixin, ConditionalGetMixin, GenericAPIView):
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]  # a body nested too deeply is a 400, not a RecursionError
    content_negotiation_class = JSONOnly
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [IPRateThrottle]

    def query(self, serializer_class):
        """The validated query parameters (400 with one message per parameter otherwise)."""
        query = serializer_class(data=self.request.query_params.dict())
        query.is_valid(raise_exception=True)
        return query.validated_data

    def context(self):
        return {"request": self.request, "api_cache": {}}


def locale_of(params) -> str:
    value = params.get("locale", "fr")
    if value not in LOCALES:
        raise serializers.ValidationError({"locale": [_("Langue inconnue : fr ou en.")]})
    return value


def list_response(request, count, page_number, per_page, results, **extra):
    url = request.build_absolute_uri()
    has_next = page_number * per_page < count
    previous = None
    if page_number > 1:
        previous = (
            replace_query_param(url, "page", page_number - 1) if page_number > 2 else remove_query_param(url, "page")
        )
    return Response(
        {
            "count": count,
            "next": replace_query_param(url, "page", page_number + 1) if has_next else None,
            "previous": previous,
            "results": results,
            **extra,
        }
    )


AUTH_ERRORS = {
    401: OpenApiResponse(ErrorsSerializer, description=gettext_lazy("Jeton absent, inconnu ou révoqué.")),
    403: OpenApiResponse(ErrorsSerializer, description=gettext_lazy("Le jeton n'a pas le droit nécessaire.")),
}


def activate_client_language(request):
    """Token endpoints answer their messages in the client's language (Accept-Language: en), French otherwise.
    LocaleMiddleware activates French on every path without a language prefix, so the header is read here."""
    if translation.get_language_from_request(request._request).startswith("en"):
        translation.activate("en")


class TokenView(ApiView):
    authentication_classes = [BearerTokenAuthentication, OAuthAuthentication]
    permission_classes = [HasScope]

    def initial(self, request, *args, **kwargs):
        activate_client_language(request)
        super().initial(request, *args, **kwargs)
