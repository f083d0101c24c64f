"""Subsidies (补助/助学金) and construction/repair works (维修/硬化/新建) as activity kinds:
how they are recognised, the rows they draft, the follow-ups they ask, and the money check."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from clirun import run_cli

from assistant.interview import Interview
from assistant.interview.money import activities_total, draft_rows, reconcile_message
from assistant.interview.parse import parse_activities, parse_activity
from assistant.interview.schema import load_prompts
from assistant.model import L2_COST
from assistant.search import SearchEngine
from assistant.store import DraftStore

TYPES = load_prompts().activity_types
ANSWERS = Path(__file__).resolve().parent / "data" / "answers"


def one(text: str):
    act = parse_activity(text, TYPES)
    assert act is not None
    return act


SUBSIDIES = [
    # text, name, count, unit, price (元), subtotal (元)
    ("对300名困难学生发放助学金，每人每年2000元", "困难学生助学金", 300, "人", 2000, 600000),
    ("补助脱贫户120户，每户3000元", "脱贫户补助", 120, "户", 3000, 360000),
    ("高中助学金160人，标准2000元/人", "高中助学金", 160, "人", 2000, 320000),
    ("发放助学金三百人，每人两千元", "助学金", 300, "人", 2000, 600000),
    ("向一百二十户监测户发放产业奖补，每户0.3万元", "监测户产业奖补", 120, "户", 3000, 360000),
    (
        "资助家庭经济困难学生1606人次，每生每年1000元",
        "家庭经济困难学生资助",
        1606,
        "人次",
        1000,
        1606000,
    ),
    ("春季学期一档助学金发放300人，共45万元", "春季学期一档助学金", 300, "人", 1500, 450000),
    ("残疾人生活补贴85人，2400元/人", "残疾人生活补贴", 85, "人", 2400, 204000),
    (
        "1、高龄老人补贴 50名 每人1200.50元",
        "高龄老人补贴",
        50,
        "人",
        Decimal("1200.50"),
        Decimal("60025"),
    ),
    ("农村户厕改造500户，每户补助1500元", "农村户厕改造补助", 500, "户", 1500, 750000),
    ("每户补助3000元，共120户", "补助", 120, "户", 3000, 360000),
    ("助学金标准每人每年2000元，资助300人", "助学金", 300, "人", 2000, 600000),
    ("发放临时救助金50人次，每人次800元", "临时救助金", 50, "人次", 800, 40000),
    ("困难学生生活补助，300人，2000元/人/年", "困难学生生活补助", 300, "人", 2000, 600000),
]


@pytest.mark.parametrize("text, name, count, unit, price, subtotal", SUBSIDIES)
def test_subsidy_phrasings(text, name, count, unit, price, subtotal):
    act = one(text)
    assert act.kind == "subsidy"
    assert (act.name, act.count, act.unit, act.price) == (name, count, unit, Decimal(price))
    assert act.subtotal() == Decimal(subtotal)
    assert act.missing(TYPES) == []


WORKS = [
    # text, name, count, unit, price (元), subtotal (元)
    ("维修改造教学楼2栋，每栋40万元", "维修改造教学楼", 2, "栋", 400000, 800000),
    ("道路硬化3公里，每公里50万元", "道路硬化", 3, "公里", 500000, 1500000),
    ("新建蓄水池2座，投资40万元", "新建蓄水池", 2, "座", 200000, 400000),
    ("村组道路硬化三公里，每公里五十万元", "村组道路硬化", 3, "公里", 500000, 1500000),
    ("修缮村委会办公楼800平方米，每平方米1200元", "修缮村委会办公楼", 800, "平方米", 1200, 960000),
    ("新建垃圾收集点5处，共计12.5万元", "新建垃圾收集点", 5, "处", 25000, 125000),
    (
        "河道护坡加固工程2.5公里，单价36万元",
        "河道护坡加固工程",
        Decimal("2.5"),
        "公里",
        360000,
        900000,
    ),
    ("改造提升村级卫生室两间，每间4.8万元", "改造提升村级卫生室", 2, "间", 48000, 96000),
    ("改造农村危房20户，每户2万元", "改造农村危房", 20, "户", 20000, 400000),
    ("打机井3口，每口8万元", "打机井", 3, "口", 80000, 240000),
    ("建设高标准农田五百亩，每亩1500元", "建设高标准农田", 500, "亩", 1500, 750000),
    ("硬化道路3.5公里，每公里45万元", "硬化道路", Decimal("3.5"), "公里", 450000, 1575000),
    ("新建公厕2座，每座15万元，共30万元", "新建公厕", 2, "座", 150000, 300000),
]


@pytest.mark.parametrize("text, name, count, unit, price, subtotal", WORKS)
def test_works_phrasings(text, name, count, unit, price, subtotal):
    act = one(text)
    assert act.kind == "works"
    assert (act.name, act.count, act.unit, act.price) == (name, count, unit, Decimal(price))
    assert act.subtotal() == Decimal(subtotal)


@pytest.mark.parametrize(
    "text, kind",
    [
        ("交通补助每期2000元，共10期", "service"),  # per period: a support expense as before
        ("每期补助2000元，共10期", "service"),
        ("空调维修10台，每台500元", "equipment"),  # counted in 台: a purchase as before
        ("乡村建设示范培训班第1期，60人7天，550元/人/天", "training"),
        ("信息系统建设1项，共50万元", "service"),  # software is not a construction work
        ("工程监理服务1项，共5万元", "service"),
        ("调研督导差旅补助，调研5次，每次5天5人，430元/天/人", "fieldwork"),
    ],
)
def test_other_kinds_are_not_taken_for_subsidies_or_works(text, kind):
    assert one(text).kind == kind


def test_rows_pair_and_reconcile_exactly():
    acts = parse_activities(
        "对300名困难学生发放助学金，每人每年2000元\n补助脱贫户120户，每户3000元\n"
        "维修改造教学楼2栋，每栋40万元；新建蓄水池1座，投资20万元",
        TYPES,
    )
    quantity, cost = draft_rows(acts, "产出指标", L2_COST)
    assert [(r.name, r.value) for r in quantity] == [
        ("1.困难学生助学金发放人数", "300人"),
        ("2.脱贫户补助发放户数", "120户"),
        ("3.维修改造教学楼", "2栋"),
        ("4.新建蓄水池", "1座"),
    ]
    assert [(r.name, r.value) for r in cost] == [
        ("1.困难学生助学金", "2000元/人"),
        ("2.脱贫户补助", "3000元/户"),
        ("3.维修改造教学楼", "400000元/栋"),
        ("4.新建蓄水池", "200000元"),  # one item's lump sum stays a lump sum
    ]
    total = activities_total(acts)
    assert total == Decimal("600000") + Decimal("360000") + Decimal("800000") + Decimal("200000")
    assert isinstance(total, Decimal)
    message, diff = reconcile_message(total, Decimal("196"))
    assert diff == 0 and "1960000元（196万元）" in message


def test_a_total_that_does_not_divide_stays_a_total():
    act = one("道路硬化3公里，共100万元")
    assert (act.count, act.price, act.amount) == (3, None, Decimal(1000000))
    assert act.cost_value() == "1000000元" and act.subtotal() == Decimal(1000000)


@pytest.mark.parametrize(
    "text, missing",
    [
        ("发放助学金，每人2000元", ["count"]),
        ("高中助学金160人", ["price"]),
        ("为脱贫户发放补助", ["count", "price"]),
        ("校园维修改造", ["count", "price"]),
        ("道路硬化3公里", ["price"]),
        ("教学楼维修改造工程，共80万元", ["count"]),
        ("新建蓄水池，每座20万元", ["count"]),
        ("补助脱贫户120户，每人1000元", ["count"]),  # priced per person, counted in 户
    ],
)
def test_missing_details_become_follow_ups(text, missing):
    act = one(text)
    assert act.kind in ("subsidy", "works")
    assert [fu.field for fu in act.missing(TYPES)] == missing
    assert not act.complete


def test_follow_up_answers_complete_the_activity():
    act = one("发放助学金共60万元")
    assert [fu.field for fu in act.missing(TYPES)] == ["count"]
    assert act.set_field("count", "三百名") is None  # the count now divides the total
    assert (act.count, act.unit, act.price, act.amount) == (300, "人", Decimal(2000), None)
    assert act.cost_value() == "2000元/人"

    works = one("修缮村委会办公楼800平方米")
    assert works.set_field("price", "很贵") == "没有看出金额"
    assert works.set_field("price", "每平方米1200元") is None
    assert works.subtotal() == Decimal(960000) and works.quantity_value() == "800平方米"

    whole = one("新建蓄水池1座")
    assert whole.set_field("price", "共20万元") is None
    assert whole.cost_value() == "200000元"  # one 座's total, not a unit cost


def _interview(activities: str) -> Interview:
    iv = Interview(store=DraftStore(), searcher=SearchEngine([], semantic=False))
    header = [
        "2024年困难学生助学金项目",
        "某县教育局",
        "某中学",
        "跳过",
        "跳过",
        "2024",
        "跳过",
        "60万",
        "跳过",
        "跳过",
        "跳过",
        activities,
    ]
    for text in header:
        assert iv.answer(text).ok, text
    return iv


def test_the_interview_asks_for_the_missing_count_and_standard():
    iv = _interview("为困难学生发放助学金")
    q = iv.current()
    assert q.id == "activity.1.count" and q.text == "「困难学生助学金」发放给多少人（户）？"
    assert iv.answer("300人").ok
    q = iv.current()
    assert q.id == "activity.1.price" and "标准" in q.text
    turn = iv.answer("每人每年2000元")
    assert turn.ok
    assert any("与年度资金总额一致" in m for m in turn.messages)


def test_the_interview_asks_for_a_works_unit_cost():
    iv = _interview("道路硬化3公里")
    q = iv.current()
    assert q.id == "activity.1.price" and q.text.startswith("「道路硬化」每个单位")
    turn = iv.answer("每公里20万元")
    assert turn.ok and any("与年度资金总额一致" in m for m in turn.messages)


@pytest.mark.parametrize(
    "file, rows",
    [
        ("subsidy.yaml", ["1.春季学期一档助学金发放人数：300人", "6.秋季学期三档助学金：500元/人"]),
        ("repair.yaml", ["2.村组道路硬化：3公里", "4.修缮村委会办公楼：1200元/平方米"]),
    ],
)
def test_headless_answers_draft_without_money_errors(capsys, file, rows):
    code, out, err = run_cli(capsys, "draft", "--answers", ANSWERS / file)
    assert code == 0, err
    for row in rows:
        assert row in out
    assert "与年度资金总额一致" in out
    assert "【错误】" not in out


def test_the_count_is_the_one_in_the_priced_unit():
    desk = one("1.2米办公桌10张，每张800元")  # 米 is a size here, not the count
    assert (desk.kind, desk.name, desk.count, desk.unit) == ("equipment", "办公桌", 10, "张")
    works = one("外墙高3米的教学楼维修2栋，每栋40万元")
    assert (works.kind, works.name, works.count, works.unit) == ("works", "教学楼维修", 2, "栋")


def test_describe_says_standard_for_a_subsidy():
    assert one("补助脱贫户120户，每户3000元").describe(TYPES) == (
        "「脱贫户补助」（补助发放）：120户、标准3000元，小计360000元"
    )
    assert one("道路硬化3公里").describe(TYPES) == (
        "「道路硬化」（工程建设维修）：3公里、单价待定（信息还不全）"
    )


@pytest.mark.parametrize("file, total", [("subsidy.yaml", "160.8"), ("repair.yaml", "346")])
def test_headless_json_has_no_money_finding(capsys, file, total):
    import json

    code, out, err = run_cli(capsys, "draft", "--answers", ANSWERS / file, "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["table"]["header"]["annual_total"]["value"] == total
    assert [f for f in doc["findings"] if f["severity"] == "error"] == []
    assert [f["code"] for f in doc["findings"] if f["code"].startswith("MONEY")] == []


def test_the_drafted_goal_names_subsidies_and_works():
    from assistant.interview.goal import compose_goal
    from assistant.model import Header

    acts = parse_activities("高中助学金160人，标准2000元/人\n道路硬化3公里，每公里50万元", TYPES)
    goal = compose_goal(Header(project_name="X", year=2024, unit="某镇"), acts)
    assert "发放" in goal and "160人" in goal and "3公里" in goal
    assert "实施本项目" not in goal and "共计182万元" in goal
