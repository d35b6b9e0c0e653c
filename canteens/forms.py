from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import DsfrFormMixin
from diagnostic.rules import FAMILIES, FAMILY_COLUMNS, PURCHASE_FIELDS, VEGETARIAN_FREQUENCIES, WASTE_ACTIONS
from diagnostic.rules.families import family_label
from diagnostic.validation import AMOUNT_DECIMAL_PLACES, AMOUNT_MAX_DIGITS, family_errors, purchase_errors
from diagnostic.validation import validate_amount as validate_rule_amount

from .choices import SECTOR_CATEGORIES, SECTORS, EconomicModel, Production
from .models import POSTER_NOTE_MAX_LENGTH, Canteen, YearlyDiagnostic
from .validators import normalize_identifier


def sector_choices():
    return [(code, f"{SECTOR_CATEGORIES[category]} — {label}") for code, (category, label) in SECTORS.items()]


class CanteenForm(DsfrFormMixin, forms.ModelForm):
    sectors = forms.MultipleChoiceField(
        label=_("Secteurs d'activité"),
        help_text=_("De 1 à 3 secteurs."),
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
            "siret": _("14 chiffres. Celui de l'établissement où sont servis les repas, pas celui de la commune."),
            "city_insee_code": _("5 caractères, par exemple 35238 pour Rennes (ce n'est pas le code postal)."),
            "central_kitchen_siret": _("Pour un satellite : le SIRET de la cuisine centrale qui vous livre."),
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
                raise forms.ValidationError(
                    _(
                        "Une cantine est déjà enregistrée avec ce SIRET : « %(name)s ». Vous pouvez demander à ses "
                        "gestionnaires de vous ajouter."
                    )
                    % {"name": self.duplicate.name},
                    code="duplicate",
                )
        return siret

    def clean_siren_unite_legale(self):
        return normalize_identifier(self.cleaned_data.get("siren_unite_legale"))

    def clean_central_kitchen_siret(self):
        return normalize_identifier(self.cleaned_data.get("central_kitchen_siret"))

    def clean_city_insee_code(self):
        return (self.cleaned_data.get("city_insee_code") or "").strip().upper()

    def clean_sectors(self):
        sectors = self.cleaned_data["sectors"]
        if len(sectors) > 3:
            raise forms.ValidationError(_("Choisissez au plus 3 secteurs."))
        return sectors

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("production_type") == Production.SATELLITE and not cleaned.get("central_kitchen_siret"):
            self.add_error("central_kitchen_siret", _("Indiquez le SIRET de la cuisine centrale qui vous livre."))
        if cleaned.get("line_ministry") and cleaned.get("economic_model") == EconomicModel.PRIVATE:
            self.add_error("line_ministry", _("Seul un restaurant public peut avoir un ministère de tutelle."))
        return cleaned


class InviteForm(DsfrFormMixin, forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail de la personne à ajouter"))


class JoinRequestForm(DsfrFormMixin, forms.Form):
    message = forms.CharField(
        label=_("Message aux gestionnaires actuels"), required=False, max_length=500, widget=forms.Textarea
    )


def amount_field(label, required=False):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_digits=AMOUNT_MAX_DIGITS,
        decimal_places=AMOUNT_DECIMAL_PLACES,
        localize=True,
        validators=[validate_rule_amount],
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


SIMPLE_LABELS = {
    "total": _("Total des achats alimentaires (€ HT)"),
    "bio": _("dont achats bio (€ HT)"),
    "siqo": _("dont achats sous signe officiel de qualité : Label Rouge, AOC/AOP, IGP, STG (€ HT)"),
    "environmental": _("dont achats sur critères environnementaux (€ HT)"),
    "other_egalim": _("dont autres achats EGAlim : HVE, écolabel pêche, RUP, commerce équitable, fermier (€ HT)"),
    "meat_fish_total": _("Total des achats de viandes, volailles, poissons et produits de la mer (€ HT)"),
    "meat_fish_egalim": _("dont achats EGAlim de viandes et poissons (€ HT)"),
}
COLUMN_LABELS = {
    "total": _("total"),
    "bio": _("bio"),
    "siqo": _("SIQO"),
    "environmental": _("critères environnementaux"),
    "other_egalim": _("autres EGAlim"),
}
TRI_STATE = [("", _("Je ne sais pas")), ("true", _("Oui")), ("false", _("Non"))]


def _tri(value):
    return {"true": True, "false": False}.get(value)


def _tri_initial(value):
    return "" if value is None else ("true" if value else "false")


def yes_no(label):
    return forms.TypedChoiceField(label=label, choices=TRI_STATE, required=False, coerce=str, widget=forms.RadioSelect)


# answers JSON path → (form field, label): the questions asked for the four non-purchase measures.
QUESTIONS = {
    ("waste", "diagnostic_done"): _("Avez-vous réalisé un diagnostic du gaspillage alimentaire ?"),
    ("waste", "donation_agreement"): _("Avez-vous une convention de dons alimentaires avec une association ?"),
    ("diversification", "plan"): _("Avez-vous un plan pluriannuel de diversification des protéines ?"),
    ("diversification", "menu_choice"): _("Proposez-vous plusieurs menus au choix ?"),
    ("diversification", "daily_vegetarian_option"): _("Proposez-vous une option végétarienne chaque jour ?"),
    ("plastic", "cooking_containers"): _("Avez-vous supprimé les contenants de cuisson et de réchauffe en plastique ?"),
    ("plastic", "serving_containers"): _("Avez-vous supprimé les contenants de service en plastique ?"),
    ("plastic", "bottles"): _("Avez-vous supprimé les bouteilles d'eau en plastique ?"),
    ("plastic", "tableware"): _("Avez-vous supprimé la vaisselle et les couverts en plastique à usage unique ?"),
    ("information", "informs_diners"): _(
        "Informez-vous vos convives, au moins une fois par an, de la part de produits durables et de qualité ?"
    ),
}


class DiagnosticForm(DsfrFormMixin, forms.Form):
    """Purchases (simple mode: seven amounts; detailed: a family × label table) and the measures' answers."""

    waste_actions = forms.MultipleChoiceField(
        label=_("Actions de lutte contre le gaspillage mises en place"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    no_waste_action = forms.BooleanField(label=_("Aucune action pour l'instant"), required=False)
    vegetarian_frequency = forms.ChoiceField(label=_("Fréquence du menu végétarien"), required=False)
    poster_note = forms.CharField(
        label=_("Message aux convives, imprimé sur l'affiche (facultatif)"),
        required=False,
        max_length=POSTER_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("700 caractères au plus."),
    )

    def __init__(self, *args, instance: YearlyDiagnostic, mode, can_supply=True, can_edit=True, **kwargs):
        self.instance = instance
        self.mode = mode
        super().__init__(*args, **kwargs)
        self.purchase_names = []
        if can_supply:
            if mode == YearlyDiagnostic.Mode.DETAILED:
                detail = instance.family_detail or {}
                for family in FAMILIES:
                    for column in FAMILY_COLUMNS:
                        name = f"{family}__{column}"
                        label = f"{family_label(family)} — {COLUMN_LABELS[column]} (€ HT)"
                        self.fields[name] = amount_field(label)
                        value = (detail.get(family) or {}).get(column)
                        self.initial.setdefault(name, Decimal(value) if value is not None else None)
                        self.purchase_names.append(name)
            else:
                for name in PURCHASE_FIELDS:
                    self.fields[name] = amount_field(SIMPLE_LABELS[name])
                    self.initial.setdefault(name, getattr(instance, name))
                    self.purchase_names.append(name)
        answers = instance.answers or {}
        self.question_names = []
        if can_edit:
            for (measure, key), label in QUESTIONS.items():
                name = f"{measure}__{key}"
                self.fields[name] = yes_no(label)
                self.initial.setdefault(name, _tri_initial((answers.get(measure) or {}).get(key)))
                self.question_names.append(name)
            self.fields["waste_actions"].choices = [(code, label) for code, (label, _en) in WASTE_ACTIONS.items()]
            self.fields["vegetarian_frequency"].choices = [("", _("Je ne sais pas"))] + [
                (code, label) for code, (label, _en) in VEGETARIAN_FREQUENCIES.items()
            ]
            actions = (answers.get("waste") or {}).get("actions")
            self.initial.setdefault("waste_actions", actions or [])
            self.initial.setdefault("no_waste_action", actions == [])
            self.initial.setdefault(
                "vegetarian_frequency", (answers.get("diversification") or {}).get("vegetarian_frequency") or ""
            )
            self.initial.setdefault("poster_note", instance.poster_note)
        else:
            for name in ("waste_actions", "no_waste_action", "vegetarian_frequency", "poster_note"):
                del self.fields[name]

    def purchase_fields(self):
        return [self[name] for name in self.purchase_names]

    def answer_fields(self):
        return [self[name] for name in self.fields if name not in self.purchase_names]

    def family_rows(self):
        """For the template: one row per family with its bound fields in column order."""
        return [
            {"label": family_label(family), "fields": [self[f"{family}__{column}"] for column in FAMILY_COLUMNS]}
            for family in FAMILIES
        ]

    def detail(self):
        return {
            family: {column: self.cleaned_data.get(f"{family}__{column}") for column in FAMILY_COLUMNS}
            for family in FAMILIES
        }

    def clean(self):
        cleaned = super().clean()
        if self.errors or not self.purchase_names:
            return cleaned
        if self.mode == YearlyDiagnostic.Mode.DETAILED:
            errors = family_errors(self.detail())
            # An empty table is allowed while the manager fills the answers first.
            if all(cleaned.get(name) is None for name in self.purchase_names):
                errors = {}
            for key, messages in errors.items():
                self.add_error(key.replace(".", "__"), messages)
        else:
            for name, messages in purchase_errors({name: cleaned.get(name) for name in PURCHASE_FIELDS}).items():
                self.add_error(name, messages)
        return cleaned

    def save(self, user):
        diagnostic = self.instance
        data = self.cleaned_data
        if self.purchase_names:
            diagnostic.mode = self.mode
            if self.mode == YearlyDiagnostic.Mode.DETAILED:
                diagnostic.set_purchases_from_detail(self.detail())
            else:
                diagnostic.family_detail = {}
                for name in PURCHASE_FIELDS:
                    setattr(diagnostic, name, data.get(name))
        if self.question_names:
            answers = {}
            for (measure, key), _label in QUESTIONS.items():
                value = _tri(data.get(f"{measure}__{key}"))
                if value is not None:
                    answers.setdefault(measure, {})[key] = value
            if data.get("no_waste_action"):
                answers.setdefault("waste", {})["actions"] = []
            elif data.get("waste_actions"):
                answers.setdefault("waste", {})["actions"] = list(data["waste_actions"])
            if data.get("vegetarian_frequency"):
                answers.setdefault("diversification", {})["vegetarian_frequency"] = data["vegetarian_frequency"]
            diagnostic.answers = answers
            diagnostic.poster_note = data.get("poster_note", "")
        diagnostic.updated_by = user
        diagnostic.save()
        return diagnostic


class UploadForm(DsfrFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Fichier des achats"),
        help_text=_("CSV (séparateur virgule ou point-virgule) ou Excel (.xlsx), 10 Mo et 50 000 lignes au plus."),
    )
