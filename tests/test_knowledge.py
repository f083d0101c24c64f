"""Kinds, templates and the relevance gate, on a small corpus made here: suggestions come
from projects of the same kind first, each with its reason; an unrelated project gets
"没有相近的先例" and the kind's templates filled with its own activity; names are clean."""

from __future__ import annotations

import pytest
from knowledge_corpus import BEN, OUT, SAT, table

from assistant.knowledge import templates as tpl
from assistant.knowledge.gate import NO_PRECEDENT, Advisor, Facts, GateParams, corpus_profile
from assistant.knowledge.kinds import infer_kind
from assistant.knowledge.names import clean_name, has_residue, suggestable
from assistant.search.engine import SearchEngine

TABLES = [
    table(
        "村小学教学楼维修改造工程",
        "works",
        [
            (OUT, "数量指标", "教学楼维修改造面积", "≥800平方米"),
            (OUT, "质量指标", "教学楼维修验收合格率", "100%"),
            (OUT, "时效指标", "工程按期完工率", "100%"),
            (BEN, "生态效益", "施工扬尘控制达标率", "100%"),
            (SAT, "服务对象满意度", "师生满意度", "≥90%"),
        ],
        "http://a.example/1",
    ),
    table(
        "村委会办公楼修缮项目",
        "works",
        [
            (OUT, "数量指标", "办公楼修缮面积", "600平方米"),
            (OUT, "质量指标", "修缮工程验收合格率", "100%"),
            (SAT, "服务对象满意度", "受益群众满意度", "≥90%"),
        ],
        "http://a.example/2",
    ),
    table(
        "网络安全等级保护测评服务",
        "it",
        [
            (OUT, "数量指标", "等级保护测评系统数量", "3个"),
            (OUT, "质量指标", "等级保护测评报告合格率", "100%"),
            (SAT, "服务对象满意度", "系统使用人员满意度", "≥90%"),
        ],
        "http://b.example/3",
    ),
    table(
        "乡村振兴干部培训班",
        "training",
        [
            (OUT, "数量指标", "培训人次", "300人次"),
            (OUT, "质量指标", "培训合格率", "≥95%"),
            (SAT, "服务对象满意度", "参训学员满意度", "≥90%"),
        ],
        "http://c.example/4",
    ),
]


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    rows = [i for t in TABLES for i in t.indicators]
    return Advisor(
        SearchEngine(rows, semantic=False),
        profile=corpus_profile(TABLES),
        params={"lexical": GateParams(other_min=0.5), "fused": GateParams(other_min=0.5)},
        kind_templates=tpl.learn(TABLES),
    )


@pytest.mark.parametrize(
    ("name", "goal", "activities", "kind"),
    [
        ("2024年村级基础设施维修改造项目", "", ["维修改造村小学教学楼2栋"], "works"),
        ("村委会办公楼修缮", "", [], "works"),
        ("高标准农田建设项目", "新增灌溉面积500亩", [], "agriculture"),
        ("县级储备粮保管费用", "", [], "reserve"),
        ("送戏下乡文化惠民演出", "全年演出20场", [], "culture"),
        ("办公楼物业管理服务", "保洁、保安、设备维护", [], "services"),
        ("2024年乡村振兴干部培训班", "", [], "training"),
        ("森林防火护林员管护", "", [], "forestry"),
        ("电子政务外网运维服务", "", [], "it"),
        ("狂犬疫苗采购及接种", "", [], "health"),
        ("麻风病防治", "开展麻风病防治宣传和病人随访", [], "health"),  # not 宣传 → culture
        ("全民健身赛事活动", "", [], "sports"),
        ("检察院办案业务经费", "", [], "enforcement"),
        ("农村饮水安全工程维修养护", "供水管网改造", [], "water"),
        ("百岁老人高龄津贴", "为百岁老人发放补贴", [], "civil"),
    ],
)
def test_kind_is_inferred_from_name_goal_and_activities(name, goal, activities, kind):
    guess = infer_kind(name, goal, activities)
    facts = Facts(name, goal, tuple(activities))
    assert kind in facts.kind_set(), (guess.code, guess.ranked)
    assert guess.words  # the words that decided it are shown to the user


