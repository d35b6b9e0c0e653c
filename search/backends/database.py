"""The database backends: PostgreSQL full text (default) and a simpler SQLite fallback (development only).

PostgreSQL
    Each query group (see `search.query`) becomes a tsquery of its alternatives, parsed with the
    `french_unaccent` configuration (`english_unaccent` for English), the last word as a prefix
    (`gasp:*`). A row matches enough groups (all up to two; beyond, 75 % of them or two thirds of the
    query's weight; any group when no row matches that many, see `search.query`)
    when `vector @@ match` where `match` is one tsquery ((g1 & g2) | ...): the GIN index answers it.
    Each group has a weight (rarer words weigh more, BM25's idf, mean 1). Score, highest first:

        10 × Σ weight of the groups matched + 4 × Σ weight of the groups in the title (`title_vector`)
        + 3 × Σ weight of the groups in the title or summary (labels A and B of `vector`)
        + 5 × ts_rank_cd(vector, query, 32) + 3 × similarity(title_norm, query)

    The last two terms are only computed for the 100 best rows by the first two (`scored`). The sum is
    multiplied by the kind's prior (`search.indexing.KIND_PRIORS`: 0.8 for general pages, 1 otherwise).

    Typos: words of the query absent from the index vocabulary (`SearchWord`, trigram GIN index) get
    their closest vocabulary words (pg_trgm similarity ≥ 0.4) as alternatives. Highlights come from
    `ts_headline` with private-use markers, escaped in Python, then turned into <mark>.

SQLite (development only)
    The same groups, matched as substrings of the normalised text (`plain`, lowercase, no accents) at
    word starts, with a crude singular/plural stem; typos are corrected with difflib against the same
    vocabulary; highlights are computed in Python. No real stemming, no ts_rank: fine for `make run`.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import itertools
import math
import operator

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, TrigramSimilarity
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Expression,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.db.models.lookups import Contains, GreaterThanOrEqual

from ..indexing import KIND_PRIORS, generation
from ..models import SearchEntry, SearchWord
from ..query import RELAX_BELOW, Group, ParsedQuery, needs_relaxing, parse, word_stem, words_to_check
from ..results import SORT_DATE, SORT_TITLE, Hit, SearchResults, clean_filters
from ..text import START_MARK, STOP_MARK, marks_to_html, python_headline, tokens, variants

PLAN_TIMEOUT = 120
CORRECTION_SIMILARITY = 0.4
MAX_CORRECTIONS = 2
SUGGESTIONS = 8
MAX_COMBINED_GROUPS = 6
RERANK_WINDOW = 100
# The cheap score: per group matched (× its weight) 10, plus 4 in the title, plus 3 in the title or summary.
# A broad page that only mentions the words in its body ranks after the page they are the subject of.
MATCH_SCORE = 10.0
TITLE_SCORE = 4.0
HEAD_SCORE = 3.0


def ts_config(language: str) -> str:
    return "english_unaccent" if language == "en" else "french_unaccent"


def idf_weights(frequencies: list[int], total: int) -> list[float]:
    """One weight per group, mean 1: rare words count more than words found everywhere (BM25's idf)."""
    idf = [math.log(1 + (total - df + 0.5) / (df + 0.5)) for df in frequencies]
    mean = sum(idf) / len(idf) if idf else 0
    if mean <= 0:
        return [1.0] * len(frequencies)
    return [round(max(0.25, value / mean), 3) for value in idf]


def _weighted_sum(conditions, weights):
    """Σ weight × (condition ? 1 : 0), as a float expression."""
    terms = [
        Case(When(condition, then=Value(float(weight))), default=Value(0.0), output_field=FloatField())
        for condition, weight in zip(conditions, weights, strict=True)
    ]
    return functools.reduce(operator.add, terms) if terms else Value(0.0)


def enough_groups(conditions, weights, parsed: ParsedQuery) -> Q:
    """The row matches `min_match` groups, or groups carrying `min_weight` (see `search.query`)."""
    weighed = Q(GreaterThanOrEqual(_weighted_sum(conditions, weights), parsed.min_weight - 1e-6))
    counted = Q(GreaterThanOrEqual(_weighted_sum(conditions, [1.0] * len(conditions)), parsed.min_match - 1e-6))
    return weighed | counted


def kind_prior(prefix: str = ""):
    """The score factor of the entry's kind (see KIND_PRIORS), as a float expression."""
    return Case(
        *[When(**{f"{prefix}kind": kind}, then=Value(prior)) for kind, prior in KIND_PRIORS.items()],
        default=Value(1.0),
        output_field=FloatField(),
    )


class InWindow(Expression):
    """`pk = ANY(ARRAY(window))` on PostgreSQL (`pk IN (window)` elsewhere): the same rows, but PostgreSQL runs
    the uncorrelated ARRAY(...) once, as an InitPlan, where `IN (...)` is a hashed SubPlan that each parallel
    worker of the outer scan computes again (the RERANK_WINDOW subquery was run three times per search)."""

    output_field = BooleanField()

    def __init__(self, expression, window):
        super().__init__()
        self.expression, self.window = expression, window

    def get_source_expressions(self):
        return [self.expression, self.window]

    def set_source_expressions(self, expressions):
        self.expression, self.window = expressions

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.expression)
        window_sql, window_params = compiler.compile(self.window)  # "(SELECT ...)"
        operator_sql = "= ANY(ARRAY{})" if connection.vendor == "postgresql" else "IN {}"
        return f"{sql} {operator_sql.format(window_sql)}", (*params, *window_params)


