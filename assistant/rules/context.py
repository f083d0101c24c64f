"""Per-table facts every rule needs, computed once: parsed values, cost/quantity rows, year."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from assistant.model import (
    FRAMEWORKS,
    L1_BENEFIT,
    L1_COST,
    L1_OUTPUT,
    L1_SATISFACTION,
    L2_COST,
    L2_ECO_COST,
    L2_ECOLOGICAL,
    L2_ECON_COST,
    L2_ECONOMIC,
    L2_QUALITY,
    L2_QUANTITY,
    L2_SATISFACTION,
    L2_SOCIAL,
    L2_SOCIAL_COST,
    L2_SUSTAINABLE,
    L2_TIME,
    Indicator,
    TargetTable,
    normalize_levels,
)
from assistant.rules.report import Location
from assistant.value_text import WAN
from assistant.values import ParsedValue, Quantity, implied_money, parse_value


@lru_cache(maxsize=8192)
def parsed(value: str, real_zero: bool = False) -> ParsedValue:
    """``parse_value`` memoised: the TUI re-validates on every keystroke."""
    return parse_value(value, real_zero=real_zero)


_KNOWN_L1 = set().union(*(tree.keys() for tree in FRAMEWORKS.values()))
_KNOWN_L2 = {l2 for tree in FRAMEWORKS.values() for l2s in tree.values() for l2 in l2s}
# template decorations around a level name: 产出指标（50分）, 一级指标：产出, 1.数量指标
_DECOR = re.compile(
    r"[（(][^（）()]*[)）]|^\s*(?:[一二三]级指标)\s*[:：]?|^\s*[\d一二三四五六]+\s*[.、．]"
)
_L1_WORDS = (
    ("满意", L1_SATISFACTION),
    ("产出", L1_OUTPUT),
    ("成本", L1_COST),
    ("效益", L1_BENEFIT),
    ("效果", L1_BENEFIT),
)
_L2_WORDS = (
    ("经济成本", L2_ECON_COST),
    ("社会成本", L2_SOCIAL_COST),
    ("生态环境成本", L2_ECO_COST),
    ("生态成本", L2_ECO_COST),
    ("数量", L2_QUANTITY),
    ("质量", L2_QUALITY),
    ("时效", L2_TIME),
    ("进度", L2_TIME),
    ("时间", L2_TIME),
    ("成本", L2_COST),
    ("经济效益", L2_ECONOMIC),
    ("社会效益", L2_SOCIAL),
    ("生态", L2_ECOLOGICAL),
    ("可持续", L2_SUSTAINABLE),
    ("满意", L2_SATISFACTION),
)


def canonical_levels(level1: str | None, level2: str | None) -> tuple[str, str]:
    """``normalize_levels``, then for template labels it does not know (产出指标（50分）,
    一级指标：效益, 产出时效性指标) the framework name the label plainly contains."""
    l1, l2 = normalize_levels(level1, level2)
    if l1 in _KNOWN_L1 and (l2 in _KNOWN_L2 or not l2):
        return l1, l2
    raw1 = _DECOR.sub("", level1 or "").strip()
    raw2 = _DECOR.sub("", level2 or "").strip()
    l1, l2 = normalize_levels(raw1, raw2)
    if l2 not in _KNOWN_L2:
        l2 = next((canon for word, canon in _L2_WORDS if word in raw2), l2)
        if l2 in _KNOWN_L2:
            l1, l2 = normalize_levels(l1 if l1 in _KNOWN_L1 else raw1, l2)
    if l1 not in _KNOWN_L1:
        l1 = next((canon for word, canon in _L1_WORDS if word in raw1), l1)
    return l1, l2


_UNIT_SPLIT = re.compile(r"\s*(?:/|每|·|\.|\*|×)\s*")


def split_unit(unit: str | None) -> tuple[str, list[str]]:
    """``元/天/人`` → (``元``, [``天``, ``人``]); ``人/期/天`` → (``人``, [``期``, ``天``])."""
    text = (unit or "").strip().strip("()（）")
    if not text:
        return "", []
    parts = [p.strip("()（）") for p in _UNIT_SPLIT.split(text) if p.strip("()（）")]
    if not parts:
        return "", []
    return parts[0], parts[1:]


def is_money_unit(unit: str | None) -> bool:
    head, _ = split_unit(unit)
    return head in ("元", "万元", "千元", "亿元")


def money_factor(unit: str | None) -> Decimal:
    """How many 元 one unit of this money unit is."""
    head, _ = split_unit(unit)
    return {"万元": WAN, "千元": Decimal(1000), "亿元": Decimal(100000000)}.get(head, Decimal(1))


@dataclass
class Row:
    """One indicator row with what the rules need about it."""

    index: int
    ind: Indicator
    value: ParsedValue
    number: int | None
    bare: str
    l1: str = ""  # canonical level names (产出数量 → 数量指标), set from ``ind``
    l2: str = ""

    def __post_init__(self) -> None:
        self.l1, self.l2 = canonical_levels(self.ind.level1, self.ind.level2)

    @property
    def location(self) -> Location:
        return Location(
            level1=self.ind.level1, level2=self.ind.level2, row=self.index, name=self.ind.name
        )

    @property
    def is_cost(self) -> bool:
        """A money cost row: 成本指标 (older tree) or 经济成本指标 (2021 tree)."""
        return self.l2 in (L2_COST, L2_ECON_COST) or (self.l1 == L1_COST and not self.l2)

    @property
    def is_quantity(self) -> bool:
        return self.l2 == L2_QUANTITY

    def money_read(self) -> tuple[Quantity, Decimal, list[str], str] | None:
        """The first money amount in the value: (the quantity read, whose raw text is the unit
        cost as written; 元 per unit; unit denominators; unit text).

        In a cost row an amount written without 元 (``≤2万/月``) is money too."""
        for q in self.value.quantities:
            if is_money_unit(q.unit):
                _, denoms = split_unit(q.unit)
                return q, q.number * money_factor(q.unit), denoms, q.unit
        if self.is_cost:
            for q in self.value.quantities:
                implied = _implied(q) or _unit_from_name(q, self.ind.name)
                if implied is not None:
                    _, denoms = split_unit(implied[1])
                    return q, implied[0], denoms, implied[1]
        return None

    def money(self) -> tuple[Decimal, list[str], str] | None:
        """``money_read()`` without the quantity: (元 per unit, denominators, unit text)."""
        read = self.money_read()
        return None if read is None else read[1:]


def _implied(q: Quantity) -> tuple[Decimal, str] | None:
    """Money a cost row writes without 元: ``≤2万/月`` (万元/月), ``≤28.40/株`` (元/株)."""
    if q.unit.startswith("/") and len(q.unit) > 1:
        return q.number, "元" + q.unit
    return implied_money(q)


_NAME_MONEY_UNIT = re.compile(r"[（(][^（）()]*?((?:万|千)?元(?:/[^（）()\s]+)?)\s*[)）]\s*$")


def _unit_from_name(q: Quantity, name: str) -> tuple[Decimal, str] | None:
    """A bare number under a name that gives the unit: 项目总投入(≥**万元) 6070 → 6070万元."""
    if q.unit:
        return None
    m = _NAME_MONEY_UNIT.search(name or "")
    if not m:
        return None
    return q.number * money_factor(m.group(1)), m.group(1)


_PLACEHOLDER = {"0", "无", "/", "—", "-", "－", "不适用", "0/0"}


def is_placeholder(ind: Indicator) -> bool:
    """The seed's "0 / 0" rows: a dimension that does not apply, not an indicator."""
    name = ind.name.strip()
    value = ind.value.strip()
    return name in _PLACEHOLDER and (value in _PLACEHOLDER or value == "")


