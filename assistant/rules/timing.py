"""Rule 6: deadlines fall inside the budget year / project period (TIME-…)."""

from __future__ import annotations

import re
from datetime import date

from assistant.model import L2_TIME
from assistant.rules.context import TableContext, is_placeholder
from assistant.rules.report import Finding, Location, finding
from assistant.values import find_dates

_TIME_WORDS = re.compile(
    r"\d+\s*(?:个)?(?:小时|工作日|日|天|周|月)(?:内|以内)|每(?:季度|月|年|周|半年|天|日)|年底|年末|月底|月末"
    r"|季度|全年|上半年|下半年|[前内]完成|之前|以前|截止|截至"
)


def check_time(ctx: TableContext) -> list[Finding]:
    out: list[Finding] = []
    time_rows = [r for r in ctx.rows if r.l2 == L2_TIME and not is_placeholder(r.ind)]
    year = ctx.year
    dated_rows = [r for r in ctx.rows if r.l2 == L2_TIME or r.value.kind == "date"]
    if year is None:
        if time_rows:
            out.append(
                finding("TIME-003", "未填写预算年度，无法核对完成时限。", Location(field="年度"))
            )
    else:
        years = ctx.period_years
        start = date(year, 1, 1)
        end = date(year + (years or 1) - 1, 12, 31)
        for r in dated_rows:
            if is_placeholder(r.ind):
                continue
            for d in find_dates(f"{r.ind.name} {r.ind.value}", default_year=year):
                if start <= d <= end:
                    continue
                if d > end and years is None:
                    continue  # period unknown: a later year may be fine
                span = f"{year}年" if (years or 1) == 1 else f"{year}年至{end.year}年"
                scope = "预算年度" if (years or 1) == 1 else "项目期"
                out.append(
                    finding(
                        "TIME-001",
                        f"时限{d.year}年{d.month}月{d.day}日不在{scope}（{span}）内。",
                        r.location,
                        date=d.isoformat(),
                        period_start=start.isoformat(),
                        period_end=end.isoformat(),
                    )
                )
                break
    if time_rows and not any(
        _TIME_WORDS.search(f"{r.ind.name} {r.ind.value}")
        or find_dates(f"{r.ind.name} {r.ind.value}", default_year=year)
        for r in time_rows
    ):
        first = time_rows[0]
        out.append(
            finding(
                "TIME-002",
                f"时效指标没有写明具体时限，建议写成“{year or 2024}年12月31日前完成率 100%”"
                "这类可核对的表述。",
                Location(level1=first.l1, level2=L2_TIME, row=first.index, name=first.ind.name),
            )
        )
    return out
