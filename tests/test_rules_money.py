"""成本测算 in detail: how cost rows find their quantities and which reading of a bare 元
amount is chosen."""

from __future__ import annotations

from assistant.model import Amount, FundSources, Header, Indicator, TargetTable
from assistant.rules import validate


def table(total_wan: str, *rows: tuple[str, str, str]) -> TargetTable:
    """A complete table around the given (level2, name, value) 产出 rows."""
    amount = Amount.parse(total_wan)
    return TargetTable(
        header=Header(
            project_name="2024年测试项目",
            period="1年",
            year=2024,
            total=amount,
            annual_total=amount,
            funds=FundSources(fiscal=amount),
        ),
        indicators=[
            *(Indicator(level1="产出指标", level2=l2, name=n, value=v) for l2, n, v in rows),
            Indicator(level1="产出指标", level2="质量指标", name="验收合格率", value="100%"),
            Indicator(level1="产出指标", level2="时效指标", name="2024年底前完成率", value="100%"),
            Indicator(level1="效益指标", level2="社会效益", name="服务水平", value="有效提高"),
            Indicator(level1="满意度指标", level2="服务对象满意度", name="满意度", value="≥90%"),
        ],
    )


def test_bare_yuan_read_as_a_total_when_that_is_what_balances():
    t = table(
        "2",
        ("数量指标", "1.编制规划", "3项"),
        ("成本指标", "1.编制规划", "20000元"),
    )
    report = validate(t)
    (line,) = report.breakdown.lines
    assert line.reading == "总额" and line.product == "20000"
    assert "按总额" in line.note
    assert not report.has_errors
    assert "第2行按总额" in next(f.message for f in report.findings if f.code == "MONEY-005")


def test_bare_yuan_mismatch_reports_the_closest_reading():
    t = table(
        "7",
        ("数量指标", "1.编制规划", "3项"),
        ("成本指标", "1.编制规划", "20000元"),
    )
    report = validate(t)
    assert report.breakdown.lines[0].reading == "单价"  # 60000 is closer to 70000 than 20000
    assert report.breakdown.gap_yuan == "-10000"


def test_quantity_from_two_rows_for_a_person_day_cost():
    t = table(
        "27",
        ("数量指标", "培训人数", "200人"),
        ("数量指标", "培训天数", "3天"),
        ("成本指标", "培训费", "450元/人/天"),
    )
    report = validate(t)
    (line,) = report.breakdown.lines
    assert line.factors == ["200人", "3天"] and line.product == "270000"
    assert report.breakdown.balanced and not report.has_errors


def test_pairs_by_similar_name_without_row_numbers():
    t = table(
        "1.5",
        ("数量指标", "采购打印机", "2台"),
        ("数量指标", "采购台式计算机", "2台"),
        ("成本指标", "台式计算机购置费", "6000元/台"),
        ("成本指标", "打印机购置费", "1500元/台"),
    )
    lines = validate(t).breakdown.lines
    assert [(ln.cost_row, ln.quantity_row) for ln in lines] == [(2, 1), (3, 0)]
    assert validate(t).breakdown.balanced


def test_count_inside_the_cost_name_when_no_quantity_row_matches():
    t = table(
        "6.5",
        ("数量指标", "服务覆盖单位", "20个"),
        ("成本指标", "提供咨询报告（13份）", "5000元/份"),
    )
    (line,) = validate(t).breakdown.lines
    assert line.factors == ["13份"] and line.product == "65000"


def test_per_session_cost_takes_only_the_sessions_of_a_compound_quantity():
    t = table(
        "9.45",
        ("数量指标", "1.培训班", "2期、100人/期/天、2天"),
        ("数量指标", "2.师资", "2期、100人/期/天、2天"),
        ("成本指标", "1.培训班", "450元/人/天"),
        ("成本指标", "2.师资", "4500元/期"),
    )
    lines = validate(t).breakdown.lines
    assert lines[0].product == str(2 * 100 * 2 * 450)
    assert lines[1].factors == ["2期"] and lines[1].product == "9000"
    assert "未参与计算" in lines[1].note


def test_wan_yuan_cost_and_no_total():
    t = table("10", ("数量指标", "1.设备", "2台"), ("成本指标", "1.设备", "≤5万元/台"))
    t.header.total = t.header.annual_total = None
    report = validate(t)
    assert report.breakdown.sum_yuan == "100000" and report.breakdown.total_yuan == ""
    assert "MONEY-001" not in report.codes() and "FUND-003" in report.codes()


def test_cost_without_quantity_is_counted_once_and_flagged():
    t = table("0.6", ("数量指标", "1.会议", "2次"), ("成本指标", "资料印刷费", "3000元/批"))
    report = validate(t)
    (line,) = report.breakdown.lines
    assert line.quantity_row is None and line.product == "3000"
    assert "MONEY-002" in report.codes()
    assert report.breakdown.gap_yuan == "-3000"


def test_a_rate_is_not_a_count():
    t = table("1", ("数量指标", "1.覆盖率", "100%"), ("成本指标", "1.覆盖率", "10000元"))
    report = validate(t)
    (line,) = report.breakdown.lines
    assert line.reading == "总额" and line.product == "10000"
    assert report.breakdown.balanced


def test_cost_in_the_2021_framework_reconciles():
    t = table("9", ("数量指标", "1.培训班", "1期、100人/天、2天"))
    t.indicators.append(
        Indicator(level1="成本指标", level2="经济成本指标", name="1.培训班", value="450元/人/天")
    )
    t.indicators.append(
        Indicator(level1="成本指标", level2="社会成本指标", name="社会影响", value="无")
    )
    report = validate(t)
    assert report.breakdown.balanced and report.breakdown.lines[0].product == "90000"
    assert not report.has_errors, [f.message for f in report.errors]


def test_level_name_variants_are_understood():
    t = table("0.6", ("产出数量", "1.召开会议", "2次"), ("产出成本指标", "1.召开会议", "3000元/次"))
    report = validate(t)
    assert report.breakdown.balanced and report.breakdown.lines[0].product == "6000"
    assert not report.has_errors, [f.message for f in report.errors]
