"""The reviewer never raises, whatever a draft holds half-typed, and its breakdown always
adds up to the sum it reports."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.model import Amount, FundSources, Header, Indicator, TargetTable
from assistant.rules import PrecedentStats, validate

LEVELS = [
    ("产出指标", "数量指标"),
    ("产出指标", "质量指标"),
    ("产出指标", "时效指标"),
    ("产出指标", "成本指标"),
    ("成本指标", "经济成本指标"),
    ("成本指标", "社会成本指标"),
    ("效益指标", "社会效益"),
    ("效益指标", "生态效益"),
    ("满意度指标", "服务对象满意度"),
    ("其他", ""),
]
VALUES = [
    "5次, 5天/次, 5人/次",
    "430元/天/人",
    "1期、100人/天、2天",
    "2期、100人/期/天、5天",
    "92727元",
    "100151.19元",
    "不少于10次",
    "≥95%",
    "95%以上",
    "90%",
    "0",
    "",
    "优",
    "较好",
    "XX",
    "≥**",
    "2024年12月15日前",
    "9999年12月31日前",
    "2024年13月40日前",
    "十期",
    "两台",
    "≤90万元",
    "250万",
    "≥450元/人/天",
    "1E+40元/台",
    "99999999999999999999999999999元",
    "0元/人",
    "0人",
    "-5元",
    "每季度末提交",
    "100%完成",
    "满意",
    "5套",
    "2600元/台",
    "12058元/台",
    "1台",
    "1.5.3次",
]
NAMES = [
    "1.培训班",
    "2.培训班",
    "1.",
    "",
    "0",
    "信创非密计算机",
    "第2期培训班",
    "XX项目",
    "租车费",
    "2024年12月31日前完成率",
    "（13份）咨询报告",
    "10.师资费",
    "满意度",
    "1.购买打印机",
]
AMOUNTS = st.one_of(st.none(), st.sampled_from(["0", "9", "10.015119", "1E+20", "-3", "0.0001"]))


@st.composite
def tables(draw) -> TargetTable:
    rows = draw(
        st.lists(
            st.tuples(st.sampled_from(LEVELS), st.sampled_from(NAMES), st.sampled_from(VALUES)),
            max_size=14,
        )
    )
    money = {k: draw(AMOUNTS) for k in ("total", "annual", "fiscal", "transfer", "central")}
    return TargetTable(
        header=Header(
            project_name=draw(st.sampled_from(["", "2024年项目", "项目"])),
            year=draw(st.sampled_from([None, 0, 2024, 9999])),
            period=draw(st.sampled_from([None, "1年", "3年", "99999年", "一年期"])),
            total=Amount.parse(money["total"]),
            annual_total=Amount.parse(money["annual"]),
            funds=FundSources(
                fiscal=Amount.parse(money["fiscal"]),
                transfer=Amount.parse(money["transfer"]),
                central=Amount.parse(money["central"]),
            ),
        ),
        goal=draw(
            st.sampled_from(["", "培训1010人，共计1590000元", "预算十万元，举办两期", "共5项"])
        ),
        indicators=[Indicator(level1=a, level2=b, name=n, value=v) for (a, b), n, v in rows],
    )


STATS = PrecedentStats.from_indicators(
    [Indicator(level1="产出指标", level2="成本指标", name="培训班", value=v) for v in VALUES]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_validate_never_raises_and_breakdown_adds_up(table):
    report = validate(table, precedents=STATS)
    for f in report.findings:
        assert f.message and f.code
    b = report.breakdown
    if b is not None:
        assert sum((Decimal(ln.product) for ln in b.lines), Decimal(0)) == Decimal(b.sum_yuan)
        if b.total_yuan:
            assert Decimal(b.sum_yuan) - Decimal(b.total_yuan) == Decimal(b.gap_yuan)
            assert b.balanced == (Decimal(b.gap_yuan) == 0)
            assert b.balanced != ("MONEY-001" in report.codes())
