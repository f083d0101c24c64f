"""Rule 2: every value is measurable (VALUE-…): units, comparators, amounts, no vagueness,
no template leftovers, rates within 100%, names that agree with their values.

One finding per cause: a template hint left in ten names is one finding listing the rows.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from assistant.model import L1_BENEFIT, L2_QUANTITY, L2_SATISFACTION
from assistant.rules.context import Row, TableContext, is_placeholder
from assistant.rules.names import name_quantities
from assistant.rules.report import Finding, finding, row_list
from assistant.value_text import decimal_text

TEMPLATE_LEFTOVER = re.compile(
    r"[Xx]{2,}|[×＊*]{2,}|待填写?|请填写|待定|某某|□|_{3,}|＿{2,}|…{2,}|\.{4,}|（\s*）|\(\s*\)"
)
VAGUE = re.compile(
    r"较好|较高|较大|较强|较多|较少|较低|较快|较为|有所(?:提高|提升|改善|增加|增强|下降|减少|好转)"
    r"|明显|显著|逐步|进一步|一定程度|大幅|不断|尽量|尽可能|基本(?:满意|完成|达到)"
)
# values nobody can check afterwards: a bare verb, yes/no, "on time" (grown from the corpus:
# 已完成, 有利于, 持续保障, 影响可持续, 长期 are all published values)
UNMEASURABLE = frozenset(
    """是 否 有 好 及时 按时 准时 按期 如期 完成 已完成 全部完成 按质按量完成 保质保量完成
    按时完成 及时完成 按期完成 如期完成 持续改善 持续提升 持续提高 持续加强 持续推进 持续保障
    持续 巩固提高 巩固提升 稳步推进 稳步提升 稳步提高 提高 提升 改善 加强 增强 增加
    促进 推进 保障 有利于 有利 影响可持续 可持续 长期 长效 到位 落实 规范""".split()
)
_PREFIX = re.compile(r"^(?:正向|反向|定性|定量|\s)+")
_PUNCT = re.compile(r"[\s。.，,；;!！]+$")
# 任务完成时限(月), 培训人数（人）: the name carries the unit
_UNIT_IN_NAME = re.compile(r"[（(]\s*[^\d（()）\s]{1,4}\s*[)）]\s*$")
_LOWER_BOUND = {"≥", ">", "＞", "≧"}
_HUNDRED = Decimal(100)
_MEASURED_L2 = {L2_QUANTITY, L2_SATISFACTION}
# rates that cannot exceed 100%: a share of something (满意度, 合格率, 覆盖率 …)
CAPPED_RATE = re.compile(
    r"满意|合格率|覆盖率|完成率|到位率|达标率|及时率|知晓率|结案率|办结率|受理率|兑付率|发放率|"
    r"执行率|入学率|普及率|参保率|出勤率|正确率|准确率|通过率|成活率|保存率|响应率|处置率|"
    r"验收率|开工率|完工率|支付率|落实率|使用率|利用率|参与率|接种率|巩固率|建档率|回收率"
)
_UNCAPPED = re.compile(r"增长|增幅|增速|提高率|提升率|收益率|回报率|利润率|同比|环比|较上年")


def _leftover(text: str) -> str | None:
    m = TEMPLATE_LEFTOVER.search(text or "")
    return m.group(0) if m else None


def _bare_value(text: str) -> str:
    return _PUNCT.sub("", _PREFIX.sub("", text or ""))


_PROSE_AMOUNT = re.compile(r"\d+(?:\.\d+)?\s*(?:万元|元)")


def _cost_checks(r: Row) -> list[Finding]:
    money = r.money()
    if money is None:
        amounts = _PROSE_AMOUNT.findall(r.ind.value)
        if amounts:
            message = (
                f"成本指标值“{r.ind.value}”把金额写在文字里，系统每行只收一个金额："
                f"请写成“{amounts[0]}”这样的单价或总额"
                + ("，不同档次分行填写。" if len(amounts) > 1 else "。")
            )
        else:
            message = (
                f"成本指标值“{r.ind.value}”不是金额，请写明单价或金额（如 450元/人/天、≤20万元）。"
            )
        return [finding("VALUE-005", message, r.location)]
    if r.value.comparator in _LOWER_BOUND:
        return [
            finding(
                "VALUE-004",
                f"成本指标“{r.ind.value}”使用了“{r.value.comparator}”，成本应写“≤”上限或确定金额。",
                r.location,
            )
        ]
    return []


def _capped_rate(r: Row) -> list[Finding]:
    """满意度 110% (impossible) and 满意度 ≥100% (means =100%)."""
    if not CAPPED_RATE.search(r.bare) or _UNCAPPED.search(r.bare) or r.value.change:
        return []
    for q in r.value.quantities:
        if q.unit not in ("%", "％") or q.tolerance:
            continue
        top = q.upper if q.upper is not None else q.number
        if top > _HUNDRED:
            return [
                finding(
                    "VALUE-008",
                    f"“{r.bare}”是不能超过100%的比率，指标值“{r.ind.value}”高于100%，无法实现。",
                    r.location,
                    rate=top,
                )
            ]
        if q.number == _HUNDRED and (q.comparator or r.value.comparator) in _LOWER_BOUND:
            return [
                finding(
                    "VALUE-009",
                    f"“{r.bare}”不会超过100%，“{r.ind.value}”即“=100%”，建议直接写“100%”。",
                    r.location,
                    rate=q.number,
                )
            ]
    return []


def _check_row(r: Row) -> list[Finding]:
    out: list[Finding] = []
    loc = r.location
    if not r.ind.value.strip():
        return out
    if _leftover(r.ind.value):
        return out  # reported once for the table (VALUE-001)

    v = r.value
    if r.is_cost:
        return _cost_checks(r)

    out += _capped_rate(r)
    if out:
        return out

    if r.l1 != L1_BENEFIT and not _UNIT_IN_NAME.search(r.ind.name):
        unitless = [q for q in v.quantities if not (q.unit or "").strip() and q.number != 0]
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
        if number is not None and number not in (_HUNDRED, 0) and not v.change:
            out.append(
                finding(
                    "VALUE-003",
                    f"比率“{r.ind.value}”没有比较符号，请写成“≥{decimal_text(number)}%”或“≤{decimal_text(number)}%”。",
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

    if _bare_value(r.ind.value) in UNMEASURABLE:
        out.append(
            finding(
                "VALUE-010",
                f"指标值“{r.ind.value}”无法衡量，事后无从核对；请写成数值（如 ≥95%、"
                "12月31日前）或明确的等级标准。",
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


def _name_against_value(r: Row) -> tuple[str, Decimal, str] | None:
    """("same" | "differs", the name's number, its unit) when the name states a target."""
    if _leftover(r.ind.name) or r.value.kind not in ("quantity", "rate", "money"):
        return None
    stated = name_quantities(r.bare)
    if len(stated) != 1:
        return None
    number, unit = stated[0]
    values = [q for q in r.value.quantities if q.unit == unit or (not q.unit and unit != "%")]
    if not values:
        return None
    if any(q.number == number for q in values):
        return "same", number, unit
    if len(values) == 1 and len(r.value.quantities) == 1:
        return "differs", number, unit
    return None


def _table_checks(rows: list[Row]) -> list[Finding]:
    """Causes that repeat over rows: one finding each, listing the rows."""
    out: list[Finding] = []
    by_leftover: dict[str, list[Row]] = defaultdict(list)
    name_hints: list[Row] = []
    carries: list[Row] = []
    for r in rows:
        hit = _leftover(r.ind.value)
        if hit:
            by_leftover[hit].append(r)
        if _leftover(r.ind.name):
            name_hints.append(r)
        verdict = _name_against_value(r)
        if verdict is None:
            continue
        kind, number, unit = verdict
        if kind == "same":
            carries.append(r)
        else:
            out.append(
                finding(
                    "VALUE-012",
                    f"名称写的是“{decimal_text(number)}{unit}”，指标值却是“{r.ind.value}”，请统一为一个目标。",
                    r.location,
                    name_number=number,
                    unit=unit,
                )
            )
    for hit, group in by_leftover.items():
        first = group[0]
        sample = "、".join(f"“{r.ind.value}”" for r in group[:3])
        out.append(
            finding(
                "VALUE-001",
                f"{row_list([r.index for r in group])}的指标值（{sample}）残留模板占位符“{hit}”，"
                "请填写实际数值。",
                first.location,
                rows=[r.index for r in group],
                leftover=hit,
            )
        )
    if name_hints:
        hint = _leftover(name_hints[0].ind.name)
        out.append(
            finding(
                "VALUE-011",
                f"{len(name_hints)}条三级指标名称中留有模板提示“{hint}”等"
                f"（{row_list([r.index for r in name_hints])}），正式填报前请从名称中删去，"
                "目标值只写在指标值中。",
                name_hints[0].location,
                rows=[r.index for r in name_hints],
                leftover=hint,
            )
        )
    if carries:
        out.append(
            finding(
                "VALUE-013",
                f"{row_list([r.index for r in carries])}的名称里已写了指标值"
                f"（如“{carries[0].bare}”），名称只写衡量什么，数值写在指标值中即可。",
                carries[0].location,
                rows=[r.index for r in carries],
            )
        )
    return out


_GROUPED = ("VALUE-006", "VALUE-010")


def _merge_same_value(found: list[tuple[Row, Finding]]) -> list[Finding]:
    """The same vague value in several rows (效果明显 ×3) is one cause: one finding listing
    the rows, at the first."""
    groups: dict[tuple[str, str], list[tuple[Row, Finding]]] = defaultdict(list)
    out: list[Finding] = []
    for r, f in found:
        if f.code in _GROUPED:
            key = (f.code, _bare_value(r.ind.value))
            if key not in groups:
                out.append(f)
            groups[key].append((r, f))
        else:
            out.append(f)
    for group in groups.values():
        if len(group) < 2:
            continue
        first = group[0][1]
        rows = [r.index for r, _ in group]
        first.rows = rows
        first.message = f"{row_list(rows)}：{first.message}"
    return out


def check_values(ctx: TableContext) -> list[Finding]:
    rows = [r for r in ctx.rows if not is_placeholder(r.ind)]
    found = [(r, f) for r in rows for f in _check_row(r)]
    return _merge_same_value(found) + _table_checks(rows)
