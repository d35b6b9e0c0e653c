"""The five measures are declared once, in egalim; the Measure taxonomy follows them (issue 20)."""

import pytest

from egalim.rules import MEASURES, measure_label
from resources.models import Audience, Measure
from resources.models.taxonomy import MEASURE_CODES, sync_taxonomy
from resources.terms import taxonomy_terms


@pytest.mark.django_db
def test_the_migrated_measures_are_the_rules_measures():
    rows = Measure.objects.filter(locale__language_code="fr").order_by("sort_order")
    assert MEASURE_CODES == list(MEASURES)
    assert [(row.code, row.name) for row in rows] == [(code, measure_label(code, "fr")) for code in MEASURES]


def test_the_english_names_are_the_rules_names_everywhere(locales):
    Measure.objects.filter(code="waste", locale=locales["fr"]).update(name="Un autre nom")
    sync_taxonomy([locales["en"]])
    sync_taxonomy([locales["en"]])  # idempotent
    english = {row.code: row.name for row in Measure.objects.filter(locale=locales["en"])}
    assert english == {code: measure_label(code, "en") for code in MEASURES}
    assert english["quality"] == "Quality and sustainability of products"
    # the hub's filter, the rules and the taxonomy rows say the same
    assert {term.code: term.label for term in taxonomy_terms(Measure, "en")} == english
    assert Measure.objects.get(code="waste", locale=locales["fr"]).name == measure_label("waste", "fr")
    # the other taxonomies get their English names from gettext
    assert Audience.objects.get(code="gestionnaire", locale=locales["en"]).name == "Canteen manager"
