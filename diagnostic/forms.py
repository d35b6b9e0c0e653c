"""Forms of the calculator and autodiagnostic stepper, built on `diagnostic.validation` like the API.

Each step form stores its raw submitted values in the session; the results re-validate them with the same
forms and turn the cleaned data into the rules' `DiagnosticInput` (see `build_input`).
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from egalim import formatting
from egalim.answers import choice_label
from egalim.families import FAMILY_COLUMNS, family_label
from egalim.labels import LEVEL_2_CERTIFICATION_LAST_YEAR
from egalim.rules import (
    DIVERSIFICATION_PLAN_DAILY_MEALS,
    DONATION_AGREEMENT_DAILY_MEALS,
    FAMILIES,
    FIRST_YEAR,
    LAST_YEAR,
    VEGETARIAN_FREQUENCIES,
    WASTE_ACTIONS,
    DiagnosticInput,
    DiversificationAnswers,
    InformationAnswers,
    PlasticAnswers,
    Purchases,
    WasteAnswers,
    sum_families,
)

from .validation import (
    AMOUNT_MAX_DIGITS,
    DAILY_MEALS_MAX,
    DAILY_MEALS_MIN,
    MESSAGES,
    clean_department,
    family_errors,
    message_lazy,
    purchase_errors,
    validate_amount,
    validate_daily_meals,
    validate_year,
)


def _meals(number):
    """A number of meals in the active language ("3 000", "3,000"), for help texts."""
    return lazy(lambda: formatting.number(Decimal(number), 0, get_language()), str)()


def _with_rules(text, **params):
    """`text % params`, translated when displayed: help texts quote the rules' figures, never copies of them."""
    return lazy(lambda: str(text) % {name: str(value) for name, value in params.items()}, str)()


YES, NO, UNKNOWN = "yes", "no", "unknown"
ANSWER_VALUES = {YES: True, NO: False, UNKNOWN: None}
# The French values before issue 20, still read: answers kept in a session (the anonymous diagnostic's steps).
FRENCH_ANSWERS = {"oui": YES, "non": NO, "nsp": UNKNOWN}


def english_answer(value):
    return FRENCH_ANSWERS.get(value, value) if isinstance(value, str) else value


class DsfrForm(forms.Form):
    """Adds the DSFR classes to the widgets, and the error classes once validated."""

    template_name = "diagnostic/includes/form_fields.html"

    def __init__(self, *args, lang="fr", **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.lang = lang
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.TextInput, forms.NumberInput)):
                widget.attrs.setdefault("class", "fr-input")

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields and isinstance(self.fields[name].widget, (forms.TextInput, forms.NumberInput)):
                field = self.fields[name]
                auto_id = self[name].auto_id
                field.widget.attrs["class"] = "fr-input fr-input--error"
                described_by = [f"{auto_id}_helptext"] if field.help_text else []
                field.widget.attrs["aria-describedby"] = " ".join([*described_by, f"{auto_id}-error"])


class AnswerField(forms.TypedChoiceField):
    """Oui / Non / Je ne sais pas → True / False / None."""

    widget = forms.RadioSelect

    def __init__(self, *, unknown_label=None, **kwargs):
        choices = [(YES, _("Oui")), (NO, _("Non")), (UNKNOWN, unknown_label or _("Je ne sais pas"))]
        super().__init__(
            choices=choices,
            coerce=lambda value: ANSWER_VALUES[value],
            required=False,
            empty_value=None,
            error_messages={"invalid_choice": MESSAGES["choice"]},
            **kwargs,
        )

    def to_python(self, value):
        return english_answer(super().to_python(value))

    def prepare_value(self, value):  # an old session's answer shown checked again
        return english_answer(value)


