"""Understanding one free-text answer per question kind; failures give a Chinese reason.

Each parser returns ``(value, None)`` or ``(None, reason)``; the engine turns a reason into
a re-ask that carries the question's example.
"""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.interview.tokens import normalize_text, to_number
from assistant.model import Amount, FundSources
from assistant.value_text import WAN, decimal_text
from assistant.values import parse_amount_yuan

SKIP_WORDS = {"跳过", "略过", "默认", "用默认", "不填", "下一个", "skip", ""}
NONE_WORDS = {"没有", "无", "没", "不需要", "不用", "没有了", "都没有", "否", "不"}


def clean(text: str) -> str:
    return normalize_text(text).strip().strip("。.!！")


def parse_text(
    text: str,
    min_length: int | None,
    max_length: int | None,
    pattern: str | None,
    pattern_hint: str | None,
) -> tuple[str | None, str | None]:
    value = (text or "").strip()
    if not value:
        return None, "回答是空的"
    if min_length and len(value) < min_length:
        return None, f"回答太短了（至少{min_length}个字）"
    if max_length and len(value) > max_length:
        return None, f"回答太长了（最多{max_length}个字）"
    if pattern and not re.search(pattern, value):
        return None, pattern_hint or "格式不对"
    return value, None


def parse_year(text: str) -> tuple[int | None, str | None]:
    """ "2024" / "2024年" / "二〇二四年" → 2024."""
    t = clean(text).removesuffix("年度").removesuffix("年")
    if re.fullmatch(r"\d{1,6}", t):  # 99999 is a number, just not a budget year
        year = int(t)
    elif re.fullmatch(r"[零〇一二三四五六七八九]{4}", t):
        year = int("".join(str("零一二三四五六七八九".find(c) if c != "〇" else 0) for c in t))
    else:
        return None, "没有看出年份"
    if not 2000 <= year <= 2100:
        return None, f"{year}年不像预算年度"
    return year, None


def parse_money_wan(text: str) -> tuple[Amount | None, str | None, str | None]:
    """An amount for the header, in 万元: (Amount, note, reason).

    "159万" / "1590000元" / "一百五十九万元" / "159"（按万元理解）. ``note`` says how a bare
    number was read, so the user can correct a 元 amount typed without its unit.
    """
    raw = (text or "").strip()
    t = clean(raw).replace(",", "").removeprefix("共").removeprefix("约")
    if not t:
        return None, None, "回答是空的"
    if t.startswith(("-", "－", "负")):
        return None, None, "金额不能是负数"
    note = None
    if t.endswith("元"):
        yuan = parse_amount_yuan(t)
        if yuan is None:
            return None, None, "没有看出金额"
        wan = yuan / WAN
    else:
        unit_wan = t.endswith("万")
        number = to_number(t.removesuffix("万"))
        if number is None:
            return None, None, "没有看出金额"
        wan = number
        if not unit_wan:
            note = f"按万元理解为{decimal_text(wan)}万元"
            if wan >= 10000:
                note += "；如果指的是元，请写明“元”"
    if wan <= 0:
        return None, None, "金额应大于0"
    return Amount(value=wan, raw=raw), note, None


# "（乡村振兴衔接资金）": what the money is, not how much; "市财政拨款": whose budget
_NOTES = re.compile(r"[（(][^）)]*[)）]")
_LEVEL = re.compile(r"(?:中央|省级|省|自治区|区级|市级|市|州|县级|县|区|乡镇|镇|本级)(?=财政)")
_FUND_LABELS = [
    ("fiscal", r"财政拨款|财政资金|财政|拨款"),
    ("other", r"其他资金|其他|自筹资金|自筹"),
    ("carryover", r"结余结转资金|结转结余资金|结余结转|结转资金|结转|结余"),
]


