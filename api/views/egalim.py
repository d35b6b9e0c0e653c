"""Stateless JSON API of the EGAlim rules: POST /api/v1/egalim/evaluate/ and GET /api/v1/egalim/thresholds/.

No session, no authentication, CSRF-exempt; rate-limited per IP address (setting EGALIM_API_RATE_LIMIT,
"60/m" by default, counted in the default cache). Errors are `{"errors": {"field.path": ["message"]}}`.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy
from django_ratelimit.core import is_ratelimited
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ParseError, UnsupportedMediaType
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from diagnostic.serializers import (
    ErrorsSerializer,
    EvaluateRequestSerializer,
    EvaluationSerializer,
    ThresholdsQuerySerializer,
    ThresholdsSerializer,
    flatten_errors,
)
from diagnostic.validation import message
from egalim import formatting
from egalim.rules import evaluate, thresholds_for
from egalim.thresholds import territory_label

from ..http import ConditionalGetMixin, JSONParser

DEFAULT_RATE_LIMIT = "60/m"
RATE_LIMIT_GROUP = "diagnostic.egalim-api"


def rate_limit(group, request):
    """The rate for django-ratelimit, read at request time so tests and deployments can change it."""
    return getattr(settings, "EGALIM_API_RATE_LIMIT", DEFAULT_RATE_LIMIT)


def api_language(request) -> str:
    """?lang=en or ?lang=fr first, then the Accept-Language header; French by default.

    (LocaleMiddleware activates French on every path without a language prefix, so the header is read here.)
    """
    requested = request.query_params.get("lang", "")
    if requested[:2] in ("fr", "en"):
        return requested[:2]
    return "en" if translation.get_language_from_request(request._request).startswith("en") else "fr"


def errors_response(errors, status_code=status.HTTP_400_BAD_REQUEST, headers=None):
    return Response({"errors": errors}, status=status_code, headers=headers)


EXAMPLE_REQUEST = {
    "year": 2025,
    "department": "972",
    "state_restaurant": False,
    "daily_meals": 450,
    "purchases": {
        "total": 100000,
        "bio": 6000,
        "siqo": 8000,
        "environmental": 2000,
        "other_egalim": 6000,
        "meat_fish_total": 30000,
        "meat_fish_egalim": 18000,
    },
    "answers": {
        "waste": {"diagnostic_done": True, "actions": ["portions"], "donation_agreement": False},
        "diversification": {"plan": True, "vegetarian_frequency": "weekly", "daily_vegetarian_option": False},
        "plastic": {"containers": True, "bottles": True, "tableware": True},
        "information": {"informs_diners": True},
    },
}

ERROR_RESPONSES = {
    400: OpenApiResponse(ErrorsSerializer, description=gettext_lazy("Données invalides : messages par champ.")),
    429: OpenApiResponse(ErrorsSerializer, description=gettext_lazy("Trop de requêtes depuis cette adresse IP.")),
}


class EgalimAPIView(APIView):
    authentication_classes = []  # stateless: no session, hence no CSRF check
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]  # no browsable API: DRF's default renderers are not narrowed globally

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.lang = api_language(request)

    def rate_limited(self, request):
        limited = is_ratelimited(request._request, group=RATE_LIMIT_GROUP, key="ip", rate=rate_limit, increment=True)
        if limited:
            return errors_response(
                {"rate_limit": [message("rate_limited")]},
                status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": "60"},
            )
        return None


class EvaluateView(EgalimAPIView):
    @extend_schema(
        operation_id="egalim_evaluate",
        summary=gettext_lazy("Évaluer les mesures EGAlim d'un restaurant"),
        description=(
            gettext_lazy(
                "Calcule les taux d'achats (bio, EGAlim, viandes et poissons) et le statut de chaque mesure "
                "(`met`, `not_met`, `incomplete`) pour une année de données et un département, avec les écarts et "
                "le lien vers les ressources utiles. `purchases` et `answers` peuvent être partiels : ce qui "
                "manque rend la mesure `incomplete`. Les taux sont tronqués à deux décimales (jamais arrondis "
                "au-dessus d'un seuil). Libellés en français, ou en anglais avec `?lang=en` ou Accept-Language."
            )
        ),
        tags=["EGAlim"],
        request=EvaluateRequestSerializer,
        responses={200: EvaluationSerializer, **ERROR_RESPONSES},
        examples=[OpenApiExample("Martinique, 2025", value=EXAMPLE_REQUEST, request_only=True)],
        auth=[],
    )
    def post(self, request):
        limited = self.rate_limited(request)
        if limited:
            return limited
        try:
            data = request.data
        except ParseError:
            return errors_response({"body": [message("json")]})
        except UnsupportedMediaType:
            return errors_response({"body": [message("media_type")]}, status.HTTP_415_UNSUPPORTED_MEDIA_TYPE)
        serializer = EvaluateRequestSerializer(data=data)
        if not serializer.is_valid():
            return errors_response(flatten_errors(serializer.errors))
        evaluation = evaluate(serializer.to_input())
        return Response(evaluation.as_dict(self.lang))


class ThresholdsView(ConditionalGetMixin, EgalimAPIView):
    """A read: ETag and 304 like the API's other reads (the thresholds change with the code: no Last-Modified)."""

    @extend_schema(
        operation_id="egalim_thresholds",
        summary=gettext_lazy("Seuils EGAlim d'un département pour une année de données"),
        tags=["EGAlim"],
        parameters=[ThresholdsQuerySerializer],
        responses={
            200: ThresholdsSerializer,
            **ERROR_RESPONSES,
            304: OpenApiResponse(description=gettext_lazy("Non modifié.")),
        },
        auth=[],
    )
    def get(self, request):
        limited = self.rate_limited(request)
        if limited:
            return limited
        params = {name: request.query_params[name] for name in ("department", "year") if name in request.query_params}
        query = ThresholdsQuerySerializer(data=params)
        if not query.is_valid():
            return errors_response(flatten_errors(query.errors))
        thresholds = thresholds_for(query.validated_data["department"], query.validated_data["year"])

        def plain(value):
            return None if value is None else formatting.plain(value)

        return Response(
            {
                "year": thresholds.year,
                "department": thresholds.department,
                "territory_group": thresholds.territory_group,
                "territory": territory_label(thresholds.territory_group, self.lang),
                "thresholds": {
                    "bio": plain(thresholds.bio),
                    "egalim": plain(thresholds.egalim),
                    "meat_fish_egalim": plain(thresholds.meat_fish_standard),
                    "meat_fish_egalim_state_restaurant": plain(thresholds.meat_fish_state),
                },
            }
        )
