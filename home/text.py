"""Names typed by people (canteens, communes): no control character, no bidirectional override.

A carriage return in a canteen name broke the e-mail headers built from it (a join request, the mail-merge ZIP
of a whole department: 500), and a right-to-left override (U+202E) makes « cantine‮fdp.exe » read otherwise.
`unsafe_characters()` finds them (refused at input: Canteen.clean()); `one_line()` removes them from older data
where a header or a file name is built (officers' .eml drafts, e-mail subjects).
"""

import re

# C0 and C1 controls (tab, line feed, carriage return included), DEL, and the bidirectional controls
# (LRM, RLM, ALM, embeddings, overrides, isolates)
UNSAFE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def unsafe_characters(text) -> bool:
    return bool(UNSAFE_RE.search(str(text or "")))


def one_line(text) -> str:
    """`text` on one line: unsafe characters become spaces, runs of whitespace one space."""
    return " ".join(UNSAFE_RE.sub(" ", str(text or "")).split())
