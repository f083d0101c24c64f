"""The reviewer on forms met in real published tables (issue 11): each newer rule fires on a
row written the way real tables write it and stays quiet on the correct form; and the false
alarms seen on real tables stay quiet."""

from __future__ import annotations

import pytest
from test_rules import (
    COST,
    QTY,
    QUALITY,
    SATISFACTION,
    SOCIAL,
    TIME,
    Mutation,
    add,
    both,
    check,
    header,
    row,
    set_value,
)

from assistant.model import TargetTable
from assistant.rules import explain


def basis(*rows_with_basis: int) -> Mutation:
    def apply(t: TargetTable) -> None:
        for i in rows_with_basis:
            t.indicators[i].basis = "计划标准"

    return apply


def qualitative(t: TargetTable) -> None:
    t.indicators[QUALITY].value = "优良"
    t.indicators.extend(
        [
            row("效益指标", "社会效益", "群众生产生活条件改善状况", "有效改善"),
            row("效益指标", "生态效益", "对生态环境的影响", "有效保护"),
            row("效益指标", "可持续影响", "项目持续发挥作用", "有效保障"),
            row("产出指标", "质量指标", "工程质量", "符合规范"),
            row("产出指标", "质量指标", "资料归档", "规范完整"),
        ]
    )


def quantitative(t: TargetTable) -> None:
    t.indicators.extend(
        [
            row("效益指标", "社会效益", "受益群众人数", "≥300人"),
            row("效益指标", "生态效益", "植被恢复面积", "≥20亩"),
            row("产出指标", "质量指标", "验收合格率", "100%"),
        ]
    )


def no_period(t: TargetTable) -> None:
    t.header.period = None


# code, a real-phrased trigger, its near miss
CASES: list[tuple[str, Mutation, Mutation]] = [
    ("STRUCT-011", qualitative, quantitative),
    ("STRUCT-012", basis(COST), basis(*range(6))),
    (
        "VALUE-008",
        set_value(SATISFACTION, "≥105%", name="群众满意度"),
        set_value(SATISFACTION, "≥95%"),
    ),
    (
        "VALUE-008",
        set_value(QUALITY, "110%", name="验收合格率"),
        set_value(QUALITY, "110%", name="收入增长率"),
    ),
    (
        "VALUE-009",
        set_value(QUALITY, "≥100%", name="验收合格率"),
        set_value(QUALITY, "100%", name="验收合格率"),
    ),
    (
        "VALUE-010",
        set_value(QUALITY, "按质按量完成", name="工程质量"),
        set_value(QUALITY, "≥95%", name="工程验收合格率"),
    ),
    ("VALUE-010", set_value(SOCIAL, "持续改善"), set_value(SOCIAL, "有效提高")),
    (
        "VALUE-010",
        set_value(QUALITY, "是", name="是否按规定程序采购"),
        set_value(QUALITY, "100%", name="政府采购合规率"),
    ),
    (
        "VALUE-010",
        set_value(TIME, "及时", name="资金拨付及时性"),
        set_value(TIME, "2024年6月30日前", name="资金拨付时间"),
    ),
    (
        "VALUE-011",
        both(
            set_value(QUALITY, "≥95%", name="种植作物成活率(≥**%)"),
            set_value(SATISFACTION, "≥90%", name="受益脱贫户满意度(≥**%)"),
        ),
        set_value(QUALITY, "≥95%", name="种植作物成活率"),
    ),
    (
        "VALUE-012",
        set_value(QUALITY, "≥90%", name="培训合格率(≥95%)"),
        set_value(QUALITY, "≥95%", name="培训合格率"),
    ),
    (
        "VALUE-013",
        add(row("产出指标", "数量指标", "配套电力设施1250KVA变压器3台", "3台")),
        add(row("产出指标", "数量指标", "配套1250KVA变压器", "3台")),
    ),
    (
        "MONEY-007",
        header(goal="为16个村每村补助6000元，提升人居环境。"),
        header(goal="为15个村每村补助6000元，提升人居环境。"),
    ),
    (
        "MONEY-008",
        set_value(COST, "≤0.5万/月", name="物业服务费"),
        set_value(COST, "≤0.75万/月", name="物业服务费"),
    ),
    (
        "MONEY-009",
        set_value(COST, "≤1万元/月", name="物业服务费"),
        set_value(COST, "≤0.75万元/月", name="物业服务费"),
    ),
    (
        "TIME-004",
        both(no_period, set_value(TIME, "100%", name="2025年3月31日前完成率")),
        both(no_period, set_value(TIME, "100%", name="2024年12月31日前完成率")),
    ),
    (
        "TIME-001",
        set_value(TIME, "次年3月底前", name="项目验收时间"),
        set_value(TIME, "当年12月底前", name="项目验收时间"),
    ),
]


