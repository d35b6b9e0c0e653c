"""Canteen.slug_of is Django's slugify (cut at 80 characters, « cantine » when empty), written for a call per row
of an export: the same text for every kind of name."""

import pytest
from django.utils.text import slugify

from canteens.models import Canteen


@pytest.mark.parametrize(
    "name",
    [
        "École Jules-Ferry",
        "  --Crèche__ Œillet  ",
        '=HYPERLINK("x")',
        "Cantine\x0bcachée\ttab\nligne",
        "Ｆｕｌｌ ｗｉｄｔｈ ﬁ",
        "中文 ελληνικά",
        "",
        "___",
        "a" * 100,
        "Lycée n°2 — cuisine½ ² \x1c\x1f",
    ],
)
def test_slug_of_is_slugify(name):
    assert Canteen.slug_of(name) == (slugify(name)[:80] or "cantine")


def test_slug_of_every_character_of_the_first_planes():
    text = "".join(chr(code) for code in range(1, 0x3000) if not 0xD800 <= code < 0xE000)
    for start in range(0, len(text), 7):
        name = text[start : start + 7]
        assert Canteen.slug_of(name) == (slugify(name)[:80] or "cantine"), repr(name)
