"""Pilot tests of the TUI: a whole interview to a saved, valid draft; search; drafts; the
model worker. Each test drives the app the way a user would (keys, typed answers)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, OptionList, Select, Static

from assistant.interview import Interview
from assistant.knowledge.suggester import KindSuggester
from assistant.rules import validate
from assistant.search import SearchEngine
from assistant.store import DraftStore
from assistant.tui.app import MODEL_LOADING, MODEL_READY, make_app
from assistant.tui.screens.dialogs import ConfirmDialog, EditDialog, ExportDialog
from assistant.tui.screens.drafts import DraftsScreen
from assistant.tui.screens.interview import ActivitiesEditor, InterviewScreen
from assistant.tui.screens.search import SearchScreen
from assistant.tui.widgets.chat import ChatLog
from assistant.tui.widgets.suggestions import SuggestionsPanel

SIZE = (120, 40)

# The seed's 信创 project: 5台打印机×2600元 + 5套计算机×9400元 = 6万元.
HEADER_ANSWERS = [
    "2024年监测评估中心信创项目",
    "自治区乡村振兴局",
    "宁夏回族自治区乡村振兴监测评估中心",
    "",  # 项目属性: default
    "",  # 项目期: default
    "2024",
    "",  # 指标体系: default
    "6",
    "",  # 年度资金总额 = 项目总额
    "",  # 资金来源: 全部财政拨款
    "起草",
    "采购信创非密打印机5台，每台2600元；采购信创非密计算机5套，每套9400元",
]


@pytest.fixture(scope="module")
def lexical(tmp_path_factory) -> SearchEngine:
    """The shipped corpus, lexical only (built once; its cache goes to a temporary home)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JIXIAO_HOME", str(tmp_path_factory.mktemp("search-home")))
        return SearchEngine(semantic=False)


def app_for(searcher, **kw):
    return make_app(searcher=searcher, semantic=False, **kw)


