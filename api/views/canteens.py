"""Canteens: the published ones (anonymous), and the token-authenticated endpoints of canteen managers
(`me/canteens/`, a canteen's diagnostics; `Authorization: Bearer mc_…` with the right scope)."""

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from canteens.models import Canteen, YearlyDiagnostic
from canteens.permissions import EDIT, get_canteen_for
from canteens.public_data import identity, public_data
from diagnostic.serializers import ErrorsSerializer
from egalim.rules import PURCHASE_FIELDS, RuleInputError, evaluate

from ..http import (
    ApiPagination,
    latest,
)
from ..models import CANTEENS_READ, DIAGNOSTICS_WRITE
from ..serializers import (
    CanteenDetailSerializer,
    CanteenQuerySerializer,
    CanteenSerializer,
    CreatedDiagnosticSerializer,
    DiagnosticInputSerializer,
    ManagedCanteenSerializer,
)
from .base import AUTH_ERRORS, ERRORS, NOT_FOUND, NOT_MODIFIED, ApiView, TokenView


def canteens_changed_at():
    return latest((Canteen.objects.all(), "updated_at"), (YearlyDiagnostic.objects.all(), "updated_at"))


class CanteenListView(ApiView):
    pagination_class = ApiPagination

    @extend_schema(
        operation_id="canteens_list",
        summary=gettext_lazy("Cantines publiées (au moins une année de diagnostic publiée)"),
        description=gettext_lazy(
            "Filtres : `department`, `region` (code INSEE), `sector`, `management`, `production`; "
            "`q` cherche dans le nom et le début du SIRET."
        ),
        tags=["canteens"],
        parameters=[CanteenQuerySerializer],
        responses={200: CanteenSerializer(many=True), **ERRORS, **NOT_FOUND, **NOT_MODIFIED},
    )
    def get(self, request):
        params = self.query(CanteenQuerySerializer)
        canteens = Canteen.objects.listed()
        if params.get("department"):
            canteens = canteens.filter(department=params["department"])
        if params.get("region"):
            canteens = canteens.filter(territory_department__region_id=params["region"])
        if params.get("sector"):
            code = params["sector"]
            canteens = canteens.filter(Q(sectors__0=code) | Q(sectors__1=code) | Q(sectors__2=code))
        if params.get("management"):
            canteens = canteens.filter(management_type=params["management"])
        if params.get("production"):
            canteens = canteens.filter(production_type=params["production"])
        q = " ".join(params.get("q", "").split())
        if q:
            digits = q.replace(" ", "")
            condition = Q(name__icontains=q)
            if digits.isdigit():
                condition |= Q(siret__startswith=digits)
            canteens = canteens.filter(condition)
        published = YearlyDiagnostic.objects.filter(is_published=True).only("canteen_id", "year").order_by("-year")
        canteens = (
            canteens.order_by("name", "pk")
            .select_related("territory_department")
            .prefetch_related(Prefetch("diagnostics", published, "published"))
        )
        page = self.paginate_queryset(canteens)
        results = [
            {
                **identity(canteen, request),
                "detail_url": request.build_absolute_uri(reverse("api:canteen-public", args=[canteen.pk])),
                "published_years": [diagnostic.year for diagnostic in canteen.published],
            }
            for canteen in page
        ]
        return self.get_paginated_response(results)

    def get_last_modified(self):
        return canteens_changed_at()


class CanteenDetailView(ApiView):
    @extend_schema(
        operation_id="canteens_retrieve",
        summary=gettext_lazy("Chiffres publics d'une cantine"),
        description=gettext_lazy(
            "Taux (en %, tronqués à deux décimales) et statut des mesures des années publiées par ses "
            "gestionnaires : les mêmes données que la page /cantines/<id>-<slug>/ (liste vide tant qu'aucune année "
            "n'est publiée). 404 pour une cantine inconnue ou jamais publique (armées)."
        ),
        tags=["canteens"],
        responses={200: CanteenDetailSerializer, **NOT_FOUND, 429: ERRORS[429], **NOT_MODIFIED},
    )
    def get(self, request, pk):
        canteen = get_object_or_404(Canteen.objects.public(), pk=pk)
        return Response(public_data(canteen, request))

    def get_last_modified(self):
        return canteens_changed_at()


def diagnostic_data(diagnostic) -> dict:
    return {
        "canteen": diagnostic.canteen_id,
        "year": diagnostic.year,
        "mode": diagnostic.mode,
        "is_published": diagnostic.is_published,
        "purchases": {
            name: None if getattr(diagnostic, name) is None else f"{getattr(diagnostic, name):.2f}"
            for name in PURCHASE_FIELDS
        },
        "answers": diagnostic.answers or {},
        "updated_at": diagnostic.updated_at,
    }