def _int_sum(expressions):
    return functools.reduce(operator.add, expressions) if expressions else Value(0)


class DatabaseBackend:
    name = "database"

    # --- query plan (cached per index generation) ------------------------------------------------------------

    def plan(self, text: str, language: str) -> ParsedQuery:
        """The parsed query with its spelling corrections, group weights and relaxation (cached per index state)."""
        digest = hashlib.sha1(f"{self.name}|{language}|{text}".encode()).hexdigest()
        key = f"search:plan:{generation()}:{digest}"
        cached = cache.get(key)
        if cached is not None:
            corrections, weights, relaxed = cached
            parsed = parse(text, language, corrections)
            parsed.weights, parsed.relaxed = weights, relaxed
            return parsed
        words, last = words_to_check(text, language)
        corrections = self.corrections(words, last) if words else {}
        parsed = parse(text, language, corrections)
        if len(parsed.groups) > 1:
            parsed.weights = idf_weights(*self.document_frequencies(parsed, language))
            condition, _cheap, _fine = self.condition(parsed)
            matching = SearchEntry.objects.filter(locale=language).filter(condition).values("pk")[:RELAX_BELOW]
            parsed.relaxed = needs_relaxing(parsed, len(matching))
        cache.set(key, (corrections, parsed.weights, parsed.relaxed), PLAN_TIMEOUT)
        return parsed

    def document_frequencies(self, parsed: ParsedQuery, language: str) -> tuple[list[int], int]:
        """([number of entries matching each group], number of entries) in one query."""
        conditions = [self.group_condition(group, language) for group in parsed.groups]
        counts = SearchEntry.objects.filter(locale=language).aggregate(
            total=Count("pk"), **{f"g{index}": Count("pk", filter=c) for index, c in enumerate(conditions)}
        )
        return [counts[f"g{index}"] for index in range(len(conditions))], counts["total"]

    def group_condition(self, group: Group, language: str, prefix: str = "") -> Q:
        raise NotImplementedError

    def corrections(self, words: list[str], last: str | None, similarity=CORRECTION_SIMILARITY, limit=MAX_CORRECTIONS):
        """{word unknown to the index vocabulary: [its closest vocabulary words]}."""
        raise NotImplementedError

    # --- matching ---------------------------------------------------------------------------------------------

    def condition(self, parsed: ParsedQuery, prefix: str = ""):
        """(filter expression, score expression) on SearchEntry fields reached through `prefix`."""
        raise NotImplementedError

    @staticmethod
    def filtered(language: str, filters: dict):
        """The entries of a language with every filter but the type (no text condition)."""
        queryset = SearchEntry.objects.filter(locale=language)
        for name, values in filters.items():
            if name == "kind":
                continue
            tag_filter = functools.reduce(operator.or_, (Q(tags__contains=f" {name}:{value} ") for value in values))
            queryset = queryset.filter(tag_filter)
        return queryset

    def scored(self, queryset, parsed: ParsedQuery, prefix: str = "", name: str = "score"):
        """`queryset` restricted to the matches and annotated with their score (`name`).

        The score is a cheap part for every match (groups matched, in the title first) plus, for the
        RERANK_WINDOW best matches by that cheap part only, the costly part (ts_rank_cd, title similarity):
        ranking 10,000 matches costs little more than ranking 100. The sum is multiplied by the kind's prior.
        """
        condition, cheap, fine = self.condition(parsed, prefix)
        matched = queryset.filter(condition)
        prior = kind_prior(prefix)
        if fine is None:
            return matched.annotate(**{name: ExpressionWrapper(cheap * prior, output_field=FloatField())})
        window = (
            matched.annotate(search_cheap_score=ExpressionWrapper(cheap * prior, output_field=FloatField()))
            .order_by("-search_cheap_score", F(f"{prefix}published_at").desc(nulls_last=True), "pk")
            .values("pk")[:RERANK_WINDOW]
        )
        in_window = InWindow(F("pk"), Subquery(window))
        refined = Case(When(in_window, then=fine), default=Value(0.0), output_field=FloatField())
        return matched.annotate(**{name: ExpressionWrapper((cheap + refined) * prior, output_field=FloatField())})

    @staticmethod
    def ordered(queryset, sort: str):
        if sort == SORT_DATE:
            return queryset.order_by(F("published_at").desc(nulls_last=True), "-score", "pk")
        if sort == SORT_TITLE:
            return queryset.order_by("title_norm", "pk")
        return queryset.order_by("-score", F("published_at").desc(nulls_last=True), "pk")

    def filter_pages(self, queryset, parsed: ParsedQuery):
        """A page queryset restricted to the matching pages, annotated with `search_rank` (one SQL query)."""
        return self.scored(queryset, parsed, prefix="search_entry__", name="search_rank")

    # --- search -----------------------------------------------------------------------------------------------

    def search(self, text, language, filters=None, sort="relevance", page=1, per_page=10, facets=True):
        filters = clean_filters(filters)
        parsed = self.plan(text, language)
        if not parsed:
            return SearchResults(query=text, hits=[], total=0, page=page, per_page=per_page, backend=self.name)
        base = self.filtered(language, filters)
        condition, _cheap, _fine = self.condition(parsed)
        kinds = filters.get("kind")
        total, facet_counts = self.facet_counts(base.filter(condition), kinds)
        if not facets:
            facet_counts = {}
        shown = base.filter(kind__in=kinds) if kinds else base
        start = (page - 1) * per_page
        hits = self.hits(parsed, self.ordered(self.scored(shown, parsed), sort)[start : start + per_page])
        corrections = {
            group.typed: [alt.words[0] for alt in group.alternatives if alt.kind == "correction"]
            for group in parsed.groups
            if any(alt.kind == "correction" for alt in group.alternatives)
        }
        return SearchResults(
            query=text,
            hits=hits,
            total=total,
            facets=facet_counts,
            page=page,
            per_page=per_page,
            backend=self.name,
            corrections=corrections,
        )

    def facet_counts(self, matches, kinds) -> tuple[int, dict]:
        """(total with the kind filter, {"kind": {...} without it, "measure": {...} with it, ...})."""
        rows = matches.values_list("kind", "tags")
        facets: dict[str, dict[str, int]] = {}
        total = 0
        for kind, tags in rows:
            facets.setdefault("kind", {})
            facets["kind"][kind] = facets["kind"].get(kind, 0) + 1
            if kinds and kind not in kinds:
                continue
            total += 1
            for tag in (tags or "").split():
                name, _, code = tag.partition(":")
                facets.setdefault(name, {})
                facets[name][code] = facets[name].get(code, 0) + 1
        return total, facets

    def hits(self, parsed, queryset) -> list[Hit]:
        raise NotImplementedError

    def suggest(self, text: str, language: str, limit: int = SUGGESTIONS) -> list[dict]:
        """[{"page_id", "title"}] of titles matching what is being typed."""
        raise NotImplementedError