@pytest.mark.parametrize(
    ("code", "trigger", "near_miss"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_rule_fires_on_real_phrasing_and_not_on_the_correct_form(code, trigger, near_miss):
    hit = check(trigger)
    assert code in hit.codes(), explain(hit)
    miss = check(near_miss)
    assert code not in miss.codes(), explain(miss)


def test_every_newer_rule_cites_the_guidance():
    from assistant.rules import BY_CODE

    for code, *_ in CASES:
        assert BY_CODE[code].cites


# --- false alarms seen on real tables stay quiet --------------------------------------


def test_one_placeholder_in_many_names_is_one_finding_listing_the_rows():
    names = ["补助人数(≥**人)", "种植作物成活率(≥**%)", "完成及时率(≥**%)", "受益户数(≥**户)"]
    extra = [row("产出指标", "数量指标", n, "≥10人") for n in names]
    report = check(add(*extra))
    hints = [f for f in report.findings if f.code == "VALUE-011"]
    assert len(hints) == 1
    assert hints[0].rows == [6, 7, 8, 9] and "第7、8、9、10行" in hints[0].message


def test_a_time_limit_the_name_carries_by_law_is_a_deadline():
    report = check(set_value(TIME, "≥95%", name="审限内结案率"))
    assert "TIME-002" not in report.codes(), explain(report)


def test_two_labelled_areas_are_a_quantity_not_qualitative_text():
    report = check(set_value(QTY, "新建面积1200平方米，改造面积300平方米", name="1.示范培训班"))
    assert not {"VALUE-007", "VALUE-002"} & set(report.codes()), explain(report)


def test_a_monthly_ceiling_without_yuan_is_money():
    report = check(set_value(COST, "≤0.75万/月", name="物业服务费"))
    assert not {"VALUE-005", "MONEY-001", "MONEY-002"} & set(report.codes()), explain(report)
    (line,) = report.breakdown.lines
    assert (line.product, line.reading) == ("90000", "单价×期数")


def test_a_standard_per_village_in_the_goal_is_not_the_project_sum():
    report = check(header(goal="为15个村每村补助6000元，提升人居环境。"))
    assert not {"GOAL-002", "MONEY-007"} & set(report.codes()), explain(report)


def test_a_one_year_table_with_one_amount_is_not_missing_its_annual_total():
    report = check(header(annual_total=None, period=None))
    assert "FUND-007" not in report.codes()


def test_template_level_names_with_scores_are_read():
    def scored(t: TargetTable) -> None:
        for ind in t.indicators:
            ind.level1 = f"{ind.level1}（50分）"
            ind.level2 = f"{ind.level2}（10分）"

    report = check(scored)
    assert not {"STRUCT-002", "STRUCT-003", "STRUCT-005", "STRUCT-009"} & set(report.codes())


def test_zero_under_quality_is_a_real_target():
    report = check(add(row("产出指标", "质量指标", "安全生产事故发生次数", "0")))
    assert not {"STRUCT-008", "VALUE-002", "STRUCT-007"} & set(report.codes()), explain(report)


def test_a_named_row_with_only_a_dash_has_no_value():
    report = check(set_value(QUALITY, "—", name="培训合格率"))
    assert "STRUCT-007" in report.codes()


def test_a_tier_of_standards_in_the_goal_is_not_multiplied():
    goal = "资助标准为每生每年3000元、2000元、1000元3个档次，资助120名学生。"
    assert "MONEY-007" not in check(header(goal=goal)).codes()


def test_a_table_marked_incomplete_is_not_said_to_miss_levels():
    def truncated(t: TargetTable) -> None:
        t.indicators = t.indicators[:3]
        t.notes.append("原文不完整（公开文本被截断），表中指标不全")

    report = check(truncated)
    assert not {"STRUCT-001", "STRUCT-003", "STRUCT-005"} & set(report.codes()), explain(report)


def test_the_same_vague_value_in_three_rows_is_one_finding():
    rows = [
        row("效益指标", "社会效益", "对维护市场公平的影响程度", "效果明显"),
        row("效益指标", "生态效益", "对控制项目成本影响程度", "效果明显"),
        row("效益指标", "可持续影响", "对制度落实的持续性影响", "效果明显"),
    ]
    vague = [f for f in check(add(*rows)).findings if f.code == "VALUE-006"]
    assert len(vague) == 1 and vague[0].rows == [6, 7, 8]


def test_a_cost_row_without_an_amount_is_said_once():
    report = check(set_value(COST, "100%", name="成本控制率"))
    assert "VALUE-005" in report.codes() and "MONEY-004" not in report.codes()


def test_a_year_with_completion_in_the_name_is_a_deadline():
    report = check(set_value(TIME, "100%", name="2024年项目完工、投入使用"))
    assert "TIME-002" not in report.codes(), explain(report)


def test_a_zero_rate_is_an_exact_target():
    report = check(add(row("效益指标", "社会效益", "补助款结算争议率", "0%")))
    assert "VALUE-003" not in report.codes(), explain(report)


def test_a_bare_cost_number_takes_its_unit_from_the_name():
    report = check(set_value(COST, "9", name="项目总投入(≤**万元)"))
    assert "VALUE-005" not in report.codes(), explain(report)
    assert report.breakdown.lines[0].product == "90000"


def test_a_duration_ceiling_is_a_time_limit():
    report = check(set_value(TIME, "≤7工作日", name="检测及时率"))
    assert "TIME-002" not in report.codes(), explain(report)


def test_no_reading_is_said_to_fit_a_total_that_is_not_there():
    report = check(
        header(total=None, annual_total=None, fiscal=None, local_level=None),
        set_value(COST, "9万元", name="1.示范培训班"),
    )
    assert "MONEY-005" not in report.codes(), explain(report)


def test_money_written_in_prose_is_asked_to_be_an_amount():
    report = check(set_value(COST, "每生每年3000元、2000元、1000元3个档次", name="资助标准"))
    (f,) = [f for f in report.findings if f.code == "VALUE-005"]
    assert "把金额写在文字里" in f.message and "分行填写" in f.message


def test_a_period_written_as_a_year_is_not_a_period_of_years():
    report = check(header(period="2022年", annual_total=None))
    assert "FUND-007" not in report.codes(), explain(report)


def test_a_goal_pasted_twice_still_adds_up_by_its_parts():
    goal = "冷库投资4万元;设备购置5万元。" * 2
    report = check(header(goal=goal))
    assert "GOAL-002" not in report.codes(), explain(report)


def test_the_2021_tree_with_its_three_cost_sub_levels():
    def tree_2021(t: TargetTable) -> None:
        cost = t.indicators[COST]
        cost.level1, cost.level2 = "成本指标", "经济成本指标"
        t.indicators.append(
            row("成本指标", "社会成本指标", "对当地文物保护、文化传承影响", "无负面影响")
        )
        t.indicators.append(row("成本指标", "生态环境成本指标", "施工扬尘影响", "≤0次"))

    report = check(tree_2021)
    assert not [f for f in report.findings if f.code.startswith(("STRUCT", "VALUE-005"))], explain(
        report
    )
    assert report.breakdown is not None and report.breakdown.balanced


def test_an_amount_in_wan_without_a_per_unit_unit_is_read_both_ways():
    report = check(
        set_value(QTY, "13份", name="1.咨询报告"),
        set_value(COST, "0.5万元", name="1.咨询报告"),
        header(
            total="6.5", annual_total="6.5", fiscal="6.5", local_level="6.5", goal="提供咨询报告。"
        ),
    )
    (f,) = [f for f in report.findings if f.code == "MONEY-005"]
    assert "第4行按单价×数量" in f.message and report.breakdown.balanced


def test_the_listed_problems_and_judgements_name_real_rule_codes():
    from pathlib import Path

    import yaml

    from assistant.rules import BY_CODE

    data = Path(__file__).parent / "data" / "reviewer"
    problems = yaml.safe_load((data / "problems.yaml").read_text(encoding="utf-8"))
    judged = yaml.safe_load((data / "judged.yaml").read_text(encoding="utf-8"))
    assert len(problems) >= 30 and len(judged) >= 120
    assert {p["expect"] for p in problems} <= set(BY_CODE)
    assert {j["key"].split("@")[0] for j in judged} <= set(BY_CODE)
    assert all(j["verdict"] in (True, False, None) for j in judged)
