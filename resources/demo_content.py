"""Demo content of the resource centre: real, useful French text (and English for the measure pages).

The content is data, in resources/demo_data/*.yaml (edit it there); this module loads it once (with the loader
of home/demo_loader.py) and keeps the names resources/demo.py, resources/demo_documents.py and the tests read.
Block values may hold references resolved by resources/demo.py when the content is loaded: "@doc:<key>" (a
generated document), "@mail:<code>" (a mail template).
"""

from pathlib import Path

from home.demo_loader import load_yaml

DATA_DIR = Path(__file__).resolve().parent / "demo_data"


def _load(name):
    return load_yaml(DATA_DIR, name)


def p(html):
    return {"type": "paragraph", "value": html}


def h(text, level="h2"):
    return {"type": "heading", "value": {"text": text, "level": level}}


_indexes = _load("indexes")
MEASURE_INDEX = _indexes["measure_index"]
GUIDE_INDEX = _indexes["guide_index"]
RESOURCE_INDEX = _indexes["resource_index"]

_measures = _load("measures")
MEASURE_PAGES = _measures["measure_pages"]
OUTRE_MER_ROWS_FR = _measures["outre_mer_rows_fr"]
OUTRE_MER_ROWS_EN = _measures["outre_mer_rows_en"]

_mails = _load("mail_templates")
MAIL_TEMPLATES = _mails["mail_templates"]
MAIL_TEMPLATES_EN = _mails["mail_templates_en"]

RESOURCES = _load("resources")["resources"]
GUIDES = _load("guides")["guides"]
KIT = _load("kit")["kit"]
_documents = _load("documents")
RECIPES = _documents["recipes"]
TEXTS = _documents["texts"]
