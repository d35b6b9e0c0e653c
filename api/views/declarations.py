"""Teledeclaration and canteen status endpoints of /api/v1/ (software vendors and groups of canteens).

- `POST /api/v1/canteens/<id>/declarations/` `{"year": 2025, "confirm_warnings": ["cost_per_meal_high"]}`
  declares that year's diagnostic (scope `declarations:write`); 400 with `{"errors": {"<field>": ["…"]}}`
  listing every missing mandatory value (the rules' table, `egalim.declaration`), or the implausible
  values still to confirm (`warnings` gives their codes); `DELETE` of the same path with `?year=` cancels it.
- `GET /api/v1/canteens/siret/<siret>/`, `GET /api/v1/canteens/siren/<siren>/`: public status of a canteen
  (registered, published years, declared years), never private data, 404 for unknown and hidden canteens.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from canteens import declaration as declarations
from canteens.models import Canteen, Teledeclaration, YearlyDiagnostic
from canteens.permissions import DECLARE, get_canteen_for
from canteens.validators import normalize_identifier
from diagnostic.serializers import ErrorsSerializer
from egalim.rules import FIRST_YEAR, LAST_YEAR

from ..models import DECLARATIONS_WRITE
from .base import AUTH_ERRORS, ERRORS, NOT_FOUND, ApiView, TokenView


class DeclareSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    confirm_warnings = serializers.ListField(
        child=serializers.CharField(max_length=64),
        required=False,
        max_length=50,
        help_text=gettext_lazy(
            "Codes des valeurs invraisemblables que le déclarant confirme (voir `warnings` d'un refus)."
        ),
    )


class YearQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)


class WarningSerializer(serializers.Serializer):
    code = serializers.CharField()
    field = serializers.CharField()
    message = serializers.CharField()


class RefusalSerializer(ErrorsSerializer):
    warnings = WarningSerializer(many=True, required=False)


class DeclarationSerializer(serializers.Serializer):
    canteen = serializers.IntegerField()
    year = serializers.IntegerField()
    version = serializers.IntegerField()
    status = serializers.CharField()
    mode = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    cancelled_at = serializers.DateTimeField(allow_null=True)
    confirmed_warnings = serializers.ListField(child=serializers.CharField())
    satellites = serializers.ListField(child=serializers.IntegerField())
    receipt_url = serializers.CharField()
    snapshot = serializers.DictField()


def declaration_data(sent, request) -> dict:
    return {
        "canteen": sent.canteen_id,
        "year": sent.year,
        "version": sent.version,
        "status": sent.status,
        "mode": sent.mode,
        "submitted_at": sent.submitted_at,
        "cancelled_at": sent.cancelled_at,
        "confirmed_warnings": list(sent.confirmed_warnings or []),
        "satellites": [satellite["id"] for satellite in sent.satellites_snapshot or []],
        "receipt_url": request.build_absolute_uri(
            reverse("canteens:receipt", args=[sent.canteen_id, sent.year, sent.version])
        ),
        "snapshot": sent.snapshot,
    }


def _lang(request):
    return "en" if translation.get_language_from_request(request._request).startswith("en") else "fr"


class CanteenDeclarationView(TokenView):
    required_scopes = [DECLARATIONS_WRITE]
    serializer_class = DeclareSerializer

    def canteen(self, request, pk):
        try:
            return get_canteen_for(request.user, pk, DECLARE)
        except Http404:
            raise exceptions.PermissionDenied(
                _("Vous ne gérez pas la cantine n° %(id)s (ou elle n'existe pas) : ce jeton ne peut pas y déclarer.")
                % {"id": pk}
            ) from None

    @extend_schema(
        operation_id="canteens_declarations_create",
        summary=gettext_lazy("Télédéclarer les données d'une année"),
        description=(
            gettext_lazy(
                "Droit `declarations:write`. Déclare le diagnostic de l'année `year` de la cantine. Refus (400) : "
                "hors campagne (`year`, avec les dates), valeur obligatoire manquante (une entrée par champ "
                "manquant, selon la table des champs obligatoires de l'année), valeur invraisemblable non confirmée "
                "(`warnings` : renvoyez leurs `code` dans `confirm_warnings`). 409 si l'année est déjà déclarée. "
                "Une cuisine centrale qui déclare tout pour ses satellites crée aussi leurs déclarations."
            )
        ),
        tags=["declarations"],
        request=DeclareSerializer,
        responses={
            201: DeclarationSerializer,
            400: OpenApiResponse(
                RefusalSerializer, description=gettext_lazy("Déclaration refusée : messages par champ.")
            ),
            **AUTH_ERRORS,
            403: OpenApiResponse(
                ErrorsSerializer, description=gettext_lazy("Droit manquant, ou cantine que l'utilisateur ne gère pas.")
            ),
            404: NOT_FOUND[404],
            409: OpenApiResponse(
                ErrorsSerializer, description=gettext_lazy("Année déjà déclarée : annulez pour corriger.")
            ),
            429: ERRORS[429],
        },
    )
    def post(self, request, pk):
        canteen = self.canteen(request, pk)
        body = DeclareSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        year = body.validated_data["year"]
        diagnostic = YearlyDiagnostic.objects.filter(canteen=canteen, year=year).first()
        if diagnostic is None:
            raise exceptions.ValidationError(
                {"year": [_("Aucun diagnostic %(year)s pour cette cantine : créez-le d'abord.") % {"year": year}]}
            )
        lang = _lang(request)
        try:
            sent = declarations.submit(
                canteen,
                diagnostic,
                request.user,
                confirmed=body.validated_data.get("confirm_warnings") or [],
                lang=lang,
            )
        except declarations.ConfirmationNeeded as refusal:
            warnings = [{"code": w.code, "field": w.field, "message": w.message} for w in refusal.warnings]
            return Response({"errors": refusal.errors, "warnings": warnings}, status=status.HTTP_400_BAD_REQUEST)
        except declarations.DeclarationIncomplete as refusal:
            return Response({"errors": refusal.errors}, status=status.HTTP_400_BAD_REQUEST)
        except declarations.OutsideCampaign as refusal:
            return Response({"errors": {"year": [str(refusal)]}}, status=status.HTTP_400_BAD_REQUEST)
        except declarations.DeclarationRefused as refusal:
            return Response({"errors": {"detail": [str(refusal)]}}, status=status.HTTP_409_CONFLICT)
        return Response(declaration_data(sent, request), status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="canteens_declarations_destroy",
        summary=gettext_lazy("Annuler la télédéclaration d'une année"),
        description=gettext_lazy(
            "Droit `declarations:write`. Annule la déclaration en cours de l'année `year` (pendant la "
            "campagne ou sa période de correction) ; toutes les versions restent conservées."
        ),
        tags=["declarations"],
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, OpenApiParameter.QUERY, required=True)],
        responses={
            200: DeclarationSerializer,
            400: ERRORS[400],
            **AUTH_ERRORS,
            403: OpenApiResponse(ErrorsSerializer, description=gettext_lazy("Droit manquant, ou cantine non gérée.")),
            404: OpenApiResponse(
                ErrorsSerializer, description=gettext_lazy("Aucune déclaration en cours pour cette année.")
            ),
            409: OpenApiResponse(
                ErrorsSerializer, description=gettext_lazy("Annulation refusée (faite par la cuisine centrale).")
            ),
            429: ERRORS[429],
        },
    )
    def delete(self, request, pk):
        canteen = self.canteen(request, pk)
        query = YearQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        year = query.validated_data["year"]
        sent = declarations.current(canteen, year)
        if sent is None:
            raise exceptions.NotFound(_("Aucune télédéclaration en cours pour %(year)s.") % {"year": year})
        try:
            declarations.cancel(sent, request.user)
        except declarations.OutsideCampaign as refusal:
            return Response({"errors": {"year": [str(refusal)]}}, status=status.HTTP_400_BAD_REQUEST)
        except declarations.DeclarationRefused as refusal:
            return Response({"errors": {"detail": [str(refusal)]}}, status=status.HTTP_409_CONFLICT)
        sent.refresh_from_db()
        return Response(declaration_data(sent, request))


# --- public status by SIRET / SIREN -------------------------------------------------------------------------------


class CanteenStatusSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    siret = serializers.CharField()
    siren_unite_legale = serializers.CharField()
    city = serializers.CharField()
    city_insee_code = serializers.CharField()
    department = serializers.CharField()
    production_type = serializers.CharField()
    central_kitchen_siret = serializers.CharField()
    registered = serializers.BooleanField()
    published_years = serializers.ListField(child=serializers.IntegerField())
    declared_years = serializers.ListField(child=serializers.IntegerField())
    public_url = serializers.CharField(allow_null=True)


class SirenStatusSerializer(serializers.Serializer):
    siren = serializers.CharField()
    count = serializers.IntegerField()
    results = CanteenStatusSerializer(many=True)


def status_data(canteens, request) -> list[dict]:
    """Public status of canteens in three queries whatever their number (no manager, no amount)."""
    canteens = list(canteens)
    ids = [canteen.pk for canteen in canteens]
    published, declared = {}, {}
    for canteen_id, year in (
        YearlyDiagnostic.objects.filter(canteen_id__in=ids, is_published=True)
        .order_by("-year")
        .values_list("canteen_id", "year")
    ):
        published.setdefault(canteen_id, []).append(year)
    for canteen_id, year in (
        Teledeclaration.objects.submitted()
        .filter(canteen_id__in=ids)
        .order_by("-year")
        .values_list("canteen_id", "year")
    ):
        declared.setdefault(canteen_id, []).append(year)
    return [
        {
            "id": canteen.pk,
            "name": canteen.name,
            "siret": canteen.siret,
            "siren_unite_legale": canteen.siren_unite_legale,
            "city": canteen.city,
            "city_insee_code": canteen.city_insee_code,
            "department": canteen.department,
            "production_type": canteen.production_type,
            "central_kitchen_siret": canteen.central_kitchen_siret,
            "registered": True,
            "published_years": published.get(canteen.pk, []),
            "declared_years": declared.get(canteen.pk, []),
            "public_url": request.build_absolute_uri(canteen.get_public_url()) if published.get(canteen.pk) else None,
        }
        for canteen in canteens
    ]


def _identifier(value, length):
    digits = normalize_identifier(value)
    if not digits.isdigit() or len(digits) != length:
        raise exceptions.NotFound(_("Aucune cantine inscrite avec ce numéro."))
    return digits


class CanteenBySiretView(ApiView):
    @extend_schema(
        operation_id="canteens_siret_retrieve",
        summary=gettext_lazy("Statut d'une cantine par son SIRET"),
        description=gettext_lazy(
            "Inscrite ou non (404), années publiées et télédéclarées ; aucune donnée privée. 404 aussi "
            "pour les cantines qui ne sont jamais publiques (armées)."
        ),
        tags=["canteens"],
        responses={200: CanteenStatusSerializer, **NOT_FOUND, 429: ERRORS[429]},
    )
    def get(self, request, siret):
        siret = _identifier(siret, 14)
        canteen = get_object_or_404(Canteen.objects.public(), siret=siret)
        return Response(status_data([canteen], request)[0])


class CanteenBySirenView(ApiView):
    @extend_schema(
        operation_id="canteens_siren_retrieve",
        summary=gettext_lazy("Cantines d'une unité légale par son SIREN"),
        description=gettext_lazy(
            "Les cantines dont le SIRET commence par ce SIREN ou rattachées à ce SIREN (500 au plus) ; 404 si aucune."
        ),
        tags=["canteens"],
        responses={200: SirenStatusSerializer, **NOT_FOUND, 429: ERRORS[429]},
    )
    def get(self, request, siren):
        from django.db.models import Q

        siren = _identifier(siren, 9)
        canteens = Canteen.objects.public().filter(Q(siret__startswith=siren) | Q(siren_unite_legale=siren))
        canteens = list(canteens.order_by("name", "pk")[:500])
        if not canteens:
            raise exceptions.NotFound(_("Aucune cantine inscrite avec ce numéro."))
        results = status_data(canteens, request)
        return Response({"siren": siren, "count": len(results), "results": results})
