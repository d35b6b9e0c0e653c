"""The diner poster (A4 portrait PDF, WeasyPrint) of one year's evaluation of the rules: the canteen manager's poster
(canteens/views/diagnostics.py) and the anonymous diagnostic's (diagnostic/views.py, /diagnostic/resultats/affiche.pdf)
are both built here, without a canteen: a name, an evaluation, a note, a public address.

`render_poster(context) -> bytes` is the public entry point; `poster_context(...)` builds its context.
"""

from django.utils import translation

from home.pdf import qr_data_uri, render_pdf

from .summary import summary

# The manager's message to diners (the canteen's field, the anonymous form's textarea): the poster stays on one page.
POSTER_NOTE_MAX_LENGTH = 700
NOTE_MAX_LINES = 6


def _fit_note(note):
    """The manager's note without blank lines, its line breaks capped so the poster stays on one page."""
    lines = [line.strip() for line in (note or "").splitlines() if line.strip()]
    if len(lines) > NOTE_MAX_LINES:
        lines = lines[: NOTE_MAX_LINES - 1] + [" ".join(lines[NOTE_MAX_LINES - 1 :])]
    return "\n".join(lines)


def poster_context(name, evaluation, *, previous=None, note="", public_url=None, lang=None) -> dict:
    """Context of templates/diagnostic/poster.html from the rules' evaluation(s) of the year (and the year before)."""
    lang = lang or translation.get_language() or "fr"
    context = {
        "name": name,
        "summary": summary(evaluation, lang),
        "previous": summary(previous, lang) if previous is not None else None,
        "note": _fit_note(note),
        "public_url": public_url,
        "qr": qr_data_uri(public_url) if public_url else None,
        "lang": lang,
    }
    context["year"] = context["summary"]["year"]
    return context


def render_poster(context) -> bytes:
    """The A4 portrait poster as PDF bytes. Raises home.pdf.PDFUnavailable when WeasyPrint fails."""
    with translation.override(context.get("lang") or translation.get_language()):
        return render_pdf("diagnostic/poster.html", context)