class AmountField(forms.DecimalField):
    """Euros excluding VAT, French or English typing accepted: "12 500,50 €", "12500.50"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(
            max_digits=AMOUNT_MAX_DIGITS + 1,  # the shared validator gives the clearer message
            decimal_places=None,
            error_messages={"invalid": MESSAGES["amount_invalid"], "max_digits": MESSAGES["amount_too_large"]},
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"}),
            **kwargs,
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("€", "")
            value = value.replace(",", ".")
        if value in self.empty_values:
            return None
        try:
            number = Decimal(str(value))
        except (InvalidOperation, ValueError):
            raise ValidationError(MESSAGES["amount_invalid"], code="invalid") from None
        if not number.is_finite():
            raise ValidationError(MESSAGES["amount_invalid"], code="invalid")
        return number

    def validate(self, value):
        super().validate(value)
        if value is not None:
            validate_amount(value)


class DepartmentField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return clean_department(value)


class RestaurantForm(DsfrForm):
    department = DepartmentField(
        label=_("Département"),
        help_text=_("Code INSEE du département, par exemple 35, 2A ou 974."),
        max_length=5,
        error_messages={"required": MESSAGES["required"]},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "size": 5}),
    )
    year = forms.IntegerField(
        label=_("Année des données"),
        help_text=_with_rules(
            _(
                "Les achats de quelle année ? De %(first)s à %(last)s : une année à venir permet d'anticiper "
                "les seuils."
            ),
            first=FIRST_YEAR,
            last=LAST_YEAR,
        ),
        validators=[validate_year],
        error_messages={"required": MESSAGES["required"], "invalid": message_lazy("year_invalid")},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    state_restaurant = AnswerField(
        label=_("Est-ce un restaurant de l'État ?"),
        help_text=_("Restaurants de l'État, de ses établissements publics et des entreprises publiques nationales."),
    )
    daily_meals = forms.IntegerField(
        label=_("Nombre moyen de repas servis par jour"),
        required=False,
        validators=[validate_daily_meals],
        error_messages={"invalid": MESSAGES["integer"]},
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": DAILY_MEALS_MIN, "max": DAILY_MEALS_MAX}),
    )


PURCHASE_LABELS = {
    "total": (_("Total des achats alimentaires et boissons"), _("Sur l'année, en euros hors taxes.")),
    "bio": (_("Dont achats bio"), _("Agriculture biologique.")),
    "siqo": (_("Dont achats sous signe officiel de qualité"), _("Label Rouge, AOC/AOP, IGP, STG (hors bio).")),
    "environmental": (
        _("Dont achats sur critères environnementaux"),
        _("Coût des externalités environnementales ou performance environnementale."),
    ),
    "other_egalim": (
        _("Dont autres mentions EGAlim"),
        _with_rules(
            _(
                "HVE (et certification environnementale de niveau 2 jusqu'au 31/12/%(year)s), écolabel pêche "
                "durable, logo RUP, commerce équitable, mention « fermier »."
            ),
            year=LEVEL_2_CERTIFICATION_LAST_YEAR,
        ),
    ),
    "meat_fish_total": (
        _("Achats de viandes, volailles, poissons et produits de la mer"),
        _("Toutes qualités confondues."),
    ),
    "meat_fish_egalim": (
        _("Dont achats EGAlim de viandes et poissons"),
        _("Les achats de viandes et poissons comptés dans les lignes bio, SIQO, environnement ou autres."),
    ),
}


class QualityForm(DsfrForm):
    """The simple calculator: the purchase amounts of the year."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (label, help_text) in PURCHASE_LABELS.items():
            self.fields[name] = AmountField(label=label, help_text=help_text)
            self.fields[name].widget.attrs["class"] = "fr-input"

    def clean(self):
        cleaned = super().clean()
        for name, messages in purchase_errors(cleaned).items():
            if name not in self.errors:
                for text in messages:
                    self.add_error(name, text)
        return cleaned

    def purchases(self) -> Purchases:
        return Purchases(**{name: self.cleaned_data.get(name) for name in PURCHASE_LABELS})


def family_field_name(family, column):
    return f"{family}__{column}"


class QualityDetailForm(DsfrForm):
    """The detailed calculator: amounts per family and label group, summed into the simple values."""

    template_name = "diagnostic/includes/family_table.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lang = self.lang
        column_labels = {
            "total": _("Total"),
            "bio": _("Bio"),
            "siqo": _("SIQO"),
            "environmental": _("Environnement"),
            "other_egalim": _("Autres EGAlim"),
        }
        for family in FAMILIES:
            for column in FAMILY_COLUMNS:
                field = AmountField(label=f"{family_label(family, lang)} — {column_labels[column]}")
                field.widget.attrs["class"] = "fr-input"
                self.fields[family_field_name(family, column)] = field
        self.column_labels = column_labels

    def detail(self):
        return {
            family: {column: self.cleaned_data.get(family_field_name(family, column)) for column in FAMILY_COLUMNS}
            for family in FAMILIES
        }

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            for path, messages in family_errors(self.detail()).items():
                family, column = path.split(".")
                for text in messages:
                    self.add_error(family_field_name(family, column), text)
        return cleaned

    def rows(self):
        """[(family label, [bound fields in column order])] for the template."""
        return [
            (family_label(family, self.lang), [self[family_field_name(family, column)] for column in FAMILY_COLUMNS])
            for family in FAMILIES
        ]

    def purchases(self) -> Purchases:
        return Purchases(**sum_families(self.detail()))


