"""Text helpers shared by every backend: normalisation, tokens, stop words, highlighting markers.

Normalised text is lowercase, without accents or ligatures (« Végé » → « vege », « œuf » → « oeuf »), like
PostgreSQL's `unaccent` and Elasticsearch's `asciifolding`, so the three backends agree on what a word is.
"""

import html
import re
import unicodedata

# Highlight markers: private-use characters that never occur in content (they are stripped at index time).
START_MARK = "\ue000"
STOP_MARK = "\ue001"

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "’": "'", "ʼ": "'"})
_TOKEN = re.compile(r"[a-z0-9]+")
# « 50 % » is written as a word, so that « 50 pourcent » and « 50 pour cent » (a synonym) find it: the
# same replacement is made in SQL at index time (search.indexing.VECTOR_SQL) and by Elasticsearch's
# char filter (search.backends.elastic).
PERCENT_WORD = "pourcent"
_PERCENT = re.compile(r"[%\uff05\u066a]")
# Place names whose first word is a stop word: « La Réunion » would be indexed as « réunion » (a meeting)
# once « la » is dropped. Written with capitals in the text (« à La Réunion », not « la réunion d'équipe »),
# the name also gets one glued word, and a query's « la réunion » looks for that word only (`glued`).
# The same addition is made in SQL at index time (search.indexing.VECTOR_SQL) and by Elasticsearch's
# char filter (search.backends.elastic).
PLACE_NAMES = {("la", "reunion"): "lareunion"}
# (written forms, case-sensitive) for the index: « La Réunion », « la Réunion », without accent too
PLACE_NAME_FORMS = {"lareunion": ["La Réunion", "la Réunion", "La Reunion", "la Reunion", "LA RÉUNION"]}
_PLACE_NAME = re.compile(r"\b(?:[Ll]a R[ée]union|LA RÉUNION)\b")
PLACE_NAME_SQL = (r"'\m([Ll]a R[ée]union|LA RÉUNION)\M'", r"'\1 lareunion'")
_MARKERS = re.compile(f"[{START_MARK}{STOP_MARK}]")
# NUL and the other C0/C1 control characters: Django's form fields refuse NUL, PostgreSQL's text too.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")

# PostgreSQL's French stop words (tsearch_data/french.stop), ASCII entries only: our queries are unaccented
# and the `french_unaccent` configuration removes only these from ASCII words.
FRENCH_STOP_WORDS = frozenset(
    """au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me mes moi mon ne nos
    notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j
    l m n s t y suis es est sommes sont serai seras sera serons serez seront serais serait serions seriez
    seraient fus fut furent sois soit soyons soyez soient fusse fusses fussions fussiez fussent ayant ayante
    ayantes ayants eu eue eues eus ai as avons avez ont aurai auras aura aurons aurez auront aurais aurait
    aurions auriez auraient avais avait avions aviez avaient eut eurent aie aies ait ayons ayez aient eusse
    eusses eussions eussiez eussent""".split()
    # not in PostgreSQL's list, but as uninformative in a query
    + "les cet cette leurs dont".split()
    # question words (« comment informer les familles ? », « c'est quoi un menu végétarien ? »)
    + "comment quoi quel quelle quels quelles combien pourquoi quand faut faire dois doit peut peux sert".split()
)
# PostgreSQL's English stop words (tsearch_data/english.stop).
ENGLISH_STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers
    herself it its itself they them their theirs themselves what which who whom this that these those am is
    are was were be been being have has had having do does did doing a an the and but if or because as until
    while of at by for with about against between into through during before after above below to from up
    down in out on off over under again further then once here there when where why how all any both each few
    more most other some such no nor not only own same so than too very s t can will just don should now""".split()
)


def normalize(text: str) -> str:
    """Lowercase, no accents, no ligatures: « Œufs BIO, végé » → « oeufs bio, vege »."""
    text = (text or "").translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def with_place_names(text: str) -> str:
    """« à La Réunion » → « à La Réunion lareunion » (index side, see PLACE_NAMES)."""
    return _PLACE_NAME.sub(lambda match: f"{match.group()} {PLACE_NAMES[('la', 'reunion')]}", text or "")


def glued(words: tuple[str, ...]) -> tuple[str, ...]:
    """A place name of PLACE_NAMES as its glued word (query side): ("la", "reunion") → ("lareunion",)."""
    return (PLACE_NAMES[words],) if words in PLACE_NAMES else words


def tokens(text: str) -> list[str]:
    """Normalised words (ASCII letters and digits): « l'outre-mer » → ["l", "outre", "mer"]."""
    return _TOKEN.findall(_PERCENT.sub(f" {PERCENT_WORD} ", normalize(text)))


