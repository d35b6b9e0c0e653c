"""Small document generators for the demo content: PDF (WeasyPrint), XLSX, CSV, DOCX and ODT.

The office formats are written by hand (they are ZIP files of a few XML parts): no extra dependency.
"""

import csv
import io
import logging
import zipfile
from xml.sax.saxutils import escape

from django.template.loader import render_to_string


def make_pdf(template_name: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    logger = logging.getLogger("weasyprint.progress")
    level = logger.level
    logger.setLevel(logging.WARNING)  # WeasyPrint logs every layout step at INFO
    try:
        return HTML(string=html, base_url=".").write_pdf()
    finally:
        logger.setLevel(level)


def make_xlsx(sheets: list[dict]) -> bytes:
    """sheets: [{"title": str, "header": [...], "rows": [[...]], "widths": [...], "notes": [str]}]"""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        sheet = workbook.create_sheet(spec["title"][:31])
        row_index = 1
        for note in spec.get("notes", []):
            sheet.cell(row=row_index, column=1, value=note).font = Font(italic=True)
            row_index += 1
        if spec.get("notes"):
            row_index += 1
        for column, label in enumerate(spec["header"], start=1):
            cell = sheet.cell(row=row_index, column=column, value=label)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="000091")
        sheet.freeze_panes = sheet.cell(row=row_index + 1, column=1)
        for row in spec.get("rows", []):
            row_index += 1
            for column, value in enumerate(row, start=1):
                sheet.cell(row=row_index, column=column, value=value)
        for column, width in enumerate(spec.get("widths", []), start=1):
            sheet.column_dimensions[get_column_letter(column)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def make_csv(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _docx_paragraph(text: str, bold=False, size=None) -> str:
    properties = ""
    if bold or size:
        properties = "<w:rPr>" + ("<w:b/>" if bold else "") + (f'<w:sz w:val="{size}"/>' if size else "") + "</w:rPr>"
    return f'<w:p><w:r>{properties}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def make_docx(title: str, paragraphs: list[str]) -> bytes:
    """A minimal Word document: a title, then paragraphs (a paragraph starting with "## " is a heading)."""
    body = [_docx_paragraph(title, bold=True, size=36)]
    for paragraph in paragraphs:
        if paragraph.startswith("## "):
            body.append(_docx_paragraph(paragraph[3:], bold=True, size=28))
        else:
            body.append(_docx_paragraph(paragraph))
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        + "".join(body)
        + "</w:body></w:document>"
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>"
    )
    relationships = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", relationships)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def make_odt(title: str, paragraphs: list[str]) -> bytes:
    """A minimal OpenDocument text: a title, then paragraphs ("## " starts a heading)."""
    body = [f'<text:h text:outline-level="1">{escape(title)}</text:h>']
    for paragraph in paragraphs:
        if paragraph.startswith("## "):
            body.append(f'<text:h text:outline-level="2">{escape(paragraph[3:])}</text:h>')
        else:
            body.append(f"<text:p>{escape(paragraph)}</text:p>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        "<office:body><office:text>" + "".join(body) + "</office:text></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED
        )
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
