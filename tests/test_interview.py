"""The interview engine, driven the way the TUI drives it: answer, skip, back, accept, resume."""

from decimal import Decimal

import pytest

from assistant.interview import Interview, slot_id
from assistant.model import (
    L1_COST,
    L1_OUTPUT,
    L2_COST,
    L2_ECON_COST,
    L2_QUANTITY,
    Indicator,
    Provenance,
)
from assistant.search import SearchEngine
from assistant.store import DraftStore

PRINTER = Indicator(
    level1="产出指标",
    level2="质量指标",
    name="采购设备合格率",
    value="100%",
    provenance=Provenance(
        source="seed.txt",
        line=230,
        project="2024年监测评估中心信创项目",
        unit="宁夏回族自治区乡村振兴监测评估中心",
        year=2024,
    ),
)
SATISFIED = Indicator(
    level1="满意度指标",
    level2="服务对象满意度",
    name="信创办公设备使用人员满意度",
    value="≥95%",
    provenance=Provenance(
        source="seed.txt", line=240, project="2024年监测评估中心信创项目", year=2024
    ),
)


@pytest.fixture
def store():
    return DraftStore()


@pytest.fixture
def searcher():
    return SearchEngine(precedents=[PRINTER, SATISFIED], semantic=False)


@pytest.fixture
def iv(store, searcher):
    return Interview(store=store, searcher=searcher)


HEADER = [
    "2024年监测评估中心信创项目",
    "自治区乡村振兴局",
    "宁夏回族自治区乡村振兴监测评估中心",
    "跳过",
    "跳过",
    "2024",
    "跳过",
    "6万",
    "跳过",
    "跳过",
    "起草",
]


def answer_all(iv, answers):
    for text in answers:
        turn = iv.answer(text)
        assert turn.ok, (text, turn.reask)
    return turn


def leave_empty(iv, slots: int) -> None:
    """Leave the next slots without rows, as an answers file may (``skip``; a typed 完成 or an
    empty Enter cannot)."""
    for _ in range(slots):
        assert iv.skip().ok


def test_questions_come_from_the_prompt_script_in_order(iv):
    q = iv.current()
    assert (q.id, q.kind) == ("project_name", "text")
    assert q.example == "2024年巩固拓展脱贫攻坚成果同乡村振兴有效衔接培训项目"
    assert q.help
    ids = [q.id for q in iv.questions()]
    assert ids[:11] == [
        "project_name",
        "department",
        "unit",
        "attribute",
        "period",
        "year",
        "framework",
        "total",
        "annual_total",
        "funds",
        "goal",
    ]
    assert ids[11] == "activities"
    assert ids[-1] == slot_id("满意度指标", "服务对象满意度")


def test_text_answer_is_understood_and_the_next_question_follows(iv):
    turn = iv.answer("2024年监测评估中心信创项目")
    assert turn.ok and turn.reask is None
    assert iv.table.header.project_name == "2024年监测评估中心信创项目"
    assert turn.next.id == "department"
    assert any("项目名称" in m for m in turn.messages)


def test_required_question_cannot_be_skipped_and_is_asked_again_with_an_example(iv):
    turn = iv.skip()
    assert not turn.ok and turn.next.id == "project_name"
    assert "不能跳过" in turn.reask and "例如：2024年" in turn.reask
    assert iv.answer("").reask == turn.reask


def test_choice_default_and_chinese_year(iv):
    answer_all(iv, HEADER[:3])
    turn = iv.skip()
    assert iv.table.header.attribute == "0101-一年期项目" and "默认" in turn.messages[0]
    answer_all(iv, ["1年", "二〇二四年"])
    assert iv.table.header.year == 2024 and iv.table.header.period == "1年"


@pytest.mark.parametrize(
    "text, wan",
    [
        ("159万", "159"),
        ("1590000元", "159"),
        ("一百五十九万元", "159"),
        ("10.015119", "10.015119"),
        ("100151.19元", "10.015119"),
    ],
)
def test_money_in_wan_or_yuan_with_chinese_numerals(iv, text, wan):
    answer_all(iv, HEADER[:7])
    assert iv.current().id == "total"
    iv.answer(text)
    assert iv.table.header.total.value == Decimal(wan)
    assert iv.table.header.total.raw == text


