"""Rule 7: duplicate rows, and same-named cost rows with different unit costs (DUP-…)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from assistant.rules.context import Row, TableContext, is_placeholder
from assistant.rules.report import Finding, finding
from assistant.rules.similarity import normalize_name
from assistant.value_text import decimal_text


def check_duplicates(ctx: TableContext) -> list[Finding]:
    out: list[Finding] = []
    rows = [r for r in ctx.rows if not is_placeholder(r.ind) and r.bare]

    by_name: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for r in rows:
        by_name[(r.l2, r.ind.name.strip())].append(r)
    for (_, name), group in by_name.items():
        for later in group[1:]:
            out.append(
                finding(
                    "DUP-001",
                    f"“{name}”在{later.l2}下重复出现（另见第{group[0].index + 1}行），"
                    "请合并或删除。",
                    later.location,
                )
            )

    by_bare: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for r in rows:
        by_bare[(r.l2, r.bare)].append(r)
    for (l2, bare), group in by_bare.items():
        numbers = {r.number for r in group}
        if len(group) > 1 and len(numbers) == len(group):
            out.append(
                finding(
                    "DUP-003",
                    f"{l2}下“{bare}”以不同编号出现{len(group)}次（第"
                    + "、".join(str(r.index + 1) for r in group)
                    + "行），如分别对应不同工作内容，建议在名称中写明。",
                    group[1].location,
                )
            )

    for kind, members in (("数量指标", ctx.quantity_rows), ("成本指标", ctx.cost_rows)):
        by_number: dict[tuple[str, int], list[Row]] = defaultdict(list)
        for r in members:
            if r.number is not None:
                by_number[(r.l2, r.number)].append(r)
        for (_, number), group in by_number.items():
            if len({r.bare for r in group}) > 1:
                out.append(
                    finding(
                        "DUP-004",
                        f"{kind}中编号“{number}.”用了{len(group)}次，成本行与数量行无法按编号一一对应。",
                        group[1].location,
                        number=number,
                    )
                )

    by_kind: dict[tuple[str, str], list[tuple[Row, Decimal]]] = defaultdict(list)
    for r in ctx.cost_rows:
        money = r.money()
        key = normalize_name(r.ind.name)
        if money is None or not key:
            continue
        by_kind[(key, "/".join(money[1]))].append((r, money[0]))
    for (_, per), priced in by_kind.items():
        first, first_amount = priced[0]
        for other, amount in priced[1:]:
            if amount == first_amount:
                continue
            unit = "元" + (f"/{per}" if per else "")
            out.append(
                finding(
                    "DUP-002",
                    f"同名成本行单价不同：“{first.ind.name}”为{decimal_text(first_amount)}{unit}，"
                    f"“{other.ind.name}”为{decimal_text(amount)}{unit}。如无特殊原因，请统一标准。",
                    other.location,
                    first_row=first.index,
                    first_unit_cost=first_amount,
                    unit_cost=amount,
                    difference=amount - first_amount,
                    unit=unit,
                )
            )
    return out
