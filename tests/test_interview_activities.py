"""The activity parser: free-text activities → quantities and unit costs that multiply exactly."""

from decimal import Decimal

import pytest

from assistant.interview.money import activities_total, draft_rows, reconcile_message
from assistant.interview.parse import parse_activities, parse_activity
from assistant.interview.schema import load_prompts
from assistant.model import L1_OUTPUT, L2_COST

TYPES = load_prompts().activity_types


def one(text):
    act = parse_activity(text, TYPES)
    assert act is not None
    return act


@pytest.mark.parametrize(
    "text, name, fields, subtotal",
    [
        (
            "10期培训，每期100人2天，450元/人/天",
            "培训班",
            dict(periods=10, people=100, days=2, rate=450),
            900000,
        ),
        (
            "十期培训，每期一百人两天，每人每天450元",
            "培训班",
            dict(periods=10, people=100, days=2, rate=450),
            900000,
        ),
        (
            "举办10期乡村振兴干部培训班，每期100人，每期2天，标准450元/人/天",
            "乡村振兴干部培训班",
            dict(periods=10, people=100, days=2, rate=450),
            900000,
        ),
        (
            "移民致富提升干部业务能力培训班两期，每期100人5天，450元/人/天",
            "移民致富提升干部业务能力培训班",
            dict(periods=2, people=100, days=5, rate=450),
            450000,
        ),
        (
            "乡村建设示范培训班第1期，60人7天，550元/人/天",
            "乡村建设示范培训班第1期",
            dict(periods=1, people=60, days=7, rate=550),
            231000,
        ),
        (
            "１０期培训，每期１００人２天，４５０元／人／天",
            "培训班",
            dict(periods=10, people=100, days=2, rate=450),
            900000,
        ),
    ],
)
def test_training_phrasings(text, name, fields, subtotal):
    act = one(text)
    assert act.kind == "training"
    assert act.name == name
    for key, value in fields.items():
        assert getattr(act, key) == Decimal(value)
    assert act.subtotal() == Decimal(subtotal)


def test_training_rows_read_like_the_seed():
    act = one("1期防返贫动态监测和大排查培训班，100人2天，450元/人/天")
    assert act.quantity_value() == "1期、100人/天、2天"
    assert act.cost_value() == "450元/人/天"
    two = one("2期移民致富提升干部业务能力培训班，每期100人5天，450元/人/天")
    assert two.quantity_value() == "2期、100人/期/天、5天"


@pytest.mark.parametrize(
    "text, kind, name, count, unit, price",
    [
        ("买5台电脑，每台9400元", "equipment", "电脑", 5, "台", "9400"),
        ("买两台打印机，共5200元", "equipment", "打印机", 2, "台", "2600"),
        ("信创非密计算机5套，单价9400元", "equipment", "信创非密计算机", 5, "套", "9400"),
        ("信创非密打印机5台，2600元/台", "equipment", "信创非密打印机", 5, "台", "2600"),
        ("采购扫描仪3台，每台一千二百元", "equipment", "扫描仪", 3, "台", "1200"),
        ("数据分析报告13份，每份5000元", "service", "数据分析报告", 13, "份", "5000"),
        ("师资费每期9000元，共10期", "service", "师资费", 10, "期", "9000"),
        ("租车费十期，2250元/期", "service", "租车费", 10, "期", "2250"),
        ("调研租车费16次，每次1480.75元", "service", "调研租车费", 16, "次", "1480.75"),
        ("运维服务11项，每项92727元", "service", "运维服务", 11, "项", "92727"),
        ("购置笔记本电脑10台 单价6000元", "equipment", "笔记本电脑", 10, "台", "6000"),
        ("采购办公桌椅二十套，每套1500元", "equipment", "办公桌椅", 20, "套", "1500"),
        ("更新服务器2台，共计8万元", "equipment", "服务器", 2, "台", "40000"),
        ("印刷宣传资料2000份，每份3.5元", "service", "印刷宣传资料", 2000, "份", "3.5"),
        ("聘请专家咨询10人次，每人次800元", "service", "聘请专家咨询", 10, "人次", "800"),
        ("召开座谈会4场，每场2000元", "service", "座谈会", 4, "场", "2000"),
        ("专家评审费：每人每次800元，共20人次", "service", "专家评审费", 20, "人次", "800"),
    ],
)
def test_counted_items(text, kind, name, count, unit, price):
    act = one(text)
    assert (act.kind, act.name, act.count, act.unit) == (kind, name, Decimal(count), unit)
    assert act.price == Decimal(price)
    assert act.subtotal() == Decimal(count) * Decimal(price)
    assert act.cost_value() == f"{price}元/{unit}"


@pytest.mark.parametrize(
    "text, kind, name, count, unit, amount",
    [
        ("购买服务：系统运维1年，12万元", "service", "系统运维", 1, "年", "120000"),
        ("村部维修改造1处，共295万元", "works", "村部维修改造", 1, "处", "2950000"),
    ],
)
def test_a_lump_sum_for_one_item_stays_a_total(text, kind, name, count, unit, amount):
    act = one(text)
    assert (act.kind, act.name, act.count, act.unit) == (kind, name, Decimal(count), unit)
    assert (act.price, act.amount) == (None, Decimal(amount))
    assert act.cost_value() == f"{amount}元"  # never "2950000元/处"
    assert act.subtotal() == Decimal(amount)


def test_a_lump_sum_answered_before_the_count_stays_a_total():
    act = one("村部维修改造，共295万元")
    assert act.set_field("count", "1处") is None
    assert (act.count, act.unit, act.price, act.amount) == (1, "处", None, Decimal(2950000))
    assert act.cost_value() == "2950000元"