class WasteForm(DsfrForm):
    diagnostic_done = AnswerField(label=_("Avez-vous réalisé un diagnostic du gaspillage alimentaire ?"))
    actions = forms.MultipleChoiceField(
        label=_("Quelles actions de réduction du gaspillage menez-vous ?"),
        help_text=_("Ne cochez rien si aucune action n'est encore engagée."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": MESSAGES["choice"]},
    )
    donation_agreement = AnswerField(
        label=_("Avez-vous signé une convention de dons avec une association d'aide alimentaire ?"),
        help_text=_with_rules(
            _("Obligatoire au-delà de %(meals)s repas préparés par jour."), meals=_meals(DONATION_AGREEMENT_DAILY_MEALS)
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actions"].choices = [
            (code, choice_label(WASTE_ACTIONS, code, self.lang)) for code in WASTE_ACTIONS
        ]


class DiversificationForm(DsfrForm):
    plan = AnswerField(
        label=_("Avez-vous un plan pluriannuel de diversification des protéines ?"),
        help_text=_with_rules(
            _("Obligatoire au-delà de %(meals)s repas servis par jour en moyenne."),
            meals=_meals(DIVERSIFICATION_PLAN_DAILY_MEALS),
        ),
    )
    vegetarian_frequency = forms.ChoiceField(
        label=_("À quelle fréquence servez-vous un menu végétarien ?"),
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": MESSAGES["choice"]},
    )
    menu_choice = AnswerField(
        label=_("Proposez-vous un choix de plusieurs menus ?"),
        help_text=_("Question utile pour les restaurants de l'État."),
    )
    daily_vegetarian_option = AnswerField(
        label=_("Proposez-vous une option végétarienne chaque jour ?"),
        help_text=_("Obligatoire dans les restaurants de l'État qui proposent un choix de menus."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vegetarian_frequency"].choices = [
            (code, choice_label(VEGETARIAN_FREQUENCIES, code, self.lang)) for code in VEGETARIAN_FREQUENCIES
        ]


class PlasticForm(DsfrForm):
    cooking_containers = AnswerField(
        label=_("Avez-vous supprimé les contenants de cuisson et de réchauffe en plastique ?"),
        unknown_label=_("Je ne sais pas"),
    )
    serving_containers = AnswerField(label=_("Avez-vous supprimé les contenants de service en plastique ?"))
    bottles = AnswerField(label=_("Avez-vous supprimé les bouteilles d'eau en plastique ?"))
    tableware = AnswerField(
        label=_("Avez-vous supprimé la vaisselle et les couverts en plastique à usage unique ?"),
    )


class InformationForm(DsfrForm):
    informs_diners = AnswerField(
        label=_("Informez-vous vos convives au moins une fois par an ?"),
        help_text=_(
            "Sur la part de produits durables et de qualité (dont bio) servis et sur le plan alimentaire : "
            "affichage, affiche, site internet…"
        ),
    )


def _value(cleaned, name):
    value = cleaned.get(name)
    return None if value in ("", None) else value


def build_input(cleaned_by_step: dict, purchases: Purchases | None) -> DiagnosticInput | None:
    """The rules' input from the cleaned data of the step forms ({step slug: cleaned_data})."""
    restaurant = cleaned_by_step.get("restaurant")
    if not restaurant or not restaurant.get("department") or not restaurant.get("year"):
        return None
    waste = cleaned_by_step.get("gaspillage")
    diversification = cleaned_by_step.get("diversification") or {}
    plastic = cleaned_by_step.get("plastiques") or {}
    information = cleaned_by_step.get("information") or {}
    return DiagnosticInput(
        year=restaurant["year"],
        department=restaurant["department"],
        state_restaurant=restaurant.get("state_restaurant"),
        daily_meals=restaurant.get("daily_meals"),
        purchases=purchases or Purchases(),
        waste=WasteAnswers(
            diagnostic_done=waste.get("diagnostic_done"),
            actions=tuple(waste.get("actions") or ()),
            donation_agreement=waste.get("donation_agreement"),
        )
        if waste is not None
        else WasteAnswers(),
        diversification=DiversificationAnswers(
            plan=diversification.get("plan"),
            vegetarian_frequency=_value(diversification, "vegetarian_frequency"),
            menu_choice=diversification.get("menu_choice"),
            daily_vegetarian_option=diversification.get("daily_vegetarian_option"),
        ),
        plastic=PlasticAnswers(**{name: plastic.get(name) for name in PlasticForm.base_fields}),
        information=InformationAnswers(informs_diners=information.get("informs_diners")),
    )


__all__ = [
    "AnswerField",
    "AmountField",
    "DiversificationForm",
    "InformationForm",
    "PlasticForm",
    "QualityDetailForm",
    "QualityForm",
    "RestaurantForm",
    "WasteForm",
    "build_input",
]
