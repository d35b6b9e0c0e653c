"""Checks on the documents uploaded in the Wagtail admin (WAGTAILDOCS_DOCUMENT_FORM_BASE).

Wagtail checks the extension (WAGTAILDOCS_EXTENSIONS) and the size (WAGTAILDOCS_MAX_UPLOAD_SIZE). This form
also checks, for both the single and the multiple uploader:

- the content type the browser declared: it must be one of the types of that extension (or the generic
  `application/octet-stream`), never `text/html`, `image/svg+xml`, an executable...;
- the content itself: a `.pdf` starts with `%PDF-`, a `.docx`/`.xlsx`/`.pptx` is an Office Open XML package of
  that kind, an `.odt`/`.ods`/`.odp` an OpenDocument package of that kind, a `.csv`/`.txt` is text (no NUL
  byte, no HTML or SVG markup).

Images need no extra form: Wagtail opens every image (Willow) and refuses a file whose format does not match its
extension; SVG is not in WAGTAILIMAGES_EXTENSIONS, and WAGTAILIMAGES_MAX_UPLOAD_SIZE caps the size.
"""

import os
import re
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm

GENERIC_TYPES = {"", "application/octet-stream", "binary/octet-stream"}
ZIP_TYPES = {"application/zip", "application/x-zip-compressed"}
DECLARED_TYPES = {
    "pdf": {"application/pdf", "application/x-pdf", "application/acrobat"},
    "docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", *ZIP_TYPES},
    "xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", *ZIP_TYPES},
    "pptx": {"application/vnd.openxmlformats-officedocument.presentationml.presentation", *ZIP_TYPES},
    "odt": {"application/vnd.oasis.opendocument.text", *ZIP_TYPES},
    "ods": {"application/vnd.oasis.opendocument.spreadsheet", *ZIP_TYPES},
    "odp": {"application/vnd.oasis.opendocument.presentation", *ZIP_TYPES},
    # Windows browsers declare .csv files as Excel files
    "csv": {"text/csv", "application/csv", "text/comma-separated-values", "text/plain", "application/vnd.ms-excel"},
    "txt": {"text/plain"},
}
OOXML_FOLDERS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
ODF_TYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
    "odp": b"application/vnd.oasis.opendocument.presentation",
}
MARKUP_RE = re.compile(rb"<\s*(!doctype|html|script|svg|iframe|object|embed|body)\b", re.I)
SNIFF_BYTES = 64 * 1024


def _head(file, size=SNIFF_BYTES) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    data = file.read(size)
    file.seek(position)
    return data


def _zip_names(file):
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            return archive.namelist(), (archive.read("mimetype") if "mimetype" in archive.namelist() else b"")
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        return None, b""
    finally:
        file.seek(0)


def content_matches(extension: str, file) -> bool:
    """Whether the bytes of `file` are what `extension` announces."""
    head = _head(file)
    if extension == "pdf":
        return b"%PDF-" in head[:1024]
    if extension in OOXML_FOLDERS:
        if not head.startswith(b"PK\x03\x04"):
            return False
        names, _mimetype = _zip_names(file)
        folder = OOXML_FOLDERS[extension]
        return bool(names) and "[Content_Types].xml" in names and any(name.startswith(folder) for name in names)
    if extension in ODF_TYPES:
        if not head.startswith(b"PK\x03\x04"):
            return False
        _names, mimetype = _zip_names(file)
        return mimetype.strip() == ODF_TYPES[extension]
    if extension in ("csv", "txt"):
        return b"\x00" not in head and not MARKUP_RE.search(head)
    return False  # an extension added to WAGTAILDOCS_EXTENSIONS needs its check here


def validate_document_upload(uploaded):
    name = getattr(uploaded, "name", "") or ""
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    allowed = [e.lower() for e in getattr(settings, "WAGTAILDOCS_EXTENSIONS", [])]
    if extension not in allowed:
        raise ValidationError(
            _("Format non accepté (.%(extension)s). Formats acceptés : %(allowed)s."),
            params={"extension": extension, "allowed": ", ".join(allowed)},
            code="invalid_extension",
        )
    declared = (getattr(uploaded, "content_type", "") or "").split(";")[0].strip().lower()
    if declared not in GENERIC_TYPES and declared not in DECLARED_TYPES.get(extension, set()):
        raise ValidationError(
            _("Le type du fichier (%(type)s) ne correspond pas à son extension (.%(extension)s)."),
            params={"type": declared, "extension": extension},
            code="invalid_content_type",
        )
    if not content_matches(extension, uploaded):
        raise ValidationError(
            _("Le contenu du fichier ne correspond pas à son extension (.%(extension)s) : fichier refusé."),
            params={"extension": extension},
            code="invalid_content",
        )


class SafeDocumentForm(BaseDocumentForm):
    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and hasattr(uploaded, "content_type"):  # a new upload, not the stored file
            validate_document_upload(uploaded)
        return uploaded
