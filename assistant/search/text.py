"""Text keys used by the search index: cleaned names, character n-grams, group keys."""

from __future__ import annotations

import re
import unicodedata

from assistant.model import Indicator

_SPACE = re.compile(r"\s+")
# punctuation and symbols that do not change what an indicator measures
_PUNCT = re.compile(
    r"[\s\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
    r"!-/:-@\[-`{-~“”‘’·•…—–]+"
)


def clean_name(text: str) -> str:
    """What the index sees of a name: NFKC, no whitespace, lower case (the raw text is kept
    elsewhere)."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or "")).lower()


def indicator_text(ind: Indicator) -> str:
    """The text an indicator is found by: its 三级指标 without the row number."""
    return clean_name(ind.bare_name)


def group_key(ind: Indicator) -> tuple[str, str, str]:
    """Near-identical precedents share this key: same levels, same name up to punctuation."""
    return ind.level1, ind.level2, _PUNCT.sub("", indicator_text(ind))


def char_ngrams(text: str, sizes: tuple[int, ...] = (1, 2)) -> list[str]:
    """Character n-grams of the cleaned text (punctuation dropped): the BM25 vocabulary."""
    chars = _PUNCT.sub("", clean_name(text))
    out: list[str] = []
    for n in sizes:
        out.extend(chars[i : i + n] for i in range(len(chars) - n + 1))
    return out


def value_key(value: str) -> str:
    """A value as counted among typical values: whitespace squashed, full-width → half-width
    (≥, ≤ and Chinese text unchanged)."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", value or ""))
