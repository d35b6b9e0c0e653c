"""Gaps → resources: the resources of the hub that help with each gap of a diagnostic.

Used by the calculator's results (`diagnostic.presentation`), the canteen pages and the API. The models are
imported lazily so that `resources.models` may import this module.
"""

from collections import defaultdict

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Length, Substr

from egalim.rules import GAPS

TOP_RESOURCES = 3
DEFAULT_HUB_URLS = {"fr": "/ressources/", "en": "/en/ressources/"}


def _language(locale) -> str:
    if locale is None:
        from django.utils import translation

        return (translation.get_language() or "fr")[:2]
    return getattr(locale, "language_code", locale)


def _resource_page_model():
    try:
        from resources.models import ResourcePage
    except ImportError:
        return None
    return ResourcePage


def _has_field(model, name) -> bool:
    return any(field.name == name for field in model._meta.get_fields())


def _not_restricted():
    """Excludes pages under a view restriction, in the same query (Wagtail's `.public()` needs one more)."""
    from wagtail.models import PageViewRestriction

    restriction = PageViewRestriction.objects.annotate(prefix_length=Length("page__path")).filter(
        page__path=Substr(OuterRef("path"), 1, F("prefix_length"))
    )
    return ~Exists(restriction)


def resources_for_gaps(gaps, locale=None, limit: int = TOP_RESOURCES) -> dict[str, list]:
    """{gap code: up to `limit` live, public ResourcePages of the locale} for the given gaps.

    The resources tagged with the gap come first; the list is completed with the resources of the gap's
    measure. Newest first. Two queries in all, whatever the number of gaps. `gaps` holds codes, `Gap` or
    `GapResult` objects; `locale` is a wagtail Locale or a language code (default: the active language).
    """
    codes = list(dict.fromkeys(getattr(gap, "code", gap) for gap in gaps))
    codes = [code for code in codes if code in GAPS]
    result: dict[str, list] = {code: [] for code in codes}
    ResourcePage = _resource_page_model()
    if not codes or ResourcePage is None:
        return result
    measure_of = {code: GAPS[code].measure for code in codes}
    tagging = _has_field(ResourcePage, "gaps")
    has_measures = _has_field(ResourcePage, "measures")
    if not tagging and not has_measures:
        return result

    condition = Q()
    fields = ["pk"]
    if tagging:
        condition |= Q(gaps__code__in=codes)
        fields.append("gaps__code")
    if has_measures:
        condition |= Q(measures__code__in=set(measure_of.values()))
        fields.append("measures__code")
    rows = (
        ResourcePage.objects.live()
        .filter(locale__language_code=_language(locale))
        .filter(_not_restricted())
        .filter(condition)
        .order_by(F("first_published_at").desc(nulls_last=True), "title", "pk")
        .values_list(*fields)
    )

    tagged = defaultdict(list)  # gap code → page ids
    by_measure = defaultdict(list)  # measure code → page ids
    for row in rows:
        values = dict(zip(fields, row, strict=True))
        pk = values["pk"]
        gap_code = values.get("gaps__code")
        if gap_code in result and pk not in tagged[gap_code]:
            tagged[gap_code].append(pk)
        measure_code = values.get("measures__code")
        if measure_code and pk not in by_measure[measure_code]:
            by_measure[measure_code].append(pk)

    selected = {}
    for code in codes:
        ids = list(tagged[code])
        ids += [pk for pk in by_measure[measure_of[code]] if pk not in ids]
        selected[code] = ids[:limit]
    wanted = {pk for ids in selected.values() for pk in ids}
    if not wanted:
        return result
    pages = ResourcePage.objects.filter(pk__in=wanted).in_bulk()
    for code, ids in selected.items():
        result[code] = [pages[pk] for pk in ids if pk in pages]
    return result


def hub_url(locale=None, request=None) -> str:
    """The URL of the resource hub (ResourceIndexPage) in the language, or its usual address."""
    language = _language(locale)
    try:
        from resources.models import ResourceIndexPage
    except ImportError:
        ResourceIndexPage = None
    if ResourceIndexPage is not None:
        page = ResourceIndexPage.objects.live().filter(locale__language_code=language).first()
        if page is not None:
            url = page.get_url(request)
            if url:
                return url
    return DEFAULT_HUB_URLS.get(language, DEFAULT_HUB_URLS["fr"])


def gap_resources_url(gap, base: str) -> str:
    """The hub filtered on a gap: /ressources/?measure=<measure>&gap=<gap code>."""
    gap = GAPS[getattr(gap, "code", gap)]
    return gap.resources_url(base)
