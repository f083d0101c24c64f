"""The project kind in the interview, and the same gated suggestions everywhere.

After the activities the interview says which kind of project it takes this to be and why
("项目类别：培训与会议（依据：培训、…）"); Enter keeps it, a label, a number or a code changes
it, and the suggester ranks same-kind precedents first. ``jixiao draft --answers`` and
``jixiao suggest --answers --lexical`` offer the same rows for the same file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from clirun import one_line, run_cli

from assistant.errors import JixiaoError
from assistant.interview import Interview, headless
from assistant.interview.schema import QuestionSpec
from assistant.knowledge.suggester import KindSuggester
from assistant.search import SearchEngine
from assistant.store import DraftStore

ANSWERS = Path(__file__).resolve().parent / "data" / "answers"

# up to the kind question: a training project (培训 in the name and every activity)
TRAINING = [
    "2024年基层干部业务能力培训项目",
    "自治区乡村振兴局",
    "宁夏回族自治区乡村振兴监测评估中心",
    "",
    "",
    "2024",
    "",
    "9",
    "",
    "",
    "起草",
    "举办基层干部业务培训班2期，每期50人2天，450元/人/天",
    "没有",  # 师资费、租车费 …
]
# a project no precedent is close to: no word of any kind, nothing shared
QUANTUM = [
    "2024年量子通信卫星地面站项目",
    *TRAINING[1:7],
    "6",
    "",
    "",
    "起草",
    "量子纠缠光源校准3次，每次2万元",
]


@pytest.fixture(scope="module")
def lexical(tmp_path_factory) -> SearchEngine:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JIXIAO_HOME", str(tmp_path_factory.mktemp("search-home")))
        return SearchEngine(semantic=False)


def at_kind(engine: SearchEngine, answers: list[str] = TRAINING) -> tuple[Interview, KindSuggester]:
    gate = KindSuggester(engine)
    iv = Interview(searcher=engine, suggester=gate)
    for text in answers:
        assert iv.answer(text).ok, text
    return iv, gate


def test_the_inferred_kind_is_shown_and_enter_keeps_it(lexical):
    iv, gate = at_kind(lexical)
    q = iv.current()
    assert q is not None and q.id == "kind" and q.kind == "choice"
    assert q.text.startswith("项目类别：培训与会议（依据：") and "培训" in q.text
    assert q.default == "培训与会议" and q.optional
    assert len(q.choices) == 22 and q.choices[-1] == "未分类"  # 21 kinds from kinds.yaml
    turn = iv.answer("")
    assert turn.ok and turn.messages[0] == "项目类别：培训与会议（默认）"
    assert iv.table.kind == "training" and iv.facts().kind_code == "training"
    assert iv.current().slot == ("产出指标", "数量指标")
    iv.suggestions()
    assert gate.last_advice["数量指标"].kind == "training"


@pytest.mark.parametrize("answer", ["工程建设与维修改造", "works", "1", "工程建设"])
def test_the_user_changes_the_kind_by_label_code_number_or_part(lexical, answer):
    iv, gate = at_kind(lexical)
    turn = iv.answer(answer)
    assert turn.ok and turn.messages == ["项目类别：工程建设与维修改造"]
    assert iv.table.kind == "works"
    iv.suggestions()
    assert gate.last_advice["数量指标"].kind == "works"  # the suggester is told the new kind


def test_unsure_or_skip_keeps_the_inferred_kind_and_nonsense_is_reasked(lexical):
    iv, _ = at_kind(lexical)
    bad = iv.answer("火星探测")
    assert not bad.ok and "请从这些选项中选一个" in bad.reask and bad.next.id == "kind"
    assert iv.answer("不确定").ok and iv.table.kind == "training"
    iv.back()
    assert iv.current().id == "kind" and iv.current().answer == "不确定"
    assert iv.skip().ok and iv.table.kind == "training"


def test_changing_the_kind_looks_the_open_slots_up_again(lexical):
    iv, gate = at_kind(lexical)
    iv.answer("")
    before = [s.name for s in iv.suggestions()]
    iv.back()
    iv.answer("教育与学生资助")
    assert iv.current().slot == ("产出指标", "数量指标")
    iv.suggestions()
    assert gate.last_advice["数量指标"].kind == "education"
    assert before  # (the lists may or may not differ; the lookup was made again)


def test_the_kind_is_saved_and_resumed(lexical):
    iv, _ = at_kind(lexical)
    draft_id = iv.draft_id
    again = Interview.resume(draft_id, searcher=lexical, suggester=KindSuggester(lexical))
    assert again.current().id == "kind"  # resumed at the kind question
    assert again.answer("设备").ok and again.table.kind == "equipment"
    third = Interview.resume(draft_id, searcher=lexical, suggester=KindSuggester(lexical))
    assert third.table.kind == "equipment" and third.state_model.answers["kind"] == "设备"
    assert third.current().slot == ("产出指标", "数量指标")
    assert DraftStore().get(draft_id).table.kind == "equipment"


def test_without_kinds_offered_the_question_is_not_asked(lexical):
    iv = Interview(searcher=lexical)
    for text in TRAINING:
        iv.answer(text)
    assert iv.current().slot == ("产出指标", "数量指标") and iv.table.kind is None


def test_answers_files_take_the_kind_as_a_code_or_in_chinese(lexical, tmp_path):
    base = (ANSWERS / "repair.yaml").read_text(encoding="utf-8")
    gate = KindSuggester(lexical)
    inferred = headless.run_answers(ANSWERS / "repair.yaml", searcher=lexical, suggester=gate)
    assert inferred.table.kind == "works"
    for line, code in (("kind: education", "education"), ("项目类别: 农业生产与农田建设", None)):
        f = tmp_path / "a.yaml"
        f.write_text(base + line + "\n", encoding="utf-8")
        iv = headless.run_answers(f, searcher=lexical, suggester=KindSuggester(lexical))
        want = code or next(c for c, lbl in gate.kind_choices() if lbl == "农业生产与农田建设")
        assert iv.table.kind == want
    f.write_text(base + "kind: works\n项目类别: 工程\n", encoding="utf-8")
    with pytest.raises(JixiaoError, match="“项目类别”与“kind”是同一个问题"):
        headless.run_answers(f, searcher=lexical, suggester=KindSuggester(lexical))
    f.write_text(base + "kind: 火星探测\n", encoding="utf-8")
    with pytest.raises(JixiaoError, match="“kind”的回答“火星探测”无法理解"):
        headless.run_answers(f, searcher=lexical, suggester=KindSuggester(lexical))


def test_prompt_schema_checks_choices_from():
    QuestionSpec(id="kind", kind="choice", target="kind", choices_from="kinds", text="类别？")
    with pytest.raises(ValueError, match="choices_from: kinds"):
        QuestionSpec(id="kind", kind="choice", target="kind", choices=["a"], text="类别？")
    with pytest.raises(ValueError, match="不要再写 choices"):
        QuestionSpec(
            id="kind", kind="choice", target="kind", choices_from="kinds", choices=["a"], text="?"
        )


def _offered_in_draft(path: Path, monkeypatch, capsys) -> dict[str, list[tuple[str, str]]]:
    """Each slot's precedent and template rows as the headless interview offered them (the
    file's own slot answers left out, so every slot's suggestions are looked at)."""
    seen: dict[str, list[tuple[str, str]]] = {}
    real = Interview.suggestions

    def spy(self: Interview):
        found = real(self)
        q = self.current()
        if q is not None and q.slot is not None and q.slot[1] not in seen:
            seen[q.slot[1]] = [(s.name, s.value) for s in found if s.origin != "drafted"]
        return found

    monkeypatch.setattr(Interview, "suggestions", spy)
    code, out, _ = run_cli(capsys, "draft", "--answers", path)
    assert code in (0, 1) and "草稿已保存" in out
    return seen


@pytest.mark.parametrize("name", ["repair.yaml", "training.yaml", "subsidy.yaml"])
def test_draft_and_suggest_offer_the_same_rows(capsys, monkeypatch, tmp_path, name):
    """Same answers file → the same slots, names and values in `suggest --json` as the draft
    offered (the draft also puts 不适用 first where a kind usually leaves the slot out,
    which suggest reports as usually_not_applicable)."""
    doc = yaml.safe_load((ANSWERS / name).read_text(encoding="utf-8"))
    doc.pop("slots")
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    code, out, _ = run_cli(
        capsys, "suggest", "--answers", path, "--lexical", "--json", "--top", "5"
    )
    assert code == 0
    doc = json.loads(out)
    offered = _offered_in_draft(path, monkeypatch, capsys)
    printed = {
        s["level2"]: [(h["indicator"]["name"], h["indicator"]["value"]) for h in s["hits"]]
        for s in doc["slots"]
    }
    assert printed.keys() == offered.keys()
    for level2, rows in offered.items():
        slot = next(s for s in doc["slots"] if s["level2"] == level2)
        na = [("不适用", "0")] if slot["usually_not_applicable"] else []
        assert rows == na + printed[level2], level2
    assert any(printed.values())


def test_an_unrelated_project_hears_there_is_no_close_precedent(lexical):
    gate = KindSuggester(lexical)
    iv = Interview(searcher=lexical, suggester=gate)
    for text in QUANTUM:
        assert iv.answer(text).ok, text
    q = iv.current()
    assert q.id == "kind" and q.default == "未分类" and "没有可判断类别的词" in q.text
    iv.answer("")
    assert iv.table.kind is None
    silent = []
    while (q := iv.current()) is not None and q.slot is not None:
        assert iv.slot_notice() is None  # not looked up yet: the notice never searches
        iv.suggestions()
        notice = iv.slot_notice()
        if notice:
            silent.append(notice)
            assert notice.startswith(f"「{q.slot[1]}」没有相近的先例")
            assert all(
                "同类项目" not in (s.provenance.note or "")
                for s in iv.suggestions()
                if s.provenance is not None
            )
        iv.skip()
    assert silent


def test_every_gated_row_says_why_it_is_offered(lexical):
    iv, _ = at_kind(lexical)
    iv.answer("")
    iv.skip()  # 数量指标
    rows = [s for s in iv.suggestions() if s.origin in ("precedent", "library")]
    assert rows
    for s in rows:
        note = s.provenance.note
        assert note.startswith("理由：") and any(
            w in note for w in ("同类项目", "共有词", "共性指标", "类别模板", "共性模板")
        )


def test_a_rows_common_values_are_its_own_indicators_values(lexical):
    """ "常见取值" under a suggestion counts the values of that indicator's precedents only,
    never the slot's mix (a cost slot once showed ≤1000万元 from a tennis open under 项目总成本)."""
    from assistant.search.engine import canonical_value

    iv, gate = at_kind(lexical)
    iv.answer("")
    for _ in range(3):  # 数量 质量 时效 → 成本指标
        iv.skip()
    assert iv.current().slot == ("产出指标", "成本指标")
    offered = {s.name: s for s in iv.suggestions()}
    checked = 0
    for sug in gate.shown("成本指标").suggestions:
        row = offered.get(sug.indicator.name)
        if row is None or sug.hit is None:
            continue
        own = {canonical_value(m.value) for m in sug.hit.group}
        assert sum(n for _, n in row.typical_values) <= len(sug.hit.group)
        assert {v for v, _ in row.typical_values} <= own | {row.value}, row.name
        checked += 1
    assert checked


