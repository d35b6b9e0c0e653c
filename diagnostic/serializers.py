"""DRF serializers of the EGAlim API, built on `diagnostic.validation` (the forms use the same checks).

Request serializers are strict: an unknown key is an error (a typo must not silently give "incomplete").
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from egalim.rules import (
    DEPARTMENTS,
    FAMILIES,
    FIRST_YEAR,
    LAST_YEAR,
    STATUSES,
    VEGETARIAN_FREQUENCIES,
    WASTE_ACTIONS,
    DiagnosticInput,
    sum_families,
)
from egalim.thresholds import TERRITORY_GROUPS

from .validation import (
    AMOUNT_DECIMAL_PLACES,
    AMOUNT_MAX_DIGITS,
    DAILY_MEALS_MAX,
    DAILY_MEALS_MIN,
    MESSAGES,
    clean_department,
    family_errors,
    message,
    message_lazy,
    purchase_errors,
    validate_amount,
    validate_year,
)


class StrictSerializer(serializers.Serializer):
    default_error_messages = {"invalid": MESSAGES["object"], "null": MESSAGES["null"], "required": MESSAGES["required"]}

    def to_internal_value(self, data):
        unknown = {}
        if isinstance(data, Mapping):
            unknown = {str(key): [message("unknown_field")] for key in data if key not in self.fields}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if unknown and isinstance(error.detail, Mapping):
                raise serializers.ValidationError({**error.detail, **unknown}) from error
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


class AmountField(serializers.DecimalField):
    """Euros excluding VAT: a JSON number or a string, at least 0, two decimals at most; null: not given."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(
            max_digits=AMOUNT_MAX_DIGITS,
            decimal_places=AMOUNT_DECIMAL_PLACES,
            coerce_to_string=True,
            error_messages={
                "invalid": MESSAGES["amount_invalid"],
                "max_digits": MESSAGES["amount_too_large"],
                "max_whole_digits": MESSAGES["amount_too_large"],
                "max_decimal_places": MESSAGES["amount_decimals"],
                "max_string_length": MESSAGES["amount_too_large"],
                "null": MESSAGES["null"],
            },
            **kwargs,
        )

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        value = super().to_internal_value(data)
        try:
            validate_amount(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return value


# The schema says which values are valid, so that clients and schemathesis's generated requests can be too.
@extend_schema_field({"type": "string", "enum": sorted(DEPARTMENTS)})
class DepartmentField(serializers.CharField):
    default_error_messages = {
        "invalid": MESSAGES["department"],
        "blank": MESSAGES["department"],
        "required": MESSAGES["required"],
        "null": MESSAGES["null"],
    }

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            return clean_department(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error


@extend_schema_field({"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR})
class YearField(serializers.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            format_lazy(gettext_lazy("Année des données ({first} à {last})."), first=FIRST_YEAR, last=LAST_YEAR),
        )
        super().__init__(
            error_messages={
                "invalid": message_lazy("year_invalid"),
                "max_string_length": message_lazy("year_invalid"),
                "required": MESSAGES["required"],
                "null": MESSAGES["null"],
            },
            **kwargs,
        )

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        value = super().to_internal_value(data)
        try:
            validate_year(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return value


def answer(**kwargs):
    """A yes/no answer; null or absent: not answered."""
    return serializers.BooleanField(
        required=False, allow_null=True, error_messages={"invalid": MESSAGES["boolean"]}, **kwargs
    )


def choice(choices, **kwargs):
    return serializers.ChoiceField(
        choices=list(choices),
        error_messages={"invalid_choice": MESSAGES["choice"], "null": MESSAGES["null"]},
        **kwargs,
    )


class PurchasesSerializer(StrictSerializer):
    total = AmountField(help_text=gettext_lazy("Total des achats alimentaires et boissons de l'année, en euros HT."))
    bio = AmountField(help_text=gettext_lazy("Achats bio."))
    siqo = AmountField(help_text=gettext_lazy("Achats sous SIQO (Label Rouge, AOC/AOP, IGP, STG), hors bio."))
    environmental = AmountField(
        help_text=gettext_lazy("Achats sur critères environnementaux (externalités, performance).")
    )
    other_egalim = AmountField(
        help_text=gettext_lazy("Autres mentions EGAlim (HVE, écolabel pêche, RUP, commerce équitable…).")
    )
    meat_fish_total = AmountField(
        help_text=gettext_lazy("Achats de viandes et volailles + poissons et produits de la mer.")
    )
    meat_fish_egalim = AmountField(help_text=gettext_lazy("Dont achats EGAlim."))

    def validate(self, attrs):
        errors = purchase_errors(attrs)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class FamilyPurchasesSerializer(StrictSerializer):
    total = AmountField()
    bio = AmountField()
    siqo = AmountField()
    environmental = AmountField()
    other_egalim = AmountField()


# The detailed calculator: amounts per family; a missing cell counts as 0 (a comment: a docstring would be the
# API schema's description of the component).
class PurchasesByFamilySerializer(StrictSerializer):
    def get_fields(self):
        return {
            family: FamilyPurchasesSerializer(required=False, allow_null=True, help_text=str(label))
            for family, label in FAMILIES.items()
        }

    def validate(self, attrs):
        errors = family_errors(attrs)
        if errors:
            nested = {}
            for path, messages in errors.items():
                family, column = path.split(".")
                nested.setdefault(family, {})[column] = messages
            raise serializers.ValidationError(nested)
        return attrs


class WasteSerializer(StrictSerializer):
    diagnostic_done = answer(help_text=gettext_lazy("Un diagnostic du gaspillage alimentaire a été réalisé."))
    actions = serializers.ListField(
        child=choice(WASTE_ACTIONS),
        required=False,
        allow_null=True,
        max_length=len(WASTE_ACTIONS),
        error_messages={"not_a_list": MESSAGES["list"], "max_length": MESSAGES["choice"]},
        help_text=format_lazy(
            gettext_lazy("Actions de réduction du gaspillage menées ([] : aucune) : {codes}"),
            codes=", ".join(WASTE_ACTIONS),
        ),
    )
    donation_agreement = answer(help_text=gettext_lazy("Une convention de dons alimentaires est signée."))


class DiversificationSerializer(StrictSerializer):
    plan = answer(help_text=gettext_lazy("Un plan pluriannuel de diversification des protéines existe."))
    vegetarian_frequency = choice(
        VEGETARIAN_FREQUENCIES,
        required=False,
        allow_null=True,
        help_text=format_lazy(
            gettext_lazy("Fréquence du menu végétarien : {codes}"), codes=", ".join(VEGETARIAN_FREQUENCIES)
        ),
    )
    menu_choice = answer(help_text=gettext_lazy("Le restaurant propose un choix de menus."))
    daily_vegetarian_option = answer(help_text=gettext_lazy("Une option végétarienne est proposée chaque jour."))


class PlasticSerializer(StrictSerializer):
    containers = answer(help_text=gettext_lazy("Raccourci : cooking_containers et serving_containers à la fois."))
    cooking_containers = answer(help_text=gettext_lazy("Plus de contenants de cuisson ou de réchauffe en plastique."))
    serving_containers = answer(help_text=gettext_lazy("Plus de contenants de service en plastique."))
    bottles = answer(help_text=gettext_lazy("Plus de bouteilles d'eau en plastique."))
    tableware = answer(help_text=gettext_lazy("Plus de vaisselle ni de couverts en plastique à usage unique."))

    def validate(self, attrs):
        if attrs.get("containers") is not None and (
            attrs.get("cooking_containers") is not None or attrs.get("serving_containers") is not None
        ):
            raise serializers.ValidationError({"containers": [message("containers_twice")]})
        return attrs


class InformationSerializer(StrictSerializer):
    informs_diners = answer(help_text=gettext_lazy("Les convives sont informés au moins une fois par an."))


class AnswersSerializer(StrictSerializer):
    waste = WasteSerializer(required=False, allow_null=True)
    diversification = DiversificationSerializer(required=False, allow_null=True)
    plastic = PlasticSerializer(required=False, allow_null=True)
    information = InformationSerializer(required=False, allow_null=True)


class EvaluateRequestSerializer(StrictSerializer):
    year = YearField()
    department = DepartmentField(help_text=gettext_lazy("Code INSEE du département : 01 à 95, 2A, 2B, 971 à 978."))
    state_restaurant = answer(
        help_text=gettext_lazy("Restaurant de l'État (État, établissements publics, entreprises nationales).")
    )
    daily_meals = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=DAILY_MEALS_MIN,
        max_value=DAILY_MEALS_MAX,
        error_messages={
            "invalid": MESSAGES["integer"],
            "min_value": message_lazy("meals_min"),
            "max_value": message_lazy("meals_max"),
            "max_string_length": MESSAGES["integer"],
        },
        help_text=gettext_lazy("Nombre moyen de repas servis par jour."),
    )
    purchases = PurchasesSerializer(required=False, allow_null=True)
    purchases_by_family = PurchasesByFamilySerializer(
        required=False, allow_null=True, help_text=gettext_lazy("Calculateur détaillé : à la place de `purchases`.")
    )
    answers = AnswersSerializer(required=False, allow_null=True)

    def validate(self, attrs):
        if attrs.get("purchases") is not None and attrs.get("purchases_by_family") is not None:
            raise serializers.ValidationError({"purchases_by_family": [message("purchases_twice")]})
        return attrs

    def to_input(self) -> DiagnosticInput:
        """The rules' input from the validated data (call `is_valid()` first)."""
        data = dict(self.validated_data)
        by_family = data.pop("purchases_by_family", None)
        if by_family is not None:
            data["purchases"] = sum_families(by_family)
        return DiagnosticInput.from_dict(data)


class ThresholdsQuerySerializer(StrictSerializer):
    department = DepartmentField(help_text=gettext_lazy("Code INSEE du département."))
    year = YearField()


# --- responses (documentation of the OpenAPI schema) -----------------------------------------------------


class RatesSerializer(serializers.Serializer):
    bio = serializers.CharField(
        allow_null=True, help_text=gettext_lazy("Part d'achats bio, en %, deux décimales, tronquée.")
    )
    egalim = serializers.CharField(allow_null=True, help_text=gettext_lazy("Part d'achats EGAlim (bio compris), en %."))
    meat_fish_egalim = serializers.CharField(
        allow_null=True, help_text=gettext_lazy("Part EGAlim des viandes et poissons, en %.")
    )


class AppliedThresholdsSerializer(serializers.Serializer):
    bio = serializers.CharField(help_text=gettext_lazy("Seuil bio, en %."))
    egalim = serializers.CharField(help_text=gettext_lazy("Seuil EGAlim, en %."))
    meat_fish_egalim = serializers.CharField(
        allow_null=True, help_text=gettext_lazy("Seuil viandes et poissons (dès 2024).")
    )


class MeasureResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=STATUSES)
    label = serializers.CharField()
    gaps = serializers.ListField(child=serializers.CharField())
    missing = serializers.ListField(child=serializers.CharField(), help_text=gettext_lazy("Réponses manquantes."))


class GapResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    measure = serializers.CharField()
    label = serializers.CharField()
    resources_url = serializers.CharField(help_text=gettext_lazy("Le centre de ressources filtré sur cet écart."))
    missing_amount = serializers.CharField(
        allow_null=True, help_text=gettext_lazy("Achats (€ HT) à convertir pour le seuil.")
    )
    missing_points = serializers.CharField(allow_null=True, help_text=gettext_lazy("Points de pourcentage manquants."))
    detail = serializers.CharField(
        help_text=gettext_lazy("Par exemple « Il manque 4 200 € HT d'achats bio, soit 4,2 points. »")
    )


class MeasuresSerializer(serializers.Serializer):
    quality = MeasureResultSerializer()
    waste = MeasureResultSerializer()
    diversification = MeasureResultSerializer()
    plastic = MeasureResultSerializer()
    information = MeasureResultSerializer()


class EvaluationSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    department = serializers.CharField()
    territory_group = serializers.ChoiceField(choices=list(TERRITORY_GROUPS))
    rates = RatesSerializer()
    thresholds = AppliedThresholdsSerializer()
    measures = MeasuresSerializer()
    gaps = GapResultSerializer(many=True)


class ThresholdValuesSerializer(serializers.Serializer):
    bio = serializers.CharField()
    egalim = serializers.CharField()
    meat_fish_egalim = serializers.CharField(allow_null=True)
    meat_fish_egalim_state_restaurant = serializers.CharField(allow_null=True)


class ThresholdsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    department = serializers.CharField()
    territory_group = serializers.ChoiceField(choices=list(TERRITORY_GROUPS))
    territory = serializers.CharField()
    thresholds = ThresholdValuesSerializer()


class ErrorsSerializer(serializers.Serializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=gettext_lazy('Messages par champ, avec le chemin du champ : {"purchases.bio": ["…"]}.'),
    )


def flatten_errors(detail, prefix="") -> dict[str, list[str]]:
    """DRF's nested errors as {"purchases.bio": [...], "answers.waste.actions.0": [...]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            key = str(key)
            path = prefix if key in ("non_field_errors", "__all__") else (f"{prefix}.{key}" if prefix else key)
            for name, messages in flatten_errors(value, path).items():
                flat.setdefault(name, []).extend(messages)
    elif isinstance(detail, list) and detail and all(not isinstance(item, (Mapping, list)) for item in detail):
        flat[prefix or "non_field_errors"] = [str(item) for item in detail]
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            for name, messages in flatten_errors(item, f"{prefix}.{index}" if prefix else str(index)).items():
                flat.setdefault(name, []).extend(messages)
    else:
        flat[prefix or "non_field_errors"] = [str(detail)]
    return flat
