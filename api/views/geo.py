"""GET /api/v1/canteens/geo/: the listed canteens as a GeoJSON FeatureCollection (the map's markers).

Filters (the registry's, English names; the French ones are still accepted): `region`, `department`, `epci`,
`commune`, `sector` (category), `management`, `production`, `declared` and `objectives` (yes/no), `q`.
`download=geojson` or `download=csv` answers the same view as a file. Built once per data change and filter set
(territories/maps.py), served gzip-compressed when the client accepts it, with an ETag (304 on If-None-Match).
"""

import csv
import io

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer

from diagnostic.serializers import ErrorsSerializer
from territories import maps

from ..http import IPRateThrottle, JSONOnly, ThrottleFirstMixin

DOWNLOADS = ("geojson", "csv")
PARAMETERS = [
    OpenApiParameter(name, OpenApiTypes.STR, description=description)
    for name, description in (
        ("region", gettext_lazy("Code INSEE de la région.")),
        ("department", gettext_lazy("Code INSEE du département (ancien nom : departement).")),
        ("epci", gettext_lazy("SIREN de l'EPCI.")),
        ("commune", gettext_lazy("Code INSEE de la commune.")),
        (
            "sector",
            gettext_lazy("Catégorie de secteur (education, health, social, administration, company, leisure, other)."),
        ),
        ("management", gettext_lazy("Mode de gestion (direct, conceded).")),
        ("production", gettext_lazy("Type de production (on_site, satellite, central, central_serving).")),
        ("declared", gettext_lazy("yes / no : télédéclarée lors de la dernière campagne publiée.")),
        ("objectives", gettext_lazy("yes / no : objectifs d'achats EGAlim atteints.")),
        ("q", gettext_lazy("Nom ou commune.")),
        ("download", gettext_lazy("geojson ou csv : la même vue en fichier.")),
    )
]


class CanteenGeoView(ThrottleFirstMixin, GenericAPIView):
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JSONOnly
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [IPRateThrottle]

    @extend_schema(
        operation_id="canteens_geo",
        summary=gettext_lazy("Cantines publiées en GeoJSON (la carte)"),
        description=gettext_lazy(
            "Une `FeatureCollection` de points (WGS 84), une entité par cantine publiée ayant une "
            "position : `id`, et en propriétés `name`, `city`, `commune`, `department`, `sectors` (catégories), "
            "`year` (dernière année publiée), `bio`, `egalim` (%), `objectives_met`, `declared`, `approximate` "
            "(position au centre approché de la commune)."
        ),
        tags=["canteens"],
        parameters=PARAMETERS,
        responses={
            (200, "application/geo+json"): OpenApiTypes.OBJECT,
            (200, "text/csv"): OpenApiTypes.STR,
            304: OpenApiResponse(description=gettext_lazy("Non modifié depuis l'ETag envoyé.")),
            400: OpenApiResponse(
                ErrorsSerializer, description=gettext_lazy("Paramètres invalides : messages par paramètre.")
            ),
            429: OpenApiResponse(
                ErrorsSerializer, description=gettext_lazy("Trop de requêtes depuis cette adresse IP.")
            ),
        },
    )
    def get(self, request):
        params = request.query_params
        download = params.get("download", "")
        if download and download not in DOWNLOADS:
            raise serializers.ValidationError({"download": [_("Format de téléchargement inconnu : geojson ou csv.")]})
        form = maps.MapFilterForm({key: params.get(key) for key in params if key != "download"})
        if not form.is_valid():
            raise serializers.ValidationError({name: list(errors) for name, errors in form.errors.items()})
        filters = form.filters()
        if download == "csv":
            return csv_response(filters)
        built = maps.geojson(filters)
        if built.etag in _etags(request.headers.get("If-None-Match", "")):
            response = HttpResponse(status=304)
        else:
            accepts_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
            response = HttpResponse(built.gzip if accepts_gzip else built.body, content_type="application/geo+json")
            if accepts_gzip:
                response["Content-Encoding"] = "gzip"
            response["X-Total-Count"] = str(built.count)
        response["ETag"] = built.etag
        patch_vary_headers(response, ["Accept-Encoding"])
        patch_cache_control(response, public=True, no_cache=True)
        if download:
            response["Content-Disposition"] = f'attachment; filename="{maps.filename(filters, "geojson")}"'
        return response


def _etags(header):
    return {tag.strip() for tag in header.split(",") if tag.strip()}


def csv_response(filters):
    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(maps.CSV_COLUMNS)
        yield "\ufeff" + buffer.getvalue()
        for row in maps.csv_rows(filters):
            buffer.seek(0)
            buffer.truncate()
            writer.writerow(row)
            yield buffer.getvalue()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{maps.filename(filters, "csv")}"'
    return response
