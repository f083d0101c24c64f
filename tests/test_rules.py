"""The reviewer, rule by rule: a minimal table that triggers each code, and a near miss
that does not. The base table is clean: one training class, 100人 × 2天 × 450元 = 9万元."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from assistant.model import Amount, FundSources, Header, Indicator, Provenance, TargetTable
from assistant.rules import RULES, PrecedentStats, Report, explain, validate


def row(level1: str, level2: str, name: str, value: str) -> Indicator:
    return Indicator(level1=level1, level2=level2, name=name, value=value)


def base() -> TargetTable:
    return TargetTable(
        header=Header(
            project_name="2024年示范培训项目",
            department="自治区乡村振兴局",
            unit="示范中心",
            period="1年",
            year=2024,
            total=Amount.parse("9"),
            annual_total=Amount.parse("9"),
            funds=FundSources(fiscal=Amount.parse("9"), local_level=Amount.parse("9")),
        ),
        goal="2024年拟举办1期示范培训班，培训100人，共计90000元。",
        indicators=[
            row("产出指标", "数量指标", "1.示范培训班", "1期、100人/天、2天"),
            row("产出指标", "质量指标", "培训合格率", "≥95%"),
            row("产出指标", "时效指标", "2024年12月31日前完成率", "100%"),
            row("产出指标", "成本指标", "1.示范培训班", "450元/人/天"),
            row("效益指标", "社会效益", "提升干部业务能力", "有效提高"),
            row("满意度指标", "服务对象满意度", "参训人员满意度", "≥90%"),
        ],
    )


QTY, QUALITY, TIME, COST, SOCIAL, SATISFACTION = range(6)
Mutation = Callable[[TargetTable], None]


def set_value(i: int, value: str, name: str | None = None) -> Mutation:
    def apply(t: TargetTable) -> None:
        t.indicators[i].value = value
        if name is not None:
            t.indicators[i].name = name

    return apply


def drop(*level2: str) -> Mutation:
    def apply(t: TargetTable) -> None:
        t.indicators = [i for i in t.indicators if i.level2 not in level2]

    return apply


def add(*rows: Indicator) -> Mutation:
    def apply(t: TargetTable) -> None:
        t.indicators.extend(r.model_copy() for r in rows)

    return apply


def header(**changes: object) -> Mutation:
    def apply(t: TargetTable) -> None:
        for key, val in changes.items():
            if key in FundSources.model_fields:
                setattr(t.header.funds, key, Amount.parse(val) if val is not None else None)
            elif key in ("total", "annual_total"):
                setattr(t.header, key, Amount.parse(val) if val is not None else None)
            elif key == "goal":
                t.goal = str(val)
            else:
                setattr(t.header, key, val)

    return apply


def both(*mutations: Mutation) -> Mutation:
    def apply(t: TargetTable) -> None:
        for m in mutations:
            m(t)

    return apply


def check(*mutations: Mutation, precedents: PrecedentStats | None = None) -> Report:
    t = base()
    for m in mutations:
        m(t)
    return validate(t, precedents=precedents)


def test_the_base_table_is_clean_and_balanced():
    report = check()
    assert report.findings == []
    assert report.breakdown is not None and report.breakdown.balanced
    assert explain(report)[0] == "没有发现问题。"


# code, mutation that triggers it, near miss that must not
CASES: list[tuple[str, Mutation, Mutation]] = [
    ("STRUCT-001", drop("社会效益"), set_value(SOCIAL, "有效提高", name="提升干部能力水平")),
    ("STRUCT-002", drop("质量指标"), set_value(QUALITY, "100%")),
    (
        "STRUCT-003",
        drop("成本指标"),
        # the 2021 framework: 成本指标 as a first-level indicator
        both(drop("成本指标"), add(row("成本指标", "经济成本指标", "1.示范培训班", "450元/人/天"))),
    ),
    (
        "STRUCT-004",
        set_value(SOCIAL, "0", name="0"),
        both(
            set_value(SOCIAL, "0", name="0"), add(row("效益指标", "可持续影响", "长效", "有效保障"))
        ),
    ),
    ("STRUCT-005", drop("服务对象满意度"), set_value(SATISFACTION, "≥95%")),
    (
        "STRUCT-006",
        set_value(QUALITY, "100%", name="2."),
        set_value(QUALITY, "100%", name="2.合格率"),
    ),
    ("STRUCT-007", set_value(QUALITY, " "), set_value(QUALITY, "100%")),
    ("STRUCT-008", set_value(QUALITY, "0", name="0"), add(row("效益指标", "生态效益", "0", "0"))),
    (
        "STRUCT-009",
        add(row("产出指标", "其他指标", "宣传报道", "3篇")),
        add(row("产出指标", "产出数量", "宣传报道", "3篇")),
    ),
    (
        "STRUCT-010",
        add(row("成本指标", "社会成本指标", "对群众生活的影响", "无负面影响")),
        add(row("效益指标", "经济效益", "带动增收", "有效促进")),
    ),
    ("VALUE-001", set_value(QUALITY, "≥**%"), set_value(QUALITY, "≥95%")),
    ("VALUE-011", set_value(QUALITY, "100%", name="XX培训合格率"), set_value(QUALITY, "100%")),
    ("VALUE-001", set_value(QUALITY, "待填写"), set_value(QUALITY, "100%")),
    (
        "VALUE-002",
        add(row("产出指标", "数量指标", "发放资料", "300")),
        add(row("产出指标", "数量指标", "发放资料（册）", "300")),
    ),
    ("VALUE-003", set_value(SATISFACTION, "90%"), set_value(SATISFACTION, "100%")),
    ("VALUE-004", set_value(COST, "≥450元/人/天"), set_value(COST, "≤450元/人/天")),
    ("VALUE-005", set_value(COST, "100%", name="成本控制率"), set_value(COST, "450元/人/天")),
    ("VALUE-006", set_value(SOCIAL, "有所提高"), set_value(SOCIAL, "有效提高")),
    ("VALUE-006", set_value(QUALITY, "较好"), set_value(QUALITY, "≥95%")),
    ("VALUE-007", set_value(SATISFACTION, "满意"), set_value(SATISFACTION, "≥90%")),
    ("MONEY-001", set_value(COST, "460元/人/天"), set_value(COST, "450元/人/天")),
    (
        "MONEY-002",
        both(
            add(row("产出指标", "成本指标", "2.印刷资料费", "20元/册")),
            header(total="9.2", annual_total="9.2", fiscal="9.2", local_level="9.2"),
        ),
        both(
            add(
                row("产出指标", "数量指标", "2.印刷资料", "100册"),
                row("产出指标", "成本指标", "2.印刷资料费", "20元/册"),
            ),
            header(total="9.2", annual_total="9.2", fiscal="9.2", local_level="9.2"),
        ),
    ),
    (
        "MONEY-003",
        both(
            add(
                row("产出指标", "数量指标", "2.购置投影仪", "1套"),
                row("产出指标", "成本指标", "2.购置投影仪", "5000元/台"),
            ),
            header(total="9.5", annual_total="9.5", fiscal="9.5", local_level="9.5"),
        ),
        both(
            add(
                row("产出指标", "数量指标", "2.购置投影仪", "1台"),
                row("产出指标", "成本指标", "2.购置投影仪", "5000元/台"),
            ),
            header(total="9.5", annual_total="9.5", fiscal="9.5", local_level="9.5"),
        ),
    ),
    (
        "MONEY-005",
        both(
            set_value(QTY, "13份", name="1.咨询报告"),
            set_value(COST, "5000元", name="1.咨询报告"),
            header(
                total="6.5",
                annual_total="6.5",
                fiscal="6.5",
                local_level="6.5",
                goal="提供13份咨询报告。",
            ),
        ),
        both(
            set_value(QTY, "13份", name="1.咨询报告"),
            set_value(COST, "5000元/份", name="1.咨询报告"),
            header(
                total="6.5",
                annual_total="6.5",
                fiscal="6.5",
                local_level="6.5",
                goal="提供13份咨询报告。",
            ),
        ),
    ),
    (
        "MONEY-006",
        add(row("产出指标", "数量指标", "2.编印培训教材", "100册")),
        add(row("产出指标", "数量指标", "培训覆盖乡镇", "12个")),
    ),
    ("FUND-001", header(fiscal="8"), header(fiscal="5", other="4")),
    ("FUND-002", header(total="8"), header(total="18", period="2年")),
    ("FUND-003", header(total=None, annual_total=None), header(total=None)),
    ("FUND-004", header(total="10"), header(total="10", period="3年")),
    ("FUND-005", header(transfer="1"), header(local_level="8", transfer="1", fiscal="9")),
    (
        "FUND-006",
        header(local_level="6", transfer="3", central="1", regional="1"),
        header(local_level="6", transfer="3", central="1", regional="2"),
    ),
    # only a multi-year table must give both amounts; a one-year table has one figure
    ("FUND-007", header(annual_total=None, period="3年"), header(annual_total=None)),
    ("GOAL-001", header(goal="培训120人。"), header(goal="培训100人。")),
    ("GOAL-001", header(goal="举办2期培训班。"), header(goal="举办1期培训班。")),
    ("GOAL-002", header(goal="预算10万元。"), header(goal="预算9万元，其中3万元用于场地。")),
    (
        "TIME-001",
        set_value(TIME, "100%", name="2025年3月31日前完成率"),
        set_value(TIME, "100%", name="2024年10月底前完成率"),
    ),
    (
        "TIME-001",
        set_value(TIME, "100%", name="2023年12月31日前完成率"),
        both(header(period="3年"), set_value(TIME, "100%", name="2026年6月底前完成率")),
    ),
    ("TIME-002", set_value(TIME, "100%", name="及时完成率"), set_value(TIME, "2小时内响应")),
    (
        "TIME-003",
        header(year=None, project_name="示范培训项目"),
        header(year=None, project_name="2024年示范培训项目"),
    ),
    (
        "DUP-001",
        add(row("产出指标", "质量指标", "培训合格率", "≥95%")),
        add(row("产出指标", "质量指标", "结业考核通过率", "≥95%")),
    ),
    (
        "DUP-003",
        add(row("产出指标", "质量指标", "2.培训合格率", "≥95%")),
        add(row("产出指标", "质量指标", "2.结业考核通过率", "≥95%")),
    ),
    (
        "DUP-004",
        add(row("产出指标", "数量指标", "1.编印教材", "100册")),
        add(row("产出指标", "数量指标", "2.编印教材", "100册")),
    ),
]


@pytest.mark.parametrize(
    ("code", "trigger", "near_miss"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_rule_triggers_and_near_miss_does_not(code, trigger, near_miss):
    hit = check(trigger)
    assert code in hit.codes(), explain(hit)
    finding = next(f for f in hit.findings if f.code == code)
    assert finding.message and finding.severity == {r.code: r.severity for r in RULES}[code]
    miss = check(near_miss)
    assert code not in miss.codes(), explain(miss)


def test_every_rule_code_is_exercised():
    from test_rules_real import CASES as REAL_CASES

    # MONEY-004 is retired: a cost row with no amount is VALUE-005 already (one finding per cause)
    tested = {c[0] for c in CASES + REAL_CASES} | {"DUP-002", "PREC-001", "MONEY-004"}
    assert tested == {r.code for r in RULES}


def test_satisfaction_missing_is_a_warning_with_the_agreed_words():
    report = check(drop("服务对象满意度"))
    (f,) = report.findings
    assert (f.code, f.severity) == ("STRUCT-005", "warning")
    assert "建议增加满意度指标" in f.message
    assert not report.has_errors


def test_money_mismatch_gives_the_gap_in_yuan_and_wan():
    report = check(set_value(COST, "460元/人/天"))
    (f,) = [f for f in report.findings if f.code == "MONEY-001"]
    assert f.numbers == {
        "sum_yuan": "92000",
        "total_yuan": "90000",
        "gap_yuan": "2000",
        "gap_wan": "0.2",
    }
    assert "多出2000元（0.2万元）" in f.message
    assert report.breakdown.gap_yuan == "2000" and not report.breakdown.balanced


def test_fund_gap_is_reported_in_wan():
    (f,) = [f for f in check(header(fiscal="8.5")).findings if f.code == "FUND-001"]
    assert f.numbers["gap_wan"] == "-0.5"


def test_goal_count_mismatch_names_both_numbers():
    (f,) = check(header(goal="共培训120人")).findings
    assert f.code == "GOAL-001" and f.severity == "warning"
    assert f.numbers == {"goal": "120", "rows_total": "100", "difference": "-20", "unit": "人"}
    assert f.location.field == "年度总体绩效目标"


def test_goal_reads_chinese_numerals():
    assert check(header(goal="举办两期培训")).codes() == ["GOAL-001"]
    assert check(header(goal="培训一百二十人")).codes() == ["GOAL-001"]
    assert check(header(goal="培训一百人")).codes() == []
    assert check(header(goal="增强四个意识，培训100人")).codes() == []


def test_same_named_rows_with_different_unit_costs():
    report = check(
        set_value(QTY, "1期、50人/天、2天", name="1.示范培训班第1期"),
        set_value(COST, "550元/人/天", name="1.示范培训班第1期"),
        add(
            row("产出指标", "数量指标", "2.示范培训班第2期", "1期、50人/天、2天"),
            row("产出指标", "成本指标", "2.示范培训班第2期", "350元/人/天"),
        ),
    )
    (f,) = [f for f in report.findings if f.code == "DUP-002"]
    assert f.severity == "warning"
    assert f.numbers["first_unit_cost"] == "550" and f.numbers["unit_cost"] == "350"
    assert f.location.row == 7
    # 50×2×550 + 50×2×350 = 90000: the money still balances
    assert report.breakdown.balanced and not report.has_errors
    same = check(
        set_value(QTY, "1期、50人/天、2天", name="1.示范培训班第1期"),
        set_value(COST, "450元/人/天", name="1.示范培训班第1期"),
        add(
            row("产出指标", "数量指标", "2.示范培训班第2期", "1期、50人/天、2天"),
            row("产出指标", "成本指标", "2.示范培训班第2期", "450元/人/天"),
        ),
    )
    assert "DUP-002" not in same.codes()


# --- rule 8: precedents --------------------------------------------------------


def precedent(project: str, name: str, value: str) -> Indicator:
    return Indicator(
        level1="产出指标",
        level2="成本指标",
        name=name,
        value=value,
        provenance=Provenance(source="test", project=project, unit="某单位", year=2023),
    )


STATS = PrecedentStats.from_indicators(
    [
        precedent("甲县干部培训", "1.干部培训班", "450元/人/天"),
        precedent("乙市农技培训", "农技人员培训", "420元/天/人"),
        precedent("丙区党员培训", "党员轮训培训费", "500元/人/天"),
        precedent("丁县设备采购", "购置计算机", "6000元/台"),
        precedent("2024年示范培训项目", "1.示范培训班", "5000元/人/天"),  # the table itself
    ]
)


def test_unit_cost_far_from_precedents_is_a_warning_naming_them():
    report = check(
        set_value(COST, "1500元/人/天"),
        header(total="30", annual_total="30", fiscal="30", local_level="30", goal=""),
        precedents=STATS,
    )
    (f,) = [f for f in report.findings if f.code == "PREC-001"]
    assert f.severity == "warning"
    assert f.numbers["median"] == "450" and f.numbers["precedents"] == "3"
    assert "甲县干部培训" in f.message and "乙市农技培训" in f.message
    assert report.breakdown.balanced


def test_unit_cost_near_precedents_passes_and_own_project_is_ignored():
    assert "PREC-001" not in check(precedents=STATS).codes()
    assert len(STATS) == 5
    # 元/台 precedents are another kind: a 元/人/天 training row is not compared with them
    alike = STATS.similar("1.示范培训班", "450元/人/天", "2024年示范培训项目")
    assert sorted(e.project for e in alike) == ["丙区党员培训", "乙市农技培训", "甲县干部培训"]


def test_printer_is_not_compared_with_computers():
    stats = PrecedentStats.from_indicators(
        [precedent(p, "购买办公设备计算机", "6000元/台") for p in ("甲", "乙", "丙")]
    )
    assert stats.similar("购买办公设备打印机", "1500元/台", "丁") == []
    assert len(stats.similar("采购计算机", "1500元/台", "丁")) == 3


def test_report_json_round_trip_keeps_decimals_as_text():
    report = check(set_value(COST, "460元/人/天"))
    doc = report.model_dump(mode="json")
    assert doc["breakdown"]["lines"][0]["product"] == "92000"
    assert Report.model_validate(doc).has_errors
    assert Decimal(doc["breakdown"]["sum_yuan"]) == Decimal("92000")


def test_explain_puts_errors_first():
    lines = explain(check(drop("服务对象满意度"), set_value(COST, "460元/人/天")))
    assert lines[0].startswith("【错误】") and "2000元" in lines[0]
    assert lines[1].startswith("【提醒】") and "满意度" in lines[1]
    assert lines[-1].startswith("成本测算：")
