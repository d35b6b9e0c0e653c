"""What goes into the index, and writing it: pages → SearchEntry rows (+ Elasticsearch documents).

Every live page without view restriction is indexed, one entry per page (so per locale; the English
aliases of untranslated pages are indexed under "en" with their French text). Fields:

- title (weight A), summary (B: `summary`, `introduction`, `hero_text` or the search description),
- body (C: every other text, rich text and StreamField of the page type),
- attached (D: taxonomy names, attached files' and kit items' titles, mail templates used in the body),
- tags: `measure:<code>`, `audience:<code>`, `sector:<code>`, `type:<code>` (filters and facets).
"""

import datetime
import logging
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, models, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from .models import SearchEntry, SearchWord
from .text import PLACE_NAME_SQL, clean, tokens, with_place_names

logger = logging.getLogger(__name__)

GENERATION_KEY = "search:generation"
SUMMARY_FIELDS = ("summary", "introduction", "hero_text")
SKIPPED_FIELDS = {"language", "code", "placeholders"}
MIN_WORD, MAX_WORD = 4, 64

# page model (app_label.model_name) → kind shown in facets; every other page type is a "page".
KINDS = {
    "resources.resourcepage": "resource",
    "resources.guidepage": "guide",
    "resources.measurepage": "measure",
    "resources.kitpage": "kit",
}
# Relevance prior per kind (1 when absent), a factor on the score of both backends: the general pages (legal
# notices, section indexes, « Qu'est-ce que la loi EGAlim ? ») mention many subjects in passing, so with the
# same evidence the resource, guide or measure page that is about the words ranks first (issue 22: on the
# site search they came before the page that answers; the hub, resources only, never shows them).
KIND_PRIORS = {"page": 0.8}
TAG_PREFIXES = {
    "resources.measure": "measure",
    "resources.audience": "audience",
    "resources.sectorcategory": "sector",
    "resources.resourcetype": "type",
}


