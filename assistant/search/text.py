"""Text keys used by the search index: cleaned names, character n-grams, group keys."""

from __future__ import annotations

import re
import unicodedata

from assistant.model import _NUMBER_PREFIX, Indicator, split_number

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


_SEP = "\x00"  # never in a name's cleaned text (not whitespace, not punctuation)
# a row number right after a separator; the literal first character lets the regex engine
# jump from separator to separator instead of trying every position
_BATCH_NUMBER = (
    re.compile("\x00" + _NUMBER_PREFIX.pattern[1:], _NUMBER_PREFIX.flags)
    if _NUMBER_PREFIX.pattern.startswith("^")
    else None
)


def clean_many(names: list[str]) -> list[tuple[str, str]]:
    """(indicator text, group-key text) for many raw names at once: the same result as
    ``indicator_text`` and ``strip_punct`` one by one, in a few passes over one string."""
    if not names:
        return []
    if _BATCH_NUMBER is None or any(_SEP in n or "\n" in n for n in names):
        out = []
        for n in names:
            text = clean_name(split_number(n)[1])
            out.append((text, strip_punct(text)))
        return out
    joined = _BATCH_NUMBER.sub(_SEP, _SEP + _SEP.join(names))[1:]
    if not unicodedata.is_normalized("NFKC", joined):
        # NFKC only the names that need it (a few in five): 5x faster than the whole text
        joined = _SEP.join(
            part if unicodedata.is_normalized("NFKC", part) else unicodedata.normalize("NFKC", part)
            for part in joined.split(_SEP)
        )
    joined = "".join(joined.split()).lower()  # str.split() splits on exactly what \s matches
    return list(zip(joined.split(_SEP), _PUNCT.sub("", joined).split(_SEP), strict=True))


def strip_punct(text: str) -> str:
    return _PUNCT.sub("", text)


def group_key(ind: Indicator) -> tuple[str, str, str]:
    """Near-identical precedents share this key: same levels, same name up to punctuation."""
    return ind.level1, ind.level2, strip_punct(indicator_text(ind))


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