def test_same_kind_precedents_come_first_with_their_reason(advisor):
    facts = Facts("村级教学楼维修改造", activities=("维修改造村小学教学楼2栋",))
    adv = advisor.advise(facts, OUT, "质量指标", top=5)
    assert not adv.silent and adv.kind == "works"
    first = adv.suggestions[0]
    assert first.origin == "same_kind" and first.reasons[0].startswith("同类项目：")
    names = [s.indicator.name for s in adv.suggestions]
    assert "等级保护测评报告合格率" not in names  # network security is not a building repair
    assert all(s.kind in (None, "works") for s in adv.suggestions)


def test_unrelated_project_is_told_no_precedent_and_gets_filled_templates(advisor):
    facts = Facts("县级储备粮轮换", activities=("轮换储备粮5000吨",))
    adv = advisor.advise(facts, OUT, "质量指标", top=5)
    assert adv.kind == "reserve"  # a kind this corpus has no table of
    assert adv.silent and adv.message == NO_PRECEDENT
    assert [s for s in adv.suggestions if s.origin in ("same_kind", "shared_words")] == []
    filled = [t.indicator.name for t in adv.templates]
    assert "轮换储备粮合格率" in filled  # the pattern tables of several kinds use
    assert all(
        t.origin == "template" and t.reasons[0].startswith("共性模板：") for t in adv.templates
    )
    assert all("多类先例" in t.indicator.provenance.note for t in adv.templates)


def test_kind_templates_are_filled_with_the_users_activity(advisor):
    facts = Facts("村卫生室修缮", activities=("修缮村卫生室120平方米",), kind="works")
    filled = [t.indicator.name for t in advisor.advise(facts, OUT, "质量指标").templates]
    assert filled[0] == "修缮村卫生室验收合格率"


def test_project_of_no_known_kind_gets_no_confident_row(advisor):
    adv = advisor.advise(Facts("量子通信卫星地面站"), OUT, "数量指标", top=5)
    assert adv.silent and adv.kind is None
    assert [s for s in adv.suggestions if s.origin != "common"] == []


def test_works_keep_the_ecological_slot(advisor):
    facts = Facts("教学楼维修改造", kind="works")
    adv = advisor.advise(facts, BEN, "生态效益")
    assert not adv.usually_not_applicable
    assert [s.indicator.name for s in adv.suggestions][:1] == ["施工扬尘控制达标率"]


def test_templates_say_how_many_tables_use_them_and_cite_them():
    learned = tpl.learn(TABLES)
    quality = learned["works"]["slots"]["产出指标/质量指标"]
    top = quality[0]
    assert top["pattern"] == "{活动}验收合格率" and top["tables"] == 2
    assert top["value"] == "100%"
    assert len(top["citations"]) == 2 and "http://a.example/1" in top["citations"][0]
    assert learned["works"]["filled"]["生态效益"] == 1


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("苗木成活率(≥**%)", "苗木成活率"),
        ("贫困地区旅游景点开发数量( ≥**个 )", "贫困地区旅游景点开发数量"),
        ("*资产股权年收益率( ≥**% )", "资产股权年收益率"),
        ("受益建档立卡贫困人口数≥**人", "受益建档立卡贫困人口数"),
        ("★补助各类瓜果蔬菜种植数量(≥**株)", "补助各类瓜果蔬菜种植数量"),
        ("指标1：小区居民满意度(≥**%)", "小区居民满意度"),
        ("指标1工程资金金额", "工程资金金额"),
        ("*贫困地区旅游基础设施建设质量达标率100%", "贫困地区旅游基础设施建设质量达标率"),
        ("1.培训人次", "培训人次"),
        ("2024年12月31日前完工", "2024年12月31日前完工"),
    ],
)
def test_names_are_cleaned_of_template_residue(raw, clean):
    assert clean_name(raw) == clean
    assert not has_residue(clean)
    if raw != clean and not raw.endswith("100%"):
        assert has_residue(raw)


def test_shipped_suggestions_are_residue_free():
    advisor = Advisor()
    facts = Facts("2018年扶贫资产收益项目", "贫困户资产入股合作社分红")
    for adv in advisor.advise_all(facts, top=5):
        for sug in adv.suggestions + adv.templates:
            assert not has_residue(sug.indicator.name), sug.indicator.name