class ManagedCanteenListView(TokenView):
    required_scopes = [CANTEENS_READ]
    pagination_class = ApiPagination

    @extend_schema(
        operation_id="me_canteens_list",
        summary=gettext_lazy("Mes cantines et tous leurs diagnostics (publiés ou non)"),
        description=gettext_lazy("Droit `canteens:read`. Les cantines dont l'utilisateur du jeton est gestionnaire."),
        tags=["me"],
        responses={200: ManagedCanteenSerializer(many=True), **ERRORS, **AUTH_ERRORS, **NOT_FOUND, **NOT_MODIFIED},
    )
    def get(self, request):
        canteens = (
            Canteen.objects.managed_by(request.user)
            .order_by("name", "pk")
            .prefetch_related(Prefetch("diagnostics", YearlyDiagnostic.objects.order_by("-year")))
        )
        page = self.paginate_queryset(canteens)
        results = [
            {
                "id": canteen.pk,
                "name": canteen.name,
                "siret": canteen.siret,
                "department": canteen.department,
                "diagnostics": [diagnostic_data(diagnostic) for diagnostic in canteen.diagnostics.all()],
            }
            for canteen in page
        ]
        return self.get_paginated_response(results)

    def get_last_modified(self):
        canteens = Canteen.objects.managed_by(self.request.user)
        return latest((canteens, "updated_at"), (YearlyDiagnostic.objects.filter(canteen__in=canteens), "updated_at"))


def stored_answers(answers) -> dict:
    """The API's answers as the canteen pages store them: no null, plastic containers split in two."""
    stored = {}
    for measure, values in (answers or {}).items():
        if not values:
            continue
        values = {name: value for name, value in values.items() if value is not None}
        if measure == "plastic" and "containers" in values:
            containers = values.pop("containers")
            values.setdefault("cooking_containers", containers)
            values.setdefault("serving_containers", containers)
        if "actions" in values:
            values["actions"] = list(values["actions"])
        if values:
            stored[measure] = values
    return stored


class CanteenDiagnosticCreateView(TokenView):
    required_scopes = [DIAGNOSTICS_WRITE]
    serializer_class = DiagnosticInputSerializer  # OPTIONS describes the body (DRF's metadata needs it)

    @extend_schema(
        operation_id="canteens_diagnostics_create",
        summary=gettext_lazy("Créer le diagnostic d'une année pour une cantine que je gère"),
        description=(
            gettext_lazy(
                "Droit `diagnostics:write`. Le corps est celui de `POST /api/v1/egalim/evaluate/` sans ce que la "
                "cantine donne déjà (département, restaurant d'État, repas) : `year`, `purchases` ou "
                "`purchases_by_family`, `answers`, avec les mêmes contrôles. Le diagnostic n'est pas publié. "
                "403 pour une cantine que l'utilisateur du jeton ne gère pas (qu'elle existe ou non) ; 409 si "
                "l'année existe déjà."
            )
        ),
        tags=["me"],
        request=DiagnosticInputSerializer,
        responses={
            201: CreatedDiagnosticSerializer,
            **ERRORS,
            **AUTH_ERRORS,
            403: OpenApiResponse(
                ErrorsSerializer,
                description=gettext_lazy("Droit manquant, ou cantine que l'utilisateur du jeton ne gère pas."),
            ),
            **NOT_FOUND,
            409: OpenApiResponse(
                ErrorsSerializer, description=gettext_lazy("Un diagnostic existe déjà pour cette année.")
            ),
        },
    )
    def post(self, request, pk):
        try:
            canteen = get_canteen_for(request.user, pk, EDIT)
        except Http404:  # the same answer whether the canteen exists or not: no list of ids to probe
            raise exceptions.PermissionDenied(
                _("Vous ne gérez pas la cantine n° %(id)s (ou elle n'existe pas) : ce jeton ne peut pas y écrire.")
                % {"id": pk}
            ) from None
        serializer = DiagnosticInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        diagnostic = YearlyDiagnostic(canteen=canteen, year=data["year"], updated_by=request.user)
        by_family = data.get("purchases_by_family")
        if by_family is not None:
            diagnostic.mode = YearlyDiagnostic.Mode.DETAILED
            diagnostic.set_purchases_from_detail(
                {family: dict(columns) for family, columns in by_family.items() if columns}
            )
        else:
            for name, value in (data.get("purchases") or {}).items():
                setattr(diagnostic, name, value)
        diagnostic.answers = stored_answers(data.get("answers"))
        try:
            evaluation = evaluate(diagnostic.rules_input(canteen))
        except RuleInputError as error:
            raise serializers.ValidationError({"year": [str(error)]}) from error
        try:
            with transaction.atomic():
                diagnostic.save()
        except IntegrityError:
            return Response(
                {"errors": {"year": [_("Cette cantine a déjà un diagnostic pour %(year)s.") % {"year": data["year"]}]}},
                status=status.HTTP_409_CONFLICT,
            )
        lang = "en" if translation.get_language_from_request(request._request).startswith("en") else "fr"
        return Response(
            {**diagnostic_data(diagnostic), "evaluation": evaluation.as_dict(lang)}, status=status.HTTP_201_CREATED
        )