async def settle(pilot) -> None:
    """Let the key's effects, the workers it started and their replies all finish."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def say(pilot, text: str) -> None:
    """Type an answer into the input and press Enter (in the activities editor: ctrl+d)."""
    screen = pilot.app.screen
    editor = screen.query_one(ActivitiesEditor)
    if editor.display:
        editor.focus()
        editor.text = text
        await pilot.press("ctrl+d")
        await settle(pilot)
        return
    answer = screen.query_one("#answer", Input)
    answer.focus()
    answer.value = text
    await pilot.press("enter")
    await settle(pilot)


def current_id(app) -> str | None:
    q = app.screen.interview.current()
    return q.id if q else None


def chat_text(app) -> str:
    return app.screen.query_one(ChatLog).transcript()


async def test_first_question_is_on_screen_and_model_status_shown(lexical):
    app = app_for(lexical)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        assert "项目叫什么" in chat_text(app)
        assert app.screen.query_one("#answer", Input).has_focus
        assert "仅用字面检索" in str(app.screen.query_one("#status", Static).render())


async def test_whole_interview_to_a_saved_valid_draft(lexical, tmp_path):
    app = app_for(lexical)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for text in HEADER_ANSWERS:
            await say(pilot, text)
        assert current_id(app) == "kind"  # 项目类别, inferred from the name and activities
        assert "项目类别：" in chat_text(app)
        await say(pilot, "")
        assert current_id(app) == "slot:产出指标/数量指标"
        panel = app.screen.query_one(SuggestionsPanel)
        assert panel.display and panel.suggestions[0].origin == "drafted"

        await say(pilot, "全部采纳")  # typed: the two drafted quantity rows
        await say(pilot, "")  # empty Enter: this slot is done
        await say(pilot, "采购设备合格率：100%")  # a row of one's own
        await say(pilot, "")

        # 时效指标: accept the drafted deadline row with the keyboard.
        assert current_id(app) == "slot:产出指标/时效指标"
        await pilot.press("tab")
        assert panel.table.has_focus
        await pilot.press("a")
        await settle(pilot)
        assert any("12月31日前" in i.name for i in app.screen.interview.table.indicators)
        await pilot.press("escape")
        await say(pilot, "")

        await say(pilot, "全部采纳")  # 成本指标: drafted unit prices
        await say(pilot, "")
        await say(pilot, "不适用")  # 经济效益

        # 社会效益: edit a precedent before accepting it.
        assert current_id(app) == "slot:效益指标/社会效益"
        await pilot.press("tab", "e")
        await settle(pilot)
        assert isinstance(app.screen, EditDialog)
        app.screen.query_one("#edit-name", Input).value = "设备利用率"
        app.screen.query_one("#edit-value", Input).value = "≥90%"
        await pilot.press("enter")
        await settle(pilot)
        rows = app.screen.interview.table.indicators
        assert ("设备利用率", "≥90%") in [(i.name, i.value) for i in rows]
        await say(pilot, "")

        await say(pilot, "不适用")  # 生态效益
        await say(pilot, "设备寿命期内完好率：≥90%")
        await say(pilot, "")
        await say(pilot, "信创办公设备使用人员满意度：≥95%")
        await say(pilot, "")

        assert app.screen.interview.done
        draft_id = app.screen.interview.draft_id
        assert "校验：" in str(app.screen.query_one("#draft-tree").root.children[-1].label)
        assert "0 个错误" in chat_text(app) or "没有发现问题" in chat_text(app)

    saved = DraftStore().get(draft_id)
    assert saved.state["done"] is True
    report = validate(saved.table)
    assert not report.has_errors, [f.message for f in report.findings]
    costs = [i.value for i in saved.table.indicators if i.level2 == "成本指标"]
    assert costs == ["2600元/台", "9400元/套"]


async def test_a_bad_year_is_refused_by_the_engine_alone_and_comes_back_to_fix(lexical):
    app = app_for(lexical)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for text in HEADER_ANSWERS[:5]:
            await say(pilot, text)
        assert current_id(app) == "year"
        await say(pilot, "20x4")
        assert current_id(app) == "year"  # re-asked, with the engine's own reason
        assert "年份" in app.screen.query_one(ChatLog).messages()[-1].text
        assert app.screen.query_one("#answer", Input).value == "20x4"  # back to correct
        await say(pilot, "二〇二四年")
        assert current_id(app) == "framework"


async def test_follow_up_prices_are_not_held_to_the_header_money_check(lexical):
    answers = HEADER_ANSWERS[1:11] + ["调研督导5次，每次5天5人"]
    draft_id = _draft(lexical, HEADER_ANSWERS[0], answers)
    app = app_for(lexical, draft_id=draft_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert current_id(app) == "activity.1.rate"
        await say(pilot, "430元/天/人")
        assert current_id(app) != "activity.1.rate"
        assert "53750" in chat_text(app)  # 5次×5天×5人×430元


async def test_a_refused_answer_comes_back_to_be_corrected(lexical):
    draft_id = _draft(lexical, HEADER_ANSWERS[0], HEADER_ANSWERS[1:9])
    app = app_for(lexical, draft_id=draft_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert current_id(app) == "funds"
        await say(pilot, "财政拨款5万，其他资金4万")  # adds up to 9万, not 6万
        assert current_id(app) == "funds"
        assert "不一致" in chat_text(app)
        assert app.screen.query_one("#answer", Input).value == "财政拨款5万，其他资金4万"
        await say(pilot, "财政拨款2万，其他资金4万")
        assert current_id(app) == "goal"


async def test_required_question_cannot_be_skipped_and_back_prefills(lexical):
    app = app_for(lexical)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await say(pilot, "")
        assert current_id(app) == "project_name"
        assert "必填" in str(app.screen.query_one("#hint", Static).render())
        await say(pilot, "2024年测试项目")
        assert current_id(app) == "department"
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert current_id(app) == "project_name"
        assert app.screen.query_one("#answer", Input).value == "2024年测试项目"


async def test_reject_a_suggestion_and_remove_a_row_with_confirmation(lexical):
    draft_id = _draft(lexical, HEADER_ANSWERS[0], HEADER_ANSWERS[1:])
    app = app_for(lexical, draft_id=draft_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert current_id(app) == "slot:产出指标/数量指标"
        panel = app.screen.query_one(SuggestionsPanel)
        first = panel.suggestions[0]
        await pilot.press("tab", "r")
        await settle(pilot)
        assert first.id not in [s.id for s in panel.suggestions]
        await pilot.press("a")  # accept the next one
        await settle(pilot)
        assert len(app.screen.interview.table.indicators) == 1

        tree = app.screen.query_one("#draft-tree")
        tree.focus()
        row_line = next(n.line for n in _walk(tree.root) if n.data and n.data[0] == "row")
        tree.cursor_line = row_line
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert len(app.screen.interview.table.indicators) == 1
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen.interview.table.indicators == []


def _walk(node):
    yield node
    for child in node.children:
        yield from _walk(child)


async def test_export_dialog_writes_the_file(lexical, tmp_path):
    app = app_for(lexical)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await say(pilot, "2024年监测评估中心信创项目")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        options = app.screen.query_one(OptionList)
        await pilot.press("down", "down", "down")  # Markdown
        await pilot.pause()
        path_input = app.screen.query_one("#export-path", Input)
        assert path_input.value.endswith("2024年监测评估中心信创项目_绩效目标表.md")
        assert options.highlighted == 3
        path_input.value = str(tmp_path / "草稿.md")
        path_input.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        written = tmp_path / "草稿.md"
        assert "2024年监测评估中心信创项目" in written.read_text(encoding="utf-8")
        assert f"已导出：{written}" in chat_text(app)

        # Exporting onto an existing file asks first; "n" leaves it alone.
        written.write_text("旧内容", encoding="utf-8")
        await pilot.press("ctrl+s")
        await settle(pilot)
        app.screen.query_one("#export-path", Input).value = str(written)
        app.screen.query_one("#export-path", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert written.read_text(encoding="utf-8") == "旧内容"


async def test_search_screen_finds_precedents_with_provenance_and_filters(lexical):
    app = app_for(lexical)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"租车")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        results = screen.query_one("#results", DataTable)
        assert results.row_count > 0
        assert any("租车" in h.indicator.name for h in screen.hits)
        detail = str(screen.query_one("#detail", Static).render())
        assert "项目：" in detail and "出处：" in detail

        screen.query_one("#level", Select).value = "产出指标|成本指标"
        await settle(pilot)
        assert screen.hits
        assert all(h.indicator.level2 == "成本指标" for h in screen.hits)
        screen.query_one("#level", Select).value = "满意度指标|"
        await settle(pilot)
        assert screen.hits == []
        assert "没有找到" in str(screen.query_one("#detail", Static).render())

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)


async def test_a_search_result_can_be_taken_back_into_the_answer(lexical):
    draft_id = _draft(lexical, HEADER_ANSWERS[0], HEADER_ANSWERS[1:])
    app = app_for(lexical, draft_id=draft_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        app.screen.query_one("#query", Input).value = "信创非密打印机"
        await pilot.press("enter")
        await settle(pilot)
        top = app.screen.hits[0].indicator
        await pilot.press("enter")  # on the focused results: take the top row back
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        answer = app.screen.query_one("#answer", Input)
        assert answer.value == f"{top.name}：{top.value}"
        assert answer.has_focus
        await pilot.press("enter")
        await settle(pilot)
        row = app.screen.interview.table.indicators[-1]
        assert (row.name, row.value) == (top.name, top.value)
        assert row.provenance == top.provenance  # still the precedent's, not a user row
        assert top.provenance.project in chat_text(app)


async def test_hints_follow_the_focus(lexical):
    draft_id = _draft(lexical, HEADER_ANSWERS[0], HEADER_ANSWERS[1:])
    app = app_for(lexical, draft_id=draft_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        hint = app.screen.query_one("#hint", Static)
        # the slot has no rows yet: Enter alone cannot finish it, the hint says what can
        assert "这一项还没有指标" in str(hint.render()) and "不适用" in str(hint.render())
        app.screen.query_one("#answer", Input).value = "全部采纳"
        await pilot.press("enter")
        await settle(pilot)
        assert "回车（空）＝这一项填好了" in str(hint.render())
        await pilot.press("tab")
        assert "a 或回车＝采用" in str(hint.render())
        await pilot.press("tab")
        assert "Delete＝删除" in str(hint.render())
        await pilot.press("escape")
        assert "回车（空）" in str(hint.render())


def _draft(searcher, name: str, answers: list[str], kind: str = "") -> str:
    """A draft saved by the engine as the TUI builds it (the relevance gate, the kinds)."""
    iv = Interview(searcher=searcher, suggester=KindSuggester(searcher))
    iv.answer(name)
    for text in answers:
        keep_kind(iv, kind)
        iv.answer(text) if text else iv.skip()  # "": leave the question (a slot may stay empty)
    keep_kind(iv, kind)
    return iv.draft_id


def keep_kind(iv: Interview, kind: str = "") -> None:
    """At the project-kind question (after the activities): ``kind``, or Enter for the
    inferred one."""
    q = iv.current()
    if q is not None and q.id == "kind":
        iv.answer(kind)


async def test_drafts_screen_resumes_and_deletes_after_confirming(lexical):
    first = _draft(lexical, "2024年第一个项目", ["自治区乡村振兴局"])
    second = _draft(lexical, "2024年第二个项目", [])
    app = app_for(lexical)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)  # go on with the newest unfinished one?
        await pilot.press("n")  # no: a new one (it is saved only once answered)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, DraftsScreen)
        table = app.screen.query_one("#drafts", DataTable)
        assert table.row_count == 2
        ids = [d.id for d in app.screen.drafts]
        table.move_cursor(row=ids.index(first))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        assert app.screen.interview.draft_id == first
        assert current_id(app) == "unit"  # the next unanswered question
        assert "已打开草稿" in chat_text(app)

        await pilot.press("ctrl+o")
        await settle(pilot)
        table = app.screen.query_one("#drafts", DataTable)
        table.move_cursor(row=[d.id for d in app.screen.drafts].index(second))
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert len(DraftStore().list()) == 2
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert [d.id for d in DraftStore().list()] == [first]
        assert app.screen.query_one("#drafts", DataTable).row_count == 1


async def test_autosave_and_reopen_resumes_at_next_unanswered_question(lexical):
    app = app_for(lexical)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for text in HEADER_ANSWERS[:3]:
            await say(pilot, text)
        draft_id = app.screen.interview.draft_id
    assert DraftStore().get(draft_id).table.header.unit == HEADER_ANSWERS[2]

    again = app_for(lexical, draft_id=draft_id)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert current_id(again) == "attribute"
        assert "项目属性" in chat_text(again)


class SlowSemantic:
    """A search engine whose model takes as long as the test wants, then works or fails."""

    def __init__(self, lexical: SearchEngine, works: bool) -> None:
        self.lexical = lexical
        self.works = works
        self.release = threading.Event()
        self.semantic_ready = False
        self.notice: str | None = None

    def load_semantic(self, progress=None) -> bool:
        if progress is not None:
            progress("正在计算 545 条先例的语义向量（只算一次）…")
        self.release.wait(10)
        if self.works:
            self.semantic_ready = True
            self.notice = "模型文件已损坏（model.safetensors 与记录的校验值不符），已重新生成。"
            return True
        self.notice = "语义模型不可用，已改用字面检索：找不到模型文件"
        return False

    def __getattr__(self, name):
        return getattr(self.lexical, name)


@pytest.mark.parametrize("works", [True, False])
async def test_model_loads_in_a_worker_while_the_ui_stays_usable(lexical, works):
    slow = SlowSemantic(lexical, works)
    app = make_app(searcher=slow, semantic=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        status = app.screen.query_one("#status", Static)
        # the first build's progress shows in the status line while the UI stays usable
        assert str(status.render()).startswith(MODEL_LOADING)
        assert "语义向量" in app.model_status
        await say_without_waiting(pilot, HEADER_ANSWERS[0])
        assert current_id(app) == "department"  # answered while the model loads
        slow.release.set()
        await settle(pilot)
        text = str(status.render())
        if works:
            assert text == MODEL_READY
            shown = [n.message for n in app._notifications]
            assert any("已重新生成" in m for m in shown)  # the rebuild notice reaches the user
        else:
            assert text.startswith("语义模型不可用") and "找不到模型文件" in text


QUIT_WHILE_LOADING = """
import time
from assistant.tui.app import make_app

