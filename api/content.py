"""JSON representations of the content shared by the Wagtail endpoints and the product endpoints.

Taxonomy terms are `{"code", "name"}` with the name in the page's language (pages always reference the French
rows); gaps `{"code", "measure", "name"}`; documents `{"id", "title", "url", "size", "format"}` (documents of
a collection with view restrictions are left out); pages `{"id", "title", "url", "locale"}` (live and public
pages only). `cache` is a dict living for one request (serializer context "api_cache"): each lookup table is
read once per request, whatever the number of objects.
"""

from wagtail.models import Collection, CollectionViewRestriction, Locale, Page

from egalim.rules import GAPS
from resources.hub import taxonomy_terms
from resources.models.pages import document_size


def _cached(cache, key, compute):
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def language_of(obj, cache=None) -> str:
    languages = _cached(cache, "languages", lambda: dict(Locale.objects.values_list("pk", "language_code")))
    return languages.get(obj.locale_id, "fr")


def terms_by_id(model, language, cache=None) -> dict:
    return _cached(
        cache, ("terms", model, language), lambda: {term.id: term for term in taxonomy_terms(model, language)}
    )


def term(obj, language, cache=None):
    if obj is None:
        return None
    found = terms_by_id(type(obj), language, cache).get(obj.pk)
    return {"code": obj.code, "name": found.label if found else obj.name}


def terms(objects, language, cache=None) -> list:
    items = [term(obj, language, cache) for obj in objects]
    return sorted(items, key=lambda item: item["code"]) if items else []


def gap(code, language) -> dict | None:
    found = GAPS.get(code)
    if found is None:
        return None
    return {"code": found.code, "measure": found.measure, "name": found.label_for(language)}


def absolute(request, url):
    if not url:
        return url
    return request.build_absolute_uri(url) if request is not None else url


def private_collection_ids(cache=None) -> set:
    def compute():
        ids = set()
        for restriction in CollectionViewRestriction.objects.select_related("collection"):
            ids.add(restriction.collection_id)
            ids.update(Collection.objects.descendant_of(restriction.collection).values_list("pk", flat=True))
        return ids

    return _cached(cache, "private_collections", compute)


def document_is_public(document, cache=None) -> bool:
    return document is not None and document.collection_id not in private_collection_ids(cache)


def document(doc, request=None, cache=None) -> dict | None:
    if not document_is_public(doc, cache):
        return None
    size = document_size(doc)
    return {
        "id": doc.pk,
        "title": doc.title,
        "url": absolute(request, doc.url),
        "size": size,
        "format": (doc.file_extension or "").lower(),
    }


def image(img, request=None, cache=None) -> dict | None:
    """None for an image of a private collection (such as Rédacteurs' uploads awaiting review)."""
    if img is None or img.collection_id in private_collection_ids(cache):
        return None
    return {
        "id": img.pk,
        "title": img.title,
        "url": absolute(request, img.file.url),
        "width": img.width,
        "height": img.height,
    }


def public_page_ids(cache=None) -> set:
    """Ids of the live pages without view restriction (theirs or an ancestor's): one query, then cached."""

    def compute():
        return set(Page.objects.live().public().values_list("pk", flat=True))

    return _cached(cache, "public_pages", compute)


def page_link(page, request=None, cache=None) -> dict | None:
    if page is None or page.pk not in public_page_ids(cache):
        return None
    return {
        "id": page.pk,
        "title": page.title,
        "url": absolute(request, page.get_url(request=request)),
        "locale": language_of(page, cache),
    }


def resource_file(file, request=None, cache=None) -> dict | None:
    """A resource's file or link: `{"title", "url", "format", "size", "document"}` (None if unavailable)."""
    if file.document_id:
        doc = document(file.document, request, cache)
        if doc is None:
            return None
        return {
            "title": file.title or doc["title"],
            "url": doc["url"],
            "format": file.format,
            "size": doc["size"],
            "document": doc["id"],
        }
    if not file.url:
        return None
    return {"title": file.title or file.url, "url": file.url, "format": file.format, "size": None, "document": None}