@pytest.mark.parametrize(
    ("name", "level1", "offered"),
    [
        ("全年", OUT, False),  # a value, not a name
        ("100%", OUT, False),
        ("村组干部230人", OUT, False),  # another project's own amount
        ("本年预算安排800万元", OUT, False),
        ("寨山石坪村新建水泥路1条", OUT, False),
        ("完成全市375万平方米的绿地养护、维护等", OUT, False),
        ("巩固拓展脱贫攻坚成果与乡村振兴有效衔接，促进已脱贫人口收入完成年度目标任务", OUT, False),
        ("巩固拓展脱贫攻坚成果与乡村振兴有效衔接，促进已脱贫人口提高收入", BEN, True),
        ("按期完成率(2024年10月底前)", OUT, True),  # a bracketed date moves to the year
        ("培训人次", OUT, True),
        ("项目完成时间", OUT, True),
    ],
)
def test_only_reusable_names_are_suggested(name, level1, offered):
    assert suggestable(name, level1) is offered


def test_people_templates_only_for_projects_about_people():
    count = tpl.Template("_common", OUT, "数量指标", "{活动}人次", 2, "", (), ())
    assert not tpl.fits(count, "县级储备粮轮换。轮换储备粮5000吨")
    assert tpl.fits(count, "乡村振兴干部培训班。培训学员300人次")


def test_no_nonsense_people_row_for_a_grain_reserve():
    """The shipped corpus has "{活动}人数" as a common pattern (training, subsidies …);
    a grain reserve is not told to count its "储备粮人数"."""
    advisor = Advisor()
    facts = Facts("县级储备粮轮换")
    for level1, level2 in ((OUT, "数量指标"), (BEN, "社会效益")):
        adv = advisor.advise(facts, level1, level2, top=5)
        names = [s.indicator.name for s in adv.suggestions + adv.templates]
        assert not [n for n in names if n.endswith(("人数", "人次"))], names


def test_a_library_entry_taken_from_one_kind_is_not_common_to_all():
    """Library entries carry the kind of the table they cite (or the kind the library file
    declares for a general-practice wording): a farmland project is not offered the
    training entries "干部业务能力" and "参训学员就业率" as common indicators."""
    from assistant.corpus import library_indicators, shipped_tables
    from assistant.knowledge.library import cited_table, library_kinds

    tables = [ct.table for ct in shipped_tables()]
    kinds = {(t.provenance.source, t.header.project_name): t.kind for t in tables}
    by_name = library_kinds(library_indicators(), tables, kinds)
    assert by_name["干部业务能力"] == "training" and by_name["参训学员就业率"] == "training"
    assert "服务对象满意度" not in by_name  # general practice, common to all
    entry = next(i for i in library_indicators() if i.name == "参训学员就业率")
    assert cited_table(entry.provenance.note, tables)[1] == "2021年吕梁山护工培训"

    facts = Facts("2025年高标准农田建设项目", "新建高标准农田3000亩，提高粮食综合生产能力")
    adv = Advisor().advise(facts, BEN, "社会效益", top=5)
    names = [s.indicator.name for s in adv.suggestions]
    assert "干部业务能力" not in names and "参训学员就业率" not in names


def test_a_common_row_from_another_project_does_not_carry_that_projects_amount():
    """ "受益人数(人) 132" and "项目总成本 ≤202.6万元" are other projects' own figures: the
    row is offered as a common indicator, its amount left for the user (a rate stays)."""
    advisor = Advisor()
    facts = Facts("19名百岁老人高龄津贴", "为19名百岁老人发放高龄津贴")
    shown = {
        s.indicator.name: s.indicator.value
        for adv in advisor.advise_all(facts)
        for s in adv.suggestions
        if s.origin == "common" and s.indicator.provenance.kind != "library"
    }
    assert shown.get("受益人数(人)", "") == "" and shown.get("项目总成本", "") == ""
    assert {"受益人数(人)", "项目总成本"} & set(shown)


def test_a_filled_template_says_an_overlapping_word_once():
    issue = tpl.Template("civil", OUT, "质量指标", "{活动}发放率", 1, "", (), ())
    assert tpl.fill(issue, "高龄老人津贴发放") == "高龄老人津贴发放率"
    assert tpl.fill(issue, "补贴") == "补贴发放率"
