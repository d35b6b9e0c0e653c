"""Template filters of the formatting helper (egalim/formatting.py), in the active language.

{% load egalim_format %}
{{ purchases.total|amount_ht }}   → 398 500,00 € HT
{{ rates.bio|rate }}              → 1,3 %
{{ canteen.yearly_meal_count|integer }} → 112 000
{{ cost|euros }}                  → 2,35 €
{{ measure.status|status_label }} → Non atteint
"""

from django import template
from django.utils import translation

from egalim import formatting

register = template.Library()


def _lang():
    return translation.get_language() or "fr"


@register.filter
def amount_ht(value):
    return formatting.amount_ht(value, _lang())


@register.filter
def euros(value):
    return formatting.euros(value, _lang())


@register.filter
def rate(value):
    return formatting.any_rate(value, _lang())


@register.filter
def integer(value):
    return formatting.integer(value, _lang())


@register.filter
def decimal(value, places=2):
    return formatting.number(value, int(places), _lang())


@register.filter
def status_label(value):
    return formatting.status_label(value, _lang())
