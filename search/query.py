"""From what the user typed to groups of equivalent alternatives (the database backends' query model).

« menu vege » → [menu | menus] AND [vege:* | vegetarien | vegetal | ...]: one group per word (or per
multi-word synonym found in the query), each group being the word, its singular/plural forms, its
synonyms and the spelling corrections found in the index vocabulary. A word written with a hyphen
(« télé-déclarer », « anti-gaspi ») is one group: the two words as a phrase or glued together
(« teledeclarer », and the synonyms of the glued form).

Relaxed matching: a document matches when it matches enough groups — all of them up to two; beyond, 75 %
of them (rounded down, at least two: Elasticsearch's `minimum_should_match: "2<75%"`) or groups carrying
two thirds of the query's weight (rare words weigh more); when no document matches enough groups, any
group will do (`relaxed`; from three groups on, also when fewer than five documents match), so a page
is never empty while one word matches. A document ranks higher when
it matches more, and rarer, groups, in its title first: documents with every word come first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .synonyms import synonym_map
from .text import PERCENT_WORD, PLACE_NAMES, glued, normalize, stop_words, token_spans, tokens, variants

MAX_TERMS = 10
PLACE_NAMES_KEYS = frozenset(PLACE_NAMES)
# A query of three groups or more with fewer matches than this (two groups or one: no match) is relaxed:
# any group will do, the best matches still rank first (both backends).
RELAX_BELOW = 5
MIN_CORRECTABLE_LENGTH = 4
MIN_TRUNCATED_LENGTH = 7
LONGEST_SYNONYM = 5


@dataclass(frozen=True)
class Alternative:
    words: tuple[str, ...]  # normalised words; more than one: a phrase
    prefix: bool = False  # the last word typed: also matches longer words (« gasp » → gaspillage)
    kind: str = "typed"  # typed, synonym, correction, truncated

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    def forms(self) -> list[str]:
        """Single words only: the word and its singular/plural variant."""
        return variants(self.words[0]) if not self.is_phrase else []


@dataclass
class Group:
    typed: str
    alternatives: list[Alternative] = field(default_factory=list)

    def add(self, alternative: Alternative):
        if alternative.words in PLACE_NAMES_KEYS:  # « la réunion »: the region's glued word, not « réunion »
            alternative = Alternative(glued(alternative.words), alternative.prefix, alternative.kind)
        if alternative.words and alternative not in self.alternatives:
            same_words = [alt for alt in self.alternatives if alt.words == alternative.words]
            if same_words and not alternative.prefix:
                return
            self.alternatives.append(alternative)

    def stems(self) -> list[str]:
        """Prefixes that identify this group's words in plain text (Python highlighter, SQLite)."""
        stems = []
        for alt in self.alternatives:
            if alt.is_phrase:
                stems.extend(word_stem(word) for word in alt.words)
            else:
                stems.append(alt.words[0] if alt.prefix else word_stem(alt.words[0]))
        return list(dict.fromkeys(stem for stem in stems if len(stem) > 1))


def word_stem(word: str) -> str:
    """A crude stem for substring matching: « menus » → « menu », « animaux » → « anima »."""
    if len(word) > 4 and word.endswith("aux"):
        return word[:-2]
    if len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    if len(word) > 4 and word[-1] == "e":
        return word[:-1]
    return word


@dataclass
class ParsedQuery:
    text: str
    language: str
    groups: list[Group]
    relaxed: bool = False  # True: min_match lowered to 1 because (almost) nothing matched enough groups
    weights: list[float] | None = None  # one per group (rarer words weigh more), see backends.database

    def group_weights(self) -> list[float]:
        if self.weights and len(self.weights) == len(self.groups):
            return list(self.weights)
        return [1.0] * len(self.groups)

    def __bool__(self):
        return bool(self.groups)

    @property
    def min_match(self) -> int:
        """Groups to match when all weigh the same: all of them up to two, then 75 % (rounded down)."""
        count = len(self.groups)
        if self.relaxed:
            return 1
        return count if count <= 2 else max(2, int(count * 0.75))

    @property
    def min_weight(self) -> float:
        """The weight of the groups a document must match (weights have a mean of 1).

        One group: it; beyond: two thirds of the query's weight (two groups: both, or one weighing twice
        the other), so that with equal weights
        3 words need 2 and 4 words need 3, like `min_match`, but a page matching the rare words of the
        query (« outre-mer » in « loi egalim bio outre-mer ») is kept even if it misses common ones.
        """
        count = len(self.groups)
        if self.relaxed:
            return min(self.group_weights())
        if count == 1:
            return sum(self.group_weights())
        # two words: both, unless one weighs twice the other (« ultramarins egalim »: « egalim » is on
        # most pages, « ultramarins » alone is enough)
        return sum(self.group_weights()) * 2 / 3

    @property
    def normalized(self) -> str:
        return " ".join(group.typed for group in self.groups)

    def stems(self) -> list[str]:
        return list(dict.fromkeys(stem for group in self.groups for stem in group.stems()))


