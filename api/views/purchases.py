"""Purchases of a canteen through /api/v1/ (scope `purchases:write`; reading with `canteens:read`).

- `GET /api/v1/canteens/<id>/purchases/?year=` lists them, paginated.
- `POST /api/v1/canteens/<id>/purchases/` `{"purchases": [...]}` adds a batch, all or nothing, as a file import
  does (canteens/imports.py: the years' diagnostics are recomputed in detailed mode; a declared year is refused).
  Sending the same batch again is idempotent: the first batch is answered (200), nothing is added twice, even
  when both requests run at the same moment (the canteen's row is locked).
- `PATCH` / `DELETE /api/v1/canteens/<id>/purchases/<purchase_id>/` change or remove one purchase.

A token reaches only the canteens its user manages (or supplies as their central kitchen): 404 otherwise.
"""

import hashlib
import json

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from canteens import imports
from canteens.declaration import current
from canteens.models import Purchase, YearlyDiagnostic
from canteens.permissions import SUPPLY, VIEW, get_canteen_for
from diagnostic.serializers import ErrorsSerializer, StrictSerializer
from diagnostic.validation import validate_amount
from egalim.rules import FAMILIES, FIRST_YEAR, LABEL_GROUPS, LAST_YEAR

from ..http import ApiPagination
from ..models import CANTEENS_READ, PURCHASES_WRITE
from .base import AUTH_ERRORS, ERRORS, TokenView

MAX_BATCH = 5000
API_FORMAT = "api"
LABEL_CODES = sorted({label.code for group in LABEL_GROUPS.values() for label in group.labels})


def validate_api_amount(value):
    try:
        validate_amount(value)
    except Exception as error:  # django.core.exceptions.ValidationError
        raise serializers.ValidationError(list(getattr(error, "messages", [str(error)]))) from error


class PurchaseSerializer(StrictSerializer, serializers.ModelSerializer):
    family = serializers.ChoiceField(choices=sorted(FAMILIES))
    labels = serializers.ListField(
        child=serializers.ChoiceField(choices=LABEL_CODES), required=False, max_length=20, default=list
    )
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, validators=[validate_api_amount])

    class Meta:
        model = Purchase
        fields = [
            "id",
            "date",
            "description",
            "supplier",
            "family",
            "labels",
            "amount",
            "origin",
            "short_circuit",
            "local",
            "local_definition",
            "local_km",
        ]
        read_only_fields = ["id"]
        extra_kwargs = {"local_km": {"min_value": 0}}

    def validate_date(self, value):
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise serializers.ValidationError(
                _("Année hors de %(first)s–%(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return value

    def validate_labels(self, value):
        return list(dict.fromkeys(value))


class PurchaseBatchSerializer(StrictSerializer):
    purchases = PurchaseSerializer(many=True, allow_empty=False, max_length=MAX_BATCH)


class PurchaseBatchResultSerializer(serializers.Serializer):
    batch = serializers.IntegerField(
        help_text=gettext_lazy("Identifiant de l'envoi (le même si le même lot est renvoyé).")
    )
    created = serializers.BooleanField(
        help_text=gettext_lazy("Faux quand ce lot avait déjà été reçu : rien n'est ajouté.")
    )
    count = serializers.IntegerField()
    years = serializers.ListField(child=serializers.IntegerField())
    purchases = serializers.ListField(child=serializers.IntegerField())


class BatchQuerySerializer(serializers.Serializer):
    batch = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text=gettext_lazy("Identifiant du lot (`batch`).")
    )


class PurchaseQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)


def batch_digest(rows) -> str:
    """The same purchases in any order give the same digest: what makes a batch sent twice recognisable."""
    lines = sorted(
        json.dumps({key: str(value) for key, value in sorted(row.items())}, ensure_ascii=False) for row in rows
    )
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def refresh_diagnostics(canteen, years, user):
    """The years' diagnostics recomputed from the stored purchases (detailed mode), as an import does."""
    for year in sorted(set(years)):
        diagnostic, _created = YearlyDiagnostic.objects.get_or_create(canteen=canteen, year=year)
        diagnostic.mode = YearlyDiagnostic.Mode.DETAILED
        diagnostic.set_purchases_from_detail(imports.aggregate(canteen, year))
        diagnostic.updated_by = user
        diagnostic.save()