def parse_funds(text: str, annual_wan: Decimal | None) -> tuple[FundSources | None, str | None]:
    """Fund sources in 万元 adding up to the total ("财政拨款150万，其他资金9万")."""
    t = _LEVEL.sub("", _NOTES.sub("", clean(text)))
    whole = re.fullmatch(
        r"(?:全部|都|均|全)?(?:是|为)?(?:由)?"
        r"(财政拨款|财政资金|财政|其他资金|自筹|结余结转资金|结转)(?:资金|安排|解决)?",
        t,
    )
    if whole or t in ("全部财政拨款", "起草"):
        if annual_wan is None:
            return None, "请先回答年度资金总额"
        field = next(
            f for f, pat in _FUND_LABELS if re.fullmatch(pat, whole.group(1) if whole else "财政")
        )
        return FundSources(**{field: Amount(value=annual_wan, raw=decimal_text(annual_wan))}), None
    found: dict[str, Amount] = {}
    pieces = re.split(r"[,，;；、\s]+", t)
    for piece in [p for p in pieces if p]:
        hit = next(
            ((f, m) for f, pat in _FUND_LABELS if (m := re.match(rf"(?:{pat})", piece))), None
        )
        if hit is None:
            return None, f"没有看出“{piece}”是哪一种资金来源（财政拨款、其他资金、结余结转资金）"
        field, label = hit
        amount, _, reason = parse_money_wan(piece[label.end() :].lstrip(":：为是"))
        if amount is None:
            return None, f"“{piece}”里{reason}"
        found[field] = amount
    if not found:
        return None, "没有看出资金来源"
    total = sum((a.value for a in found.values()), Decimal(0))
    if annual_wan is not None and total != annual_wan:
        return None, (
            f"各项资金来源合计{decimal_text(total)}万元，与年度资金总额{decimal_text(annual_wan)}万元不一致"
        )
    return FundSources(**found), None


# words that say some of the money comes from another level of government (a transfer)
_TRANSFER = re.compile(r"转移|下达|上级|中央|补助地方")
_LEVEL_WORD = re.compile(r"省|自治区|市|州|县|区|乡镇|镇")


def own_level(funds: FundSources, text: str, unit_names: str) -> Amount | None:
    """本级资金 (the 资金总额 of the unit's own level): the sources' sum when the answer says
    nothing of another level's money, as the published tables write it. None when it does:
    中央, 上级, 转移, or a level the unit's names (``unit_names``: 主管部门 and 实施单位)
    do not carry ("省财政" for a 县 unit); which part is 本级 is then the user's to say."""
    if funds.local_level is not None or funds.transfer is not None or _TRANSFER.search(text):
        return None
    said = set(_LEVEL_WORD.findall("".join(m.group(0) for m in _LEVEL.finditer(text))))
    if any(level not in unit_names for level in said):
        return None
    parts = [a.value for a in (funds.fiscal, funds.other, funds.carryover) if a is not None]
    if not parts:
        return None
    total = sum(parts, Decimal(0))
    return Amount(value=total, raw=decimal_text(total))


def parse_choice(text: str, choices: list[str], allow_other: bool) -> tuple[str | None, str | None]:
    """A choice by number (1, 2 …), by its text, or by a unique part of it."""
    t = clean(text)
    if (
        re.fullmatch(r"\d{1,2}", t)
        and 1 <= int(t) <= len(choices)
        and not (allow_other and t not in [str(i + 1) for i in range(len(choices))])
    ):
        return choices[int(t) - 1], None
    for c in choices:
        if t == c:
            return c, None
    hits = [c for c in choices if t and (t in c or c in t)]
    if len(hits) == 1:
        return hits[0], None
    if allow_other and t:
        return text.strip(), None
    options = "；".join(f"{i + 1}. {c}" for i, c in enumerate(choices))
    return None, f"请从这些选项中选一个：{options}"


_PICK = re.compile(
    r"(采纳|接受|选|要|用|拒绝|不要|去掉)?\s*第?(\d{1,2}(?:\s*[,，、和\s]\s*\d{1,2})*)(?:条|个|项)?"
)


def parse_pick(text: str) -> tuple[bool, list[int]] | None:
    """Suggestions picked by number in a slot: "1", "采纳1,3", "不要第2条" → (reject?, [n…])."""
    m = _PICK.fullmatch(text)
    if m is None:
        return None
    return m.group(1) in ("拒绝", "不要", "去掉"), [int(n) for n in re.findall(r"\d+", m.group(2))]


_ROW = re.compile(r"^\s*(?P<name>.+?)\s*[:：]\s*(?P<value>.+?)\s*$")
_ROW_SPACE = re.compile(r"^\s*(?P<name>.+?)\s+(?P<value>\S+)\s*$")


def parse_row(text: str) -> tuple[tuple[str, str] | None, str | None]:
    """A typed indicator row: "三级指标：指标值" or "名称 值" → (name, value)."""
    raw = (text or "").strip()
    m = _ROW.match(raw) or _ROW_SPACE.match(raw)
    if not m:
        return None, "没有分清三级指标和指标值（用冒号隔开）"
    name, value = m.group("name").strip(), m.group("value").strip()
    if not name or not value:
        return None, "三级指标和指标值都要写"
    return (name, value), None