def test_draft_cli_reports_an_unknown_kind_in_one_line(capsys, tmp_path):
    f = tmp_path / "a.yaml"
    f.write_text(
        (ANSWERS / "repair.yaml").read_text(encoding="utf-8") + "kind: 火星探测\n",
        encoding="utf-8",
    )
    code, _, err = run_cli(capsys, "draft", "--answers", f)
    assert code == 2
    one_line(err, "“kind”的回答“火星探测”无法理解", "请从这些选项中选一个")


async def test_the_tui_asks_the_kind_and_says_why_rows_are_offered(lexical):
    """In the TUI the kind is a question like any other; each suggestion's detail line says
    why it is offered; a slot the gate keeps silent is said in the chat."""
    from textual.widgets import Static

    from assistant.tui.app import make_app
    from assistant.tui.widgets.chat import ChatLog
    from assistant.tui.widgets.suggestions import SuggestionsPanel

    iv = Interview(searcher=lexical, suggester=KindSuggester(lexical))
    for text in TRAINING:
        iv.answer(text)
    app = make_app(searcher=lexical, semantic=False, draft_id=iv.draft_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert screen.interview.current().id == "kind"
        chat = " ".join(str(m.render()) for m in screen.query_one(ChatLog).children)
        assert "项目类别：培训与会议（依据：" in chat
        screen.query_one("#answer").value = "设备"
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.interview.table.kind == "equipment"
        iv2 = screen.interview
        assert iv2.current().slot == ("产出指标", "数量指标")
        # the training library rows (培训人数 …) are not offered to an equipment purchase
        # and the activity's own row is drafted; the next slot has gated suggestions
        screen.query_one("#answer").value = "全部采纳"  # an empty slot cannot be closed
        await pilot.press("enter", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert iv2.current().slot == ("产出指标", "质量指标")
        panel = screen.query_one(SuggestionsPanel)
        gated = [n for n, s in enumerate(panel.suggestions) if s.origin != "drafted"]
        assert gated
        panel.table.focus()
        panel.table.move_cursor(row=gated[0])
        await pilot.pause()
        detail = str(panel.query_one("#sugg-detail", Static).render())
        assert "理由：" in detail


async def test_the_tui_says_when_no_precedent_is_close(lexical):
    from assistant.tui.app import make_app

    iv = Interview(searcher=lexical, suggester=KindSuggester(lexical))
    for text in QUANTUM:
        iv.answer(text)
    app = make_app(searcher=lexical, semantic=False, draft_id=iv.draft_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert "项目类别：未分类（依据：没有可判断类别的词）" in chat_of(screen)
        await pilot.press("enter")  # keep it
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.interview.current().slot == ("产出指标", "数量指标")
        assert "「数量指标」没有相近的先例" in chat_of(screen)


def chat_of(screen) -> str:
    from assistant.tui.widgets.chat import ChatLog

    return " ".join(str(m.render()) for m in screen.query_one(ChatLog).children)


def test_a_suggestion_without_a_value_is_never_offered():
    """Whatever the suggester (a template the user's facts could not fill), an empty value
    is what the completeness check flags: the interview leaves such a row out."""
    from assistant.interview.schema import Suggestion
    from assistant.interview.suggestions import reviewable
    from assistant.model import Header

    row = Suggestion(id="x", level1="效益指标", level2="经济效益", name="调研收入", value=" ")
    assert reviewable(row, Header(project_name="2024年调研项目")) is None


def test_a_precedents_total_cost_row_carries_this_projects_total():
    from assistant.knowledge.suggester import own_total
    from assistant.model import Amount, Header

    header = Header(project_name="储备粮保管", year=2025, annual_total=Amount.parse("120.5"))
    assert own_total("成本指标", "项目总成本", "≤202.6万元", header) == "≤120.5万元"
    assert own_total("成本指标", "项目总成本", "", header) == "≤120.5万元"
    assert own_total("成本指标", "项目总成本", "100%", header) == "100%"  # a rate stays
    assert own_total("成本指标", "储备粮保管", "160元/吨", header) == "160元/吨"  # a unit cost
    assert own_total("时效指标", "项目总成本", "≤202.6万元", header) == "≤202.6万元"


def test_a_precedents_quantity_is_offered_in_one_spelling():
    from assistant.knowledge.suggester import tidy_value

    assert tidy_value(">=98%") == "≥98%"
    assert tidy_value("正向 大于等于 10") == "≥10"
    assert tidy_value("反向 小于等于 90 万元") == "≤90万元"
    assert tidy_value("定性 优良") == "定性 优良" and tidy_value("持续提升") == "持续提升"
