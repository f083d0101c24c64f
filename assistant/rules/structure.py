"""Rule 1: completeness of the indicator tree for its framework (STRUCT-…)."""

from __future__ import annotations

import re

from assistant.model import (
    FRAMEWORKS,
    L1_BENEFIT,
    L1_COST,
    L1_OUTPUT,
    L1_SATISFACTION,
    L2_COST,
    L2_QUALITY,
    L2_QUANTITY,
    L2_TIME,
)
from assistant.rules.context import TableContext, is_placeholder
from assistant.rules.report import Finding, Location, finding, row_list

# a named row whose value is only a dash or slash has no value (0 and 无 can be real targets)
_NO_VALUE = {"", "/", "／", "-", "--", "—", "——", "－", "\\", "、"}
_QUANT_KINDS = {"quantity", "rate", "money", "date"}
_QUAL_KINDS = {"grade", "text"}
_MIN_ROWS_FOR_MIX = 6
_KNOWN_L1 = {l1 for tree in FRAMEWORKS.values() for l1 in tree}
_KNOWN_L2 = {l2 for tree in FRAMEWORKS.values() for l2s in tree.values() for l2 in l2s}


def _mix_and_basis(ctx: TableContext) -> list[Finding]:
    """定量为主 (most rows measurable) and 指标值设定依据 written for every row once begun."""
    out: list[Finding] = []
    rows = [r for r in ctx.rows if not is_placeholder(r.ind) and r.ind.value.strip()]
    quantitative = [r for r in rows if r.value.kind in _QUANT_KINDS]
    qualitative = [r for r in rows if r.value.kind in _QUAL_KINDS]
    if len(rows) >= _MIN_ROWS_FOR_MIX and len(qualitative) > len(quantitative):
        out.append(
            finding(
                "STRUCT-011",
                f"{len(rows)}条指标中定性表述{len(qualitative)}条、定量{len(quantitative)}条；"
                "绩效指标应以定量为主，请把能量化的改写为数值（数量、比率、时限、金额）。",
                Location(),
                rows=[r.index for r in qualitative],
                qualitative=len(qualitative),
                quantitative=len(quantitative),
            )
        )
    with_basis = [r for r in rows if (r.ind.basis or "").strip()]
    without = [r for r in rows if not (r.ind.basis or "").strip()]
    if with_basis and without:
        out.append(
            finding(
                "STRUCT-012",
                f"{row_list([r.index for r in without])}没有写指标值设定依据；"
                "建议注明计划标准、行业标准、历史标准或其他标准。",
                without[0].location,
                rows=[r.index for r in without],
            )
        )
    return out


_INCOMPLETE = re.compile(r"不完整|截断|摘录")


def check_structure(ctx: TableContext) -> list[Finding]:
    out: list[Finding] = _mix_and_basis(ctx)
    if any(_INCOMPLETE.search(n) for n in ctx.table.notes):
        # the table says it was cut short (a truncated page): a missing level proves nothing
        return out + _row_checks(ctx)
    rows = ctx.rows
    present: dict[str, set[str]] = {}
    for r in rows:
        if not is_placeholder(r.ind):
            present.setdefault(r.l1, set()).add(r.l2)

    for l1 in (L1_OUTPUT, L1_BENEFIT):
        if l1 not in present and not any(r.l1 == l1 for r in rows):
            out.append(finding("STRUCT-001", f"缺少一级指标“{l1}”。", Location(level1=l1)))

    output = present.get(L1_OUTPUT, set())
    if any(r.l1 == L1_OUTPUT for r in rows):
        for l2 in (L2_QUANTITY, L2_QUALITY, L2_TIME):
            if l2 not in output:
                out.append(
                    finding(
                        "STRUCT-002",
                        f"产出指标下缺少“{l2}”，请至少填写一条。",
                        Location(level1=L1_OUTPUT, level2=l2),
                    )
                )
    has_old_cost = any(r.l1 == L1_OUTPUT and r.l2 == L2_COST for r in rows)
    has_new_cost = any(r.l1 == L1_COST for r in rows)
    if not ctx.cost_rows:
        out.append(
            finding(
                "STRUCT-003",
                "没有成本指标：请在产出指标下填写成本指标（或按2021年新规填写一级“成本指标”）。",
                Location(level1=L1_OUTPUT, level2=L2_COST),
            )
        )
    if has_old_cost and has_new_cost:
        out.append(
            finding(
                "STRUCT-010",
                "成本指标既写在产出指标下，又作为一级指标出现，请统一为一种指标体系。",
                Location(level1=L1_COST),
            )
        )

    if any(r.l1 == L1_BENEFIT for r in rows) and not present.get(L1_BENEFIT):
        out.append(
            finding(
                "STRUCT-004",
                "效益指标各维度都填写为“0”，请至少填写一条适用的效益指标（经济、社会、生态或可持续影响）。",
                Location(level1=L1_BENEFIT),
            )
        )

    if L1_SATISFACTION not in present:
        out.append(
            finding(
                "STRUCT-005",
                "建议增加满意度指标（如服务对象满意度 ≥90%）。",
                Location(level1=L1_SATISFACTION),
            )
        )

    return out + _row_checks(ctx)


def _row_checks(ctx: TableContext) -> list[Finding]:
    """Row by row: placeholder rows where a real one is needed, empty names and values,
    level labels outside the framework (each label once)."""
    out: list[Finding] = []
    unknown_seen: set[tuple[str, str]] = set()
    for r in ctx.rows:
        placeholder = is_placeholder(r.ind)
        if placeholder and r.l1 != L1_BENEFIT:
            out.append(
                finding(
                    "STRUCT-008",
                    f"“{r.l2 or r.l1}”下是占位行“0”，该维度必须填写实际指标。",
                    r.location,
                )
            )
            continue
        if placeholder:
            continue
        if not r.ind.name.strip() or not r.bare:
            out.append(finding("STRUCT-006", "三级指标名称为空，请填写指标名称。", r.location))
        if r.ind.value.strip() in _NO_VALUE:
            out.append(finding("STRUCT-007", "指标值为空，请填写指标值。", r.location))
        labels = (r.l1, r.l2)
        if labels in unknown_seen:
            continue
        if r.l1 not in _KNOWN_L1:
            unknown_seen.add(labels)
            out.append(
                finding(
                    "STRUCT-009",
                    f"一级指标“{r.ind.level1}”不在指标体系中（应为产出、效益、成本或满意度指标）。",
                    r.location,
                )
            )
        elif r.l2 not in _KNOWN_L2:
            unknown_seen.add(labels)
            out.append(
                finding(
                    "STRUCT-009",
                    f"二级指标“{r.ind.level2}”不在指标体系中。",
                    r.location,
                )
            )
    return out
