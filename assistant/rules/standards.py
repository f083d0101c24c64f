"""Rule 3b: money from the goal text (MONEY-007): a standard per unit times the count the
goal or the quantity rows state, against the annual total.

    为15个村每村补助20万元 → 20万元 × 15村 = 300万元 against 年度资金总额
    每户每年补助500元，共63户 → 500元 × 1年 × 63户 = 31500元

A product that matches the total, a cost row, or the rows' sum is consistent; so is a goal
whose standard comes in tiers (3000元、2000元、1000元三个档次), which cannot be multiplied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from assistant.rules.context import TableContext
from assistant.rules.money import canon, parts_of
from assistant.rules.report import Finding, Location, finding
from assistant.value_text import WAN, decimal_text

_STANDARD = re.compile(
    r"每(?P<per>[\u4e00-\u9fff])(?:每(?P<period>年|月|季度))?[^，。；,;\d每]{0,6}?"
    r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>万元|元)(?![/\d、])"
    # 3100元每平方米, 500元/亩
    r"|(?P<num2>\d+(?:\.\d+)?)\s*(?P<unit2>万元|元)\s*(?:每|/)\s*"
    r"(?P<per2>平方米|立方米|公里|[\u4e00-\u9fff])(?:[/每](?P<period2>年|月|季度))?"
)
_PERIODS = {"年": 1, "月": 12, "季度": 4}
_COUNTERS = "个|名|位|所|户|家|座|处|人"


@dataclass(frozen=True)
class Standard:
    raw: str
    yuan: Decimal  # per unit per period
    per: str
    periods: int
    count: Decimal | None
    count_raw: str


def _count_in_goal(goal: str, per: str, skip: tuple[int, int]) -> tuple[Decimal, str] | None:
    pattern = re.compile(
        rf"(?<![\d.])(\d+(?:\.\d+)?)\s*(?:{_COUNTERS})?[\u4e00-\u9fff]{{0,2}}?{per}"
    )
    for m in pattern.finditer(goal):
        if skip[0] <= m.start() < skip[1]:
            continue
        return Decimal(m.group(1)), m.group(0)
    return None


def _count_in_rows(ctx: TableContext, per: str) -> tuple[Decimal, str] | None:
    found = [p for r in ctx.quantity_rows for p in parts_of(r) if canon(p.head) == canon(per)]
    if len(found) == 1:
        return found[0].number, found[0].raw
    return None


def goal_standards(ctx: TableContext) -> list[Standard]:
    goal = ctx.table.goal or ""
    out: list[Standard] = []
    years = ctx.period_years or 1
    for m in _STANDARD.finditer(goal):
        if re.match(r"\s*[、,，]\s*\d+(?:\.\d+)?\s*(?:万元|元)", goal[m.end() :]):
            continue  # tiers: 3000元、2000元、1000元
        per = m.group("per") or m.group("per2")
        period = m.group("period") or m.group("period2") or "年"
        periods = _PERIODS.get(period, 1) * years
        unit = m.group("unit") or m.group("unit2")
        yuan = Decimal(m.group("num") or m.group("num2")) * (WAN if unit == "万元" else 1)
        count = _count_in_goal(goal, per, (m.start(), m.end())) or _count_in_rows(ctx, per)
        out.append(
            Standard(
                m.group(0),
                yuan,
                per,
                periods,
                count[0] if count else None,
                count[1] if count else "",
            )
        )
    return out


_AMOUNT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(万元|元)(?!\s*(?:每|/))")


def _stated_amounts(goal: str) -> set[Decimal]:
    """Amounts the goal states outright (投资400万元), in 元; prices per unit excluded."""
    out: set[Decimal] = set()
    for m in _AMOUNT.finditer(goal):
        if re.search(r"每[^，。；,;\d]{0,6}$", goal[max(0, m.start() - 8) : m.start()]):
            continue
        out.add(Decimal(m.group(1)) * (WAN if m.group(2) == "万元" else 1))
    return out


def check_standards(
    ctx: TableContext, money_values: set[Decimal], rows_sum: Decimal | None = None
) -> list[Finding]:
    """Standard × count against the annual total, or the cost rows when no total is given."""
    total = ctx.annual_total_yuan
    reference = total if total is not None else rows_sum
    # each standard with a count, and its product 标准 × 期数 × 数量 in 元
    items = [(s, s.yuan * s.periods * s.count) for s in goal_standards(ctx) if s.count is not None]
    if reference is None or not items:
        return []
    products = [p for _, p in items]
    stated = _stated_amounts(ctx.table.goal or "")
    known = money_values | stated
    whole = sum(products, Decimal(0))
    if whole in known or any(p in known for p in products):
        return []
    # the reading closest to a figure the table gives: all standards together, or one of them
    targets = [reference, *stated]
    readings = [(whole, items), *((p, [(s, p)]) for s, p in items)]
    product, used, target = min(
        ((p, u, t) for p, u in readings for t in targets), key=lambda x: abs(x[0] - x[2])
    )
    worked = "；".join(
        f"“{s.raw}”×{s.count_raw}"
        + (f"×{s.periods}期" if s.periods > 1 else "")
        + f"={decimal_text(p)}元"
        for s, p in used
    )
    gap = product - target
    if target in stated and target != total:
        what = "目标中的金额"
    elif total is not None:
        what = "年度资金总额"
    else:
        what = "成本行合计"
    return [
        finding(
            "MONEY-007",
            f"目标中的标准×数量：{worked}，与{what}{decimal_text(target)}元"
            f"相差{decimal_text(abs(gap))}元（{decimal_text(abs(gap) / WAN)}万元），"
            "请核对补助标准或数量。",
            Location(field="年度总体绩效目标"),
            product_yuan=product,
            total_yuan=total,
            compared_yuan=target,
            gap_yuan=gap,
        )
    ]