def test_bad_answers_get_a_chinese_reask_with_an_example_never_a_crash(iv):
    answer_all(iv, HEADER[:5])
    turn = iv.answer("明年")
    assert not turn.ok and "没有看出年份" in turn.reask and "例如：2024" in turn.reask
    assert iv.current().id == "year"
    answer_all(iv, ["2024", "跳过"])
    turn = iv.answer("很多钱")
    assert not turn.ok and "没有看出金额" in turn.reask and "例如：159万元" in turn.reask
    assert iv.answer("60000").messages[-1].startswith("按万元理解为60000万元；如果指的是元")


def test_fund_sources_must_add_up_to_the_annual_total(iv):
    answer_all(iv, HEADER[:7] + ["159万", "跳过"])
    turn = iv.answer("财政拨款150万，其他资金8万")
    assert not turn.ok and "合计158万元" in turn.reask
    answer_all(iv, ["财政拨款150万，其他资金9万"])
    funds = iv.table.header.funds
    assert (funds.fiscal.value, funds.other.value) == (Decimal(150), Decimal(9))


def test_activities_draft_reconciled_rows_and_the_goal(iv):
    turn = answer_all(iv, HEADER + ["信创非密打印机5台，2600元/台；信创非密计算机5套，单价9400元"])
    assert any("60000元（6万元），与年度资金总额一致" in m for m in turn.messages)
    assert "购置信创非密打印机5台、信创非密计算机5套，共计6万元" in iv.table.goal
    assert turn.next.id == slot_id(L1_OUTPUT, L2_QUANTITY)
    drafted = iv.suggestions()
    assert [(s.name, s.value, s.origin) for s in drafted[:2]] == [
        ("1.信创非密打印机", "5台", "drafted"),
        ("2.信创非密计算机", "5套", "drafted"),
    ]
    assert all(s.provenance is not None for s in drafted)
    answer_all(iv, ["全部采纳", "完成"])
    leave_empty(iv, 2)  # 质量, 时效
    assert iv.current().id == slot_id(L1_OUTPUT, L2_COST)
    answer_all(iv, ["全部采纳", "完成"])
    costs = [i.value for i in iv.table.indicators if i.level2 == L2_COST]
    assert costs == ["2600元/台", "9400元/套"]
    breakdown = iv.report().breakdown
    assert Decimal(breakdown.sum_yuan) == Decimal(60000)


def test_follow_ups_ask_for_what_an_activity_lacks(iv):
    turn = answer_all(iv, HEADER + ["举办乡村振兴干部培训班，每期100人"])
    assert turn.next.id == "activity.1.periods" and "几期" in turn.next.text
    turn = iv.answer("很多")
    assert not turn.ok and "例如：10期" in turn.reask
    answer_all(iv, ["两期", "2天"])
    assert iv.current().id == "activity.1.rate"
    turn = iv.answer("每人每天300元")
    assert turn.next.id == "extras"  # a training: 师资费, 租车费 …?
    turn = iv.answer("没有")
    assert any(
        "120000元（12万元），比年度资金总额6万元多60000元（6万元）" in m for m in turn.messages
    )
    assert turn.next.id == "reconcile"


def test_a_fee_per_period_defaults_its_count_to_the_training_periods(iv):
    answer_all(iv, HEADER + ["举办两期培训班，每期10人2天，500元/人/天\n师资费每期9000元"])
    q = iv.current()
    assert q.id == "activity.2.count" and q.optional and q.default == "2期"
    turn = iv.skip()  # Enter on the empty box takes the trainings' 2期
    assert turn.ok and iv.activities[1].count == 2 and iv.activities[1].complete
    assert iv.difference() == Decimal(-22000)  # 2×10×2×500 + 2×9000 = 38000 of the 60000
    # typed counts still win
    iv2 = Interview(store=DraftStore(), searcher=iv.searcher)
    acts = "举办两期培训班，每期10人2天，500元/人/天\n师资费每期9000元"
    answer_all(iv2, [*HEADER, acts, "3期"])
    assert iv2.activities[1].count == 3


def test_reconcile_adjusts_the_total_or_asks_for_more(iv):
    answer_all(iv, HEADER + ["买5台电脑，每台9400元"])
    assert iv.current().id == "reconcile"
    turn = iv.answer("继续补充活动")
    assert turn.next.id == "activities_more"
    turn = iv.answer("买5台打印机，每台2000元")
    assert iv.difference() == Decimal(-3000)
    assert turn.next.id == "reconcile"
    answer_all(iv, ["按测算合计修改总额"])
    h = iv.table.header
    assert (h.total.value, h.annual_total.value, h.funds.fiscal.value) == (Decimal("5.7"),) * 3
    assert iv.difference() == 0
    assert "共计5.7万元" in iv.table.goal


