"""Number formatting for rates and amounts, French by default (pure Python, no locale settings needed)."""

from decimal import ROUND_CEILING, ROUND_DOWN, Decimal

from .gaps import is_english

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"


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


def number(value: Decimal, places: int, lang: str | None = "fr") -> str:
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
