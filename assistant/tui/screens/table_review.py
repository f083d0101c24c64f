"""The live table half of the conversation screen: the draft tree, its review, row edits.

The review shown is the engine's own (``Interview.last_report``, made with the turn); a
worker asks the engine for one only when there is none yet, or on ctrl+r. Rows are edited
(Enter or e) and deleted (Delete) from the tree, through the same engine steps and autosave
as answers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.message import Message

from assistant.tui.screens.dialogs import ConfirmDialog, EditDialog
from assistant.tui.screens.saving import SavingScreen
from assistant.tui.widgets.chat import ChatLog
from assistant.tui.widgets.draft_tree import DraftTree

if TYPE_CHECKING:
    from assistant.rules import Finding


class ReviewReady(Message):
    def __init__(self, version: int, findings: list[Finding], explained: list[str]) -> None:
        super().__init__()
        self.version = version
        self.findings = findings
        self.explained = explained


class TableScreen(SavingScreen):
    """The tree and its review marks (the conversation screen builds on this)."""

    _version: int  # bumps on every change; stale worker results are dropped
    _findings: list[Finding]
    _reviewed: bool
    _full_review: bool  # whole-table checks shown (after the end, or on ctrl+r)
    _want_report: bool  # say what the next review found in the chat

    def _refresh_table(self) -> None:
        """Show the table, with the review the engine made for this turn when it made one
        (one review path); else the engine reviews it now, in a worker."""
        self._show_tree()
        report = self.interview.last_report
        if report is None:
            self._review(self._version)
            return
        from assistant.rules import explain

        self.post_message(ReviewReady(self._version, list(report.findings), explain(report)))

    def _show_tree(self) -> None:
        findings = self._findings
        if not self._full_review:
            # Whole-table checks (missing parts, totals) are noise before the end.
            findings = [f for f in findings if f.location.row is not None]
        self.query_one(DraftTree).show(
            self.interview.table, findings, reviewed=self._reviewed, partial=not self._full_review
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="review")
    def _review(self, version: int) -> None:
        """The engine's own review of the draft (the one the chat quotes), off the UI thread."""
        from assistant.rules import explain, validate

        try:
            self.jixiao.searcher.wait()  # its precedents price the cost rows: not under the lock
            with self.session.lock:
                report = self.interview.report()
        except RuntimeError:  # no precedent index: the checks that do not need it
            with self.session.lock:
                table = self.interview.table.model_copy(deep=True)
            report = validate(table)
        self.post_message(ReviewReady(version, list(report.findings), list(explain(report))))

    def on_review_ready(self, message: ReviewReady) -> None:
        if message.version != self._version:
            return
        self._findings = message.findings
        self._reviewed = True
        self._show_tree()
        if self._want_report:
            self._want_report = False
            chat = self.query_one(ChatLog)
            if message.explained:
                chat.say("\n".join(message.explained), "assistant")
            else:
                chat.say("校验通过：没有发现问题。", "assistant")

    def on_draft_tree_remove_row(self, message: DraftTree.RemoveRow) -> None:
        index = message.index

        def done(yes: bool | None) -> None:
            if yes:
                self._change(lambda iv: iv.remove_row(index), "删除指标")

        self.app.push_screen(ConfirmDialog(f"删除这一行指标？\n{message.label}", yes="删除"), done)

    def on_draft_tree_edit_row(self, message: DraftTree.EditRow) -> None:
        """Edit an accepted row's name and value; its provenance stays, noted as changed."""
        index = message.index
        rows = self.interview.table.indicators
        if not 0 <= index < len(rows):
            return
        row = rows[index]

        def done(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            name, value = result
            if (name, value) == (row.name, row.value):
                return
            self.query_one(ChatLog).say(f"修改：{row.name}：{row.value} → {name}：{value}", "user")
            turn = self._change(
                lambda iv: iv.edit_row(index, name=name, value=value), f"修改指标：{row.level2}"
            )
            if not turn.ok:
                self.notify(turn.reask or "没有修改。", severity="warning", timeout=8)

        self.app.push_screen(
            EditDialog(row.name, row.value, f"{row.level1}·{row.level2}", title="修改这一行"), done
        )

    def action_review(self) -> None:
        """Check the whole draft now and explain the findings in the chat."""
        self._full_review = True
        self._want_report = True
        self._version += 1
        self._review(self._version)