def needs_relaxing(parsed: ParsedQuery, matches: int) -> bool:
    """True when `matches` documents matching enough groups are too few (see RELAX_BELOW)."""
    return len(parsed.groups) > 1 and matches < (RELAX_BELOW if len(parsed.groups) > 2 else 1)


def words_to_check(text: str, language: str) -> tuple[list[str], str | None]:
    """(words that may be misspelt, the last word when it is still being typed), for the vocabulary lookup."""
    spans = token_spans(text)[:MAX_TERMS]
    words = [word for word, _joined in spans if word not in stop_words(language)]
    # « télé-déclarer »: the glued form is a group of its own (see parse)
    words += [spans[i - 1][0] + word for i, (word, joined) in enumerate(spans) if joined]
    checked = [
        word
        for word in dict.fromkeys(words)
        if len(word) >= MIN_CORRECTABLE_LENGTH and not word.isdigit() and word != PERCENT_WORD
    ]
    last = _prefix_word(text, language)
    return checked, last


def _prefix_word(text: str, language: str) -> str | None:
    """The last word, when the query ends with it (« menu gasp », not « menu gasp. »): matched as a prefix."""
    words = tokens(text)[:MAX_TERMS]
    if not words:
        return None
    last = words[-1]
    if len(last) < 3 or last in stop_words(language) or last.isdigit():
        return None
    return last if normalize(text).endswith(last) else None


def parse(text: str, language: str = "fr", corrections: dict[str, list[str]] | None = None) -> ParsedQuery:
    corrections = corrections or {}
    synonyms = synonym_map()
    stops = stop_words(language)
    spans = token_spans(text)[:MAX_TERMS]
    words = [word for word, _joined in spans]
    prefix_word = _prefix_word(text, language)
    groups: list[Group] = []
    position = 0
    while position < len(words):
        # « télé-déclarer » (not a known phrase like « outre-mer »): the phrase or the glued word
        if (
            position + 1 < len(words)
            and spans[position + 1][1]
            and tuple(words[position : position + 2]) not in synonyms
            and (position + 2 >= len(words) or not spans[position + 2][1])
            and words[position] not in stops
            and words[position + 1] not in stops  # « faut-il », « est-ce »: two words
        ):
            first, second = words[position], words[position + 1]
            glued = first + second
            group = Group(typed=glued)
            group.add(Alternative((glued,)))
            group.add(Alternative((first, second)))
            for form in variants(glued):
                for term in synonyms.get((form,), []):
                    group.add(Alternative(term, kind="synonym"))
            for candidate in corrections.get(glued, []):
                group.add(Alternative((candidate,), kind="correction"))
            groups.append(group)
            position += 2
            continue
        # multi-word synonyms first, longest match: « haute valeur environnementale », « outre mer »
        matched = False
        for length in range(min(LONGEST_SYNONYM, len(words) - position), 1, -1):
            key = tuple(words[position : position + length])
            if key in synonyms:
                group = Group(typed=" ".join(key))
                group.add(Alternative(key))
                for term in synonyms[key]:
                    group.add(Alternative(term, kind="synonym"))
                groups.append(group)
                position += length
                matched = True
                break
        if matched:
            continue
        word = words[position]
        position += 1
        if word in stops or (len(word) < 2 and not word.isdigit()):
            continue
        is_last = position == len(words)
        group = Group(typed=word)
        group.add(Alternative((word,)))
        if is_last and prefix_word == word:
            group.add(Alternative((word,), prefix=True))
        if len(word) >= MIN_TRUNCATED_LENGTH and word.isalpha():
            # conjugations and derived forms the stemmer keeps apart (« réduire », « réduit »)
            group.add(Alternative((word[:-2],), prefix=True, kind="truncated"))
        candidates = [word, *corrections.get(word, [])]
        for candidate in candidates:
            if candidate != word:
                group.add(Alternative((candidate,), kind="correction"))
            for form in variants(candidate):
                for term in synonyms.get((form,), []):
                    group.add(Alternative(term, kind="synonym"))
        groups.append(group)
    # the same word typed twice counts once
    unique: dict[str, Group] = {}
    for group in groups:
        unique.setdefault(group.typed, group)
    return ParsedQuery(text=text, language=language, groups=list(unique.values()))
