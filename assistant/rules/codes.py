"""The reviewer's rule codes: stable identifiers, default severity, one-line descriptions.

Codes never change meaning once published; new checks get new codes.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Severity = Literal["error", "warning", "info"]


# the guidance the rules enforce (docs/guidance.md says what was taken from each)
G101 = "财预〔2021〕101号《中央部门项目支出核心绩效目标和指标设置及取值指引（试行）》"
G10 = "财预〔2020〕10号《项目支出绩效评价管理办法》共性指标框架"
FORM = "目标表本身的勾稽关系（表头金额、行与行之间）"


class RuleCode(NamedTuple):
    code: str
    severity: Severity
    zh: str
    en: str
    cites: str = ""  # what the rule enforces: a guidance document and the point taken from it


_RULES: tuple[RuleCode, ...] = (
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
        "指标值中残留模板占位符（XX、待填写、≥** 等）",
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
    RuleCode(
        "STRUCT-011",
        "warning",
        "定性指标多于定量指标（指标应以定量为主）",
        "Mostly qualitative indicators",
    ),
    RuleCode(
        "STRUCT-012",
        "info",
        "部分指标未写指标值设定依据（计划/行业/历史/其他标准）",
        "Some rows lack 指标值设定依据",
    ),
    RuleCode(
        "VALUE-008",
        "error",
        "满意度、合格率等不能超过100%的比率设定高于100%",
        "A rate that cannot exceed 100% is set above it",
    ),
    RuleCode(
        "VALUE-009",
        "info",
        "不能超过100%的比率写了“≥100%”，建议写“=100%”",
        "≥100% for a capped rate",
    ),
    RuleCode(
        "VALUE-010",
        "warning",
        "指标值无法衡量（是、及时、持续改善、按质按量完成等）",
        "Unmeasurable value",
    ),
    RuleCode(
        "VALUE-011",
        "warning",
        "三级指标名称中残留模板提示（如“(≥**人)”），同一原因合并列出",
        "Template hint left in indicator names",
    ),
    RuleCode(
        "VALUE-012",
        "warning",
        "指标名称中写的目标与指标值不一致",
        "Name states a different target than the value",
    ),
    RuleCode(
        "VALUE-013",
        "info",
        "三级指标名称中写了指标值（名称只写衡量什么）",
        "Name carries the target value",
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
        "没有可测算的成本金额（已不单独提示：与 VALUE-005 同一原因）",
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
    RuleCode(
        "MONEY-007",
        "warning",
        "目标中的补助标准×数量与年度资金总额不符",
        "Standard × count stated in the goal ≠ annual total",
    ),
    RuleCode(
        "MONEY-008",
        "warning",
        "按月/年设定的成本上限×期数小于年度资金总额",
        "Periodic ceiling × periods below the annual total",
    ),
    RuleCode(
        "MONEY-009",
        "info",
        "按月/年设定的成本上限×期数大于年度资金总额，上限不起约束作用",
        "Periodic ceiling cannot bind",
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
    RuleCode(
        "TIME-004",
        "warning",
        "时限晚于预算年度（项目期未写明，按一年期核对）",
        "Deadline after the budget year, period not stated",
    ),
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

_FRAME = f"{G101}：一级指标为产出、成本（2021起）、效益、满意度；产出含数量、质量、时效；{G10}"
_MEASURE = f"{G101}：指标值应清晰、可衡量，定量指标写明比较符号、数值和计量单位"
_COST = f"{G101}：成本指标反映预算资金的测算，经济成本指标以金额（单价或总额，≤上限）表示"
CITES: dict[str, str] = {
    "STRUCT-001": _FRAME,
    "STRUCT-002": _FRAME,
    "STRUCT-003": f"{G101}：成本指标（经济成本、社会成本、生态环境成本）",
    "STRUCT-004": _FRAME,
    "STRUCT-005": f"{G101}：满意度指标反映服务对象对产出和效果的认可程度",
    "STRUCT-006": "预算管理一体化系统录入：三级指标名称必填",
    "STRUCT-007": "预算管理一体化系统录入：指标值必填",
    "STRUCT-008": _FRAME,
    "STRUCT-009": _FRAME,
    "STRUCT-010": f"{G101}：2021起成本指标为一级指标，与旧体系“产出/成本指标”不并用",
    "STRUCT-011": f"{G101}：绩效指标以定量指标为主、定性指标为辅",
    "STRUCT-012": f"{G101}：指标值设定依据（计划标准、行业标准、历史标准、其他标准）",
    "VALUE-001": _MEASURE,
    "VALUE-002": _MEASURE,
    "VALUE-003": _MEASURE,
    "VALUE-004": _COST,
    "VALUE-005": _COST,
    "VALUE-006": _MEASURE,
    "VALUE-007": _MEASURE,
    "VALUE-008": f"{_MEASURE}；满意度、合格率、覆盖率等比率上限为100%",
    "VALUE-009": f"{_MEASURE}；比率的上限为100%，“≥100%”即“=100%”",
    "VALUE-010": _MEASURE,
    "VALUE-011": _MEASURE,
    "VALUE-012": f"{G101}：指标名称与指标值相互对应",
    "VALUE-013": f"{G101}：三级指标名称写衡量的内容，目标值写在指标值中",
    "MONEY-001": _COST,
    "MONEY-002": _COST,
    "MONEY-003": _COST,
    "MONEY-004": _COST,
    "MONEY-005": _COST,
    "MONEY-006": _COST,
    "MONEY-007": f"{_COST}；绩效目标与资金规模相匹配",
    "MONEY-008": _COST,
    "MONEY-009": _COST,
    "FUND-001": FORM,
    "FUND-002": FORM,
    "FUND-003": FORM,
    "FUND-004": FORM,
    "FUND-005": FORM,
    "FUND-006": FORM,
    "FUND-007": FORM,
    "GOAL-001": f"{G101}：年度绩效目标与绩效指标相互对应、口径一致",
    "GOAL-002": f"{G101}：绩效目标与资金规模相匹配",
    "TIME-001": f"{G101}：时效指标反映完成时限，一般在预算年度（或项目期）内",
    "TIME-002": f"{G101}：时效指标写明具体完成时限",
    "TIME-003": f"{G101}：时效指标反映完成时限，一般在预算年度内",
    "TIME-004": f"{G101}：时效指标反映完成时限，一般在预算年度内",
    "DUP-001": FORM,
    "DUP-002": f"{G101}：成本测算标准统一（计划标准）",
    "DUP-003": FORM,
    "DUP-004": FORM,
    "PREC-001": f"{G101}：指标值参考历史标准、行业标准",
}
RULES: tuple[RuleCode, ...] = tuple(r._replace(cites=CITES.get(r.code, r.cites)) for r in _RULES)
BY_CODE: dict[str, RuleCode] = {r.code: r for r in RULES}


def severity_of(code: str) -> Severity:
    return BY_CODE[code].severity