def declared_refusal(canteen, years):
    declared = sorted(year for year in set(years) if current(canteen, year))
    if not declared:
        return None
    message = _(
        "Achats de %(years)s, année déjà télédéclarée : annulez la déclaration avant de modifier ses achats."
    ) % {"years": ", ".join(map(str, declared))}
    return Response({"errors": {"detail": [message]}}, status=status.HTTP_409_CONFLICT)


CONFLICT = {
    409: OpenApiResponse(ErrorsSerializer, description=gettext_lazy("Année déjà télédéclarée : annulez-la d'abord."))
}
NOT_MANAGED = {
    404: OpenApiResponse(ErrorsSerializer, description=gettext_lazy("Cantine que l'utilisateur du jeton ne gère pas."))
}


class CanteenPurchasesView(TokenView):
    pagination_class = ApiPagination
    serializer_class = PurchaseBatchSerializer

    @property
    def required_scopes(self):
        return [CANTEENS_READ] if self.request.method in ("GET", "HEAD", "OPTIONS") else [PURCHASES_WRITE]

    @extend_schema(
        operation_id="canteens_purchases_list",
        summary=gettext_lazy("Achats d'une cantine que je gère"),
        description=gettext_lazy(
            "Droit `canteens:read`. Filtre `year` (année de la date d'achat). 404 pour une cantine que "
            "l'utilisateur du jeton ne gère pas (qu'elle existe ou non)."
        ),
        tags=["purchases"],
        parameters=[PurchaseQuerySerializer],
        responses={200: PurchaseSerializer(many=True), **ERRORS, **AUTH_ERRORS, **NOT_MANAGED},
    )
    def get(self, request, pk):
        canteen = get_canteen_for(request.user, pk, VIEW)
        params = self.query(PurchaseQuerySerializer)
        purchases = Purchase.objects.filter(canteen=canteen).order_by("date", "pk")
        if params.get("year"):
            purchases = purchases.filter(date__year=params["year"])
        page = self.paginate_queryset(purchases)
        return self.get_paginated_response(PurchaseSerializer(page, many=True).data)

    @extend_schema(
        operation_id="canteens_purchases_create",
        summary=gettext_lazy("Envoyer un lot d'achats"),
        description=(
            format_lazy(
                gettext_lazy(
                    "Droit `purchases:write`. Jusqu'à {max_batch} achats, tous enregistrés ou aucun (400 avec les "
                    "erreurs par ligne : `purchases.3.family`). Les diagnostics des années concernées sont "
                    "recalculés (mode détaillé). Renvoyer le même lot (mêmes achats, dans n'importe quel ordre) ne "
                    "les ajoute pas deux fois : 200 avec le lot déjà reçu. 409 si une année est déjà télédéclarée."
                ),
                max_batch=MAX_BATCH,
            )
        ),
        tags=["purchases"],
        request=PurchaseBatchSerializer,
        responses={
            201: PurchaseBatchResultSerializer,
            200: PurchaseBatchResultSerializer,
            **ERRORS,
            **AUTH_ERRORS,
            **NOT_MANAGED,
            **CONFLICT,
        },
    )
    def post(self, request, pk):
        canteen = get_canteen_for(request.user, pk, SUPPLY)
        body = PurchaseBatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rows = body.validated_data["purchases"]
        digest = batch_digest(rows)
        purchases = [Purchase(**row) for row in rows]
        with transaction.atomic():
            imports.lock_canteen(canteen)  # a batch sent twice at once: the second waits, then finds the first
            previous = canteen.imports.filter(digest=digest, file_format=API_FORMAT).first()
            if previous is not None:
                return Response(self.result(previous, created=False))
            if (refusal := declared_refusal(canteen, [purchase.date.year for purchase in purchases])) is not None:
                return refusal
            result = imports.ImportResult(rows=purchases)
            batch = imports.save(
                canteen, result, request.user, filename=f"API {timezone.localtime():%Y-%m-%d %H:%M:%S}"
            )
            batch.digest, batch.file_format = digest, API_FORMAT
            batch.save(update_fields=["digest", "file_format"])
        return Response(self.result(batch, created=True), status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="canteens_purchases_batch_destroy",
        summary=gettext_lazy("Retirer un lot d'achats"),
        description=gettext_lazy(
            "Droit `purchases:write`. `?batch=` : l'identifiant rendu à l'envoi. Tous ses achats sont "
            "supprimés et les diagnostics de leurs années recalculés. 409 si une de ces années est télédéclarée."
        ),
        tags=["purchases"],
        parameters=[BatchQuerySerializer],
        responses={200: PurchaseBatchResultSerializer, **ERRORS, **AUTH_ERRORS, **NOT_MANAGED, **CONFLICT},
    )
    def delete(self, request, pk):
        canteen = get_canteen_for(request.user, pk, SUPPLY)
        batch_id = self.query(BatchQuerySerializer)["batch"]
        with transaction.atomic():
            imports.lock_canteen(canteen)
            batch = get_object_or_404(canteen.imports.select_for_update(), pk=batch_id)
            years = sorted({day.year for day in batch.purchases.dates("date", "year")})
            if (refusal := declared_refusal(canteen, years)) is not None:
                return refusal
            data = self.result(batch, created=False)
            batch.delete()  # its purchases go with it (CASCADE)
            refresh_diagnostics(canteen, years, request.user)
        return Response(data)

    @staticmethod
    def result(batch, created):
        ids = list(batch.purchases.order_by("pk").values_list("pk", flat=True))
        return {"batch": batch.pk, "created": created, "count": len(ids), "years": batch.years, "purchases": ids}