def test_precedent_suggestions_carry_provenance_and_can_be_accepted_edited_rejected(iv):
    answer_all(
        iv,
        HEADER
        + ["买5台电脑，每台9400元；打印机1台，共3000元", "按测算合计修改总额", "全部采纳", "完成"],
    )
    assert iv.current().id == slot_id(L1_OUTPUT, "质量指标")
    [s] = iv.suggestions()
    assert (s.origin, s.provenance.project, s.provenance.year) == (
        "precedent",
        PRINTER.provenance.project,
        2024,
    )
    turn = iv.accept(s.id, value="≥98%")
    assert turn.ok and "先例：2024年监测评估中心信创项目" in turn.messages[0]
    row = iv.table.indicators[-1]
    assert (row.name, row.value) == ("采购设备合格率", "≥98%")
    assert "已修改" in row.provenance.note and row.provenance.line == 230
    assert iv.suggestions() == []
    iv.remove_row(len(iv.table.indicators) - 1)
    [again] = iv.suggestions()
    assert again.id == s.id
    turn = iv.reject(s.id)
    assert turn.ok and iv.suggestions() == []
    assert not iv.accept("nope").ok


def test_slot_rows_typed_by_the_user_numbers_and_not_applicable(iv):
    answer_all(iv, HEADER + ["买5台电脑，每台9400元；打印机1台，共13000元", "全部采纳", "完成"])
    turn = iv.answer("采购设备合格率：100%")
    assert turn.ok and turn.next.id == slot_id(L1_OUTPUT, "质量指标")
    assert iv.table.indicators[-1].provenance.kind == "user"
    turn = iv.answer("合格")
    assert not turn.ok and "三级指标：指标值" in turn.reask
    turn = iv.answer("设备验收：哈哈哈")
    assert not turn.ok and "“哈哈哈”不像指标值" in turn.reask and "例如：" in turn.reask
    turn = iv.answer("9")
    assert not turn.ok and "没有第9条建议" in turn.reask
    iv.answer("完成")
    iv.answer("1")  # the drafted 时效 row for the budget year
    assert iv.table.indicators[-1].name == "2024年12月31日前完成率"
    answer_all(iv, ["完成", "全部采纳", "完成", "不适用"])
    eco = [i for i in iv.table.indicators if i.level2 == "经济效益"]
    assert [(i.name, i.value) for i in eco] == [("0", "0")]
    assert iv.current().slot == ("效益指标", "社会效益")


def test_reviewer_findings_appear_in_plain_words(iv):
    answer_all(iv, HEADER + ["买5台电脑，每台9400元；打印机1台，共13000元", "全部采纳", "完成"])
    turn = iv.answer("设备运行情况：较好")
    assert any(m.startswith("【") and "较好" in m for m in turn.messages)
    turn = iv.answer("完成")
    for _ in range(7):
        turn = iv.skip()  # the rest left empty: the reviewer says so
    assert iv.done and turn.next is None
    assert "审核结果：" in turn.messages
    assert any("成本" in m for m in turn.messages)
    assert iv.findings()


def test_autosave_after_every_answer_and_resume_at_the_next_question(iv, store, searcher):
    iv.answer("2024年监测评估中心信创项目")
    assert iv.draft_id is not None
    assert len(store.history(iv.draft_id)) == 1
    iv.answer("自治区乡村振兴局")
    assert len(store.history(iv.draft_id)) == 2
    answer_all(iv, HEADER[2:] + ["举办培训班，每期100人2天，450元/人/天"])
    assert iv.current().id == "activity.1.periods"
    again = Interview.resume(iv.draft_id, store=store, searcher=searcher)
    assert again.current().id == "activity.1.periods"
    assert again.table.header.total.value == Decimal(6)
    assert again.activities[0].people == 100
    again.answer("1期")
    assert again.current().id == "extras"
    again.answer("没有")
    assert again.current().id == "reconcile"
    state = store.get(iv.draft_id).state
    assert state["position"] == "reconcile" and state["answers"]["activity.1.periods"] == "1期"


