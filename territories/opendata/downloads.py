"""The HTTP responses of the exports: a stored national file, or rows written live (CSV/JSON streamed, XLSX
through a temporary file)."""

from django.core.files.storage import default_storage
from django.http import FileResponse, StreamingHttpResponse

from .datasets import FORMATS
from .stored import fresh_file
from .writers import iter_csv, iter_json, write_xlsx


def download(dataset, rows, fmt, name, *, bom=False, content_type=None):
    content_type = content_type or FORMATS[fmt]
    if fmt == "xlsx":
        return FileResponse(write_xlsx(dataset, rows), as_attachment=True, filename=name, content_type=content_type)
    writer = iter_json if fmt == "json" else iter_csv
    chunks = iter_csv(dataset, rows, bom=True) if bom else writer(dataset, rows)
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def stored_download(dataset, fmt, name):
    """The stored file of the whole dataset while it is fresh (opendata/stored.py), else None."""
    record = fresh_file(dataset, fmt)
    if record is None:
        return None
    return FileResponse(
        default_storage.open(record.path, "rb"), as_attachment=True, filename=name, content_type=FORMATS[fmt]
    )
