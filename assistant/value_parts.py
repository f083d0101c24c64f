"""One quantity of a 指标值: ``comparator? label? number (range)? unit tail?``.

The piece of the value grammar (``values.py``) that reads a single part such as ``≥95%``,
``5天/次``, ``培训人数≥200人``, ``±5%以内`` or ``每亩475元``, and splits a compound value
(``5次, 5天/次, 5人/次``) into its parts. ``values.parse_value`` decides the kind of the whole
value from the quantities read here.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from assistant.value_text import (
    _ARABIC,
    _CN,
    _arabic_to_decimal,
    _cn_to_decimal,
    _Norm,
    parse_number,
)
from assistant.value_words import (
    _CMP_PREFIX,
    _CMP_SUFFIX,
    _MONEY_FACTOR,
    _MONEY_PREFIX,
    _NOTE_TAIL,
    _PER_RE,
    _RANGE_SEP,
    _THOUSANDS,
    _UNIT_JOINERS,
    _UNITS,
    _VERB_TAIL,
)

Comparator = Literal["≥", "≤", ">", "<", "="]


class Quantity(BaseModel):
    """One number with its unit, e.g. ``5天/次``; ``upper`` is set for ranges (18—54周岁)."""

    model_config = ConfigDict(frozen=True)

    number: Decimal
    unit: str
    raw: str
    upper: Decimal | None = None
    comparator: Comparator | None = None
    label: str | None = None  # what the number measures when the value names it (新建面积)
    tolerance: bool = False  # ±5%: a tolerance around a target, comparator ≤


def _split_parts(s: str) -> list[tuple[int, int]]:
    """Spans of the comma/semicolon-separated parts (a comma inside 1,590,000 is kept)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for i, c in enumerate(s):
        sep = c == ";" or (
            c == "," and not (i > 0 and s[i - 1].isdigit() and _THOUSANDS.match(s, i))
        )
        if sep:
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(s)))
    return [(a, b) for a, b in spans if b > a]


def _tail_comparator(tail: str, verbs: bool = True) -> tuple[bool, str | None]:
    """Whether the text after the unit is an accepted tail, and the comparator it states.

    ``verbs=False`` (after Chinese numerals) allows no wording like 完成/满意: 十分满意 is
    "very satisfied", not 10 分."""
    cmp: str | None = None
    for word, c in _CMP_SUFFIX:
        if tail.startswith(word):
            cmp = c or None
            tail = tail[len(word) :]
            break
    while True:
        m = _NOTE_TAIL.match(tail)
        if not m:
            break
        tail = tail[m.end() :]
    if tail and not (verbs and _VERB_TAIL.fullmatch(tail)):
        return False, None
    return True, cmp


_UNIT_SPAN = 64  # no unit is longer; keeps the search linear on pasted junk


def _segment_ends(text: str, i: int, strict: bool) -> dict[int, int]:
    """End offsets of one unit segment starting at ``text[i]`` → 1 if the segment is an
    unknown word, 0 if known (a listed unit, optionally after 万/亿/千, or Latin letters)."""
    found: dict[int, int] = {}
    mag = 1 if text[i] in "万亿千" and not text.startswith(("千米", "千克"), i) else 0
    for u in _UNITS:
        if text.startswith(u, i + mag):
            found[i + mag + len(u)] = 0
    if mag and not found:
        found[i + 1] = 0  # 250万
    m = re.compile(r"[A-Za-z]+\d?").match(text, i)
    if m:
        found.setdefault(m.end(), 0)
    if not strict:
        m = re.compile(r"[\u4e00-\u9fff]{1,2}").match(text, i)
        if m:
            for end in range(i + 1, m.end() + 1):
                found.setdefault(end, 1)
    return found


def _unit_candidates(rest: str, strict: bool) -> list[tuple[str, int]]:
    """Possible (normalised unit, length consumed) readings at the start of ``rest``, best
    first: known units before unknown words, then longer before shorter. Segments join with
    ``/`` (``人/期/天``); a leading ``/`` is kept (``28.40/株``). ``strict`` (after a Chinese
    numeral) allows only known units."""
    for pct in ("百分比", "%", "‰"):
        if rest.startswith(pct):
            return [("%" if pct == "百分比" else pct, len(pct))]
    text = rest[:_UNIT_SPAN]
    start = 1 if text.startswith("/") else 0
    # chains[i]: end offset → fewest unknown segments, for unit chains starting at i
    chains: dict[int, dict[int, int]] = {}
    for i in range(len(text) - 1, start - 1, -1):
        if text[i] in _UNIT_JOINERS:
            continue
        ends: dict[int, int] = {}
        for end, unknown in _segment_ends(text, i, strict).items():
            _keep_fewest(ends, end, unknown)
            if end + 1 < len(text) and text[end] in _UNIT_JOINERS:
                for end2, unknown2 in chains.get(end + 1, {}).items():
                    _keep_fewest(ends, end2, unknown + unknown2)
        chains[i] = ends
    best = sorted(chains.get(start, {}).items(), key=lambda e: (e[1], -e[0]))
    return [(text[:end], end) for end, _ in best] + [("", 0)]


def _keep_fewest(ends: dict[int, int], end: int, unknown: int) -> None:
    if end not in ends or unknown < ends[end]:
        ends[end] = unknown


