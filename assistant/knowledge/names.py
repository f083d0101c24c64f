"""Clean an indicator name of template residue ("(≥**%)", "指标1:", "*", "1.") for suggestion.

The raw name stays in the raw text (corpus/raw) and in the row's provenance note; only the
cleaned name is ever suggested, so the reviewer never sees a placeholder it would flag.
"""

from __future__ import annotations

import re

from assistant.model import split_number

# "(≥**%)", "（≥**万元）", "( ≥**个 )", "（**）"
_PLACEHOLDER_PAREN = re.compile(r"\s*[（(]\s*[≥≤><=＞＜≧≦]*\s*\*+[^()（）]{0,8}[)）]")
# "≥**人", "≥** 万元" left bare at the end or in the middle
_PLACEHOLDER_BARE = re.compile(r"\s*[≥≤><=＞＜≧≦]?\s*\*{2,}\s*[%％]?[\u4e00-\u9fa5]{0,2}")
_LIST_PREFIX = re.compile(
    r"^\s*(?:指标\s*[0-9０-９一二三四五六七八九十]+\s*[:：、.．]?|其中\s*[:：])\s*"
)
_STARS = re.compile(r"^[\s*＊★☆]+|[\s*＊★☆]+$")
# a target value glued to a rate's name: "质量达标率100%" → "质量达标率"
_GLUED_VALUE = re.compile(r"(率|度)\s*[≥≤><=]?\s*\d+(?:\.\d+)?\s*[%％]$")
_WS = re.compile(r"[\s\u3000]+")
# a bracketed aside: a date, a unit, a note ("按期完成率(2024年10月底前)")
BRACKETED = re.compile(r"[（(][^()（）]*[)）]")


def without_brackets(name: str) -> str:
    """The name without its bracketed asides: "项目完成及时率（2024年底前）" → "项目完成及时率"."""
    return BRACKETED.sub("", name or "").strip()


def clean_name(raw: str) -> str:
    """The name as it should be suggested; "" when nothing but residue was there."""
    text = _WS.sub(" ", raw or "").strip()
    for _ in range(3):  # prefixes can nest: "1. 指标1：*…"
        before = text
        text = split_number(text)[1]
        text = _LIST_PREFIX.sub("", text)
        text = _STARS.sub("", text)
        if text == before:
            break
    text = _PLACEHOLDER_PAREN.sub("", text)
    text = _PLACEHOLDER_BARE.sub("", text)
    text = _GLUED_VALUE.sub(r"\1", text)
    text = _STARS.sub("", text)
    return text.strip(" ：:，,。.;；")


def has_residue(name: str) -> bool:
    """True when a name still shows template residue a reviewer would flag."""
    return bool(
        "**" in name
        or "＊" in name
        or name.lstrip().startswith(("*", "★"))
        or re.match(r"^\s*指标\s*\d", name)
        or split_number(name)[0] is not None
    )


# words that are a 指标值, never a name ("全年", "及时", "优良")
_VALUE_WORDS = frozenset(
    """全年 当年 年底 及时 按时 按期 长期 持续 有效 优良 良好 合格 达标 满意 是 否
    提高 提升 稳定""".split()
)
_VALUE_START = re.compile(
    r"^\s*(?:[≥≤><=＞＜≧≦＝]|[\d０-９]|大于|小于|不低于|不少于|不高于|不超过)"
)
# another project's own amount in the name: "村组干部230人", "本年预算安排800万元"
_OWN_AMOUNT = re.compile(
    r"\d+(?:\.\d+)?\s*(?:万元|元|万平方米|平方米|立方米|公顷|人次|人|户|个|期|场|次|吨|亩|公里|"
    r"km|米|台|套|辆|份|家|所|名|株|座|条|栋|处|间|块)"
)
MAX_SUGGESTED = 30  # longer is a sentence about one project, not an indicator to reuse
_TWO_ROWS = re.compile(r"[,，;；]")  # two indicators run into one output row
MAX_EFFECT = 50  # effect rows are often a clause ("促进…协调发展"), still reusable


def suggestable(name: str, level1: str = "") -> bool:
    """Whether a cleaned precedent name is worth offering to another project: not a value
    ("全年"), not tied to its own project by an amount ("村组干部230人"), not a sentence."""
    bare = without_brackets(name)
    return not (
        len(bare) < 3
        or bare in _VALUE_WORDS
        or _VALUE_START.match(bare)
        or _OWN_AMOUNT.search(bare)
        or len(bare) > (MAX_EFFECT if level1 == "效益指标" else MAX_SUGGESTED)
        or (level1 != "效益指标" and _TWO_ROWS.search(bare))
    )