class PostgresBackend(DatabaseBackend):
    name = "postgresql"

    def corrections(self, words, last, similarity=CORRECTION_SIMILARITY, limit=MAX_CORRECTIONS):
        """One query: for each word unknown to the vocabulary, its closest words (pg_trgm)."""
        sql = """
            SELECT t.word,
                   EXISTS (SELECT 1 FROM search_searchword w WHERE w.word IN (t.word, t.other))
                   OR (t.word = %s AND EXISTS (SELECT 1 FROM search_searchword w WHERE w.word LIKE t.word || '%%')),
                   ARRAY(SELECT w.word FROM search_searchword w
                         WHERE w.word %% t.word AND similarity(w.word, t.word) >= %s
                         ORDER BY similarity(w.word, t.word) DESC, w.word LIMIT %s)
            FROM unnest(%s::text[], %s::text[]) AS t(word, other)
        """
        others = [variants(word)[-1] for word in words]  # singular or plural form
        with connection.cursor() as cursor:
            cursor.execute(sql, [last or "", similarity, limit, list(words), others])
            rows = cursor.fetchall()
        return {word: list(close) for word, known, close in rows if not known and close}

    # tsquery strings: words are [a-z0-9]+ (see search.text.tokens), nothing to escape.

    @staticmethod
    def alternative_query(alternative, weight: str = "") -> str:
        suffix = f":{weight}" if weight else ""
        if alternative.is_phrase:
            return "(" + " <-> ".join(f"{word}{suffix}" for word in alternative.words) + ")"
        if alternative.prefix:
            return f"{alternative.words[0]}:*{weight}"
        return " | ".join(f"{form}{suffix}" for form in alternative.forms())

    @classmethod
    def group_query(cls, group: Group, weight: str = "") -> str:
        return "(" + " | ".join(cls.alternative_query(alt, weight) for alt in group.alternatives) + ")"

    @classmethod
    def tsquery(cls, parsed: ParsedQuery, weight: str = "") -> str:
        return " | ".join(cls.group_query(group, weight) for group in parsed.groups)

    @staticmethod
    def raw_query(string: str, language: str) -> SearchQuery:
        return SearchQuery(string, config=ts_config(language), search_type="raw")

    @classmethod
    def match_query(cls, parsed: ParsedQuery) -> str | None:
        """One tsquery for « matches enough groups », so the GIN index answers it and each row is tested once.

        The OR of the smallest sets of groups that are `min_match` groups or carry `min_weight`
        ((g1 & g2 & g4) | (g2 & g3 & g4) | ...). None past MAX_COMBINED_GROUPS groups.
        """
        groups = [cls.group_query(group) for group in parsed.groups]
        if len(groups) == 1 or parsed.relaxed:
            return " | ".join(groups)
        if len(groups) > MAX_COMBINED_GROUPS:
            return None
        weights = parsed.group_weights()
        threshold = parsed.min_weight - 1e-6
        chosen: list[tuple[int, ...]] = []
        for size in range(1, len(groups) + 1):
            for subset in itertools.combinations(range(len(groups)), size):
                enough = size >= parsed.min_match or sum(weights[i] for i in subset) >= threshold
                if enough and not any(set(smaller) <= set(subset) for smaller in chosen):
                    chosen.append(subset)
        return " | ".join("(" + " & ".join(groups[i] for i in subset) + ")" for subset in chosen)

    def group_condition(self, group, language, prefix="", weight=""):
        """The entry matches the group (`weight="A"`: in its title)."""
        if weight == "A":
            return Q(**{f"{prefix}title_vector": self.raw_query(self.group_query(group), language)})
        return Q(**{f"{prefix}vector": self.raw_query(self.group_query(group, weight), language)})

    def condition(self, parsed, prefix=""):
        """(match condition, cheap score, costly score) — see `scored`."""
        language = parsed.language
        any_group = self.raw_query(self.tsquery(parsed), language)
        weights = parsed.group_weights()
        in_groups = [self.group_condition(group, language, prefix) for group in parsed.groups]
        in_titles = [self.group_condition(group, language, prefix, "A") for group in parsed.groups]
        # one group: every match has it, no need to test it again
        all_match = len(in_groups) == 1
        matched = Value(float(len(in_groups))) if all_match else _weighted_sum(in_groups, weights)
        # in the title or the summary (weights A, B): the page is about the word, not only mentioning it
        in_heads = [self.group_condition(group, language, prefix, "AB") for group in parsed.groups]
        cheap = ExpressionWrapper(
            Value(MATCH_SCORE) * matched
            + Value(TITLE_SCORE) * _weighted_sum(in_titles, weights)
            + Value(HEAD_SCORE) * _weighted_sum(in_heads, weights),
            output_field=FloatField(),
        )
        rank = SearchRank(F(f"{prefix}vector"), any_group, cover_density=True, normalization=Value(32))
        similarity = TrigramSimilarity(f"{prefix}title_norm", parsed.normalized)
        fine = ExpressionWrapper(Value(5.0) * rank + Value(3.0) * similarity, output_field=FloatField())
        match = self.match_query(parsed)
        if match is not None:
            return Q(**{f"{prefix}vector": self.raw_query(match, language)}), cheap, fine
        condition = Q(**{f"{prefix}vector": any_group}) & enough_groups(in_groups, weights, parsed)
        return condition, cheap, fine

    def hits(self, parsed, queryset):
        query = self.raw_query(self.tsquery(parsed), parsed.language)
        config = ts_config(parsed.language)
        rows = queryset.annotate(
            title_marked=SearchHeadline(
                "title", query, config=config, start_sel=START_MARK, stop_sel=STOP_MARK, highlight_all=True
            ),
            excerpt_marked=SearchHeadline(
                Concat("summary", Value(" "), "body", Value(" "), "attached", output_field=TextField()),
                query,
                config=config,
                start_sel=START_MARK,
                stop_sel=STOP_MARK,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        ).values_list("page_id", "kind", "title", "title_marked", "excerpt_marked", "score", "published_at")
        return [
            Hit(
                page_id=page_id,
                kind=kind,
                title=title,
                title_html=marks_to_html(title_marked),
                excerpt_html=marks_to_html(excerpt_marked),
                score=score,
                published_at=published_at,
            )
            for page_id, kind, title, title_marked, excerpt_marked, score, published_at in rows
        ]

    def facet_counts(self, matches, kinds):
        """One query: GROUP BY over the tags (and 'kind:<kind>') of the matching rows."""
        sql, params = matches.values("kind", "tags").query.sql_with_params()
        facet_sql = f"""
            SELECT t.tag, count(*), count(*) FILTER (WHERE %s::text[] IS NULL OR sub.kind = ANY(%s::text[]))
            FROM ({sql}) AS sub
            CROSS JOIN LATERAL unnest(
                array_append(string_to_array(btrim(sub.tags), ' '), 'kind:' || sub.kind)
            ) AS t(tag)
            WHERE t.tag <> ''
            GROUP BY t.tag
        """
        with connection.cursor() as cursor:
            cursor.execute(facet_sql, [kinds, kinds, *params])
            rows = cursor.fetchall()
        facets: dict[str, dict[str, int]] = {}
        total = 0
        for tag, count_all, count_kinds in rows:
            name, _, code = tag.partition(":")
            if name == "kind":
                facets.setdefault("kind", {})[code] = count_all
                total += count_kinds
            elif count_kinds:
                facets.setdefault(name, {})[code] = count_kinds
        return total, facets

    def suggest(self, text, language, limit=SUGGESTIONS):
        words = tokens(text)[:6]
        if not words:
            return []
        normalized = " ".join(words)
        prefix_query = self.raw_query(" & ".join(f"{word}:*A" for word in words), language)
        similar = RawSQL(
            "%s <%% search_searchentry.title_norm", [normalized], output_field=BooleanField()
        )  # word_similarity(query, title) above pg_trgm.word_similarity_threshold (0.6): typos
        starts = RawSQL("search_searchentry.title_norm LIKE %s", [normalized + "%"], output_field=BooleanField())
        rows = (
            SearchEntry.objects.filter(locale=language)
            .filter(Q(vector=prefix_query) | Q(similar))
            .annotate(
                starts=Case(When(Q(starts), then=Value(1)), default=Value(0), output_field=IntegerField()),
                prefix_match=Case(
                    When(vector=prefix_query, then=Value(1)), default=Value(0), output_field=IntegerField()
                ),
                closeness=RawSQL(
                    "word_similarity(%s, search_searchentry.title_norm)", [normalized], output_field=FloatField()
                ),
            )
            .order_by("-starts", "-prefix_match", "-closeness", "title_norm")
            .values_list("page_id", "title")[:limit]
        )
        return [{"page_id": page_id, "title": title} for page_id, title in rows]


class SqliteBackend(DatabaseBackend):
    """Development fallback (SQLite): substring matching on normalised text, see the module docstring."""

    name = "database"

    def corrections(self, words, last, similarity=CORRECTION_SIMILARITY, limit=MAX_CORRECTIONS):
        vocabulary = list(SearchWord.objects.values_list("word", flat=True)[:100_000])
        known = set(vocabulary)
        found = {}
        for word in words:
            if any(form in known for form in variants(word)):
                continue
            if word == last and any(v.startswith(word) for v in vocabulary):
                continue
            close = difflib.get_close_matches(word, vocabulary, n=limit, cutoff=0.75 if similarity >= 0.4 else 0.65)
            if close:
                found[word] = close
        return found

    @staticmethod
    def alternative_patterns(alternative) -> list[str]:
        if alternative.is_phrase:
            return [" " + " ".join(alternative.words) + " "]
        word = alternative.words[0]
        return [" " + (word if alternative.prefix else word_stem(word))]

    def group_condition(self, group, language, prefix="", title=False):
        patterns = [pattern for alt in group.alternatives for pattern in self.alternative_patterns(alt)]
        if title:
            title_text = Concat(Value(" "), F(f"{prefix}title_norm"), Value(" "), output_field=TextField())
            return functools.reduce(operator.or_, (Q(Contains(title_text, pattern)) for pattern in patterns))
        return functools.reduce(operator.or_, (Q(**{f"{prefix}plain__contains": pattern}) for pattern in patterns))

    def condition(self, parsed, prefix=""):
        language = parsed.language
        in_groups = [self.group_condition(group, language, prefix) for group in parsed.groups]
        in_titles = [self.group_condition(group, language, prefix, title=True) for group in parsed.groups]
        weights = parsed.group_weights()
        score = ExpressionWrapper(
            Value(10.0) * _weighted_sum(in_groups, weights) + Value(4.0) * _weighted_sum(in_titles, weights),
            output_field=FloatField(),
        )
        condition = functools.reduce(operator.or_, in_groups)
        if len(parsed.groups) > 1 and not parsed.relaxed:
            condition &= enough_groups(in_groups, weights, parsed)
        return condition, score, None

    def hits(self, parsed, queryset):
        stems = parsed.stems()
        rows = queryset.values_list("page_id", "kind", "title", "summary", "body", "attached", "score", "published_at")
        return [
            Hit(
                page_id=page_id,
                kind=kind,
                title=title,
                title_html=python_headline(title, stems, max_words=None),
                excerpt_html=python_headline(" ".join((summary, body, attached)), stems),
                score=score,
                published_at=published_at,
            )
            for page_id, kind, title, summary, body, attached, score, published_at in rows
        ]

    def suggest(self, text, language, limit=SUGGESTIONS):
        words = tokens(text)[:6]
        if not words:
            return []
        queryset = SearchEntry.objects.filter(locale=language)
        for word in words:
            queryset = queryset.filter(Q(title_norm__startswith=word) | Q(title_norm__contains=" " + word))
        starts = Case(
            When(title_norm__startswith=" ".join(words), then=Value(1)), default=Value(0), output_field=IntegerField()
        )
        rows = queryset.annotate(starts=starts).order_by("-starts", "title_norm").values_list("page_id", "title")
        return [{"page_id": page_id, "title": title} for page_id, title in rows[:limit]]


def database_backend() -> DatabaseBackend:
    return PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()
