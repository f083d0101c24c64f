"""Indicator-name similarity for pairing rows: character bigrams, ignoring numbers and
punctuation, so ``用于缴纳职工2024年各类社会保险`` matches ``缴纳职工各类社会保险金额``."""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.model import split_number

_NOISE = re.compile(r"\d{4}年|\d+(?:\.\d+)?|[\s\W_]+", re.UNICODE)
_ORDINAL = re.compile(
    r"第[\d一二三四五六七八九十]+[期批次届轮场班]|[（(][^（()）]*\d[^（()）]*[)）]"
)


def normalize_name(name: str) -> str:
    """Name without its row number, ordinals (第1期), bracketed counts (（13份）) and digits."""
    bare = split_number(name)[1]
    bare = _ORDINAL.sub("", bare)
    return _NOISE.sub("", bare)


@lru_cache(maxsize=8192)
def bigrams(name: str) -> frozenset[str]:
    text = normalize_name(name)
    if len(text) < 2:
        return frozenset({text}) if text else frozenset()
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def name_similarity(a: str, b: str) -> float:
    """max(Jaccard, 0.8 × containment) over character bigrams; 1.0 for equal names."""
    x, y = bigrams(a), bigrams(b)
    if not x or not y:
        return 0.0
    common = len(x & y)
    jaccard = common / len(x | y)
    containment = common / min(len(x), len(y))
    return max(jaccard, 0.8 * containment)