class CanteenPurchaseDetailView(TokenView):
    required_scopes = [PURCHASES_WRITE]
    serializer_class = PurchaseSerializer

    def purchase(self, request, pk, purchase_id):
        canteen = get_canteen_for(request.user, pk, SUPPLY)
        return canteen, get_object_or_404(Purchase, canteen=canteen, pk=purchase_id)

    @extend_schema(
        operation_id="canteens_purchases_partial_update",
        summary=gettext_lazy("Corriger un achat"),
        description=gettext_lazy(
            "Droit `purchases:write`. Les champs envoyés remplacent les anciens ; les diagnostics des "
            "années concernées sont recalculés. 409 si l'ancienne ou la nouvelle année est télédéclarée."
        ),
        tags=["purchases"],
        request=PurchaseSerializer,
        responses={200: PurchaseSerializer, **ERRORS, **AUTH_ERRORS, **NOT_MANAGED, **CONFLICT},
    )
    def patch(self, request, pk, purchase_id):
        canteen, purchase = self.purchase(request, pk, purchase_id)
        body = PurchaseSerializer(purchase, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            imports.lock_canteen(canteen)
            years = {purchase.date.year, body.validated_data.get("date", purchase.date).year}
            if (refusal := declared_refusal(canteen, years)) is not None:
                return refusal
            body.save()
            refresh_diagnostics(canteen, years, request.user)
        return Response(body.data)

    @extend_schema(
        operation_id="canteens_purchases_destroy",
        summary=gettext_lazy("Supprimer un achat"),
        description=gettext_lazy(
            "Droit `purchases:write`. Répond l'achat supprimé ; le diagnostic de son année est recalculé. "
            "409 si l'année est télédéclarée."
        ),
        tags=["purchases"],
        responses={200: PurchaseSerializer, **AUTH_ERRORS, **NOT_MANAGED, **CONFLICT, 429: ERRORS[429]},
    )
    def delete(self, request, pk, purchase_id):
        canteen, purchase = self.purchase(request, pk, purchase_id)
        data = PurchaseSerializer(purchase).data
        with transaction.atomic():
            imports.lock_canteen(canteen)
            if (refusal := declared_refusal(canteen, [purchase.date.year])) is not None:
                return refusal
            purchase.delete()
            refresh_diagnostics(canteen, [purchase.date.year], request.user)
        return Response(data)
