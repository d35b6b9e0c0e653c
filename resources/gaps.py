"""Gaps → resources: the resources of the hub that help with each gap of a diagnostic.

Ranking (see docs/dev/resources.md): the resources tagged with the gap come first, then the resources
of the gap's measure aimed at the person's audience (the canteen manager by default). Material for other
audiences (ambassadors, officers, elected officials: mail templates to communes, brochures, slide decks)
is only suggested when it is tagged with that very gap, after the resources aimed at the audience. Within
each tier: legal texts last (gaps are actions to take); the canteen's sector first (on a canteen's own
results); practical types (fiche pratique, outil, guide, modèle) before experience reports and videos,
then brochures and decks; then oldest first (newest last), then title.

Used by the calculator's results (`diagnostic.presentation`), the canteen pages and the API. The models are
imported lazily so that `resources.models` may import this module.
"""

from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.db.models.functions import Length, Substr

from egalim.rules import GAPS

TOP_RESOURCES = 3
DEFAULT_HUB_URLS = {"fr": "/ressources/", "en": "/en/ressources/"}

# The audience of a person looking at a diagnostic's results (taxonomy code of resources.Audience).
MANAGER = "gestionnaire"

# Resource types, most practical first (codes of resources.ResourceType); unknown types rank before legal.
TYPE_RANK = {
    "fiche-pratique": 0,
    "outil": 0,
    "guide": 0,
    "modele-de-mail": 0,
    "retour-d-experience": 1,
    "video": 1,
    "plaquette": 2,
    "support-de-presentation": 2,
    "texte-reglementaire": 3,
}
UNKNOWN_TYPE_RANK = 2

# Canteen sector category (canteens.choices.SECTOR_CATEGORIES) → resource sector code (SectorCategory).
SECTOR_OF_CATEGORY = {
    "education": "enseignement",
    "health": "sante",
    "social": "social",
    "administration": "administration",
    "company": "entreprise",
    "leisure": "loisirs",
    "other": "autres",
}


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


def _codes(page, name) -> set[str]:
    if not hasattr(page, name):
        return set()
    return {term.code for term in getattr(page, name).all()}


def rank_key(page, gap_code, audience=MANAGER, sector=None):
    """The sort key of a candidate page for a gap, or None when it must not be suggested."""
    gaps, audiences = page._rank_gaps, page._rank_audiences
    tagged = gap_code in gaps
    for_audience = not audiences or audience in audiences
    if not tagged and not for_audience:
        return None
    tier = 0 if tagged and for_audience else (1 if not tagged else 2)
    if sector is None:
        sector_rank = 0
    else:  # written for the sector, then for no sector in particular, then for other sectors
        sector_rank = 0 if sector in page._rank_sectors else (1 if not page._rank_sectors else 2)
    type_rank = TYPE_RANK.get(page._rank_type, UNKNOWN_TYPE_RANK)
    published = page.first_published_at.timestamp() if page.first_published_at else float("inf")
    legal = type_rank == TYPE_RANK["texte-reglementaire"]
    return (tier, legal, sector_rank, type_rank, published, page.title, page.pk)


def resources_for_gaps(gaps, locale=None, limit: int = TOP_RESOURCES, audience=MANAGER, sector=None) -> dict:
    """{gap code: up to `limit` live, public ResourcePages of the locale} for the given gaps, best first.

    `gaps` holds codes, `Gap` or `GapResult` objects; `locale` is a wagtail Locale or a language code
    (default: the active language); `audience` an Audience code (default: the canteen manager); `sector`
    a resource sector code or a canteen sector category (education, health…) to favour. Five queries in
    all, whatever the number of gaps.
    """
    codes = list(dict.fromkeys(getattr(gap, "code", gap) for gap in gaps))
    codes = [code for code in codes if code in GAPS]
    result: dict[str, list] = {code: [] for code in codes}
    ResourcePage = _resource_page_model()
    if not codes or ResourcePage is None:
        return result
    sector = SECTOR_OF_CATEGORY.get(sector, sector)
    measure_of = {code: GAPS[code].measure for code in codes}
    relations = [name for name in ("gaps", "measures", "audiences", "sectors") if _has_field(ResourcePage, name)]
    if "gaps" not in relations and "measures" not in relations:
        return result

    condition = Q()
    if "gaps" in relations:
        condition |= Q(gaps__code__in=codes)
    if "measures" in relations:
        condition |= Q(measures__code__in=set(measure_of.values()))
    candidates = ResourcePage.objects.live().filter(locale__language_code=_language(locale)).filter(_not_restricted())
    candidates = candidates.filter(pk__in=ResourcePage.objects.filter(condition).values("pk"))
    if _has_field(ResourcePage, "resource_type"):
        candidates = candidates.select_related("resource_type")
    for name in relations:
        related = getattr(ResourcePage, name).rel.model
        candidates = candidates.prefetch_related(Prefetch(name, queryset=related.objects.only("pk", "code")))

    pages = list(candidates)
    for page in pages:
        page._rank_gaps = _codes(page, "gaps")
        page._rank_measures = _codes(page, "measures")
        page._rank_audiences = _codes(page, "audiences")
        page._rank_sectors = _codes(page, "sectors")
        resource_type = getattr(page, "resource_type", None)
        page._rank_type = resource_type.code if resource_type else ""

    for code in codes:
        keyed = []
        for page in pages:
            if code not in page._rank_gaps and measure_of[code] not in page._rank_measures:
                continue
            key = rank_key(page, code, audience, sector)
            if key is not None:
                keyed.append((key, page))
        keyed.sort(key=lambda item: item[0])
        result[code] = [page for _key, page in keyed[:limit]]
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


def gap_resources_url(gap, base: str, audience=MANAGER) -> str:
    """The hub filtered on a gap for an audience: /ressources/?measure=<measure>&gap=<code>&audience=<code>."""
    gap = GAPS[getattr(gap, "code", gap)]
    return gap.resources_url(base, audience=audience)
