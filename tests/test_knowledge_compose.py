"""How one slot's suggestions are composed: the user's own activities and amounts fill the
templates, indicators tables of several kinds use are offered as 共性指标 with their count,
near-duplicates are shown once, and the 不适用 hint needs the kind's tables to leave the slot
empty. A small corpus made here, as in test_knowledge.py."""

from __future__ import annotations

import pytest
from knowledge_corpus import BEN, OUT, SAT, table

from assistant.knowledge import templates as tpl
from assistant.knowledge.compose import compose, near_duplicate
from assistant.knowledge.gate import Advisor, Facts, GateParams, corpus_profile
from assistant.knowledge.kinds import infer_kind
from assistant.model import TargetTable
from assistant.search.engine import SearchEngine


def _table(name: str, kind: str, rows: list[tuple[str, str, str, str]], n: int) -> TargetTable:
    return table(name, kind, rows, f"http://t.example/{n}")


TABLES = [
    _table(
        "乡村振兴干部培训班",
        "training",
        [
            (OUT, "数量指标", "培训人次", "300人次"),
            (OUT, "时效指标", "项目完成及时率", "100%"),
            (SAT, "服务对象满意度", "参训学员满意度", "≥90%"),
        ],
        1,
    ),
    _table(
        "护工技能培训",
        "training",
        [
            (OUT, "数量指标", "培训期数", "4期"),
            (OUT, "时效指标", "培训完成时间", "2023年10月底前"),
            (SAT, "服务对象满意度", "参训学员满意度", "≥95%"),
        ],
        2,
    ),
    _table(
        "村委会办公楼修缮",
        "works",
        [
            (OUT, "数量指标", "修缮面积", "600平方米"),
            (OUT, "时效指标", "项目完成及时率", "100%"),
            (BEN, "生态效益", "施工扬尘控制达标率", "100%"),
        ],
        3,
    ),
    _table(
        "公务用车购置",
        "equipment",
        [
            (OUT, "数量指标", "车辆采购数量", "2辆"),
            (OUT, "时效指标", "项目完成及时率", "100%"),
        ],
        4,
    ),
    _table(
        "办公设备购置",
        "equipment",
        [
            (OUT, "数量指标", "办公设备采购数量", "20台"),
            (OUT, "质量指标", "设备验收合格率", "100%"),
        ],
        5,
    ),
]


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    rows = [i for t in TABLES for i in t.indicators]
    return Advisor(
        SearchEngine(rows, semantic=False),
        profile=corpus_profile(TABLES),
        params={"lexical": GateParams(other_min=1.01), "fused": GateParams(other_min=1.01)},
        kind_templates=tpl.learn(TABLES),
    )


def test_activities_keep_their_amount_and_unit():
    acts = tpl.activities_of(["苗木栽植 3500株", "组织乡村振兴干部培训280人次", "宣传"])
    assert acts == [
        tpl.Activity("苗木栽植", "3500", "株"),
        tpl.Activity("乡村振兴干部培训", "280", "人次"),
        tpl.Activity("宣传"),
    ]
    names = [tpl.quantity_name(a) for a in acts]
    assert names == ["苗木栽植数量", "乡村振兴干部培训人次", "宣传数量"]


def test_a_goal_gives_only_the_activities_it_states_an_amount_for():
    goal = "目标1：主体班培训280人次；邀请名师授课25人次。目标2：投资400万元，提升干部能力。"
    acts = tpl.activities_of([goal], need_amount=True)
    assert [(a.name, a.amount, a.unit) for a in acts] == [
        ("主体班培训", "280", "人次"),
        ("邀请名师授课", "25", "人次"),
    ]  # money is not an activity, a sentence without an amount is not one either


@pytest.mark.parametrize(
    ("name", "core"),
    [
        ("古昌镇大青冈村乡村振兴绿化美化项目", "乡村振兴绿化美化"),
        ("2025金安国际网球公开赛(国际系列赛事)", "金安国际网球公开赛"),
        ("岳阳县2022年高标准农田建设项目", "高标准农田建设"),
        ("博物馆纪念馆市级免费开放补助资金", "博物馆纪念馆市级免费开放"),
        ("19名百岁老人高龄津贴", "19名百岁老人高龄津贴"),
    ],
)
def test_templates_use_what_the_project_name_says_it_does(name, core):
    assert tpl.name_core(name) == core


def test_the_users_activity_and_amount_make_a_quantity_row_with_its_reason(advisor):
    facts = Facts("2024年护林员培训", activities=("护林员培训 120人次",), kind="training")
    adv = advisor.advise(facts, OUT, "数量指标", top=5)
    first = adv.suggestions[0]
    assert (first.indicator.name, first.indicator.value) == ("护林员培训人次", "120人次")
    assert first.origin == "template" and first.reasons[0].startswith("类别模板：")
    assert first.reasons[1] == "按您的活动：护林员培训 120人次"
    assert "http://t.example/1" in first.indicator.provenance.note  # cites the tables


def test_indicators_of_several_kinds_are_offered_as_common_with_their_count(advisor):
    learned = tpl.learn(TABLES)
    timely = learned[tpl.COMMON]["slots"]["产出指标/时效指标"]
    row = next(r for r in timely if r["pattern"] == "项目完成及时率")
    assert (row["tables"], row["kinds"]) == (3, 3)
    adv = advisor.advise(Facts("公务用车更新", kind="equipment"), OUT, "时效指标", top=5)
    common = [s for s in adv.suggestions if s.reasons[0].startswith("共性指标：项目完成及时率")]
    assert common and "3类项目共3张表" in common[0].reasons[0]


def test_near_duplicates_are_shown_once():
    assert near_duplicate("乡村建设示范培训班第1期", "乡村建设示范培训班第2期")
    assert near_duplicate("车辆采购数量", "办公设备采购数量")
    assert not near_duplicate("车辆采购数量", "车辆验收合格率")
    picked = compose(
        [(["培训班第1期", "培训班第2期", "培训人次"], 2), (["满意度"], None)], 5, lambda s: s
    )
    assert picked == ["培训班第1期", "培训人次", "满意度"]


def test_not_applicable_is_hinted_only_when_the_kinds_tables_leave_the_slot_empty(advisor):
    # two training tables, none with 生态效益: the hint; works fill it: no hint
    assert advisor.advise(Facts("培训", kind="training"), BEN, "生态效益").usually_not_applicable
    assert not advisor.advise(Facts("修缮", kind="works"), BEN, "生态效益").usually_not_applicable


def test_a_key_word_inside_a_longer_one_counts_once_and_a_half():
    guess = infer_kind("设备购置")  # 设备购置 (2) + 设备 and 购置 inside it (0.5 each), ×3
    assert guess.code == "equipment" and guess.score == pytest.approx(9.0)


def test_a_value_learned_across_kinds_is_kept_only_when_it_fits_any_project():
    assert tpl.portable_value("≥95%") == "≥95%"
    assert tpl.portable_value("2024年12月31日前") == "2024年12月31日前"
    assert tpl.portable_value("≥17600株") == ""  # another project's amount
    assert tpl.portable_value("有效保障") == "有效保障"


def test_a_project_that_speaks_of_ecology_is_not_told_it_does_not_apply(advisor):
    hinted = advisor.advise(Facts("培训", kind="training"), BEN, "生态效益")
    assert hinted.usually_not_applicable
    facts = Facts("海绵城市建设培训", "提升城市生态韧性", kind="training")
    assert not advisor.advise(facts, BEN, "生态效益").usually_not_applicable
