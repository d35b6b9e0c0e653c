"""PDF documents (the diner poster, the declaration receipt, the territories' report): HTML templates rendered by
WeasyPrint, served inline, or a 503 page when WeasyPrint fails. Canteen-independent: every app below may use it."""

import base64
import io
import logging

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

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


def pdf_response(content, filename):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def pdf_unavailable(request):
    """The answer when render_pdf raised PDFUnavailable: a page saying so, status 503."""
    return render(request, "home/pdf_unavailable.html", status=503)
