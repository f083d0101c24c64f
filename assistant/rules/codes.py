"""The reviewer's rule codes: stable identifiers, default severity, one-line descriptions.

Codes never change meaning once published; new checks get new codes.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Severity = Literal["error", "warning", "info"]


class RuleCode(NamedTuple):
    code: str
    severity: Severity
    zh: str
    en: str


RULES: tuple[RuleCode, ...] = (
    # 1. completeness
    RuleCode(
        "STRUCT-001",
        "error",
        "缺少一级指标（产出指标或效益指标）",
        "A first-level indicator is missing",
    ),
    RuleCode(
        "STRUCT-002", "error", "产出指标缺少数量、质量或时效二级指标", "产出 lacks 数量/质量/时效"
    ),
    RuleCode(
        "STRUCT-003",
        "error",
        "没有成本指标（产出下的成本指标或2021版一级成本指标）",
        "No cost indicator at all",
    ),
    RuleCode(
        "STRUCT-004",
        "error",
        "效益指标没有任何适用的维度（全为0或缺失）",
        "No applicable benefit dimension",
    ),
    RuleCode("STRUCT-005", "warning", "建议增加满意度指标", "Satisfaction indicator missing"),
    RuleCode("STRUCT-006", "error", "三级指标名称为空", "Empty indicator name"),
    RuleCode("STRUCT-007", "error", "指标值为空", "Empty indicator value"),
    RuleCode(
        "STRUCT-008",
        "error",
        "占位行“0”出现在必须填写的维度",
        "Placeholder row where a real indicator is required",
    ),
    RuleCode(
        "STRUCT-009", "warning", "一级或二级指标名称不在指标体系中", "Unknown level-1/level-2 label"
    ),
    RuleCode(
        "STRUCT-010",
        "warning",
        "同时使用了新旧两种指标体系的成本指标",
        "Both cost-indicator frameworks used",
    ),
    # 2. measurable values
    RuleCode(
        "VALUE-001",
        "error",
        "残留模板占位符（XX、待填写、≥** 等）",
        "Template leftover in name or value",
    ),
    RuleCode("VALUE-002", "error", "数量指标缺少计量单位", "Quantity without a unit"),
    RuleCode(
        "VALUE-003",
        "warning",
        "比率指标缺少比较符号（≥、≤ 等），且不是100%",
        "Rate without comparator",
    ),
    RuleCode(
        "VALUE-004",
        "error",
        "成本指标使用了 ≥ 或 >，应写 ≤ 或确定金额",
        "Cost row with a lower bound",
    ),
    RuleCode("VALUE-005", "error", "成本指标值不是金额", "Cost row value is not an amount"),
    RuleCode(
        "VALUE-006",
        "warning",
        "表述模糊（较好、有所提高等），应改为可衡量的数值",
        "Vague wording where a number fits",
    ),
    RuleCode(
        "VALUE-007",
        "warning",
        "数量或满意度指标填写了定性内容，应填写数值",
        "Qualitative value where a number is expected",
    ),
    # 3. money adds up
    RuleCode(
        "MONEY-001",
        "error",
        "成本测算合计与年度资金总额不一致",
        "Σ(quantity × unit cost) ≠ annual total",
    ),
    RuleCode(
        "MONEY-002",
        "warning",
        "成本行找不到对应的数量行，按数量1计算",
        "Cost row without a quantity row",
    ),
    RuleCode(
        "MONEY-003",
        "info",
        "成本单价与数量的单位不完全对应，已按现有数量相乘",
        "Units of cost and quantity differ",
    ),
    RuleCode(
        "MONEY-004",
        "warning",
        "没有可测算的成本金额或总额，无法核对成本测算",
        "Money cannot be reconciled",
    ),
    RuleCode(
        "MONEY-005",
        "info",
        "只写“元”的成本金额：说明按单价还是按总额理解",
        "Reading chosen for bare 元 amounts",
    ),
    RuleCode(
        "MONEY-006", "info", "数量行没有对应的成本行", "Numbered quantity row without a cost row"
    ),
    # 4. fund sources
    RuleCode(
        "FUND-001",
        "error",
        "财政拨款、其他资金、结余结转资金之和与年度资金总额不符",
        "Fund sources ≠ annual total",
    ),
    RuleCode("FUND-002", "error", "年度资金总额大于项目总额", "Annual total exceeds project total"),
    RuleCode(
        "FUND-003",
        "error",
        "未填写项目总额和年度资金总额",
        "Neither project nor annual total given",
    ),
    RuleCode(
        "FUND-004",
        "warning",
        "一年期项目的项目总额与年度资金总额不同",
        "One-year project: total ≠ annual",
    ),
    RuleCode(
        "FUND-005",
        "error",
        "本级资金与转移市县资金之和与年度资金总额不符",
        "本级 + 转移 ≠ annual total",
    ),
    RuleCode(
        "FUND-006", "error", "中央资金与自治区资金之和与转移市县资金不符", "中央 + 自治区 ≠ 转移"
    ),
    RuleCode(
        "FUND-007",
        "warning",
        "只填写了项目总额或年度资金总额中的一项",
        "Only one of project/annual total given",
    ),
    # 5. goal text
    RuleCode(
        "GOAL-001",
        "warning",
        "年度总体绩效目标中的数量与指标行合计不符",
        "Goal count ≠ indicator rows",
    ),
    RuleCode(
        "GOAL-002",
        "warning",
        "年度总体绩效目标中的金额与资金总额或成本测算不符",
        "Goal amount ≠ totals",
    ),
    # 6. time
    RuleCode(
        "TIME-001",
        "error",
        "完成时限不在预算年度或项目期内",
        "Deadline outside the budget year/period",
    ),
    RuleCode("TIME-002", "warning", "时效指标没有写明具体时限", "No concrete deadline in 时效指标"),
    RuleCode("TIME-003", "info", "未填写年度，无法核对时限", "Budget year unknown"),
    # 7. duplicates
    RuleCode("DUP-001", "warning", "重复的指标行（同一二级指标下名称相同）", "Duplicate indicator"),
    RuleCode(
        "DUP-002",
        "warning",
        "同名（仅期次不同）的成本行单价不同",
        "Same-named cost rows with different unit costs",
    ),
    RuleCode(
        "DUP-003", "info", "同名指标以不同编号出现多次", "Same name under different row numbers"
    ),
    RuleCode(
        "DUP-004",
        "warning",
        "同一二级指标下行首编号重复，成本与数量无法按编号对应",
        "Repeated row number",
    ),
    # 8. precedents
    RuleCode(
        "PREC-001",
        "warning",
        "单价与同类先例的中位数相差很大",
        "Unit cost far from precedent median",
    ),
)

BY_CODE: dict[str, RuleCode] = {r.code: r for r in RULES}


def severity_of(code: str) -> Severity:
    return BY_CODE[code].severity
