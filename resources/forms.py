"""The hub's public forms: « was this resource useful? » and the cleaning of what visitors type."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models.stats import FEEDBACK_COMMENT_MAX_LENGTH

CONTROL_CHARACTERS_RE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\u0085]")


class FeedbackForm(forms.Form):
    useful = forms.TypedChoiceField(
        label=_("Cette ressource vous a-t-elle été utile ?"),
        choices=[("yes", _("Oui")), ("no", _("Non"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Répondez « Oui » ou « Non ».")},
    )
    comment = forms.CharField(
        label=_("Un commentaire ? (facultatif)"),
        required=False,
        max_length=FEEDBACK_COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def clean_comment(text: str) -> str:
    """Line breaks kept, other control characters removed."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(CONTROL_CHARACTERS_RE.sub(" ", line).rstrip() for line in lines).strip()
