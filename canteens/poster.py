"""The diner poster and the declaration receipt: HTML templates rendered to PDF by WeasyPrint.

`render_poster(context) -> bytes` is the public entry point; `poster_context(...)` builds its context from an
evaluation of the rules, so the anonymous diagnostic can print the same poster without an account.
"""

import base64
import io
import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from .results import summary

logger = logging.getLogger(__name__)
# WeasyPrint reports each rendering step at INFO level: keep the server's log for what matters.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class PDFUnavailable(Exception):
    """WeasyPrint could not render the document (missing system library, broken template...)."""


def qr_data_uri(url: str) -> str:
    """A QR code of `url` as an SVG data URI (vector: sharp when printed)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def render_pdf(template, context) -> bytes:
    html = render_to_string(template, context)
    try:
        from weasyprint import HTML

        # Tagged PDF (structure tree, /Lang from <html lang>): readable by screen readers (RGAA, PDF/UA).
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_tags=True)
    except Exception as error:  # WeasyPrint (or its system libraries) failing must not become a 500
        logger.exception("PDF rendering failed for %s", template)
        raise PDFUnavailable(str(error)) from error


NOTE_MAX_LINES = 6


def _fit_note(note):
    """The manager's note without blank lines, its line breaks capped so the poster stays on one page."""
    lines = [line.strip() for line in (note or "").splitlines() if line.strip()]
    if len(lines) > NOTE_MAX_LINES:
        lines = lines[: NOTE_MAX_LINES - 1] + [" ".join(lines[NOTE_MAX_LINES - 1 :])]
    return "\n".join(lines)


def poster_context(name, evaluation, *, previous=None, note="", public_url=None, lang=None) -> dict:
    """Context of templates/canteens/poster.html from the rules' evaluation(s) of the year (and the year before)."""
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
    """The A4 portrait poster as PDF bytes. Raises PDFUnavailable when WeasyPrint fails."""
    with translation.override(context.get("lang") or translation.get_language()):
        return render_pdf("canteens/poster.html", context)
