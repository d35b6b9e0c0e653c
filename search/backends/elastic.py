"""The Elasticsearch backend (when ELASTICSEARCH_URL is set), written with elasticsearch-dsl.

One index per language behind an alias: `cantine-resources-fr` → `cantine-resources-fr-v20250101120000`.
`rebuild()` creates a new versioned index, bulk-loads it from the SearchEntry table, then moves the alias in
one atomic `update_aliases` call and deletes the old versions: a full reindex has no downtime.

Analysis (French): « % » → « pourcent » and « La Réunion » → « La Réunion lareunion » (char filter),
standard tokenizer, elision (l', d', qu'...), lowercase, French stop words, asciifolding, light French
stemmer. English: possessive stemmer, lowercase, English stop words, asciifolding, light English stemmer.
No synonym filter: synonyms are expanded at query time from the admin's list (an edit applies to the next
search, no reindexing).

Queries (`text_query`): the query parsed like the database backends do (`search.query.parse`: groups of
a word, its forms and its synonyms; hyphenated words; question words dropped), one `dis_max` per group
over `multi_match` clauses on title^5, summary^3, body, attached (phrases for multi-word synonyms, a
fuzzy variant for typos, `bool_prefix` on the search-as-you-type `suggest` field for the word being typed);
`minimum_should_match: "2<75%"` of the groups, and when too few documents match (none; fewer than 5 from
three groups on) a second request with 1 (relaxed); a phrase boost; the kind's prior as a `function_score`
factor (`with_kind_priors`); filters in `bool.filter`
(the type filter as `post_filter`, so the type facet stays disjunctive like on PostgreSQL), facets as
`terms` aggregations, highlighting with the HTML encoder (the text is escaped, only <mark> is added).
"""

from __future__ import annotations

import datetime
import logging
import threading

from django.conf import settings
from elasticsearch_dsl import (
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    Q,
    Search,
    SearchAsYouType,
    Text,
    analyzer,
    char_filter,
    token_filter,
)

from ..indexing import KIND_PRIORS
from ..results import SORT_DATE, SORT_TITLE, Hit, SearchResults, clean_filters
from ..text import PLACE_NAME_FORMS, marks_to_html

logger = logging.getLogger(__name__)

# A word in the title or the summary counts more than one only in the body, like PostgreSQL's score
# (search.backends.database: MATCH_SCORE, TITLE_SCORE, HEAD_SCORE): a broad page mentioning the words ranks
# after the page they are the subject of (body was ^1.5 before issue 22's last tuning).
TEXT_FIELDS = ["title^5", "summary^3", "body", "attached"]
FUZZY_FIELDS = ["title^2", "summary", "body^0.5"]
SUGGEST_FIELDS = ["suggest", "suggest._2gram", "suggest._3gram"]
TAG_FIELDS = ("measure", "audience", "sector", "type")
MAX_IDS = 1000
SUGGESTIONS = 8

# --- analysis ---------------------------------------------------------------------------------------------

french_elision = token_filter(
    "french_elision",
    type="elision",
    articles_case=True,
    articles=["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"],
)
french_stop = token_filter("french_stop", type="stop", stopwords="_french_", ignore_case=True)
french_stemmer = token_filter("french_stemmer", type="stemmer", language="light_french")
english_stop = token_filter("english_stop", type="stop", stopwords="_english_", ignore_case=True)
english_stemmer = token_filter("english_stemmer", type="stemmer", language="light_english")
english_possessive = token_filter("english_possessive", type="stemmer", language="possessive_english")


# « 50 % » is indexed as « 50 pourcent », like search.text.tokens() and the PostgreSQL index do.
# « La Réunion » also as « lareunion » (search.text.PLACE_NAMES), like search.indexing.VECTOR_SQL does.
percent = char_filter(
    "cantine_percent",
    type="mapping",
    mappings=[
        "%=>\\u0020pourcent\\u0020",
        *(f"{form}=>{form}\\u0020{word}" for word, forms in PLACE_NAME_FORMS.items() for form in forms),
    ],
)


def analyzers(language: str, rules: list[str] | None = None):
    """(index analyzer "cantine_text", search analyzer "cantine_search", "cantine_folding") for a language.

    No synonym filter: the synonyms are expanded at query time (`group_query`), from the admin's list, so
    an edit applies to the next search without reindexing (`rules` is accepted and ignored).
    """
    if language == "en":
        before = [english_possessive, "lowercase", english_stop, "asciifolding"]
        stemmer = english_stemmer
    else:
        before = [french_elision, "lowercase", french_stop, "asciifolding"]
        stemmer = french_stemmer
    return (
        analyzer("cantine_text", tokenizer="standard", char_filter=[percent], filter=[*before, stemmer]),
        analyzer("cantine_search", tokenizer="standard", char_filter=[percent], filter=[*before, stemmer]),
        analyzer("cantine_folding", tokenizer="standard", filter=["lowercase", "asciifolding"]),
    )