def token_spans(text: str) -> list[tuple[str, bool]]:
    """[(word, joined to the previous word by a hyphen)]: « télé-déclarer » → [("tele", False), ("declarer", True)]."""
    normal = _PERCENT.sub(f" {PERCENT_WORD} ", normalize(text))
    spans, end = [], None
    for match in _TOKEN.finditer(normal):
        joined = end is not None and normal[end : match.start()] in {"-", "\u2010", "\u2011"}
        spans.append((match.group(), joined))
        end = match.end()
    return spans


def stop_words(language: str) -> frozenset[str]:
    return ENGLISH_STOP_WORDS if language == "en" else FRENCH_STOP_WORDS


def clean(text: str) -> str:
    """Text as stored in the index: highlight markers removed, whitespace collapsed."""
    return " ".join(_MARKERS.sub(" ", text or "").split())


def marks_to_html(text: str) -> str:
    """Escape a highlighted text, then turn the markers into <mark> elements (the only HTML let through)."""
    escaped = html.escape(text or "", quote=False)
    return escaped.replace(START_MARK, "<mark>").replace(STOP_MARK, "</mark>")


def variants(word: str) -> list[str]:
    """Singular and plural forms of a normalised word, for matching across stemmer gaps.

    The Snowball French stemmer keeps « menus » and « menu » apart (it only drops an « s » after some
    letters): searching either finds both.
    """
    forms = [word]
    if len(word) > 3 and word[-1] in "sx":
        forms.append(word[:-1])
    elif len(word) > 2 and not word[-1].isdigit():
        forms.append(word + "s")
    return forms


_WORD = re.compile(r"\w+", re.UNICODE)


def python_headline(text: str, stems: list[str], max_words: int | None = 30) -> str:
    """A highlighted excerpt computed in Python (SQLite fallback): words starting with a stem are marked.

    `max_words=None`: the whole text. Returns HTML: the text is escaped, only <mark> elements are added.
    """
    text = clean(text)
    if not text:
        return ""
    stems = [stem for stem in stems if stem]
    words = list(_WORD.finditer(text))

    def matches(word: str) -> bool:
        normal = normalize(word)
        return any(normal.startswith(stem) for stem in stems)

    if not words:
        return marks_to_html(text[:200])
    hits = {index for index, match in enumerate(words) if matches(match.group())}
    if max_words is None:
        start, end = 0, len(words)
    else:
        start = max(0, min(hits) - 5) if hits else 0
        end = min(len(words), start + max_words)
    begin_char = 0 if start == 0 else words[start].start()
    end_char = len(text) if end == len(words) else words[end - 1].end()
    pieces, cursor = [], begin_char
    for index in range(start, end):
        match = words[index]
        if index in hits:
            pieces.append(text[cursor : match.start()])
            pieces.append(START_MARK + match.group() + STOP_MARK)
            cursor = match.end()
    pieces.append(text[cursor:end_char])
    excerpt = "".join(pieces)
    if begin_char > 0:
        excerpt = "… " + excerpt
    if end_char < len(text):
        excerpt += " …"
    return marks_to_html(excerpt)


def one_line(text) -> str:
    """A user's query on one line: control characters (NUL included) and runs of whitespace become one space."""
    return " ".join(_CONTROL_CHARACTERS.sub(" ", str(text or "")).split())
