"""The one formatting helper (egalim/formatting.py) and its template filters, in French and English."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from egalim import formatting as fmt

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    "function, value, fr, en",
    [
        (fmt.amount_ht, Decimal("398500"), f"398{NNBSP}500,00{NBSP}€{NBSP}HT", "€398,500.00 excl. VAT"),
        (fmt.amount_ht, "398500.00", f"398{NNBSP}500,00{NBSP}€{NBSP}HT", "€398,500.00 excl. VAT"),
        (fmt.amount_ht, None, "—", "—"),
        (fmt.amount_ht, "", "—", "—"),
        (fmt.amount_ht, 0, f"0,00{NBSP}€{NBSP}HT", "€0.00 excl. VAT"),
        (fmt.any_rate, "1.30", f"1,3{NBSP}%", "1.3%"),
        (fmt.any_rate, Decimal("19.999"), f"19,9{NBSP}%", "19.9%"),  # truncated, never rounded up
        (fmt.any_rate, None, "—", "—"),
        (fmt.integer, 112000, f"112{NNBSP}000", "112,000"),
        (fmt.integer, "800", "800", "800"),
        (fmt.euros, Decimal("3.333"), f"3,33{NBSP}€", "€3.33"),
        (fmt.status_label, "not_met", "Non atteint", "Not met"),
        (fmt.status_label, "met", "Atteint", "Met"),
        (fmt.status_label, "incomplete", "À compléter", "To complete"),
    ],
)
def test_french_and_english(function, value, fr, en):
    assert function(value, "fr") == fr
    assert function(value, "en") == en


def test_counts_follow_the_gettext_plural_rules():
    assert fmt.count(2, "%(count)s réponse", "%(count)s réponses", "fr") == "2 réponses"
    assert fmt.count(1, "%(count)s réponse", "%(count)s réponses", "fr") == "1 réponse"
    assert fmt.count(112000, "%(count)s repas", "%(count)s repas", "fr") == f"112{NNBSP}000 repas"


def test_the_status_label_does_not_depend_on_the_active_language():
    with translation.override("en"):
        assert fmt.status_label("not_met", "fr") == "Non atteint"


def test_template_filters_use_the_active_language():
    template = Template(
        "{% load egalim_format %}{{ a|amount_ht }}|{{ r|rate }}|{{ n|integer }}|{{ s|status_label }}|{{ c|euros }}"
    )
    context = Context({"a": "398500.00", "r": "1.30", "n": 112000, "s": "not_met", "c": "2.35"})
    with translation.override("fr"):
        assert template.render(context) == (
            f"398{NNBSP}500,00{NBSP}€{NBSP}HT|1,3{NBSP}%|112{NNBSP}000|Non atteint|2,35{NBSP}€"
        )
    with translation.override("en"):
        assert template.render(context) == "€398,500.00 excl. VAT|1.3%|112,000|Not met|€2.35"


def test_the_helper_imports_nothing_else_of_the_project():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(fmt))
    modules = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    modules += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    assert all(module.split(".")[0] in {"decimal", "django"} for module in modules), modules


def test_the_words_come_from_the_english_catalogue(monkeypatch):
    """ "excl. VAT" is the catalogue's translation of the French source « HT », not an English literal in code."""
    catalogue = translation.trans_real.translation("en")._catalog
    monkeypatch.setitem(catalogue, f"%(amount)s{NBSP}HT", "%(amount)s before tax")
    assert fmt.amount_ht("398500.00", "en") == "€398,500.00 before tax"
    assert fmt.amount_ht("398500.00", "fr") == f"398{NNBSP}500,00{NBSP}€{NBSP}HT"


@pytest.mark.parametrize("lang", ["en", "en-gb", "EN", "en_US"])
def test_every_english_code_reads_the_english_catalogue(lang):
    assert fmt.amount_ht(1, lang) == "€1.00 excl. VAT"
    assert fmt.status_label("met", lang) == "Met"


def test_one_language_test():
    """`is_english` is defined once (egalim.formatting); egalim.gaps only re-exports it for its callers."""
    from egalim import gaps, rules

    assert gaps.is_english is fmt.is_english is rules.is_english
    assert gaps.in_language is fmt.in_language