def text_field(**kwargs):
    return Text(analyzer="cantine_text", search_analyzer="cantine_search", **kwargs)


class SearchDocument(Document):
    """One page (SearchEntry) in the index of its language. The document id is the page id."""

    page_id = Integer()
    locale = Keyword()
    kind = Keyword()
    title = text_field(fields={"raw": Keyword(), "folded": Text(analyzer="cantine_folding")})
    summary = text_field()
    body = text_field()
    attached = text_field()
    suggest = SearchAsYouType(analyzer="cantine_folding")
    measure = Keyword(multi=True)
    audience = Keyword(multi=True)
    sector = Keyword(multi=True)
    type = Keyword(multi=True)
    published_at = Date()

    @classmethod
    def from_entry(cls, entry) -> SearchDocument:
        tags: dict[str, list[str]] = {name: [] for name in TAG_FIELDS}
        for tag in (entry.tags or "").split():
            name, _, code = tag.partition(":")
            if name in tags:
                tags[name].append(code)
        return cls(
            meta={"id": entry.page_id},
            page_id=entry.page_id,
            locale=entry.locale,
            kind=entry.kind,
            title=entry.title,
            summary=entry.summary,
            body=entry.body,
            attached=entry.attached,
            suggest=entry.title,
            published_at=entry.published_at,
            **tags,
        )


# --- indexes and aliases ----------------------------------------------------------------------------------


def prefix() -> str:
    return getattr(settings, "ELASTICSEARCH_INDEX_PREFIX", "cantine")


def alias_name(language: str) -> str:
    return f"{prefix()}-resources-{language}"


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def build_index(language: str, name: str | None = None, rules: list[str] | None = None) -> Index:
    """The index definition (settings, analysis, mapping) of a language; `to_dict()` is what is sent."""
    version = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S%f")
    index = Index(name or f"{alias_name(language)}-v{version}")
    index.settings(number_of_shards=1, number_of_replicas=int(getattr(settings, "ELASTICSEARCH_REPLICAS", 0)))
    for definition in analyzers(language, rules):
        index.analyzer(definition)
    index.document(SearchDocument)
    return index


_clients: dict = {}
_clients_lock = threading.Lock()


def get_client():
    """One Elasticsearch client per URL and timeout, no retries (the breaker handles failures)."""
    from elasticsearch import Elasticsearch

    key = (settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_TIMEOUT)
    with _clients_lock:
        if key not in _clients:
            _clients[key] = Elasticsearch(
                settings.ELASTICSEARCH_URL,
                request_timeout=settings.ELASTICSEARCH_TIMEOUT,
                max_retries=0,
                retry_on_timeout=False,
            )
        return _clients[key]


def current_indexes(client, language: str) -> list[str]:
    from elasticsearch import NotFoundError

    try:
        return sorted(client.indices.get_alias(name=alias_name(language)).keys())
    except NotFoundError:
        return []


def swap_alias(client, language: str, new_index: str) -> list[str]:
    """Point the alias at `new_index` atomically; returns the indexes it left (to delete)."""
    old = [name for name in current_indexes(client, language) if name != new_index]
    alias = alias_name(language)
    actions = [{"remove": {"index": name, "alias": alias}} for name in old]
    actions.append({"add": {"index": new_index, "alias": alias}})
    client.indices.update_aliases(actions=actions)
    return old


def ensure_index(client, language: str):
    """Create the first versioned index and its alias when the alias does not exist yet."""
    if not client.indices.exists_alias(name=alias_name(language)):
        index = build_index(language)
        index.create(using=client)
        swap_alias(client, language, index._name)


def rebuild(entries_by_language: dict[str, object], progress=None) -> dict[str, int]:
    """Full reindex without downtime: new versioned index per language, bulk load, alias swap, cleanup."""
    from elasticsearch.helpers import bulk

    client = get_client()
    counts = {}
    for language in languages():
        entries = entries_by_language.get(language, [])
        index = build_index(language)
        index.create(using=client)
        name = index._name
        count = 0

        def actions(entries=entries, name=name, language=language):
            nonlocal count
            for entry in entries:
                count += 1
                if progress:
                    progress(language, count)
                yield SearchDocument.from_entry(entry).to_dict(include_meta=True) | {"_index": name}

        bulk(client, actions(), chunk_size=500, request_timeout=max(30, settings.ELASTICSEARCH_TIMEOUT))
        client.indices.refresh(index=name)
        for old in swap_alias(client, language, name):
            client.indices.delete(index=old)
        counts[language] = count
    return counts


# --- single-document updates (from the indexing tasks) ----------------------------------------------------


