from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import DsfrFormMixin
from diagnostic.forms import (
    ANSWER_VALUES,
    DiversificationForm,
    InformationForm,
    PlasticForm,
    QualityDetailForm,
    QualityForm,
    WasteForm,
    family_field_name,
)
from egalim.rules import FAMILIES, FAMILY_COLUMNS, PURCHASE_FIELDS, measure_label

from .choices import (
    SECTOR_CATEGORIES,
    SECTORS,
    CommunicationSupport,
    DiversificationPlanAction,
    Production,
    VegetarianMenuBase,
)
from .models import (
    DECLARATION_ANSWER_FIELDS,
    EXTRA_PURCHASE_FIELDS,
    POSTER_NOTE_MAX_LENGTH,
    Canteen,
    YearlyDiagnostic,
)
from .validators import normalize_identifier, validate_siret


def sector_choices():
    return [(code, f"{SECTOR_CATEGORIES[category]} — {label}") for code, (category, label) in SECTORS.items()]


def identifier_field(label, help_text=""):
    """SIRET / SIREN typed with spaces or dots: normalised in clean_<field>, then checked by the model."""
    return forms.CharField(label=label, help_text=help_text, required=False, max_length=40)


class CanteenForm(DsfrFormMixin, forms.ModelForm):
    siret = identifier_field(
        _("SIRET"), _("14 chiffres. Celui de l'établissement où sont servis les repas, pas celui de la commune.")
    )
    siren_unite_legale = identifier_field(
        _("SIREN de l'unité légale"), _("Pour un site sans SIRET propre : le SIREN de la structure dont il dépend.")
    )
    central_kitchen_siret = identifier_field(
        _("SIRET de la cuisine centrale"), _("Pour un satellite : le SIRET de la cuisine centrale qui vous livre.")
    )
    sectors = forms.MultipleChoiceField(
        label=_("Secteurs d'activité"),
        help_text=_("De 1 à 3 secteurs."),  # the count is checked by Canteen.clean()
        choices=sector_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins un secteur.")},
    )

    class Meta:
        model = Canteen
        fields = [
            "name",
            "siret",
            "siren_unite_legale",
            "city_insee_code",
            "city",
            "address",
            "sectors",
            "management_type",
            "production_type",
            "central_kitchen_siret",
            "economic_model",
            "line_ministry",
            "daily_meal_count",
            "yearly_meal_count",
        ]
        help_texts = {
            "city_insee_code": _("5 caractères, par exemple 35238 pour Rennes (ce n'est pas le code postal)."),
            "line_ministry": _(
                "Uniquement pour un restaurant de l'État : l'objectif viandes et poissons y est de 100 %."
            ),
            "daily_meal_count": _("Nombre moyen de repas servis par jour (au moins 3)."),
            "yearly_meal_count": _("Nombre de repas servis sur l'année (au moins 420)."),
        }
        error_messages = {
            "daily_meal_count": {"min_value": _("Au moins 3 couverts par jour.")},
            "yearly_meal_count": {"min_value": _("Au moins 420 couverts par an.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicate = None  # the canteen already registered with the SIRET typed in, if any
        for name in ("management_type", "production_type", "economic_model"):
            self.fields[name].widget = forms.RadioSelect(choices=self.fields[name].choices[1:])

    def clean_siret(self):
        siret = normalize_identifier(self.cleaned_data.get("siret"))
        if siret:
            others = Canteen.objects.filter(siret=siret)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            self.duplicate = others.first()
            if self.duplicate is not None:
                raise forms.ValidationError(  # no name: the SIRET may be one of a canteen hidden from the public
                    _(
                        "Une cantine est déjà enregistrée avec ce SIRET. Vous pouvez demander à ses gestionnaires de "
                        "vous ajouter."
                    ),
                    code="duplicate",
                )
        return siret

    def clean_siren_unite_legale(self):
        return normalize_identifier(self.cleaned_data.get("siren_unite_legale"))

    def clean_central_kitchen_siret(self):
        return normalize_identifier(self.cleaned_data.get("central_kitchen_siret"))

    def clean_city_insee_code(self):
        # the rule itself is the model field's validator (canteens.validators.commune_code_error), run after this
        return (self.cleaned_data.get("city_insee_code") or "").strip().upper()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("siret") and not cleaned.get("siren_unite_legale") and "siret" not in self.errors:
            self.add_error("siret", _("Indiquez le SIRET de la cantine ou, à défaut, le SIREN de son unité légale."))
        if cleaned.get("production_type") == Production.SATELLITE and not cleaned.get("central_kitchen_siret"):
            self.add_error("central_kitchen_siret", _("Indiquez le SIRET de la cuisine centrale qui vous livre."))
        if self.instance.pk and {"central_kitchen_siret", "production_type"} & set(self.changed_data):
            self.instance.confirmed_central_kitchen = None  # another central kitchen: agree to it again
        return cleaned


class InviteForm(DsfrFormMixin, forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail de la personne à ajouter"))


class JoinRequestForm(DsfrFormMixin, forms.Form):
    siret = identifier_field(_("SIRET de la cantine"), _("14 chiffres : celui de l'établissement où vous travaillez."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["siret"].required = True

    def clean_siret(self):
        siret = normalize_identifier(self.cleaned_data.get("siret"))
        validate_siret(siret)
        return siret


# The calculator's own forms (diagnostic.forms) ask the questions: one per measure, prefixed by its code.
ANSWER_FORMS = {
    "waste": WasteForm,
    "diversification": DiversificationForm,
    "plastic": PlasticForm,
    "information": InformationForm,
}
ANSWER_CODES = {value: code for code, value in ANSWER_VALUES.items()}


class PosterNoteForm(DsfrFormMixin, forms.Form):
    poster_note = forms.CharField(
        label=_("Message aux convives, imprimé sur l'affiche (facultatif)"),
        required=False,
        max_length=POSTER_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("700 caractères au plus."),
    )


def _multiple(label, choices):
    return forms.MultipleChoiceField(label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple)


class DeclarationPurchasesForm(DsfrFormMixin, forms.ModelForm):
    """The campaign's amounts beyond the rules' inputs (simple entry; the detailed table computes them).
    Blank is « non renseigné », 0 is a value."""

    prefix = None

    class Meta:
        model = YearlyDiagnostic
        fields = list(EXTRA_PURCHASE_FIELDS)

    def clean(self):
        cleaned = super().clean()
        for name in EXTRA_PURCHASE_FIELDS:
            value = cleaned.get(name)
            if value is not None and value < 0:
                self.add_error(name, _("Un montant ne peut pas être négatif."))
        return cleaned


class DeclarationAnswersForm(DsfrFormMixin, forms.ModelForm):
    """The campaign's other answers: waste figures, vegetarian menu, diner information, central kitchen mode."""

    vegetarian_menu_bases = _multiple(_("Bases du menu végétarien"), VegetarianMenuBase.choices)
    diversification_plan_actions = _multiple(_("Actions du plan de diversification"), DiversificationPlanAction.choices)
    communication_supports = _multiple(_("Moyens d'information des convives"), CommunicationSupport.choices)
    communication_support_url = forms.URLField(label=_("Lien de communication"), required=False, assume_scheme="https")

    class Meta:
        model = YearlyDiagnostic
        fields = list(DECLARATION_ANSWER_FIELDS)

    def __init__(self, *args, central_kitchen=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not central_kitchen:
            del self.fields["central_kitchen_mode"]


class DiagnosticEditor:
    """The yearly diagnostic's page form: the calculator's purchase form (simple or detailed), its four answer
    forms and the poster's note. A central kitchen supplying a satellite only gets the purchase form."""

    def __init__(self, data=None, *, instance: YearlyDiagnostic, mode, can_supply=True, can_edit=True, lang="fr"):
        self.instance = instance
        self.mode = mode
        self.lang = lang
        self.purchases = None
        self.answers = {}
        self.note = None
        self.declaration = None
        self.declaration_purchases = None
        if can_supply:
            if mode == YearlyDiagnostic.Mode.DETAILED:
                detail = instance.family_detail or {}
                initial = {
                    family_field_name(family, column): (detail.get(family) or {}).get(column)
                    for family in FAMILIES
                    for column in FAMILY_COLUMNS
                }
                self.purchases = QualityDetailForm(data, initial=initial, lang=lang)
            else:
                initial = {name: getattr(instance, name) for name in PURCHASE_FIELDS}
                self.purchases = QualityForm(data, initial=initial, lang=lang)
        if can_edit:
            stored = instance.answers or {}
            for measure, form_class in ANSWER_FORMS.items():
                values = stored.get(measure) or {}
                initial = {
                    name: values[name] if name in ("actions", "vegetarian_frequency") else ANSWER_CODES[values[name]]
                    for name in form_class.base_fields
                    if values.get(name) is not None
                }
                self.answers[measure] = form_class(data, prefix=measure, initial=initial, lang=lang)
            self.note = PosterNoteForm(data, initial={"poster_note": instance.poster_note})
            self.declaration = DeclarationAnswersForm(
                data, instance=instance, central_kitchen=instance.canteen.is_central_kitchen
            )
        if can_supply and mode != YearlyDiagnostic.Mode.DETAILED:
            self.declaration_purchases = DeclarationPurchasesForm(data, instance=instance)

    def sections(self):
        """(measure label, answer form) in the law's order, for the template."""
        return [(measure_label(code, self.lang), form) for code, form in self.answers.items()]

    @property
    def forms(self):
        forms_ = (self.purchases, self.declaration_purchases, *self.answers.values(), self.declaration, self.note)
        return [form for form in forms_ if form is not None]

    @property
    def errors(self):
        return any(form.errors for form in self.forms)

    def is_valid(self):
        return all([form.is_valid() for form in self.forms])

    def save(self, user):
        diagnostic = self.instance
        if self.purchases is not None:
            diagnostic.mode = self.mode
            if self.mode == YearlyDiagnostic.Mode.DETAILED:
                diagnostic.set_purchases_from_detail(self.purchases.detail())
            else:
                diagnostic.family_detail = {}
                for name in PURCHASE_FIELDS:
                    setattr(diagnostic, name, self.purchases.cleaned_data.get(name))
        if self.answers:
            answers = {}
            for measure, form in self.answers.items():
                values = {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}
                if measure == "waste":
                    values["actions"] = list(form.cleaned_data.get("actions") or [])
                if values:
                    answers[measure] = values
            diagnostic.answers = answers
            diagnostic.poster_note = self.note.cleaned_data["poster_note"]
        if self.declaration_purchases is not None:
            for name in EXTRA_PURCHASE_FIELDS:
                setattr(diagnostic, name, self.declaration_purchases.cleaned_data.get(name))
        if self.declaration is not None:
            for name, value in self.declaration.cleaned_data.items():
                setattr(diagnostic, name, list(value) if isinstance(value, list | tuple) else value)
        diagnostic.updated_by = user
        diagnostic.save()
        return diagnostic


class UploadForm(DsfrFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Fichier des achats"),
        help_text=_("CSV (séparateur virgule ou point-virgule) ou Excel (.xlsx), 10 Mo et 50 000 lignes au plus."),
    )