def test_back_goes_to_the_previous_question_and_keeps_answers(iv):
    answer_all(iv, HEADER[:3])
    q = iv.back()
    assert q.id == "unit" and q.answer == "宁夏回族自治区乡村振兴监测评估中心"
    assert iv.back().id == "department"
    turn = iv.answer("自治区农业农村厅")
    assert iv.table.header.department == "自治区农业农村厅"
    assert turn.next.id == "attribute"  # back to where the conversation was


def test_framework_2021_puts_cost_rows_under_the_first_level_cost_indicator(iv):
    answer_all(
        iv,
        HEADER[:6]
        + ["成本指标为一级指标"]
        + HEADER[7:]
        + ["买5台电脑，每台9400元；打印机1台，共13000元", "全部采纳", "完成"],
    )
    leave_empty(iv, 2)  # 质量, 时效
    assert iv.current().slot == (L1_COST, L2_ECON_COST)
    answer_all(iv, ["全部采纳"])
    assert {(i.level1, i.level2) for i in iv.table.indicators[-2:]} == {(L1_COST, L2_ECON_COST)}
    assert iv.table.framework == "2021"


def test_resume_of_an_unknown_draft_is_a_clear_error(store):
    from assistant.errors import JixiaoError

    with pytest.raises(JixiaoError):
        Interview.resume("deadbeef", store=store)


def test_changing_the_activities_later_updates_the_accepted_drafted_rows(iv):
    answer_all(iv, HEADER + ["买5台电脑，每台9400元；打印机1台，共13000元", "全部采纳", "完成"])
    assert [i.value for i in iv.table.indicators] == ["5台", "1台"]
    while iv.current().id != "activities":
        iv.back()
    turn = iv.answer("买4台电脑，每台9400元；打印机2台，每台1200元")
    assert any("已按新的测算更新「数量指标」：去掉2行，加入2行" in m for m in turn.messages)
    assert [i.value for i in iv.table.indicators] == ["4台", "2台"]
    assert turn.next.id == "reconcile"  # 40000元 no longer matches 6万元


def test_edit_row_keeps_provenance_and_notes_the_change(iv):
    answer_all(iv, HEADER + ["买5台电脑，每台9400元；打印机1台，共13000元", "全部采纳", "完成"])
    s = iv.suggestions()[0]
    iv.accept(s.id)
    index = len(iv.table.indicators) - 1
    turn = iv.edit_row(index, value="≥99%")
    assert turn.ok and iv.table.indicators[index].value == "≥99%"
    assert iv.table.indicators[index].provenance.line == 230
    assert "已修改" in iv.table.indicators[index].provenance.note
    assert not iv.edit_row(99, value="1").ok
    assert not iv.edit_row(index, value=" ").ok


def test_precedent_years_move_to_the_budget_year(store):
    deadline = Indicator(
        level1="产出指标",
        level2="时效指标",
        name="2024年12月31日前采购完成率",
        value="100%",
        provenance=Provenance(source="seed.txt", line=231, project="信创项目", year=2024),
    )
    iv = Interview(store=store, searcher=SearchEngine(precedents=[deadline], semantic=False))
    answers = HEADER[:5] + ["2025"] + HEADER[6:]
    answer_all(iv, answers + ["买5台电脑，每台9400元；打印机1台，共13000元", "全部采纳", "完成"])
    leave_empty(iv, 1)  # 质量
    precedent = [s for s in iv.suggestions() if s.origin == "precedent"]
    assert precedent[0].name == "2025年12月31日前采购完成率"
    assert "年份已由2024年改为2025年" in precedent[0].provenance.note
    assert precedent[0].provenance.year == 2024


def test_a_precedents_later_deadline_moves_to_the_budget_year():
    from assistant.interview.suggestions import to_year

    prov = Provenance(source="x", project="造林", year=2022)
    name, value, moved = to_year("项目完成时间", "2023年底", prov, 2025)
    assert (name, value) == ("项目完成时间", "2025年底")  # an annual table ends in its year
    assert to_year("较2020年增长率", "10%", prov, 2025)[0] == "较2023年增长率"  # a baseline
    assert "年份已由2022年改为2025年" in moved.note
    deadline = to_year("按期完成率(2022年10月底前)", "100%", prov, 2025)[0]
    assert deadline == "按期完成率(2025年10月底前)"
    assert to_year("完成时间", "2023年底", prov, 2022)[1] == "2023年底"  # same year: unchanged