def _guarded(action, *args):
    """Run an Elasticsearch write when the cluster is usable; a failure opens the breaker, never raises."""
    from ..breaker import elasticsearch_usable, report_failure

    if not elasticsearch_usable():
        return False
    try:
        action(get_client(), *args)
        return True
    except Exception as error:
        report_failure(error)
        logger.info("Elasticsearch write skipped (run `manage.py search_reindex` once it is back): %s", error)
        return False


def index_entries(entries):
    def write(client, entries):
        for entry in entries:
            ensure_index(client, entry.locale)
            SearchDocument.from_entry(entry).save(using=client, index=alias_name(entry.locale), refresh=True)

    return _guarded(write, list(entries))


def delete_page(page_id: int, language: str | None = None):
    def write(client, page_id, language):
        for code in [language] if language else languages():
            client.delete(index=alias_name(code), id=page_id, refresh=True, ignore_status=404)

    return _guarded(write, page_id, language)


# --- queries ----------------------------------------------------------------------------------------------


def alternative_query(alternative, fuzzy: bool = False):
    """One way of matching a group: a word (stemmed by the analyzer), a phrase, the word being typed."""
    if alternative.is_phrase:
        return Q("multi_match", query=" ".join(alternative.words), type="phrase", fields=TEXT_FIELDS)
    word = alternative.words[0]
    if alternative.prefix:
        return Q("multi_match", query=word, type="bool_prefix", fields=SUGGEST_FIELDS, boost=0.8)
    if fuzzy:  # typos: fuzziness AUTO, without the synonyms
        return Q(
            "multi_match",
            query=word,
            fields=FUZZY_FIELDS,
            fuzziness="AUTO",
            prefix_length=1,
            analyzer="cantine_text",
            boost=0.5,
        )
    return Q(
        "multi_match",
        query=word,
        fields=TEXT_FIELDS,
        type="best_fields",
        boost=0.9 if alternative.kind != "typed" else 1,
    )


def group_query(group):
    """A group (a word of the query with its forms and synonyms): its best alternative scores (dis_max)."""
    queries = []
    for alternative in group.alternatives:
        if alternative.kind in ("correction", "truncated"):
            continue  # the database's typo and stem helpers: Elasticsearch has fuzziness and its stemmer
        queries.append(alternative_query(alternative))
        if alternative.kind == "typed" and not alternative.is_phrase and not alternative.prefix:
            if len(alternative.words[0]) >= 4 and not alternative.words[0].isdigit():
                queries.append(alternative_query(alternative, fuzzy=True))
    return Q("dis_max", queries=queries, tie_breaker=0.1)


def minimum_should_match(parsed) -> str | int:
    """All groups up to two, then 75 % of them (rounded down), like `ParsedQuery.min_match`; 1 when relaxed."""
    return 1 if parsed.relaxed else "2<75%"


def text_query(text: str, language: str = "fr", relaxed: bool = False):
    """The full-text part, from the same parsed query as the database backends (`search.query.parse`).

    One clause per group (the typed word, its singular/plural, its synonyms from the admin's list — read at
    query time, so an edit applies at once —, a fuzzy variant, the word being typed as a prefix); enough
    groups must match (`minimum_should_match` "2<75%", 1 when relaxed) and a document ranks higher when it
    matches more, and rarer (BM25), groups; a phrase match of the whole query adds a boost.
    """
    from ..query import parse

    parsed = parse(text, language)
    parsed.relaxed = relaxed
    if not parsed:
        return Q("match_none")
    groups = Q(
        "bool",
        should=[group_query(group) for group in parsed.groups],
        minimum_should_match=minimum_should_match(parsed),
    )
    phrase = Q("multi_match", query=text, type="phrase", fields=["title^3", "summary"], slop=2, boost=2)
    return Q("bool", must=[groups], should=[phrase])


def with_kind_priors(query):
    """The score multiplied by the kind's prior (`search.indexing.KIND_PRIORS`, like the database backends):
    general pages rank after the content pages that match as well. Not on the hub's ids (resources only)."""
    functions = [{"filter": {"term": {"kind": kind}}, "weight": prior} for kind, prior in KIND_PRIORS.items()]
    return Q("function_score", query=query, functions=functions, score_mode="multiply", boost_mode="multiply")


def tag_filters(filters: dict) -> list:
    return [Q("terms", **{name: values}) for name, values in filters.items() if name in TAG_FIELDS]


