"""Rule 4: the header's money (FUND-…): totals present, sources add up, 年度 ≤ 项目总额."""

from __future__ import annotations

from decimal import Decimal

from assistant.model import Amount
from assistant.rules.context import TableContext
from assistant.rules.report import Finding, Location, finding
from assistant.value_text import decimal_text


def _sum(*amounts: Amount | None) -> Decimal | None:
    present = [a.value for a in amounts if a is not None]
    return sum(present, Decimal(0)) if present else None


def check_funds(ctx: TableContext) -> list[Finding]:
    h = ctx.table.header
    f = h.funds
    out: list[Finding] = []
    if h.total is None or h.annual_total is None:
        missing = "、".join(
            label
            for label, a in (("项目总额", h.total), ("年度资金总额", h.annual_total))
            if a is None
        )
        if h.total is None and h.annual_total is None:
            out.append(
                finding(
                    "FUND-003",
                    "未填写项目总额和年度资金总额（万元），无法核对资金。",
                    Location(field="项目总额"),
                )
            )
        elif (ctx.period_years or 1) > 1:
            # a one-year table (or one whose period is not stated, as most published ones)
            # has one amount: 项目总额 and 年度资金总额 are the same figure
            given = "项目总额" if h.total is not None else "年度资金总额"
            out.append(
                finding(
                    "FUND-007",
                    f"未填写{missing}（万元），暂按{given}核对；正式填报时两项都要填写。",
                    Location(field=missing),
                )
            )
    annual_basis = h.annual_total or h.total
    annual = annual_basis.value if annual_basis is not None else None

    if h.total is not None and h.annual_total is not None:
        if h.annual_total.value > h.total.value:
            out.append(
                finding(
                    "FUND-002",
                    f"年度资金总额{decimal_text(h.annual_total.value)}万元大于项目总额{decimal_text(h.total.value)}万元。",
                    Location(field="年度资金总额"),
                    annual_wan=h.annual_total.value,
                    total_wan=h.total.value,
                )
            )
        elif h.annual_total.value != h.total.value and ctx.period_years == 1:
            out.append(
                finding(
                    "FUND-004",
                    f"一年期项目的项目总额{decimal_text(h.total.value)}万元与年度资金总额"
                    f"{decimal_text(h.annual_total.value)}万元不同，请核对。",
                    Location(field="项目总额"),
                    annual_wan=h.annual_total.value,
                    total_wan=h.total.value,
                )
            )
    if annual is None:
        return out

    sources = _sum(f.fiscal, f.other, f.carryover)
    local = f.local_level.value if f.local_level else None
    if sources is not None and sources != annual:
        # the published layout lists 财政拨款/其他/结转 under 本级资金: accept that reading too
        if not (local is not None and f.transfer is not None and sources == local):
            out.append(
                finding(
                    "FUND-001",
                    f"财政拨款、其他资金、结余结转资金合计{decimal_text(sources)}万元，"
                    f"与年度资金总额{decimal_text(annual)}万元"
                    f"相差{decimal_text(sources - annual)}万元。",
                    Location(field="资金来源"),
                    sources_wan=sources,
                    annual_wan=annual,
                    gap_wan=sources - annual,
                )
            )
    levels = _sum(f.local_level, f.transfer)
    if levels is not None and levels != annual:
        out.append(
            finding(
                "FUND-005",
                f"本级资金与转移市县(区)资金合计{decimal_text(levels)}万元，"
                f"与年度资金总额{decimal_text(annual)}万元"
                f"相差{decimal_text(levels - annual)}万元。",
                Location(field="本级资金"),
                levels_wan=levels,
                annual_wan=annual,
                gap_wan=levels - annual,
            )
        )
    split = _sum(f.central, f.regional)
    if split is not None and f.transfer is not None and split != f.transfer.value:
        out.append(
            finding(
                "FUND-006",
                f"中央资金与自治区资金合计{decimal_text(split)}万元，与转移市县(区)资金"
                f"{decimal_text(f.transfer.value)}万元不符。",
                Location(field="转移市县(区)资金"),
                split_wan=split,
                transfer_wan=f.transfer.value,
            )
        )
    return out