def bump_generation():
    """Invalidate what was cached about search results (query plans, Elasticsearch ids)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


def generation() -> int:
    return cache.get(GENERATION_KEY) or 0


def page_kind(page) -> str:
    return KINDS.get(page._meta.label_lower, "page")


def content_language(page) -> str:
    return page.locale.language_code.split("-")[0] if page.locale_id else "fr"


def is_indexable(page, private_ids: set[int] | None = None) -> bool:
    """Live, not the tree root, and no view restriction on the page, an ancestor or (for an alias) its source.

    `private_ids`: the ids of every private page, aliases included, when known (bulk rebuild: no query per page).
    """
    if not page.live or page.depth <= 1:
        return False
    if private_ids is not None:
        return page.pk not in private_ids
    return not page.get_view_restrictions().exists()  # resolves aliases to their source pages


def private_page_ids() -> set[int]:
    """Pages in a restricted section, and the aliases of those pages (they sit elsewhere in the tree)."""
    from wagtail.models import PageViewRestriction

    q = Q(pk__in=[])
    for path in PageViewRestriction.objects.values_list("page__path", flat=True):
        q |= Q(path__startswith=path) | Q(alias_of__path__startswith=path)
    return set(Page.objects.filter(q).values_list("pk", flat=True))


# --- extraction -------------------------------------------------------------------------------------------


def _referenced_snippets(value, found: list):
    """Model instances (mail templates, documents, pages) chosen in a StreamField value, recursively."""
    from wagtail.blocks import StreamValue, StructValue
    from wagtail.blocks.list_block import ListValue

    if isinstance(value, StreamValue):
        for child in value:
            _referenced_snippets(child.value, found)
    elif isinstance(value, StructValue):
        for child in value.values():
            _referenced_snippets(child, found)
    elif isinstance(value, ListValue | list | tuple):
        for child in value:
            _referenced_snippets(child, found)
    elif isinstance(value, models.Model):
        found.append(value)


def block_text(block, value) -> list[str]:
    """The text of a StreamField value, without choice values (« h2 », « info ») nor URLs."""
    from wagtail import blocks

    if value is None:
        return []
    if isinstance(block, blocks.ChoiceBlock | blocks.MultipleChoiceBlock | blocks.URLBlock | blocks.EmailBlock):
        return []
    if isinstance(block, blocks.StreamBlock):
        return [text for child in value for text in block_text(child.block, child.value)]
    if isinstance(block, blocks.StructBlock):
        return [text for name, child in block.child_blocks.items() for text in block_text(child, value.get(name))]
    if isinstance(block, blocks.ListBlock):
        return [text for item in value for text in block_text(block.child_block, item)]
    return [str(text) for text in block.get_searchable_content(value) if text]


def _snippet_text(instance) -> list[str]:
    if getattr(instance, "live", True) is False:
        return []  # a snippet never published (a mail template draft) is not public
    texts = []
    for name in ("name", "title", "subject"):
        text = getattr(instance, name, None)
        if isinstance(text, str) and text:
            texts.append(text)
    return texts


def _term_name(term, page) -> str:
    if page.locale_id and getattr(term, "locale_id", None) not in (None, page.locale_id):
        translation = term.get_translation_or_none(page.locale)
        if translation is not None:
            return translation.name
    return term.name


PREFETCHED = "_search_prefetched_"
# what a kit item or a file may point to, fetched with it by the rebuild (its title is indexed)
CHILD_JOINS = ("document", "resource", "mail_template")


def _related(page, name: str) -> list:
    """The objects of the relation `name` of `page`: as `_specific_pages` prefetched them (rebuild), else queried."""
    prefetched = getattr(page, PREFETCHED + name, None)
    return prefetched if prefetched is not None else list(getattr(page, name).all())


def extract(page) -> dict:
    """The SearchEntry field values of a (specific) page."""
    page_fields = {field.name for field in Page._meta.get_fields()}
    summary, body, attached, tags = [], [], [], []
    referenced = []
    for field in type(page)._meta.get_fields():
        if field.name in page_fields or not getattr(field, "concrete", False):
            continue
        if field.is_relation:
            label = field.related_model._meta.label_lower if field.related_model else ""
            if field.many_to_many:
                if label not in TAG_PREFIXES:
                    continue
                terms = _related(page, field.name)
            elif field.many_to_one and label in TAG_PREFIXES:
                term = getattr(page, field.name)
                terms = [term] if term is not None else []
            else:
                continue
            for term in terms:
                tags.append(f"{TAG_PREFIXES[label]}:{term.code}")
                attached.append(_term_name(term, page))
            continue
        value = getattr(page, field.name, None)
        if value in (None, ""):
            continue
        if field.name in SUMMARY_FIELDS:
            summary.append(str(value))
        elif isinstance(field, StreamField):
            body.extend(block_text(field.stream_block, value))
            _referenced_snippets(value, referenced)
        elif isinstance(field, RichTextField):
            body.extend(field.get_searchable_content(value))
        elif isinstance(field, models.CharField | models.TextField) and not field.choices:
            if field.name not in SKIPPED_FIELDS:
                body.append(str(value))
    if not summary and page.search_description:
        summary.append(page.search_description)
    # attached files (resources) and kit items
    files = getattr(page, "files", None)
    if files is not None and hasattr(files, "all"):
        for file in _related(page, "files"):
            attached.append(file.display_title)
    items = getattr(page, "items", None)
    if items is not None and hasattr(items, "all"):
        for item in _related(page, "items"):
            label = getattr(item, "label", None) or getattr(item, "title", "")
            attached.append(str(label or ""))
            for name in ("resource", "document", "mail_template"):
                related = getattr(item, f"{name}_id", None) and getattr(item, name)
                if related is not None and related:
                    referenced.append(related)
    for instance in referenced:
        attached.extend(_snippet_text(instance))
    title = clean(page.title)
    summary_text = clean(" ".join(summary))
    body_text = clean(" ".join(text for text in body if text))
    attached_text = clean(" ".join(dict.fromkeys(text for text in attached if text)))
    published = getattr(page, "publication_date", None)
    if isinstance(published, datetime.date):
        published_at = timezone.make_aware(datetime.datetime.combine(published, datetime.time(12)))
    else:
        published_at = page.first_published_at or page.last_published_at
    return {
        "locale": content_language(page),
        "kind": page_kind(page),
        "title": title[:255],
        "summary": summary_text,
        "body": body_text,
        "attached": attached_text,
        "tags": " " + " ".join(dict.fromkeys(tags)) + " " if tags else "",
        "title_norm": " ".join(tokens(title))[:255],
        # SQLite fallback only (PostgreSQL searches the tsvector): not stored twice on PostgreSQL
        "plain": ""
        if is_postgresql()
        else " " + " ".join(tokens(with_place_names(" ".join([title, summary_text, body_text, attached_text])))) + " ",
        "published_at": published_at,
    }


# --- writing ----------------------------------------------------------------------------------------------

# « % » indexed as the word « pourcent » (chr(37): no percent sign for the driver's placeholders), like
# search.text.tokens() does for queries.
# « La Réunion » also indexed as « lareunion » (search.text.PLACE_NAMES).


def _prepared(column: str) -> str:
    pattern, replacement = PLACE_NAME_SQL
    return f"regexp_replace(replace(coalesce({column}, ''), chr(37), ' pourcent '), {pattern}, {replacement}, 'g')"


CONFIG_SQL = "(CASE WHEN locale = 'en' THEN 'english_unaccent' ELSE 'french_unaccent' END)::regconfig"
VECTOR_EXPRESSION = f"""setweight(to_tsvector(cfg, {_prepared("title")}), 'A') ||
             setweight(to_tsvector(cfg, {_prepared("summary")}), 'B') ||
             setweight(to_tsvector(cfg, {_prepared("body")}), 'C') ||
             setweight(to_tsvector(cfg, {_prepared("attached")}), 'D')"""
TITLE_VECTOR_EXPRESSION = f"to_tsvector(cfg, {_prepared('title')})"

VECTOR_SQL = f"""
UPDATE search_searchentry SET vector = {VECTOR_EXPRESSION}, title_vector = {TITLE_VECTOR_EXPRESSION}
FROM (SELECT id AS entry_id, {CONFIG_SQL} AS cfg FROM search_searchentry {{where}}) AS configs
WHERE search_searchentry.id = configs.entry_id
"""

# The rebuild's insert (PostgreSQL): the rows of a batch as arrays, each written once with its vectors.
INSERTED = {
    "page_id": "integer",
    "locale": "text",
    "kind": "text",
    "title": "text",
    "summary": "text",
    "body": "text",
    "attached": "text",
    "tags": "text",
    "title_norm": "text",
    "plain": "text",
    "published_at": "timestamptz",
}
INSERT_SQL = f"""
INSERT INTO search_searchentry ({", ".join(INSERTED)}, updated_at, vector, title_vector)
SELECT {", ".join(INSERTED)}, now(), {VECTOR_EXPRESSION}, {TITLE_VECTOR_EXPRESSION}
FROM (SELECT *, {CONFIG_SQL} AS cfg
      FROM unnest({", ".join(f"%s::{kind}[]" for kind in INSERTED.values())}) AS batch({", ".join(INSERTED)})) AS rows
