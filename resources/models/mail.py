"""Mail templates: ready-to-send e-mails with declared placeholders such as {{ nom_cantine }}."""

import re
from urllib.parse import quote

from django import forms
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import DraftStateMixin, RevisionMixin, TranslatableMixin, WorkflowMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from .taxonomy import source_locale_only

# A placeholder is written {{ name }}; anything between double braces is checked.
PLACEHOLDER_RE = re.compile(r"\{\{\s*(.*?)\s*\}\}")
PLACEHOLDER_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def split_placeholders(text: str) -> list[str]:
    return [name.strip() for name in re.split(r"[,\s]+", text or "") if name.strip()]


def placeholder_segments(text: str):
    """[(is_placeholder, text), ...] to display a template with its placeholders highlighted."""
    segments = []
    position = 0
    for match in PLACEHOLDER_RE.finditer(text or ""):
        if match.start() > position:
            segments.append((False, text[position : match.start()]))
        segments.append((True, match.group(1)))
        position = match.end()
    if position < len(text or ""):
        segments.append((False, text[position:]))
    return segments


def _compiled(text: str):
    """f(values) -> `text` with its placeholders replaced as `MailTemplate.render` does (kept when without value)."""
    parts = []  # literal text, or (name, the placeholder as written)
    position = 0
    for match in PLACEHOLDER_RE.finditer(text):
        parts.append(text[position : match.start()])
        parts.append((match.group(1), match.group(0)))
        position = match.end()
    parts.append(text[position:])

    def render(values):
        pieces = []
        for part in parts:
            if type(part) is str:
                pieces.append(part)
            else:
                name, written = part
                if name in values and values[name] not in (None, ""):
                    pieces.append(str(values[name]))
                else:
                    pieces.append(written)
        return "".join(pieces)

    return render


class MailTemplate(WorkflowMixin, DraftStateMixin, RevisionMixin, TranslatableMixin, index.Indexed, ClusterableModel):
    """A mail template (snippet), e.g. « cantine non inscrite » sent by a chargé·e de mission to a commune.

    Drafts and « Relecture DGAL » like pages (issue 14): a Rédacteur saves drafts and submits them; the row holds
    the live version (a template never published has `live=False` and is shown nowhere).
    """

    name = models.CharField(_("nom"), max_length=200)
    code = models.SlugField(_("code"), max_length=100, help_text=_("Identifiant stable, par exemple cantine-inscrite."))
    audience = models.ForeignKey(
        "resources.Audience",
        verbose_name=_("destinataire"),
        help_text=_("À qui le mail est envoyé."),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=source_locale_only,
    )
    subject = models.CharField(_("objet"), max_length=255)
    body = models.TextField(
        _("corps du mail"),
        help_text=_("Texte brut. Les variables s'écrivent entre doubles accolades, par exemple {{ nom_cantine }}."),
    )
    placeholders = models.CharField(
        _("variables"),
        max_length=500,
        blank=True,
        help_text=_("Noms des variables utilisées, séparés par des virgules : nom_cantine, commune, nom_signataire."),
    )
    measures = ParentalManyToManyField(
        "resources.Measure",
        verbose_name=_("mesures EGAlim"),
        blank=True,
        related_name="+",
        limit_choices_to=source_locale_only,
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("code")]),
        FieldPanel("audience"),
        FieldPanel("placeholders"),
        FieldPanel("subject"),
        FieldPanel("body"),
        FieldPanel("measures", widget=forms.CheckboxSelectMultiple),
    ]
    override_translatable_fields = [
        SynchronizedField("code"),
        SynchronizedField("placeholders"),
        SynchronizedField("audience"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("subject"), index.SearchField("body")]
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="mailtemplate")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="mailtemplate",
        for_concrete_model=False,
    )

    @property
    def revisions(self):
        return self._revisions

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("modèle de mail")
        verbose_name_plural = _("modèles de mail")
        ordering = ["name"]
        unique_together = [("translation_key", "locale"), ("code", "locale")]

    def __str__(self):
        return self.name

    def placeholder_names(self) -> list[str]:
        """The declared placeholders, in order, without duplicates."""
        return list(dict.fromkeys(split_placeholders(self.placeholders)))

    def used_placeholders(self) -> list[str]:
        return list(dict.fromkeys(PLACEHOLDER_RE.findall(f"{self.subject}\n{self.body}")))

    def clean(self):
        super().clean()
        errors = {}
        declared = self.placeholder_names()
        invalid = [name for name in declared if not PLACEHOLDER_NAME_RE.match(name)]
        if invalid:
            errors["placeholders"] = _(
                "Nom de variable invalide : %(names)s (lettres minuscules sans accent, chiffres et _)."
            ) % {"names": ", ".join(invalid)}
        for field in ("subject", "body"):
            used = PLACEHOLDER_RE.findall(getattr(self, field) or "")
            undeclared = [name for name in dict.fromkeys(used) if name not in declared]
            if undeclared:
                errors[field] = ngettext(
                    "Variable non déclarée : %(names)s. Ajoutez-la au champ « variables » ou corrigez-la.",
                    "Variables non déclarées : %(names)s. Ajoutez-les au champ « variables » ou corrigez-les.",
                    len(undeclared),
                ) % {"names": ", ".join(f"{{{{ {name} }}}}" for name in undeclared)}
        if errors:
            raise ValidationError(errors)

    def render(self, values: dict) -> tuple[str, str]:
        """Subject and body with the placeholders replaced; a placeholder without value is left as is."""

        def replace(match):
            name = match.group(1)
            if name in values and values[name] not in (None, ""):
                return str(values[name])
            return match.group(0)

        return PLACEHOLDER_RE.sub(replace, self.subject), PLACEHOLDER_RE.sub(replace, self.body)

    def renderer(self):
        """`render` for many value dicts (a mail merge): the placeholders are found once, each call only joins
        the pieces; f(values) -> (subject, body), the same text as `render(values)`."""
        subject, body = _compiled(self.subject), _compiled(self.body)
        return lambda values: (subject(values), body(values))

    def subject_segments(self):
        return placeholder_segments(self.subject)

    def body_segments(self):
        return placeholder_segments(self.body)

    def mailto_url(self) -> str:
        """A mailto: link opening the template in the reader's mail client (works without JavaScript)."""
        return f"mailto:?subject={quote(self.subject)}&body={quote(self.body)}"

    def as_text(self) -> str:
        """Plain-text version (used in kits)."""
        lines = [f"Objet : {self.subject}", "", self.body.strip(), ""]
        if self.placeholder_names():
            lines += ["---", "Variables à remplacer : " + ", ".join(f"{{{{ {n} }}}}" for n in self.placeholder_names())]
        return "\n".join(lines) + "\n"
