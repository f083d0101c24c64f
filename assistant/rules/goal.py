"""Rule 5: counts and money stated in 年度总体绩效目标 agree with the rows (GOAL-…)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from assistant.rules.context import Row, TableContext, is_money_unit
from assistant.rules.money import SESSION_UNITS, Part, canon, parts_of
from assistant.rules.report import Finding, Location, finding
from assistant.rules.standards import check_standards
from assistant.value_text import WAN, decimal_text
from assistant.values import parse_number

GOAL_UNITS = (
    "万元|元|人次|人|名|期|台|套|个|项|份|次|场|批|班|辆|所|户|家|篇|册|本|门"
    "|课时|学时|亩|公里|吨|株|件|处"
)
_GOAL_QUANTITY = re.compile(
    r"(?<![\d.．第])(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]{2,}|[二两三四五六七八九十])\s*"
    rf"({GOAL_UNITS})(?![\d/]|百分)"
)


_TOTAL_WORDS = re.compile(
    r"(?:共计|合计|总计|总额|预算|总投资|投资|资金|余额|共|计)[^，。；,;]{0,4}$"
)


_PER_BEFORE = re.compile(r"每[^，。；,;、\d]{1,6}$|标准[为是:：]?$|按[^，。；,;]{0,3}$")


@dataclass(frozen=True)
class Stated:
    number: Decimal
    unit: str
    raw: str
    total_like: bool = False  # 共计…元 / 预算…万元: the amount the whole project costs
    per_unit: bool = False  # 3100元每平方米: a price, not an amount


def stated_in(goal: str) -> list[Stated]:
    """Numbers with units the goal text states: ``共培训1010人`` → 1010 人."""
    out: list[Stated] = []
    for m in _GOAL_QUANTITY.finditer(goal or ""):
        text, unit = m.group(1), m.group(2)
        if not text[0].isdigit() and unit == "个":
            continue  # 四个意识、两个维护: set phrases, not counts
        number = Decimal(text) if text[0].isdigit() else parse_number(text)
        if number is None:
            continue
        before = goal[max(0, m.start() - 8) : m.start()]
        after = goal[m.end() : m.end() + 1]
        # 每村补助20万元, 补助标准为500元: a standard per unit, not the project's sum
        per_before = bool(_PER_BEFORE.search(before))
        out.append(
            Stated(
                number,
                unit,
                m.group(0),
                total_like=bool(_TOTAL_WORDS.search(before)) and "其中" not in before,
                per_unit=after in ("每", "/") or per_before,
            )
        )
    return out


def _count(parts: list[Part], unit: str) -> Decimal | None:
    """How many ``unit`` a quantity value amounts to: 2期 × 100人/期 → 200人."""
    for p in parts:
        if canon(p.head) == canon(unit):
            n = p.number
            for per in p.per:
                if per in SESSION_UNITS:
                    n *= next((s.number for s in parts if s.head == per), Decimal(1))
            return n
    return None


def _money_values(ctx: TableContext, products: dict[int, Decimal]) -> set[Decimal]:
    h = ctx.table.header
    values: set[Decimal] = set(products.values())
    if products:
        values.add(sum(products.values(), Decimal(0)))
    sources = [getattr(h.funds, name) for name in type(h.funds).model_fields]
    for amount in (h.total, h.annual_total, *sources):
        if amount is not None:
            values.add(amount.value * WAN)
    for r in ctx.rows:
        for q in r.value.quantities:
            if is_money_unit(q.unit):
                money = r.money()
                if money is not None:
                    values.add(money[0])
    return values


def _aggregates(rows: Iterable[Row], unit: str) -> tuple[Decimal | None, set[Decimal]]:
    """(sum over all rows, every other sensible reading): single rows, compound rows only,
    and the number of rows (``共包含5项工作`` with five quantity rows)."""
    rows = list(rows)
    counts: list[tuple[Row, Decimal]] = []
    for r in rows:
        n = _count(parts_of(r), unit)
        if n is not None:
            counts.append((r, n))
    if not counts:
        return None, set()
    total = sum((n for _, n in counts), Decimal(0))
    readings = {n for _, n in counts}
    readings.add(sum((n for r, n in counts if len(r.value.quantities) > 1), Decimal(0)))
    readings.add(Decimal(len(rows)))
    return total, readings


def check_goal(ctx: TableContext, products: dict[int, Decimal]) -> list[Finding]:
    goal = ctx.table.goal or ""
    out: list[Finding] = []
    loc = Location(field="年度总体绩效目标")
    quantities = ctx.quantity_rows
    money_values: set[Decimal] | None = None
    reported: set[tuple[Decimal, str]] = set()
    stated = stated_in(goal)
    amounts = [s for s in stated if s.unit in ("元", "万元") and not s.per_unit]
    # distinct amounts: a goal pasted twice (目标1:…目标1:…) states each part twice
    parts = {a.number * (WAN if a.unit == "万元" else 1) for a in amounts}
    parts_sum = sum(parts, Decimal(0))
    if len(amounts) > 1 and parts_sum == ctx.annual_total_yuan:
        amounts = []  # 投资400万元 … 550万元 … 150万元: the parts of the total, all agree
        stated = [s for s in stated if s.unit not in ("元", "万元")]
    for s in stated:
        if (s.number, s.unit) in reported:
            continue
        if s.unit in ("元", "万元"):
            # a part named in passing (其中30万元用于…) is not checked;
            # a total, or a lone amount, is
            if s.per_unit or not (s.total_like or len(amounts) == 1):
                continue
            yuan = s.number * (WAN if s.unit == "万元" else 1)
            if money_values is None:
                money_values = _money_values(ctx, products)
            if yuan not in money_values:
                reported.add((s.number, s.unit))
                total = ctx.annual_total_yuan
                out.append(
                    finding(
                        "GOAL-002",
                        f"目标中写“{s.raw}”，与年度资金总额"
                        f"{decimal_text(total) + '元' if total is not None else '（未填写）'}"
                        "及各成本行金额都对不上，请核对。",
                        loc,
                        goal_yuan=yuan,
                        total_yuan=total,
                    )
                )
            continue
        total, readings = _aggregates(quantities, s.unit)
        if total is None or s.number in readings:
            continue
        reported.add((s.number, s.unit))
        unit = canon(s.unit)
        out.append(
            finding(
                "GOAL-001",
                f"目标中写“{s.raw}”，但数量指标合计为{decimal_text(total)}{unit}"
                f"（相差{decimal_text(total - s.number)}{unit}），请统一。",
                loc,
                goal=s.number,
                rows_total=total,
                difference=total - s.number,
                unit=unit,
            )
        )
    rows_sum = sum(products.values(), Decimal(0)) if products else None
    return out + check_standards(ctx, money_values or _money_values(ctx, products), rows_sum)
