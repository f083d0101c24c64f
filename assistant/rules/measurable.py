"""Rule 2: every value is measurable (VALUE-…): units, comparators, amounts, no vagueness,
no template leftovers."""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.model import L1_BENEFIT, L2_QUANTITY, L2_SATISFACTION
from assistant.rules.context import Row, TableContext, is_placeholder
from assistant.rules.report import Finding, finding, fmt

TEMPLATE_LEFTOVER = re.compile(
    r"[Xx]{2,}|[×＊*]{2,}|待填写?|请填写|待定|某某|□|_{3,}|＿{2,}|…{2,}|\.{4,}|（\s*）|\(\s*\)"
)
VAGUE = re.compile(
    r"较好|较高|较大|较强|较多|较少|较低|较快|较为|有所(?:提高|提升|改善|增加|增强|下降|减少|好转)"
    r"|明显|显著|逐步|进一步|一定程度|大幅|不断|尽量|尽可能|基本(?:满意|完成|达到)"
)
# 任务完成时限(月), 培训人数（人）: the name carries the unit
_UNIT_IN_NAME = re.compile(r"[（(]\s*[^\d（()）\s]{1,4}\s*[)）]\s*$")
_LOWER_BOUND = {"≥", ">", "＞", "≧"}
_HUNDRED = Decimal(100)
_MEASURED_L2 = {L2_QUANTITY, L2_SATISFACTION}


def _leftover(text: str) -> str | None:
    m = TEMPLATE_LEFTOVER.search(text or "")
    return m.group(0) if m else None


def _check_row(r: Row) -> list[Finding]:
    out: list[Finding] = []
    loc = r.location
    for label, text in (("三级指标", r.ind.name), ("指标值", r.ind.value)):
        hit = _leftover(text)
        if hit:
            out.append(
                finding(
                    "VALUE-001",
                    f"{label}“{text}”中残留模板占位符“{hit}”，请填写实际内容。",
                    loc,
                    leftover=hit,
                )
            )
    if out or not r.ind.value.strip():
        return out

    v = r.value
    if r.is_cost:
        money = r.money()
        if money is None:
            out.append(
                finding(
                    "VALUE-005",
                    f"成本指标值“{r.ind.value}”不是金额，"
                    "请写明单价或金额（如 450元/人/天、≤20万元）。",
                    loc,
                )
            )
        elif v.comparator in _LOWER_BOUND:
            out.append(
                finding(
                    "VALUE-004",
                    f"成本指标“{r.ind.value}”使用了“{v.comparator}”，成本应写“≤”上限或确定金额。",
                    loc,
                )
            )
        return out

    if r.l1 != L1_BENEFIT and not _UNIT_IN_NAME.search(r.ind.name):
        unitless = [q for q in v.quantities if not (q.unit or "").strip()]
        if v.kind in ("quantity", "money", "rate") and unitless:
            out.append(
                finding(
                    "VALUE-002",
                    f"指标值“{r.ind.value}”只有数字，缺少计量单位（如 次、人、台、%）。",
                    loc,
                    number=unitless[0].number,
                )
            )
            return out

    if v.kind == "rate" and not v.comparator:
        number = v.number
        if number is not None and number != _HUNDRED:
            out.append(
                finding(
                    "VALUE-003",
                    f"比率“{r.ind.value}”没有比较符号，请写成“≥{fmt(number)}%”或“≤{fmt(number)}%”。",
                    loc,
                    rate=number,
                )
            )
            return out

    vague = VAGUE.search(r.ind.value)
    if vague:
        out.append(
            finding(
                "VALUE-006",
                f"指标值“{r.ind.value}”中的“{vague.group(0)}”表述模糊，请改为可衡量的数值或明确等级。",
                loc,
            )
        )
        return out

    if r.l2 in _MEASURED_L2 and v.kind in ("grade", "text"):
        want = "百分比（如 ≥90%）" if r.l2 == L2_SATISFACTION else "数量和单位（如 10次、200人）"
        out.append(
            finding("VALUE-007", f"指标值“{r.ind.value}”是定性表述，此处应填写{want}。", loc)
        )
    return out


def check_values(ctx: TableContext) -> list[Finding]:
    out: list[Finding] = []
    for r in ctx.rows:
        if is_placeholder(r.ind):
            continue
        out.extend(_check_row(r))
    return out
