"""The main screen: the interview as a chat, suggestions, and the live table.

The screen drives one ``assistant.interview.Interview`` through a ``DraftSession``: engine
steps run under the session's lock, and every change is saved by a thread worker
(``SavingScreen``), so typing never waits for the disk. The screen never edits the table
itself and does not check answers a second time: the engine understands or re-asks.
Slow or import-heavy steps (suggestions, review, export) run in thread workers that post
messages back.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import DescendantFocus, Resize
from textual.widgets import Footer, Input, Static

from assistant.tui.safe import clean
from assistant.tui.screens.dialogs import ConfirmDialog
from assistant.tui.screens.exporting import ask_export, run_export
from assistant.tui.screens.messages import Exported, UnfinishedDrafts
from assistant.tui.screens.suggesting import SuggestingScreen
from assistant.tui.session import DraftSession
from assistant.tui.widgets.chat import ChatLog, question_text
from assistant.tui.widgets.draft_tree import DraftTree
from assistant.tui.widgets.editor import ActivitiesEditor
from assistant.tui.widgets.suggestions import SuggestionsPanel

if TYPE_CHECKING:
    from assistant.interview import Question, Turn
    from assistant.model import Indicator, Provenance, TargetTable
    from assistant.rules import Finding

__all__ = ["ActivitiesEditor", "InterviewScreen", "question_text"]

GREETING = (
    "您好！我会一步步问您这个项目的情况，帮您写出项目支出绩效目标表。"
    "每答一题都会自动保存；右侧是目标表的实时样子。"
)
SLOT_HINT = "回车（空）＝这一项填好了，进入下一项；Tab＝进入建议列表"
EMPTY_SLOT_HINT = (  # an empty Enter is refused on a slot without rows: say what is wanted
    "这一项还没有指标：回答序号采纳建议，或写“三级指标：指标值”，不适用的答“不适用”；"
    "Tab＝进入建议列表"
)
LIST_HINT = "在建议列表中：a 或回车＝采用，e＝修改后采用，r＝不要；Esc＝回到输入框"
TREE_HINT = "在目标表中：↑↓ 查看各行的校验说明，回车或 e＝修改这一行，Delete＝删除；Esc＝回到输入框"
ACTIVITIES_HINT = (
    "一项一行，回车换行；写完按 ctrl+d（或 ctrl+enter）提交；ctrl+a 全选，ctrl+l 清空。"
)


class InterviewScreen(SuggestingScreen):
    """One draft's conversation."""

    BINDINGS = [
        Binding("ctrl+n", "skip", "跳过"),
        Binding("ctrl+z", "back", "上一题"),
        Binding("ctrl+r", "review", "校验"),
        Binding("ctrl+s", "export", "导出"),
        Binding("ctrl+y", "copy", "复制", show=False),
        Binding("ctrl+t", "toggle_table", "目标表"),
        Binding("ctrl+g", "retry_save", "重试保存", show=False),
        Binding("escape", "focus_answer", "回到输入", show=False),
        Binding("tab", "tab", "切换", show=False),
    ]

    def __init__(self, session: DraftSession, *, resumed: bool = False) -> None:
        super().__init__()
        self.session = session
        self.resumed = resumed
        self._version = 0  # bumps on every change; stale worker results are dropped
        self._question_id: str | None = None
        self._findings: list[Finding] = []
        self._reviewed = False
        self._full_review = False  # whole-table checks shown (after the end, or on ctrl+r)
        self._want_report = False
        self._slot_help_shown = False
        self._closing_said = False
        self._notice_for: str | None = None  # the slot whose "没有相近的先例" was said
        self._narrow: bool | None = None
        # a row taken from the search screen: (question id, name, value, provenance)
        self._taken: tuple[str, str, str, Provenance | None] | None = None

    # --- layout and start -----------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(classes="titlebar"):
            yield Static(self._title(), id="title", markup=False)
            yield Static("", id="status", markup=False)
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield ChatLog(id="chat")
                yield SuggestionsPanel(id="suggestions")
                yield Static("", id="hint", markup=False)
                yield Input(placeholder="在此输入回答，回车提交", id="answer")
                yield ActivitiesEditor(
                    id="answer-lines",
                    soft_wrap=True,
                    show_line_numbers=True,
                    placeholder="一项一行，例如：\n购置电脑10台，每台6000元\n调研4次，每次3天4人，400元/天/人",
                )
            yield DraftTree(id="draft")
        yield Footer()

    def _title(self) -> str:
        iv = self.interview
        draft = f"草稿 {iv.draft_id}" if iv.draft_id else "新草稿（答第一题后自动保存）"
        name = iv.table.header.project_name
        title = f"绩效目标表填报助手　{draft}" + (f"　{name}" if name else "")
        return clean(title + self.save_status())

    def show_save_status(self) -> None:
        self.query_one("#title", Static).update(self._title())

    def on_mount(self) -> None:
        self.watch(self.app, "model_status", self._show_model_status)
        self.watch(self.app, "model_state", self._model_state_changed, init=False)
        self._start()

    def load(self, session: DraftSession, *, resumed: bool) -> None:
        """Switch this screen to another draft (opened from the drafts list, or a new one);
        saves still queued for the previous one go on in the background."""
        self.session = session
        self.resumed = resumed
        self._version += 1
        self._question_id = None
        self._findings, self._reviewed = [], False
        self._full_review = self._want_report = False
        self._slot_help_shown = self._closing_said = False
        self._taken = None
        self.query_one(ChatLog).remove_children()
        self.query_one("#answer", Input).clear()
        self.query_one(ActivitiesEditor).clear()
        self._start()

    def _start(self) -> None:
        chat = self.query_one(ChatLog)
        self.query_one("#title", Static).update(self._title())
        if self.resumed:
            name = self.interview.table.header.project_name or "（未命名项目）"
            where = "问题都已答完。" if self.interview.done else "从下一个未答的问题继续。"
            chat.say(f"已打开草稿（{self.interview.draft_id}）：{name}。{where}", "notice")
            self._want_report = self.interview.done  # say what the review found
        else:
            chat.say(GREETING, "assistant")
            self.call_after_refresh(self._count_unfinished)
        self.query_one(SuggestionsPanel).show([])
        self._show_tree()
        self._ask_current()
        self.action_focus_answer()
        # The first review imports the rules: after the first paint, not before it.
        self.call_after_refresh(self._refresh_table)

    @work(thread=True, exclusive=True, exit_on_error=False, group="drafts")
    def _count_unfinished(self) -> None:
        """After the first question is up: find drafts left unfinished last time."""
        unfinished = [d for d in self.jixiao.store.list() if not d.state.get("done")]
        if unfinished:
            self.post_message(UnfinishedDrafts(unfinished))

    def on_unfinished_drafts(self, message: UnfinishedDrafts) -> None:
        """Offer to go on with the newest unfinished draft, unless the user has begun anew."""
        from assistant.tui.screens.drafts import when

        if self.interview.draft_id is not None or self.session.unsaved:
            return
        newest = message.drafts[0]
        name = newest.project_name or "（未命名项目）"
        more = (
            f"（共 {len(message.drafts)} 份没填完，ctrl+o 可查看全部）"
            if len(message.drafts) > 1
            else ""
        )
        question = (
            f"上次有一份没填完的草稿：\n「{name}」（编号 {newest.id}，"
            f"最后修改 {when(newest.updated_at)}）\n继续填写它吗？{more}"
        )

        def answer(yes: bool | None) -> None:
            if yes:
                self.jixiao.open_draft(newest.id)
            else:
                self.action_focus_answer()

        self.app.push_screen(
            ConfirmDialog(question, yes="继续填写", no="新建草稿", focus_yes=True), answer
        )

    def _show_model_status(self, text: str) -> None:
        self.query_one("#status", Static).update(text)

    # --- asking and answering ---------------------------------------------------------

    def _ask_current(self, *, prefill: bool = False) -> None:
        """Show the current question (or the closing words) and prepare the input."""
        q = self.interview.current()
        answer = self.query_one("#answer", Input)
        panel = self.query_one(SuggestionsPanel)
        self._set_hint("")
        self._taken = None
        answer.clear()  # never the previous question's answer under a new question
        # a row taken from the list (or the table panel) moves on: the next question is
        # answered in the box again, not in a list that is about to be emptied
        in_list = self.query_one(SuggestionsPanel).table.has_focus
        self._use_editor(q is not None and q.kind == "activities")
        if in_list or self.focused is None:
            self.action_focus_answer()
        if q is None:
            self._question_id = None
            answer.placeholder = "问题已答完：ctrl+s 导出，ctrl+r 校验，ctrl+z 回去修改"
            panel.show([])
            panel.display = False
            self._finish()
            return
        self._question_id = q.id
        # The slot help is the same for every slot: say it the first time only.
        with_help = not (q.slot and self._slot_help_shown)
        self._slot_help_shown = self._slot_help_shown or bool(q.slot)
        self.query_one(ChatLog).say(question_text(q, with_help=with_help), "question")
        answer.placeholder = f"例：{q.example}" if q.example else "在此输入回答，回车提交"
        if prefill and q.answer and q.kind != "slot":
            answer.value = q.answer
            answer.cursor_position = len(q.answer)
        if q.kind == "activities":
            self.query_one(ActivitiesEditor).set_text(q.answer if prefill and q.answer else "")
            self._set_hint(ACTIVITIES_HINT, error=False)
        if q.slot:
            self._set_hint(self._slot_hint(q.slot), error=False)
            panel.display = True
            panel.show([], title=f"参考先例 · {q.slot[1]}", loading=True)
            self._fetch_suggestions(q.id)
        else:
            panel.show([])
            panel.display = False

    def _use_editor(self, lines: bool) -> None:
        """The several-line editor for activities, the one-line input for everything else."""
        editor, answer = self.query_one(ActivitiesEditor), self.query_one("#answer", Input)
        focused = editor.has_focus or answer.has_focus
        editor.display, answer.display = lines, not lines
        if focused:
            (editor if lines else answer).focus()

    def _answer_box(self) -> Input | ActivitiesEditor:
        editor = self.query_one(ActivitiesEditor)
        return editor if editor.display else self.query_one("#answer", Input)

    def _finish(self) -> None:
        self._full_review = True
        if not self._closing_said:  # once: later edits of a finished draft do not repeat it
            self._closing_said = True
            self.query_one(ChatLog).say(
                "右侧目标表已按审核要求整表校验（✗ 错误，⚠ 提醒；选中一行可看说明）。"
                "按 ctrl+s 导出文件，ctrl+z 回去修改，ctrl+o 查看全部草稿。",
                "assistant",
            )
        self._refresh_table()

    def on_resize(self, event: Resize) -> None:
        """Small terminals: the table panel gives way to the chat (ctrl+t brings it back),
        and the suggestions take fewer lines."""
        narrow = event.size.width < 100
        if narrow != self._narrow:
            self._narrow = narrow
            self.query_one(DraftTree).display = not narrow
            if narrow:
                self.notify("窗口较窄，右侧目标表已收起；按 ctrl+t 显示或收起。", timeout=6)
        self.set_class(event.size.height < 32, "-short")
        # Under 120 columns the table gets half the width, and the key list packs tighter
        # (so neither the table rows nor the footer are cut at 100×30).
        self.set_class(event.size.width < 120, "-mid")
        self.query_one(Footer).compact = event.size.width < 120

    def action_toggle_table(self) -> None:
        tree = self.query_one(DraftTree)
        tree.display = not tree.display

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        """Say what the keys do where the focus now is."""
        if self.query_one(SuggestionsPanel).table.has_focus:
            self._set_hint(LIST_HINT, error=False)
        elif self.query_one("#draft-tree").has_focus:
            self._set_hint(TREE_HINT, error=False)
        elif self._answer_box().has_focus:
            q = self.interview.current()
            if q is not None and q.slot:
                self._set_hint(self._slot_hint(q.slot), error=False)
            elif q is not None and q.kind == "activities":
                self._set_hint(ACTIVITIES_HINT, error=False)

    def _slot_hint(self, slot: tuple[str, str]) -> str:
        """What Enter does here: finish a slot that has rows; a slot without rows wants one."""
        return EMPTY_SLOT_HINT if slot in self.interview.empty_slots() else SLOT_HINT

    def _set_hint(self, text: str, *, error: bool = True) -> None:
        hint = self.query_one("#hint", Static)
        hint.update(text)
        hint.display = bool(text)
        hint.set_class(bool(text) and error, "-invalid")

    @on(Input.Submitted, "#answer")
    def _submit(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        q = self.interview.current()
        if q is None:
            self.notify("问题已答完。可以 ctrl+s 导出，或 ctrl+z 回到上一题修改。")
            return
        if not text:
            if q.optional:
                self.action_skip()
            else:
                self._set_hint("本题必填，请输入回答。")
            return
        event.input.clear()
        self.query_one(ChatLog).say(text, "user")
        taken = self._taken_row(q, text)
        if taken is None or q.slot is None:
            self._change(lambda iv: iv.answer(text), f"回答：{q.id}", typed=text)
            return
        (level1, level2), (name, value, prov) = q.slot, taken
        turn = self._change(
            lambda iv: iv.add_row(level1, level2, name, value, prov),
            f"添加指标：{level2}",
            typed=text,
        )  # refused: corrected and sent again, still the precedent
        if turn.ok:
            self._taken = None

    @on(ActivitiesEditor.Submitted)
    def _submit_lines(self, event: ActivitiesEditor.Submitted) -> None:
        """The activities editor's ctrl+d: the same as Enter in the one-line input."""
        text = event.text.strip()
        q = self.interview.current()
        if q is None:
            return
        if not text:
            if q.optional:
                self.action_skip()
            else:
                self._set_hint("本题必填：一项一行写出要做的事，再按 ctrl+d 提交。")
            return
        self.query_one(ActivitiesEditor).clear()
        self.query_one(ChatLog).say(text, "user")
        self._change(lambda iv: iv.answer(text), f"回答：{q.id}", typed=text)

    def _taken_row(self, q: Question, text: str) -> tuple[str, str, Provenance | None] | None:
        """(name, value, provenance) when the answer is the row taken from the search screen
        (edited or not): it keeps the precedent's provenance instead of becoming the user's."""
        from assistant.interview.answers import parse_row

        taken = self._taken
        if taken is None or not q.slot or taken[0] != q.id:
            return None
        row, _ = parse_row(text)
        if row is None:
            return None
        _, name, value, prov = taken
        if row == (name, value) or prov is None:
            return (*row, prov)
        if row[0] != name and row[1] != value:
            return None  # a different row altogether: the user's own
        note = ((prov.note or "") + " 采纳后已修改").strip()
        return (*row, prov.model_copy(update={"note": note}))

    def _apply(self, turn: Turn, typed: str | None = None) -> None:
        """Show what the engine said, then the next question (or the re-ask, with the
        refused answer back in the box to correct)."""
        chat = self.query_one(ChatLog)
        for message in turn.messages:
            chat.say(message, "assistant")
        if not turn.ok:
            if turn.reask:
                chat.say(turn.reask, "error")
            if typed:
                box = self._answer_box()
                if isinstance(box, ActivitiesEditor):
                    box.set_text(typed)
                else:
                    box.value = typed
                    box.cursor_position = len(typed)
                box.focus()
            return
        self._changed()
        current = self.interview.current()
        if current is not None and current.id == self._question_id:
            # Still the same slot (more rows may follow): fresh suggestions, same question.
            if current.slot:
                self._set_hint(self._slot_hint(current.slot), error=False)
                self._fetch_suggestions(current.id)
            return
        self._ask_current()

    def _changed(self) -> None:
        """The draft changed (its save is queued): refresh title and table."""
        self._version += 1
        self.show_save_status()
        self._refresh_table()

    # --- actions --------------------------------------------------------------------------

    def take_precedent(self, indicator: Indicator) -> None:
        """A row chosen on the search screen: put it in the answer box to check and send;
        sent as it is (or edited), the row keeps the precedent's provenance."""
        q = self.interview.current()
        name, value, prov = self.interview.from_precedent(indicator)
        if q is None or not q.slot:
            self.app.copy_to_clipboard(f"{name}：{value}")
            self.notify("当前不是填写指标的问题；已把这一行复制到剪贴板。")
            return
        answer = self.query_one("#answer", Input)
        answer.value = f"{name}：{value}"
        answer.cursor_position = len(answer.value)  # ready to edit the value at the end
        answer.focus()
        self._taken = (q.id, name, value, prov)
        self._set_hint(f"已填入输入框，回车即加入「{q.slot[1]}」（可先修改）。", error=False)

    def action_focus_answer(self) -> None:
        self._answer_box().focus()

    def action_tab(self) -> None:
        """Tab from the answer goes to the suggestions (when there are any), then onwards."""
        panel = self.query_one(SuggestionsPanel)
        answer = self._answer_box()
        if answer.has_focus and panel.display and panel.suggestions:
            panel.table.focus()
        elif panel.table.has_focus:
            self.query_one("#draft-tree").focus()
        elif self.query_one("#draft-tree").has_focus:
            answer.focus()
        else:
            self.focus_next()

    def action_skip(self) -> None:
        """Skip an optional question; on a slot this means 'this part is done'."""
        q = self.interview.current()
        if q is None:
            return
        if not q.optional:
            self._set_hint("本题必填，不能跳过。")
            return
        if q.slot:  # answered like a typed 完成: a slot without rows is refused, never dropped
            self._take(lambda iv: iv.answer(""), "（本项完成）", f"完成：{q.id}")
            return
        self.query_one(ChatLog).say("（跳过）", "user")
        self._change(lambda iv: iv.skip(), f"跳过：{q.id}")

    def action_back(self) -> None:
        before = self.interview.current()
        with self.session.lock:
            after = self.interview.back()
        if after is None or (before is not None and after.id == before.id):
            self.notify("已经是第一题了。")
            return
        self.query_one(ChatLog).say("（回到上一题，可以修改后重新回答）", "notice")
        self._ask_current(prefill=True)

    def action_export(self) -> None:
        table = self.interview.table
        if not table.header.project_name:
            self.notify("草稿还没有项目名称，先回答几个问题再导出。", severity="warning")
            return
        snapshot = table.model_copy(deep=True)
        ask_export(self, snapshot, "导出草稿", self._export)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def _export(self, table: TargetTable, fmt: str, path: Path, force: bool) -> None:
        self.post_message(Exported(*run_export(table, fmt, path, force)))

    def on_exported(self, message: Exported) -> None:
        if message.error:
            self.notify(f"导出失败：{message.error}", severity="error", timeout=8)
            return
        self.query_one(ChatLog).say(f"已导出：{message.path}", "notice")
        self.notify(f"已导出：{message.path}", timeout=6)

    def action_copy_chat(self) -> None:
        """Copy the whole conversation as text (questions, answers, what was understood)."""
        self.app.copy_to_clipboard(self.query_one(ChatLog).transcript())
        self.notify("已把对话内容复制到剪贴板。")

    def action_copy(self) -> None:
        """Copy the draft as Markdown (needs a terminal that allows clipboard access)."""
        from assistant.export.markdown import to_markdown

        self.app.copy_to_clipboard(to_markdown(self.interview.table))
        self.notify("已把草稿以 Markdown 复制到剪贴板（若终端不支持，请用 ctrl+s 导出 md 文件）。")