def test_field_work_reads_times_days_people():
    act = one("对全区就业帮扶车间建设管理调研、检查5次，每次5天4人，430元/天/人")
    assert act.kind == "fieldwork"
    assert act.name == "对全区就业帮扶车间建设管理调研、检查"
    assert (act.times, act.days, act.people, act.rate) == (5, 5, 4, 430)
    assert act.quantity_value() == "5次, 5天/次, 4人/次"
    assert act.cost_value() == "430元/天/人"
    assert act.subtotal() == Decimal(43000)


def test_a_total_number_of_trainees_is_split_over_the_periods():
    act = one("举办10期培训，共培训1000人，每期2天，450元/人/天")
    assert (act.periods, act.people) == (10, 100)
    uneven = one("举办3期培训，共计100人，每期2天，450元/人/天")
    assert uneven.people is None
    assert [fu.field for fu in uneven.missing(TYPES)] == ["people"]


@pytest.mark.parametrize(
    "text, rate",
    [("培训10期，每期100人2天，共90万元", 450), ("调研5次，每次5天5人，共计53750元", 430)],
)
def test_the_rate_is_worked_out_from_a_stated_total(text, rate):
    act = one(text)
    assert act.rate == Decimal(rate) and act.missing(TYPES) == []


def test_field_work_without_a_rate_asks_for_it():
    act = one("下乡督导检查8次，每次2天3人")
    assert (act.kind, act.times, act.days, act.people) == ("fieldwork", 8, 2, 3)
    assert [fu.field for fu in act.missing(TYPES)] == ["rate"]


def test_a_total_that_does_not_divide_is_kept_as_a_total():
    act = one("买3台复印机，共10000元")
    assert act.price is None and act.amount == Decimal(10000)
    assert act.cost_value() == "10000元"
    assert act.subtotal() == Decimal(10000)


@pytest.mark.parametrize(
    "text, name, amount",
    [
        ("办公用品3000元", "办公用品", "3000"),
        ("印刷费 5000 元", "印刷费", "5000"),
        ("缴纳社保费用共计10.015119万元", "缴纳社保费用", "100151.19"),
        ("按时足额缴纳职工各类社会保险，100151.19元", "按时足额缴纳职工各类社会保险", "100151.19"),
    ],
)
def test_other_activities_are_amounts(text, name, amount):
    act = one(text)
    assert (act.kind, act.name, act.amount) == ("other", name, Decimal(amount))


def test_other_activity_rows():
    act = one("办公用品3000元")
    assert (act.quantity_value(), act.cost_value()) == ("1项", "3000元")


def test_missing_details_become_follow_ups_in_script_order():
    act = one("举办乡村振兴干部培训班，每期80人")
    assert act.kind == "training"
    assert [fu.field for fu in act.missing(TYPES)] == ["periods", "days", "rate"]
    assert act.set_field("periods", "三期") is None
    assert act.set_field("days", "两天") is None
    assert act.set_field("rate", "每人每天四百五十元") is None
    assert act.subtotal() == Decimal(3 * 80 * 2 * 450)


def test_follow_up_answers_that_do_not_parse_give_a_reason():
    act = one("采购电脑")
    assert act.kind == "equipment"
    assert act.set_field("count", "不知道") == "没有看出数字"
    assert act.set_field("count", "0台") == "数量应大于0"
    assert act.set_field("price", "很贵") == "没有看出金额"
    assert act.set_field("count", "两台") is None and act.count == 2


def test_activities_split_on_lines_and_semicolons_and_strip_numbering():
    acts = parse_activities(
        "1. 买5台电脑，每台9400元；2、办公用品3000元\n（3）调研5次，每次2天3人，430元/天/人", TYPES
    )
    assert [a.kind for a in acts] == ["equipment", "other", "fieldwork"]


def test_seed_training_project_reconciles_exactly():
    text = "\n".join(
        [
            "防返贫动态监测和大排查培训班1期，100人2天，450元/人/天",
            "考核培训班1期，70人2天，450元/人/天",
            "资金管理培训班1期，200人2天，450元/人/天",
            "绩效评价工作培训班1期，230人1天，450元/人/天",
            "乡村建设示范培训班第1期，60人7天，550元/人/天",
            "乡村建设示范培训班第2期，60人7天，450元/人/天",
            "脱贫人口稳岗就业能力提升培训班1期，90人2天，450元/人/天",
            "移民致富提升干部业务能力培训班2期，每期100人5天，450元/人/天",
            "监测评价指标体系培训班1期，100人2天，450元/人/天",
            "师资费每期9000元，共10期",
            "租车费10期，2250元/期",
        ]
    )
    acts = parse_activities(text, TYPES)
    assert all(a.complete for a in acts)
    assert activities_total(acts) == Decimal("1590000")
    quantity, cost = draft_rows(acts, L1_OUTPUT, L2_COST)
    assert [q.name for q in quantity] == [c.name for c in cost]
    assert quantity[0].name.startswith("1.") and cost[10].name == "11.租车费"
    message, diff = reconcile_message(activities_total(acts), Decimal(159))
    assert diff == 0 and "一致" in message


def test_reconcile_message_says_by_how_much_in_yuan_and_wan():
    acts = parse_activities("买5台电脑，每台9400元", TYPES)
    message, diff = reconcile_message(activities_total(acts), Decimal(6))
    assert diff == Decimal(-13000)
    assert "少13000元（1.3万元）" in message


def test_people_counted_with_ming_are_people():
    act = one("举办培训班2期，每期50名学员2天，450元/人/天")
    assert (act.kind, act.periods, act.people, act.days, act.rate) == ("training", 2, 50, 2, 450)
    assert act.subtotal() == Decimal(90000)