class Slow:
    notice = None
    semantic_ready = False
    def load_semantic(self):
        time.sleep(30)
        return True
    def search(self, *a, **kw):
        return []

async def quit_soon(pilot):
    await pilot.pause(0.3)
    await pilot.press("ctrl+q")

make_app(searcher=Slow(), semantic=True).run(headless=True, size=(120, 40), auto_pilot=quit_soon)
"""


def test_quitting_does_not_wait_for_the_model(tmp_path):
    """The model loads in a worker; quitting the app must not wait for it to finish."""
    import subprocess
    import sys
    import time

    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", QUIT_WHILE_LOADING],
        check=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
    )
    assert time.perf_counter() - started < 15  # the model would have taken 30 s


async def say_without_waiting(pilot, text: str) -> None:
    """Answer without waiting for all workers (the model worker is still busy)."""
    answer = pilot.app.screen.query_one("#answer", Input)
    answer.value = text
    answer.focus()
    await pilot.press("enter")
    await pilot.pause()


async def test_a_crashing_index_build_is_reported_not_fatal(monkeypatch):
    import assistant.search as search

    def broken(**kw):
        raise OSError("磁盘已满")

    monkeypatch.setattr(search, "SearchEngine", broken)
    app = make_app(semantic=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        status = str(app.screen.query_one("#status", Static).render())
        assert "先例检索不可用" in status
        await say(pilot, "2024年测试项目")
        assert current_id(app) == "department"


async def test_command_palette_offers_chinese_commands(lexical):
    app = app_for(lexical)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"检索")
        await pilot.pause(0.3)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)


async def test_copy_puts_the_draft_as_markdown_on_the_clipboard(lexical):
    app = app_for(lexical)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await say(pilot, "2024年监测评估中心信创项目")
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert "2024年监测评估中心信创项目" in app.clipboard
        assert app.clipboard.lstrip().startswith("#")


async def test_copy_the_conversation_from_the_palette(lexical):
    app = app_for(lexical)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await say(pilot, "2024年监测评估中心信创项目")
        app.action_copy_chat()
        assert "> 2024年监测评估中心信创项目" in app.clipboard
        assert "项目叫什么" in app.clipboard


async def test_a_narrow_terminal_folds_the_table_away(lexical):
    app = app_for(lexical)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one("#draft")
        assert not tree.display
        assert app.screen.has_class("-short")
        await pilot.press("ctrl+t")
        assert tree.display


async def test_a_crashing_review_is_reported_and_the_chat_goes_on(lexical, monkeypatch):
    import assistant.rules

    def broken(table, **kw):
        raise ValueError("规则文件损坏")

    monkeypatch.setattr(assistant.rules, "validate", broken)
    app = app_for(lexical)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await say(pilot, "2024年测试项目")
        assert current_id(app) == "department"
        assert any("校验出错：规则文件损坏" in n.message for n in app._notifications)


async def test_ctrl_c_says_in_chinese_how_to_quit(lexical):
    app = app_for(lexical)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.screen.query_one("#draft-tree").focus()
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert any("ctrl+q 退出" in n.message for n in app._notifications)


def test_run_app_is_what_bare_jixiao_opens(monkeypatch):
    from assistant.cli import cli
    from assistant.tui import app as tui_app

    called: list[bool] = []
    monkeypatch.setattr(tui_app, "run_app", lambda: called.append(True))
    cli.main(args=[], prog_name="jixiao", standalone_mode=False)
    assert called == [True]


def test_startup_imports_nothing_heavy():
    import subprocess
    import sys

    code = (
        "import sys; import assistant.tui.app as a; a.make_app();"
        "import assistant.interview;"
        "print(','.join(m for m in ('torch','sentence_transformers','openpyxl','bm25s')"
        " if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
        check=True,
    )
    assert out.stdout.strip() == ""


class Reranking(SlowSemantic):
    """Lexical order until the 'model' is loaded, then another order (as semantic ranking
    would give)."""

    looked_up_with_model = 0

    def search(self, *args, **kwargs):
        hits = self.lexical.search(*args, **kwargs)
        if not self.semantic_ready:
            return hits
        self.looked_up_with_model += 1
        return [h.model_copy(update={"score": 0.5 + 0.01 * i}) for i, h in enumerate(hits)]


async def test_suggestions_are_looked_up_again_when_the_model_is_ready(lexical):
    draft_id = _draft(lexical, HEADER_ANSWERS[0], HEADER_ANSWERS[1:] + ["全部采纳", ""])
    slow = Reranking(lexical, works=True)
    app = make_app(searcher=slow, semantic=True, draft_id=draft_id)
    async with app.run_test(size=SIZE) as pilot:
        panel = app.screen.query_one(SuggestionsPanel)
        for _ in range(50):  # the first (lexical) suggestions, while the model still loads
            await pilot.pause(0.05)
            if panel.suggestions:
                break
        assert current_id(app) == "slot:产出指标/质量指标"
        before = [s.name for s in panel.suggestions]
        assert len(before) >= 3
        turned_down = panel.suggestions[0]
        await say_without_waiting(pilot, "不要1")
        for _ in range(50):
            await pilot.pause(0.05)
            if turned_down.name not in [s.name for s in panel.suggestions]:
                break
        slow.release.set()
        await settle(pilot)
        after = [s.name for s in panel.suggestions]
        assert turned_down.name not in after  # still turned down
        # looked up anew with the model (the gate ranks same-kind rows first, so the order
        # of these rows may stay as it was)
        assert after and slow.looked_up_with_model > 0


async def test_activities_are_written_one_a_line_in_a_multi_line_editor(lexical):
    app = app_for(lexical)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for text in HEADER_ANSWERS[:-1]:
            await say(pilot, text)
        assert current_id(app) == "activities"
        editor = app.screen.query_one(ActivitiesEditor)
        assert editor.display and editor.has_focus
        assert not app.screen.query_one("#answer", Input).display
        assert "ctrl+d" in str(app.screen.query_one("#hint", Static).render())
        editor.insert("采购打印机5台，每台2600元")  # (pilot keys cannot type "，")
        await pilot.press("enter")  # a new line, not the answer
        editor.insert("采购计算机5套，每套9400元")
        await settle(pilot)
        assert current_id(app) == "activities" and "\n" in editor.text
        await pilot.press("ctrl+d")
        await settle(pilot)
        acts = app.screen.interview.activities
        assert [a.name for a in acts] == ["打印机", "计算机"]
        assert not editor.display and app.screen.query_one("#answer", Input).display
        assert "我理解的活动" in chat_text(app)

        await pilot.press("ctrl+z")  # back: the lines come back to be corrected
        await settle(pilot)
        assert current_id(app) == "activities" and editor.has_focus
        lines = ["采购打印机5台，每台2600元", "采购计算机5套，每套9400元"]
        assert editor.text.splitlines() == lines
        await pilot.press("ctrl+z")  # in the editor too ctrl+z means 上一题, not undo
        await settle(pilot)
        assert current_id(app) == "goal"


async def test_a_taken_row_edited_after_a_refusal_still_names_its_precedent(lexical):
    draft_id = _draft(lexical, HEADER_ANSWERS[0], HEADER_ANSWERS[1:])
    app = app_for(lexical, draft_id=draft_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        app.screen.query_one("#query", Input).value = "信创非密打印机"
        await pilot.press("enter")
        await settle(pilot)
        top = app.screen.hits[0].indicator
        await pilot.press("enter")
        await settle(pilot)
        answer = app.screen.query_one("#answer", Input)
        assert answer.cursor_position == len(answer.value)  # ready to change the value
        await pilot.press("ctrl+u")  # clears the line: the cursor was at its end
        assert answer.value == ""
        answer.insert_text_at_cursor(f"{top.name}：见附件")
        await pilot.press("enter")
        await settle(pilot)
        assert answer.value == f"{top.name}：见附件"  # refused, back in the box
        answer.value = f"{top.name}：3台"
        await pilot.press("enter")
        await settle(pilot)
        row = app.screen.interview.table.indicators[-1]
        assert (row.name, row.value) == (top.name, "3台")
        assert row.provenance.project == top.provenance.project
        assert "采纳后已修改" in row.provenance.note

        # the table panel says where the row came from
        index = len(app.screen.interview.table.indicators) - 1
        tree = app.screen.query_one("#draft-tree")
        tree.focus()
        tree.cursor_line = next(
            n.line for n in _walk(tree.root) if n.data and n.data[:2] == ("row", index)
        )
        await settle(pilot)
        detail = str(app.screen.query_one("#tree-detail", Static).render())
        assert f"参考：{top.provenance.project}" in detail and "采纳后已修改" in detail


async def test_not_applicable_is_offered_first_and_taken_from_the_list(lexical):
    slots = ["全部采纳", "", "", "", "全部采纳", "", "不适用", ""]  # up to 生态效益
    # an equipment purchase: its precedents mostly leave 生态效益 out
    draft_id = _draft(lexical, HEADER_ANSWERS[0], HEADER_ANSWERS[1:] + slots, "设备与车辆购置")
    app = app_for(lexical, draft_id=draft_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert current_id(app) == "slot:效益指标/生态效益"
        panel = app.screen.query_one(SuggestionsPanel)
        assert panel.suggestions[0].origin == "not_applicable"
        assert "本项目不涉及" in str(panel.table.get_row_at(0)[3])
        await pilot.press("tab", "a")
        await settle(pilot)
        assert current_id(app) == "slot:效益指标/可持续影响"
        rows = app.screen.interview.table.indicators
        assert ("生态效益", "0", "0") in [(i.level2, i.name, i.value) for i in rows]
        assert app.screen.query_one("#answer", Input).has_focus  # the next answer is typed


async def test_an_empty_enter_on_an_effect_slot_without_rows_says_what_to_do(lexical):
    slots = ["全部采纳", "", "采购设备合格率：100%", "", "1", "", "全部采纳", ""]  # to 经济效益
    draft_id = _draft(lexical, HEADER_ANSWERS[0], HEADER_ANSWERS[1:] + slots)
    app = app_for(lexical, draft_id=draft_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert current_id(app) == "slot:效益指标/经济效益"
        await say(pilot, "")
        assert current_id(app) == "slot:效益指标/经济效益"  # not silently done
        said = app.screen.query_one(ChatLog).messages()[-1].text
        assert "「经济效益」还没有指标" in said and "不适用" in said
        assert "（本项完成）" not in chat_text(app)  # the Enter was not taken: not echoed as done
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert current_id(app) == "slot:效益指标/经济效益"
        await say(pilot, "不适用")
        assert current_id(app) == "slot:效益指标/社会效益"


def test_skipping_an_activities_question_is_explained_with_the_editor_key():
    from assistant.interview.schema import Question
    from assistant.tui.screens.interview import question_text

    extras = Question(
        id="extras", text="还有其他费用吗？", kind="activities", optional=True, default="没有"
    )
    assert "（可跳过：不填直接按 ctrl+d，采用“没有”）" in question_text(extras)
    attribute = Question(id="attribute", text="项目属性？", optional=True, default="一年期")
    assert "（可跳过：直接回车，采用“一年期”）" in question_text(attribute)