"""


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def update_vectors(entry_ids: list[int] | None = None):
    """Compute the weighted tsvector in SQL (PostgreSQL): `to_tsvector('french_unaccent', ...)` per field.

    `french_unaccent` is the `french` configuration with `unaccent` before the French stemmer, i.e.
    `to_tsvector('french', unaccent(text))`, which also lets `ts_headline` highlight the accented words.
    """
    if not is_postgresql():
        return
    with connection.cursor() as cursor:
        if entry_ids is None:
            cursor.execute(VECTOR_SQL.format(where=""))
        else:
            cursor.execute(VECTOR_SQL.format(where="WHERE id = ANY(%s)"), [list(entry_ids)])


def insert_entries(rows: list[dict]):
    """Create SearchEntry rows (`{"page_id", **extract(page)}`) in bulk, with their vectors on PostgreSQL.

    PostgreSQL: one INSERT … SELECT per call computing the vectors, instead of an INSERT then `update_vectors`'
    UPDATE, which writes every row and its index entries (GIN included) a second time.
    """
    if not rows:
        return
    if not is_postgresql():
        SearchEntry.objects.bulk_create([SearchEntry(**row) for row in rows], batch_size=500)
        return
    with connection.cursor() as cursor:
        cursor.execute(INSERT_SQL, [[row[name] for row in rows] for name in INSERTED])


def vocabulary(texts: Iterable[str]) -> set[str]:
    """The words of `texts` kept for spelling suggestions (4 to 64 letters, normalised).

    Each distinct whitespace-separated chunk is normalised once: normalising is per character and never turns
    whitespace into a letter, so no word spans two chunks and the set is the one `tokens()` gives on the
    whole texts — at a fraction of the cost (most of a page's, and of a site's, text repeats its words).
    """
    chunks = {chunk for text in texts for chunk in text.split()}
    return {word for word in tokens(" ".join(chunks)) if MIN_WORD <= len(word) <= MAX_WORD and word.isalpha()}


def add_words(words: set[str]):
    if words:
        SearchWord.objects.bulk_create(
            [SearchWord(word=word) for word in sorted(words)], ignore_conflicts=True, batch_size=1000
        )


def index_page(page, *, elasticsearch: bool = True) -> bool:
    """(Re)index one page, or remove it when it is not live or not public. True when indexed."""
    page = page.specific
    if not is_indexable(page):
        remove_page(page.pk, elasticsearch=elasticsearch)
        return False
    data = extract(page)
    with transaction.atomic():
        entry, _created = SearchEntry.objects.update_or_create(page_id=page.pk, defaults=data)
        update_vectors([entry.pk])
        add_words(vocabulary([data["title"], data["summary"], data["body"], data["attached"]]))
    bump_generation()
    if elasticsearch:
        from .backends import elastic

        elastic.index_entries([entry])
    return True


def remove_page(page_id: int, language: str | None = None, *, elasticsearch: bool = True):
    with transaction.atomic():
        deleted, _ = SearchEntry.objects.filter(page_id=page_id).delete()
    bump_generation()
    if elasticsearch:
        from .backends import elastic

        elastic.delete_page(page_id, language)
    return deleted


def indexable_pages():
    """Every live page except the tree root, most specific type, in tree order."""
    return Page.objects.live().filter(depth__gt=1).order_by("path")


def _specific_pages(ids: list[int]) -> list:
    """The pages `ids`, most specific type, with their taxonomy, files and kit items prefetched, in tree order."""
    by_type: dict[int, list[int]] = {}
    for pk, content_type_id in Page.objects.filter(pk__in=ids).values_list("pk", "content_type_id"):
        by_type.setdefault(content_type_id, []).append(pk)
    pages = []
    for content_type_id, pks in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class() or Page
        related, prefetched = ["locale"], []
        for field in model._meta.get_fields():
            label = field.related_model._meta.label_lower if getattr(field, "related_model", None) else ""
            if label in TAG_PREFIXES and getattr(field, "concrete", False):
                if field.many_to_many:
                    prefetched.append(Prefetch(field.name, to_attr=PREFETCHED + field.name))
                else:
                    related.append(field.name)
        for name in ("files", "items"):
            if hasattr(model, name):
                child = model._meta.get_field(name).related_model
                joins = [f.name for f in child._meta.get_fields() if f.many_to_one and f.name in CHILD_JOINS]
                queryset = child._default_manager.select_related(*joins)
                prefetched.append(Prefetch(name, queryset=queryset, to_attr=PREFETCHED + name))
        # to_attr: plain lists, no related manager built per page (modelcluster's cost ~1 ms each)
        queryset = model._default_manager.filter(pk__in=pks).select_related(*related).prefetch_related(*prefetched)
        pages.extend(queryset)
    return sorted(pages, key=lambda page: page.path)


def rebuild(progress=None, batch_size: int = 500) -> dict:
    """Rebuild every SearchEntry (and the vocabulary) from the pages. Returns {(locale, kind): count}."""

    pages = indexable_pages()
    total = pages.count()
    counts: dict[tuple[str, str], int] = {}
    chunks: set[str] = set()  # the distinct chunks of text, normalised once at the end (see `vocabulary`)
    private = private_page_ids()
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        SearchWord.objects.all().delete()
        done = 0
        ids = list(pages.values_list("pk", flat=True))
        for start in range(0, len(ids), batch_size):
            rows = []
            for page in _specific_pages(ids[start : start + batch_size]):
                done += 1
                if is_indexable(page, private):
                    data = extract(page)
                    rows.append({"page_id": page.pk, **data})
                    key = (data["locale"], data["kind"])
                    counts[key] = counts.get(key, 0) + 1
                    for name in ("title", "summary", "body", "attached"):
                        chunks.update(data[name].split())
                if progress:
                    progress(done, total)
            insert_entries(rows)
        add_words(vocabulary(chunks))
    bump_generation()
    if progress and total == 0:
        progress(0, 0)
    return counts
