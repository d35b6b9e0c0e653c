"""Taxonomy labels in the current language, for the hub's filters, cards and facets (`term_catalogue`).

The four taxonomies (measures, types, audiences, sectors) change only when an editor edits a snippet: their
terms are read with one query per taxonomy and kept in the shared chrome cache (home/request_cache.py, purged
whenever a snippet is saved or deleted), so a hub page usually reads none of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant

from egalim.formatting import is_english
from egalim.rules import GAPS, measure_label
from home.request_cache import shared

from .models import Audience, Measure, ResourceType, SectorCategory
from .models.pages import FORMAT_CHOICES

# The hub's taxonomy parameters and their models, in the order of resources/hub.py's FACETS.
TAXONOMIES = {"measure": Measure, "type": ResourceType, "audience": Audience, "sector": SectorCategory}


@dataclass
class Term:
    code: str
    label: str
    id: object = None  # primary key of the source-locale row (what pages reference)


def _language(locale) -> str:
    if locale is None:
        return translation.get_language() or settings.LANGUAGE_CODE
    return getattr(locale, "language_code", locale)


def taxonomy_terms(model, language: str) -> list[Term]:
    """Source-locale terms of a taxonomy model, labelled in `language` when translated. One query."""
    source = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    try:
        current = get_supported_content_language_variant(language)
    except LookupError:
        current = source
    rows = list(
        model.objects.filter(locale__language_code__in={source, current})
        .order_by("sort_order", "name", "pk")
        .values_list("pk", "code", "name", "translation_key", "locale__language_code")
    )
    translated = {key: name for _pk, _code, name, key, lang in rows if lang == current and current != source}
    terms = []
    for pk, code, name, key, lang in rows:
        if lang != source:
            continue
        label = translated.get(key)
        if label is None and model is Measure and is_english(current):
            label = measure_label(code, current)
        terms.append(Term(code=code, label=label or name, id=pk))
    return terms


def term_catalogue(language: str) -> dict[str, list[Term]]:
    """{parameter: [Term]} for every facet: the taxonomies from the shared cache (four queries when it is
    cold), formats and gaps from code (labels in the active language, not cached)."""
    catalogue = {
        name: shared(f"terms:{model._meta.label_lower}:{language}", lambda model=model: taxonomy_terms(model, language))
        for name, model in TAXONOMIES.items()
    }
    catalogue["format"] = [Term(code=code, label=str(label), id=code) for code, label in FORMAT_CHOICES]
    catalogue["gap"] = [Term(code=code, label=gap.label_for(language), id=code) for code, gap in GAPS.items()]
    return catalogue