_YEAR_IN_TEXT = re.compile(r"(20\d{2})\s*年")


@dataclass
class TableContext:
    table: TargetTable
    rows: list[Row] = field(default_factory=list)

    @classmethod
    def build(cls, table: TargetTable) -> TableContext:
        rows = [
            Row(
                i,
                ind,
                parsed(ind.value, ind.name.strip() not in _PLACEHOLDER),
                ind.number,
                ind.bare_name,
            )
            for i, ind in enumerate(table.indicators)
        ]
        return cls(table, rows)

    @property
    def cost_rows(self) -> list[Row]:
        return [r for r in self.rows if r.is_cost and not is_placeholder(r.ind)]

    @property
    def quantity_rows(self) -> list[Row]:
        return [r for r in self.rows if r.is_quantity and not is_placeholder(r.ind)]

    @property
    def annual_total_yuan(self) -> Decimal | None:
        h = self.table.header
        amount = h.annual_total or h.total
        return amount.value * WAN if amount is not None else None

    @property
    def year(self) -> int | None:
        """The budget year: the header's, else the year in the project name."""
        year = self.table.header.year
        if not year:
            m = _YEAR_IN_TEXT.search(self.table.header.project_name or "")
            year = int(m.group(1)) if m else None
        return year if year is not None and 1900 <= year <= 2199 else None

    @property
    def period_years(self) -> int | None:
        """Years in 项目期 (``1年``, ``3年``), or 1 for a 一年期 project; None when unknown."""
        h = self.table.header
        m = re.search(r"(?<![\d.])(\d{1,2})\s*年", h.period or "")  # 3年, not 2022年
        if m and 0 < int(m.group(1)) <= 50:
            return int(m.group(1))
        if "一年期" in (h.attribute or "") or "一年期" in (h.period or ""):
            return 1
        return None
