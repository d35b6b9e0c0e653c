"""A year's figures of a canteen through /api/v1/: `GET` (scope `canteens:read`) and `PATCH` (scope
`diagnostics:write`) of `/api/v1/canteens/<id>/diagnostics/<year>/`.

What the declaration asks beyond the rules' inputs can be given here: meat & poultry and fish & seafood apart,
fair trade, French origin, the waste figures (the national service's `wasteMeasurements`), diversification and
information answers, and a central kitchen's declaration mode. Blank (`null`) is kept apart from 0. A declared
year answers 409 (cancel the declaration to correct it), as the diagnostic's page does.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from canteens.choices import CommunicationSupport, DiversificationPlanAction, VegetarianMenuBase
from canteens.declaration import current
from canteens.imports import lock_canteen
from canteens.models import DECLARATION_ANSWER_FIELDS, EXTRA_PURCHASE_FIELDS, YearlyDiagnostic
from canteens.permissions import EDIT, VIEW, get_canteen_for
from diagnostic.serializers import ErrorsSerializer, StrictSerializer
from diagnostic.validation import purchase_errors
from egalim.rules import PURCHASE_FIELDS

from ..models import CANTEENS_READ, DIAGNOSTICS_WRITE
from .base import AUTH_ERRORS, ERRORS, TokenView
from .purchases import validate_api_amount

AMOUNT_FIELDS = tuple(PURCHASE_FIELDS) + tuple(EXTRA_PURCHASE_FIELDS)


def choices_list(choices):
    return serializers.ListField(child=serializers.ChoiceField(choices=choices), required=False, max_length=20)


class YearlyFiguresSerializer(StrictSerializer, serializers.ModelSerializer):
    mode = serializers.CharField(
        read_only=True, help_text=gettext_lazy("`simple` ou `detailed` (par famille de produits).")
    )
    # A CharField: a blank URLField is described as oneOf [empty, uri], which '' matches twice.
    communication_support_url = serializers.CharField(max_length=200, allow_blank=True, required=False)
    vegetarian_menu_bases = choices_list(VegetarianMenuBase.choices)
    diversification_plan_actions = choices_list(DiversificationPlanAction.choices)
    communication_supports = choices_list(CommunicationSupport.choices)

    class Meta:
        model = YearlyDiagnostic
        fields = ["year", "mode", *AMOUNT_FIELDS, *DECLARATION_ANSWER_FIELDS, "updated_at"]
        read_only_fields = ["year", "mode", "updated_at"]

    def validate_communication_support_url(self, value):
        if value:
            try:
                URLValidator(schemes=["http", "https"])(value)
            except DjangoValidationError as error:
                raise serializers.ValidationError(error.messages) from error
        return value

    def build_field(self, field_name, info, model_class, nested_depth):
        if field_name in AMOUNT_FIELDS:
            return serializers.DecimalField, {
                "max_digits": 14,
                "decimal_places": 2,
                "allow_null": True,
                "required": False,
                "validators": [validate_api_amount],
            }
        return super().build_field(field_name, info, model_class, nested_depth)

    def validate(self, attrs):
        figures = {name: attrs.get(name, getattr(self.instance, name, None)) for name in PURCHASE_FIELDS}
        errors = purchase_errors(figures)
        merged = {name: attrs.get(name, getattr(self.instance, name, None)) for name in AMOUNT_FIELDS}
        for part, whole in (
            ("bio_fair_trade", "bio"),
            ("other_egalim_fair_trade", "other_egalim"),
            ("meat_poultry_egalim", "meat_poultry_total"),
            ("meat_poultry_france", "meat_poultry_total"),
            ("fish_seafood_egalim", "fish_seafood_total"),
            ("fish_seafood_france", "fish_seafood_total"),
            ("france", "total"),
        ):
            if merged[part] is not None and merged[whole] is not None and Decimal(merged[part]) > merged[whole]:
                errors.setdefault(part, []).append(
                    _("%(part)s dépasse %(whole)s dont il fait partie.") % {"part": part, "whole": whole}
                )
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


CONFLICT = {
    409: OpenApiResponse(ErrorsSerializer, description=gettext_lazy("Année télédéclarée : annulez-la pour corriger."))
}
NOT_FOUND = {
    404: OpenApiResponse(
        ErrorsSerializer, description=gettext_lazy("Cantine non gérée, ou pas de diagnostic cette année.")
    )
}


class CanteenYearFiguresView(TokenView):
    serializer_class = YearlyFiguresSerializer

    @property
    def required_scopes(self):
        return [CANTEENS_READ] if self.request.method in ("GET", "HEAD", "OPTIONS") else [DIAGNOSTICS_WRITE]

    def diagnostic(self, request, pk, year, action):
        canteen = get_canteen_for(request.user, pk, action)
        return canteen, get_object_or_404(YearlyDiagnostic, canteen=canteen, year=year)

    @extend_schema(
        operation_id="canteens_diagnostics_retrieve",
        summary=gettext_lazy("Les chiffres d'une année d'une cantine que je gère"),
        description=gettext_lazy(
            "Droit `canteens:read`. Montants (null : non renseigné), gaspillage, diversification, "
            "information des convives, mode de déclaration d'une cuisine centrale."
        ),
        tags=["me"],
        responses={200: YearlyFiguresSerializer, **AUTH_ERRORS, **NOT_FOUND, 429: ERRORS[429]},
    )
    def get(self, request, pk, year):
        _canteen, diagnostic = self.diagnostic(request, pk, year, VIEW)
        return Response(YearlyFiguresSerializer(diagnostic).data)

    @extend_schema(
        operation_id="canteens_diagnostics_partial_update",
        summary=gettext_lazy("Compléter les chiffres d'une année"),
        description=gettext_lazy(
            "Droit `diagnostics:write`. Les champs envoyés remplacent les anciens (null efface une "
            "valeur : non renseigné n'est pas 0) ; contrôles de cohérence (une part ne dépasse pas son total). "
            "Remplace `wasteMeasurements` du service national pour les chiffres du gaspillage. 409 si l'année est "
            "télédéclarée."
        ),
        tags=["me"],
        request=YearlyFiguresSerializer,
        responses={200: YearlyFiguresSerializer, **ERRORS, **AUTH_ERRORS, **NOT_FOUND, **CONFLICT},
    )
    def patch(self, request, pk, year):
        canteen, diagnostic = self.diagnostic(request, pk, year, EDIT)
        body = YearlyFiguresSerializer(diagnostic, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            lock_canteen(canteen)  # a declaration sent at the same moment sees the figures before or after
            if current(canteen, diagnostic.year) is not None:
                return Response(
                    {
                        "errors": {
                            "detail": [
                                _("Cette année est télédéclarée : annulez la déclaration pour modifier le diagnostic.")
                            ]
                        }
                    },
                    status=status.HTTP_409_CONFLICT,
                )
            diagnostic = body.save(updated_by=request.user)
        return Response(YearlyFiguresSerializer(diagnostic).data)