def build_search(
    text, language, filters=None, sort="relevance", page=1, per_page=10, facets=True, relaxed=False
) -> Search:
    filters = clean_filters(filters)
    query = Q("bool", must=[text_query(text, language, relaxed)], filter=tag_filters(filters))
    search = Search(index=alias_name(language)).query(with_kind_priors(query))
    if filters.get("kind"):
        search = search.post_filter("terms", kind=filters["kind"])
    if facets:
        search.aggs.bucket("kind", "terms", field="kind", size=20)
        tagged = search.aggs
        if filters.get("kind"):
            tagged = search.aggs.bucket("in_kinds", "filter", Q("terms", kind=filters["kind"]))
        for name in TAG_FIELDS:
            tagged.bucket(name, "terms", field=name, size=50)
    # encoder "html": the text is escaped, only the <mark> tags are added
    search = search.highlight_options(pre_tags=["<mark>"], post_tags=["</mark>"], encoder="html", fragment_size=160)
    search = search.highlight("title", number_of_fragments=0, no_match_size=300)
    search = search.highlight("summary", number_of_fragments=2, no_match_size=200)
    search = search.highlight("body", "attached", number_of_fragments=2)
    if sort == SORT_DATE:
        search = search.sort({"published_at": {"order": "desc", "missing": "_last"}}, "_score")
    elif sort == SORT_TITLE:
        search = search.sort("title.raw")
    search = search.source(["page_id", "kind", "title", "published_at"]).extra(track_total_hits=True)
    start = (page - 1) * per_page
    return search[start : start + per_page]


def build_ids_search(text, language, size=MAX_IDS, relaxed=False) -> Search:
    """Ranked page ids only (the hub filters and paginates them in SQL, in its own locale).

    The index of `language` first, then the other languages' (a page id belongs to one locale only, so the
    hub's queryset keeps the right ones even when the active language is not the hub's).
    """
    indexes = [alias_name(language), *(alias_name(code) for code in languages() if code != language)]
    query = text_query(text, language, relaxed)
    search = Search(index=indexes).query(query).source(False).params(ignore_unavailable=True)
    return search.extra(track_total_hits=False)[:size]


def build_suggest(text, language, size=SUGGESTIONS) -> Search:
    query = Q("multi_match", query=text, type="bool_prefix", fields=SUGGEST_FIELDS, operator="and", fuzziness="AUTO")
    return Search(index=alias_name(language)).query(query).source(["page_id", "title"])[:size]


class ElasticsearchBackend:
    name = "elasticsearch"

    @staticmethod
    def _relax(text, language, total: int) -> bool:
        """Too few matches with enough groups: ask again with any group (`search.query.needs_relaxing`)."""
        from ..query import needs_relaxing, parse

        return needs_relaxing(parse(text, language), total)

    def search(self, text, language, filters=None, sort="relevance", page=1, per_page=10, facets=True):
        search = build_search(text, language, filters, sort, page, per_page, facets)
        response = search.using(get_client()).execute()
        if self._relax(text, language, response.hits.total.value):
            search = build_search(text, language, filters, sort, page, per_page, facets, relaxed=True)
            response = search.using(get_client()).execute()
        hits = []
        for hit in response:
            highlight = getattr(hit.meta, "highlight", None)
            title_html = " ".join(highlight.title) if highlight and "title" in highlight else None
            fragments = []
            for name in ("summary", "body", "attached"):
                if highlight and name in highlight:
                    fragments.extend(highlight[name])
            matched = [fragment for fragment in fragments if "<mark>" in fragment]
            fragments = matched or fragments
            hits.append(
                Hit(
                    page_id=int(hit.meta.id),
                    kind=hit.kind,
                    title=hit.title,
                    title_html=title_html or marks_to_html(hit.title),
                    excerpt_html=" … ".join(fragments[:2]),
                    score=hit.meta.score or 0.0,
                    published_at=getattr(hit, "published_at", None),
                )
            )
        facet_counts: dict[str, dict[str, int]] = {}
        total = response.hits.total.value
        if facets and hasattr(response, "aggregations"):
            aggs = response.aggregations
            facet_counts["kind"] = {bucket.key: bucket.doc_count for bucket in aggs.kind.buckets}
            tagged = aggs.in_kinds if "in_kinds" in aggs else aggs
            for name in TAG_FIELDS:
                facet_counts[name] = {bucket.key: bucket.doc_count for bucket in tagged[name].buckets}
        return SearchResults(
            query=text, hits=hits, total=total, facets=facet_counts, page=page, per_page=per_page, backend=self.name
        )

    def ranked_ids(self, text, language, size=MAX_IDS) -> list[tuple[int, float]]:
        response = build_ids_search(text, language, size).using(get_client()).execute()
        if self._relax(text, language, len(response.hits)):
            response = build_ids_search(text, language, size, relaxed=True).using(get_client()).execute()
        return [(int(hit.meta.id), hit.meta.score or 0.0) for hit in response]

    def suggest(self, text, language, limit=SUGGESTIONS) -> list[dict]:
        response = build_suggest(text, language, limit).using(get_client()).execute()
        return [{"page_id": int(hit.meta.id), "title": hit.title} for hit in response]
