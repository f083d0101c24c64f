"""Rule 6: deadlines fall inside the budget year / project period (TIME-…).

Every layout counts: a date in the name (2025年3月31日前完成率), in the value (2025年3月,
次年3月底前, 2024年3月--2025年11月). When 项目期 is not written the table is read as a
one-year table (as most published ones are) unless its 项目总额 exceeds the annual amount;
a later date is then a warning (TIME-004), not an error.
"""

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
    # a time limit the name carries by law or rule: 审限内结案率, 法定时限内办结率
    r"|审限|期限内|时限内|规定时间|规定时限|法定时限|承诺时限|工作日内|当年|年度内|本年度"
    # 2023年项目完工、投入使用: the year is the deadline
    r"|20\d\d\s*年[^，。；,;]{0,6}(?:完工|完成|竣工|投入使用|交付|验收|投用|建成)"
)


# 任务完成时限(月) 10, 建设工期 8个月: a duration the name asks for is a time limit
_DURATION = {"工作日", "个工作日", "天", "日", "小时", "个小时", "周", "个月", "月", "自然日"}
_LIMIT_NAME = re.compile(r"时限|工期|周期|期限|用时|天数|月数")


def _multi_year(ctx: TableContext) -> bool:
    """The table says it spans years: 项目总额 above 年度资金总额, or 多年/跨年 in 项目属性."""
    h = ctx.table.header
    if h.total is not None and h.annual_total is not None and h.total.value > h.annual_total.value:
        return True
    return bool(re.search(r"多年|跨年|延续", f"{h.attribute or ''}{h.period or ''}"))


def _outside(ctx: TableContext, year: int) -> list[Finding]:
    years = ctx.period_years
    assumed = years is None and not _multi_year(ctx)
    start = date(year, 1, 1)
    end = date(year + (years or 1) - 1, 12, 31)
    out: list[Finding] = []
    for r in ctx.rows:
        if is_placeholder(r.ind) or not (r.l2 == L2_TIME or r.value.kind == "date"):
            continue
        for d in find_dates(f"{r.ind.name} {r.ind.value}", default_year=year):
            if start <= d <= end:
                continue
            if d > end and years is None and not assumed:
                continue  # a multi-year table whose period is unknown: a later year may be fine
            span = f"{year}年" if (years or 1) == 1 else f"{year}年至{end.year}年"
            scope = "预算年度" if (years or 1) == 1 else "项目期"
            code = "TIME-004" if assumed and d > end else "TIME-001"
            extra = "（未写项目期，按一年期项目核对）" if code == "TIME-004" else ""
            out.append(
                finding(
                    code,
                    f"时限{d.year}年{d.month}月{d.day}日不在{scope}（{span}）内{extra}。",
                    r.location,
                    date=d.isoformat(),
                    period_start=start.isoformat(),
                    period_end=end.isoformat(),
                )
            )
            break
    return out


def check_time(ctx: TableContext) -> list[Finding]:
    out: list[Finding] = []
    time_rows = [r for r in ctx.rows if r.l2 == L2_TIME and not is_placeholder(r.ind)]
    year = ctx.year
    if year is None:
        if time_rows:
            out.append(
                finding("TIME-003", "未填写预算年度，无法核对完成时限。", Location(field="年度"))
            )
    else:
        out += _outside(ctx, year)
    if time_rows and not any(
        _TIME_WORDS.search(f"{r.ind.name} {r.ind.value}")
        or find_dates(f"{r.ind.name} {r.ind.value}", default_year=year)
        or r.value.kind == "date"
        or (_LIMIT_NAME.search(r.ind.name) and r.value.kind == "quantity")
        or any(q.unit in _DURATION and q.comparator in ("≤", "<") for q in r.value.quantities)
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
