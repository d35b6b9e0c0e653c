"""The one formatting helper for the numbers and words people read: amounts, rates, counts and status labels.

French by default, English when `lang` starts with "en": « 398 500,00 € HT » / « €398,500.00 excl. VAT »,
« 1,3 % » / « 1.3% », « 112 000 repas » / « 112,000 meals », « Non atteint » / « Not met ». The digits, separators
and symbols are laid out here (pure Python, no locale settings needed); every word comes from gettext, as a French
source string translated in egalim/locale/en, under the requested language (`in_language`, `count`). Used by the
pages, the receipt and poster PDFs, the e-mails and the exports meant for people (template filters in
egalim/templatetags/egalim_format.py). Imports nothing else of the project.
"""

from decimal import ROUND_CEILING, ROUND_DOWN, Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, override


def is_english(lang: str | None) -> bool:
    """The one test of the requested language: "en", "en-gb"… are English, anything else (or nothing) French."""
    return bool(lang) and str(lang).lower().startswith("en")


def language_code(lang: str | None) -> str:
    """The catalogue language for `lang`: "en" or "fr" (French is the source language of every message)."""
    return "en" if is_english(lang) else "fr"


def in_language(text, lang: str | None = "fr") -> str:
    """A translatable source string (gettext_lazy) in the requested language, from the message catalogues."""
    with override(language_code(lang)):
        return str(text)


def plural_in_language(singular, plural, number, lang: str | None = "fr") -> str:
    """`ngettext` under the requested language: the form the catalogue's plural rule picks for `number`."""
    with override(language_code(lang)):
        return ngettext(singular, plural, number)


NARROW_NBSP = "\u202f"
NBSP = "\u00a0"
BLANK = "—"  # shown for a value that was not given (never "0", never "None")


def quantize(value: Decimal, places: int, rounding=ROUND_DOWN) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=rounding)


def truncate(value: Decimal, places: int = 2) -> Decimal:
    """Rates are never rounded up into compliance: 19.999 → 19.99."""
    return quantize(value, places, ROUND_DOWN)


def ceil(value: Decimal, places: int) -> Decimal:
    """Missing amounts are rounded up, so reaching them is enough."""
    return quantize(value, places, ROUND_CEILING)


def plain(value: Decimal) -> str:
    """A threshold as a short string without exponent or trailing zeros: 20 → "20", 12.50 → "12.5"."""
    text = format(value.normalize(), "f")
    return text


def to_decimal(value) -> Decimal | None:
    """A Decimal from a Decimal, int, float or string ("398500.00", "398 500,00"); None when blank or invalid."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    text = str(value).strip().replace(NARROW_NBSP, "").replace(NBSP, "").replace(" ", "").replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def number(value, places: int, lang: str | None = "fr") -> str:
    """Thousands separated (narrow no-break space in French) and a decimal comma: "398 500,00"."""
    value = to_decimal(value)
    if value is None:
        return BLANK
    text = f"{value:,.{places}f}"
    if is_english(lang):
        return text
    return text.replace(",", NARROW_NBSP).replace(".", ",")


def rate(value: Decimal, lang: str | None = "fr", places: int = 1) -> str:
    """A rate for display, truncated to one decimal: "19,9 %" (fr), "19.9%" (en)."""
    text = number(truncate(value, places), places, lang)
    return f"{text}%" if is_english(lang) else f"{text}{NBSP}%"


def threshold(value: Decimal, lang: str | None = "fr") -> str:
    text = plain(value)
    return f"{text}%" if is_english(lang) else f"{text.replace('.', ',')}{NBSP}%"


def amount(value: Decimal, lang: str | None = "fr") -> str:
    """Euros, with cents only when there are some: "4 200 €", "€4,200.50"."""
    places = 0 if value == value.to_integral_value() else 2
    text = number(value, places, lang)
    return f"€{text}" if is_english(lang) else f"{text}{NBSP}€"


def points(value: Decimal, lang: str | None = "fr") -> str:
    return number(ceil(value, 1), 1, lang)


def integer(value, lang: str | None = "fr") -> str:
    """A whole number with thousands separators: "112 000" (fr), "112,000" (en)."""
    value = to_decimal(value)
    return BLANK if value is None else number(value.to_integral_value(), 0, lang)


# Translators: an amount excluding VAT, already formatted with its currency sign ("398 500,00 €", "€398,500.00");
# a no-break space (U+00A0) before "HT".
AMOUNT_HT = _("%(amount)s HT")  # the space is a no-break space (U+00A0), as in the catalogue


def amount_ht(value, lang: str | None = "fr") -> str:
    """An amount excluding tax, always with cents: "398 500,00 € HT", "€398,500.00 excl. VAT"."""
    value = to_decimal(value)
    if value is None:
        return BLANK
    return in_language(AMOUNT_HT, lang) % {"amount": euros(value, lang)}


def euros(value, lang: str | None = "fr", places: int = 2) -> str:
    """Euros with `places` decimals: "2,35 €", "€2.35"."""
    value = to_decimal(value)
    if value is None:
        return BLANK
    text = number(value, places, lang)
    return f"€{text}" if is_english(lang) else f"{text}{NBSP}€"


def any_rate(value, lang: str | None = "fr", places: int = 1) -> str:
    """`rate` for any input (Decimal, string from a snapshot, None → "—")."""
    value = to_decimal(value)
    return BLANK if value is None else rate(value, lang, places)


def count(value, singular: str, plural: str, lang: str | None = "fr") -> str:
    """A count with its noun, gettext plural rules of the language: "1 réponse", "112 000 repas".

    `singular`/`plural` are French source strings ("%(count)s réponse", "%(count)s réponses") translated by the
    catalogues; `count` is formatted with `integer`.
    """
    value = to_decimal(value)
    n = 0 if value is None else int(value)
    return plural_in_language(singular, plural, n, lang) % {"count": integer(n, lang)}


MET, NOT_MET, INCOMPLETE = "met", "not_met", "incomplete"
STATUS_LABELS = {
    MET: _("Atteint"),
    NOT_MET: _("Non atteint"),
    INCOMPLETE: _("À compléter"),
}


def status_label(status, lang: str | None = "fr") -> str:
    """The words for a measure's status code: "not_met" → "Non atteint" / "Not met" (never the code itself)."""
    label = STATUS_LABELS.get(str(status))
    if label is None:
        return BLANK if not status else str(status)
    return in_language(label, lang)