def test_training_projects_are_asked_about_extras_and_going_back_replaces_them(iv):
    answer_all(iv, HEADER + ["10期培训，每期100人2天，450元/人/天"])
    q = iv.current()
    assert q.id == "extras" and "师资费" in q.text and q.optional
    turn = iv.answer("师资费每期9000元，共10期；租车费每期2250元，共10期")
    assert [a.name for a in iv.activities] == ["培训班", "师资费", "租车费"]
    assert any("1012500元（101.25万元）" in m for m in turn.messages)
    iv.back()
    assert iv.current().id == "extras"
    iv.answer("师资费每期9000元，共十期")
    assert [a.name for a in iv.activities] == ["培训班", "师资费"]
    assert iv.current().id == "reconcile"
    assert iv.difference() == Decimal(990000 - 60000)


def test_equipment_projects_are_not_asked_about_training_extras(iv):
    answer_all(iv, HEADER + ["买5台电脑，每台9400元；打印机1台，共13000元"])
    assert "extras" not in [q.id for q in iv.questions()]


def test_the_script_is_editable_without_touching_code(tmp_path, store, searcher):
    import shutil

    from assistant import config
    from assistant.errors import JixiaoError

    folder = tmp_path / "prompts"
    shutil.copytree(config.prompts_dir(), folder)
    header = folder / "10_header.yaml"
    header.write_text(
        header.read_text(encoding="utf-8").replace("先说说项目名称吧，项目叫什么？", "项目名称？"),
        encoding="utf-8",
    )
    iv = Interview(store=store, searcher=searcher, prompts_path=folder)
    assert iv.current().text == "项目名称？"
    header.write_text("questions: [unclosed\n", encoding="utf-8")
    with pytest.raises(JixiaoError, match="10_header.yaml"):
        Interview(store=store, searcher=searcher, prompts_path=folder)


def test_a_stated_total_gives_the_rate_once_the_other_details_are_known(iv):
    answer_all(iv, HEADER[:7] + ["90万", "跳过", "跳过", "起草", "培训10期，每期100人，共90万元"])
    assert iv.current().id == "activity.1.days"
    turn = iv.answer("2天")
    assert iv.activities[0].rate == Decimal(450)  # 900000 / (10 × 100 × 2)
    assert turn.next.id == "extras"  # the rate question is not asked any more
    assert "activity.1.rate" not in [q.id for q in iv.questions()]


def test_an_empty_slot_cannot_be_finished_by_enter_and_says_what_to_do(iv):
    """A typed 完成 (or an empty Enter) on a slot without rows is refused: the slot would
    otherwise drop out of the table and the export while the final check says nothing. An
    effect dimension may be 不适用 (0 / 0); a required slot is only told to take a row."""
    answer_all(iv, HEADER + ["买5台电脑，每台9400元；打印机1台，共13000元", "全部采纳", "完成"])
    for text in ("", "完成"):
        turn = iv.answer(text)
        assert not turn.ok and turn.next.slot == (L1_OUTPUT, "质量指标")
        assert "「质量指标」还没有指标，不能直接完成" in turn.reask
        assert "三级指标：指标值" in turn.reask and "不适用" not in turn.reask
    answer_all(iv, ["采购设备合格率：100%", "完成", "1", "完成", "全部采纳", "完成"])
    assert iv.current().slot == ("效益指标", "经济效益")
    turn = iv.answer("")
    assert not turn.ok and "回答“不适用”（按惯例写作 0 / 0）" in turn.reask
    assert not any(i.level2 == "经济效益" for i in iv.table.indicators)
    answer_all(iv, ["不适用"])
    assert iv.current().slot == ("效益指标", "社会效益")


def test_the_refusal_of_an_empty_quantity_slot_shows_the_projects_own_drafted_row(iv):
    answer_all(iv, HEADER + ["硬化村组道路3公里，每公里50万元", "1"])  # 1: total = 150万
    assert iv.current().slot == (L1_OUTPUT, "数量指标")
    turn = iv.answer("")
    assert not turn.ok
    assert "例如：硬化村组道路：3公里" in turn.reask and "培训班" not in turn.reask
    assert "“全部采纳”采纳起草的行" in turn.reask