_PART_RE = re.compile(rf"(?P<num>{_ARABIC}|{_CN})")
# ±5%以内, 正负5%, +/-5%: a tolerance around a target, read as ≤ N
_TOLERANCE = re.compile(r"±|\+/?-|正负")
# a label before the number: 新建面积1200平方米, 误差±5%, 完成2次 (after 至少/每季度)
_LABEL = re.compile(
    r"([\u4e00-\u9fffA-Za-z]{1,12}?):?"
    r"(?=\d|\.\d|≥|≤|<|>|=|±|\+/?-|正负|不低于|不少于|不高于|不超过|不多于|不小于|不大于|"
    r"大于|小于|高于|低于|至少|至多|最多|最少|达到|控制在|约|每)"
)


def _cmp_at(s: str, i: int) -> tuple[str, str]:
    """The comparator word at ``s[i]`` and its symbol ("" when none)."""
    for word, c in _CMP_PREFIX:
        if s.startswith(word, i):
            return word, c
    return "", ""


def _parse_part(norm: _Norm, a: int, b: int) -> Quantity | None:
    """One ``comparator? number (range)? unit tail?`` piece, or None."""
    s = norm.text[a:b]
    i = 0
    cmp: str | None = None
    label: str | None = None
    tolerance = False
    per: list[str] = []
    # label? comparator? 每X* comparator? verb? — 培训人数≥200人, 至少每季度完成1次, ±5%以内
    for _ in range(4):
        if cmp is None and (tm := _TOLERANCE.match(s, i)) is not None:
            cmp, tolerance, i = "≤", True, tm.end()
            continue
        if cmp is None:
            word, c = _cmp_at(s, i)
            if word:
                cmp, i = (c or None), i + len(word)
                if c == "":
                    cmp = None
                continue
        pm = _PER_RE.match(s, i)
        if pm is not None:
            per.append(pm.group(1))
            i = pm.end()
            continue
        lm = _LABEL.match(s, i)
        if lm is not None and label is None:
            label = norm.raw_of(a + i, a + lm.end(1)) if i == 0 else label
            i = lm.end()
            continue
        break
    pct_prefix = False
    if s.startswith("百分之", i):
        pct_prefix = True
        i += 3
    m = _PART_RE.match(s, i)
    if not m:
        return None
    num_text = m.group("num")
    if len(num_text) > 24:
        return None  # no real value writes a number this long
    chinese = not num_text[0].isdigit() and num_text[0] != "."
    # Chinese numerals are greedy: try shorter readings so units like 万元/百分比 survive.
    # ``一百五十九万元`` reads as 159 万元, like ``159万元``: try without a final 万/亿 first.
    lengths = list(range(len(num_text), 0, -1)) if chinese else [len(num_text)]
    if chinese and len(num_text) > 1 and num_text[-1] in "万亿":
        lengths.remove(len(num_text) - 1)
        lengths.insert(0, len(num_text) - 1)
    for n in lengths:
        piece = num_text[:n]
        number = _cn_to_decimal(piece) if chinese else _arabic_to_decimal(piece)
        if number is None:
            continue
        j = i + n
        upper: Decimal | None = None
        rm = _RANGE_SEP.match(s, j)
        if rm:
            um = _PART_RE.match(s, rm.end())
            if um:
                up_text = um.group("num")
                up_chinese = not up_text[0].isdigit() and up_text[0] != "."
                if up_chinese == chinese:
                    upper = _cn_to_decimal(up_text) if chinese else _arabic_to_decimal(up_text)
                    if upper is not None:
                        j = um.end()
        rest = s[j:]
        if pct_prefix:
            candidates = [("%", 0)]
        else:
            candidates = _unit_candidates(rest, strict=chinese)
        for unit, used in candidates:
            if chinese and not unit:
                continue  # a lone Chinese numeral is too ambiguous (一般, 十分)
            top = upper
            if top is None and unit:
                # 10人-20人, 18岁—54岁: a range that repeats its unit
                rm2 = re.match(rf"(?:-|~|至|到)({_ARABIC}|{_CN})" + re.escape(unit), rest[used:])
                if rm2:
                    top = parse_number(rm2.group(1))
                    if top is not None:
                        used += rm2.end()
            ok, tail_cmp = _tail_comparator(rest[used:], verbs=not chinese)
            if not ok:
                continue
            final_cmp = cmp if cmp is not None else tail_cmp
            if per:
                unit = "/".join([unit, *per])  # 每亩475 → 475 "/亩", like ≤28.40/株
            return Quantity(
                number=number,
                unit=unit,
                raw=norm.raw_of(a, b),
                upper=top,
                comparator=final_cmp,  # type: ignore[arg-type]
                label=label,
                tolerance=tolerance,
            )
    return None


def _money_factor(unit: str) -> Decimal | None:
    m = _MONEY_PREFIX.match(unit)
    return _MONEY_FACTOR[m.group(1)] if m else None


def _quantities(norm: _Norm, start: int) -> list[Quantity]:
    """Every comma/、-separated part from ``start`` on as a quantity, or [] if one fails."""
    out: list[Quantity] = []
    for a, b in _split_parts(norm.text[start:]):
        q = _parse_part(norm, start + a, start + b)
        if q is None:
            return []
        out.append(q)
    return out
