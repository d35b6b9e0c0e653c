"""Forms of the officer pages: the widget configuration and the mail merge."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.forms import DsfrFormMixin
from egalim import formatting
from resources.models import MailTemplate

from .models import HEX_COLOUR, Department, Region, Widget

LOGO_MAX_BYTES = 512 * 1024
LOGO_MAX_SIDE = 2000
LOGO_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
MIN_CONTRAST = 4.5  # WCAG AA for normal text


def luminance(colour: str) -> float:
    """Relative luminance (WCAG 2) of "#rrggbb"."""
    channels = []
    for index in (1, 3, 5):
        value = int(colour[index : index + 2], 16) / 255
        channels.append(value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_colour_on(background: str) -> str:
    """White or near-black, whichever reads better on `background`."""
    return "#ffffff" if contrast(background, "#ffffff") >= contrast(background, "#161616") else "#161616"


def validate_logo(upload):
    """A PNG, JPEG or WebP image of at most 512 KB and 2000 px a side (no SVG: it can carry scripts)."""
    from PIL import Image, UnidentifiedImageError

    if upload.size > LOGO_MAX_BYTES:
        raise ValidationError(_("Le logo dépasse 512 Ko."), code="logo_too_large")
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(_("Le logo doit être une image PNG, JPEG ou WebP."), code="logo_invalid") from error
    finally:
        upload.seek(0)
    if kind not in LOGO_FORMATS:
        raise ValidationError(_("Le logo doit être une image PNG, JPEG ou WebP."), code="logo_format")
    if width > LOGO_MAX_SIDE or height > LOGO_MAX_SIDE:
        raise ValidationError(_("Le logo dépasse 2000 pixels de côté."), code="logo_dimensions")
    return LOGO_FORMATS[kind]


class WidgetForm(DsfrFormMixin, forms.ModelForm):
    territory = forms.ChoiceField(label=_("Territoire"))
    remove_logo = forms.BooleanField(label=_("Retirer le logo"), required=False)

    class Meta:
        model = Widget
        fields = ["title", "display", "primary_colour", "secondary_colour", "logo", "communes", "sector", "objectives"]
        widgets = {
            # a colour picker, sized by territories.css (the DSFR's input class alone made it a 2-px line)
            "primary_colour": forms.TextInput(attrs={"type": "color", "class": "territories-colour"}),
            "secondary_colour": forms.TextInput(attrs={"type": "color", "class": "territories-colour"}),
            "logo": forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        }
        help_texts = {
            "primary_colour": _(
                "Fond du bandeau de titre (le texte y est écrit en blanc ou en noir, le plus lisible)."
            ),
            "secondary_colour": _("Couleur des liens, sur fond blanc : contraste d'au moins 4,5:1."),
            "logo": _("PNG, JPEG ou WebP, 512 Ko et 2000 pixels de côté au plus."),
        }

    def __init__(self, scope, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from canteens.choices import SECTOR_CATEGORIES

        self.scope = scope
        self.fields["territory"].choices = scope.territory_choices()
        self.fields["sector"] = forms.ChoiceField(
            label=_("Catégorie de secteur, par défaut"),
            required=False,
            choices=[("", _("Toutes"))] + list(SECTOR_CATEGORIES.items()),
        )
        self.fields["display"].required = False
        self.fields["objectives"] = forms.ChoiceField(
            label=_("Objectifs d'achats EGAlim atteints, par défaut"),
            required=False,
            choices=[("", _("Toutes les cantines")), ("yes", _("Oui")), ("no", _("Non"))],
        )
        if not self.instance.logo:
            del self.fields["remove_logo"]
        if self.instance.pk and (self.instance.region_id or self.instance.department_id):
            if self.instance.region_id:
                self.initial["territory"] = f"region:{self.instance.region_id}"
            else:
                self.initial["territory"] = f"department:{self.instance.department_id}"

    def clean_primary_colour(self):
        colour = self.cleaned_data["primary_colour"].lower()
        HEX_COLOUR(colour)  # before anything computes with it (« red », « #zzzzzz » made a 500)
        return colour

    def clean_secondary_colour(self):
        colour = self.cleaned_data["secondary_colour"].lower()
        HEX_COLOUR(colour)
        ratio = contrast(colour, "#ffffff")
        if ratio < MIN_CONTRAST:
            # both numbers in the page's language (« 1,3:1 » and « 4,5:1 », not « 1.3:1 »), the ratio truncated so
            # that a refused 4.49 never reads « 4,5 »
            language = translation.get_language()
            raise ValidationError(
                _(
                    "Cette couleur n'est pas assez contrastée sur fond blanc (%(ratio)s:1, il faut %(minimum)s:1 au "
                    "moins)."
                )
                % {
                    "ratio": formatting.number(formatting.truncate(Decimal(str(ratio)), 1), 1, language),
                    "minimum": formatting.number(Decimal(str(MIN_CONTRAST)), 1, language),
                },
                code="low_contrast",
            )
        return colour

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload
            self.logo_type = validate_logo(logo)
        return logo

    def clean_display(self):
        return self.cleaned_data.get("display") or "list"

    def clean_communes(self):
        import re

        codes = [code.strip().upper() for code in self.cleaned_data["communes"].split(",") if code.strip()]
        wrong = [code for code in codes if not re.fullmatch(r"\d{5}|2[AB]\d{3}", code)]
        if wrong:
            raise ValidationError(
                _("Codes INSEE invalides : %(codes)s (5 caractères, par exemple 35238).") % {"codes": ", ".join(wrong)}
            )
        if len(codes) > 100:
            raise ValidationError(_("100 communes au plus."))
        return ",".join(codes)

    def clean_territory(self):
        kind, _sep, code = self.cleaned_data["territory"].partition(":")
        model = Region if kind == "region" else Department
        territory = model.objects.filter(pk=code).first()
        if territory is None or not self.scope.allows(territory):
            raise ValidationError(_("Choisissez un territoire dont vous assurez le suivi."))
        return territory

    def clean(self):
        data = super().clean()
        territory = data.get("territory")
        if territory is not None:  # before the model's own validation (one territory)
            self.instance.region = territory if isinstance(territory, Region) else None
            self.instance.department = territory if isinstance(territory, Department) else None
        return data

    def save(self, commit=True):
        widget = super().save(commit=False)
        if getattr(self, "logo_type", None):
            widget.logo_type = self.logo_type
        if self.cleaned_data.get("remove_logo"):
            widget.logo.delete(save=False)
            widget.logo = ""
            widget.logo_type = ""
        if commit:
            widget.save()
        return widget


class MergeForm(DsfrFormMixin, forms.Form):
    template = forms.ModelChoiceField(label=_("Modèle de mail"), queryset=MailTemplate.objects.none())
    signatory = forms.CharField(label=_("Nom du signataire"), max_length=200)
    signatory_role = forms.CharField(
        label=_("Fonction du signataire"),
        max_length=200,
        required=False,
        help_text=_("Par exemple : chargée de mission alimentation, DRAAF Bretagne."),
    )
    scope = forms.ChoiceField(
        label=_("Cantines"),
        choices=[("selection", _("Les cantines cochées")), ("filter", _("Toutes les cantines de la liste filtrée"))],
        initial="selection",
        widget=forms.RadioSelect,
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("csv", _("CSV de publipostage")), ("eml", _("ZIP de brouillons .eml"))],
        initial="csv",
    )

    def _limit_templates(self):
        from django.utils import translation

        language = translation.get_language() or "fr"
        templates = MailTemplate.objects.filter(locale__language_code=language, live=True)  # not the drafts
        if not templates.exists():
            templates = MailTemplate.objects.filter(locale__language_code="fr", live=True)
        self.fields["template"].queryset = templates.order_by("name")

    def __init__(self, data=None, *, selected=(), **kwargs):
        self.selected = list(selected)
        super().__init__(data, **kwargs)
        self._limit_templates()

    def clean(self):
        data = super().clean()
        if data.get("scope") == "selection" and not self.selected:
            raise ValidationError(_("Cochez au moins une cantine, ou choisissez toute la liste filtrée."))
        return data


class PositionForm(DsfrFormMixin, forms.Form):
    """A canteen's pin placed by hand (manager or territory officer): WGS 84, within France's overseas extent."""

    latitude = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90, help_text=_("Par exemple 48.1113"))
    longitude = forms.FloatField(
        label=_("Longitude"), min_value=-180, max_value=180, help_text=_("Par exemple -1.6744")
    )
    reset = forms.BooleanField(label=_("Revenir au centre de la commune"), required=False)
