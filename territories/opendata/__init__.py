"""Open-data datasets: columns (and their Table Schema), rows, filters and streamed writers.

Each dataset is described once, by its columns (`columns.py`): each column names its Table Schema field and its
source (an ORM path, or a function of paths). The query, the Table Schema published at /donnees/schemas/<slug>.json,
the CSV header, the JSON keys and the XLSX columns all come from that list, so they cannot drift apart.

Memory: rows come from `.values_list(...).iterator(chunk_size=500)` (a server-side cursor on PostgreSQL) and
are written as they arrive. CSV and JSON are generators of small byte chunks (StreamingHttpResponse): memory
stays flat whatever the number of rows. XLSX cannot be produced in order into a socket (a ZIP with a central
directory); xlsxwriter's constant-memory mode spools the sheet to a temporary file on disk, then the finished
workbook (another temporary file) is sent with FileResponse: memory stays flat, disk use is about the file's size
twice.
"""

from .columns import DECLARATION_COLUMNS, IDENTITY, REGISTRY_COLUMNS, Column, From
from .datasets import (
    CHUNK_SIZE,
    DATASETS,
    FORMATS,
    Dataset,
    DeclarationDataset,
    FilterForm,
    RegistryDataset,
    filename,
    published_years,
    site_url,
)
from .writers import _Line, _text, iter_csv, iter_json, write_xlsx

__all__ = [
    "CHUNK_SIZE",
    "DATASETS",
    "DECLARATION_COLUMNS",
    "FORMATS",
    "IDENTITY",
    "REGISTRY_COLUMNS",
    "Column",
    "Dataset",
    "DeclarationDataset",
    "FilterForm",
    "From",
    "RegistryDataset",
    "_Line",
    "_text",
    "filename",
    "iter_csv",
    "iter_json",
    "published_years",
    "site_url",
    "write_xlsx",
]
