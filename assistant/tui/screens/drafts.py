"""The drafts screen: list saved drafts, resume one, delete (after confirming), export."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Footer, Static

from assistant.errors import JixiaoError
from assistant.model import TargetTable
from assistant.tui.safe import clean, plain
from assistant.tui.screens.base import AppScreen, row_table
from assistant.tui.screens.dialogs import ConfirmDialog
from assistant.tui.screens.exporting import ask_export, run_export

if TYPE_CHECKING:
    from assistant.store import DraftSummary

STATE_LABELS = {
    "done": "已完成",
    "complete": "已完成",
    "completed": "已完成",
    "in_progress": "填写中",
    "active": "填写中",
    "draft": "填写中",
}


def state_label(state: Any) -> str:
    """A draft's state in Chinese, whether the store keeps a word or a dict."""
    if isinstance(state, dict):
        if state.get("done"):
            return "已完成"
        return "填写中"
    if isinstance(state, str):
        return STATE_LABELS.get(state, state)
    return "填写中"


def when(value: Any) -> str:
    """``updated_at`` (datetime or ISO text) as local 'YYYY-MM-DD HH:MM'."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone()
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value or "")


class DraftExported(Message):
    def __init__(self, path: Path | None, error: str | None) -> None:
        super().__init__()
        self.path = path
        self.error = error


class DraftsScreen(AppScreen):
    """Saved drafts, newest first. Enter opens one where it was left."""

    BINDINGS = [
        Binding("d", "delete", "删除"),
        Binding("x", "export", "导出"),
        Binding("n", "new", "新建草稿"),
        Binding("escape", "close", "返回"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.drafts: list[DraftSummary] = []

    def compose(self) -> ComposeResult:
        yield Static("草稿：已保存的目标表", id="title", classes="titlebar")
        yield row_table(
            "drafts",
            [("项目名称", 40), ("状态", 8), ("保存次数", 8), ("最后修改", 18), ("编号", 14)],
        )
        yield Static("", id="detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#drafts", DataTable).focus()

    def reload(self) -> None:
        try:
            drafts = self.jixiao.store.list()
        except (JixiaoError, OSError) as err:
            self.notify(f"读取草稿失败：{err}", severity="error", timeout=10)
            drafts = []
        self.drafts = sorted(drafts, key=lambda d: str(d.updated_at), reverse=True)
        table = self.query_one("#drafts", DataTable)
        table.clear()
        for d in self.drafts:
            table.add_row(
                plain(" ".join((d.project_name or "（未命名项目）").split())),
                state_label(d.state),
                str(d.revisions),
                when(d.updated_at),
                plain(d.id),
                key=d.id,
            )
        self.query_one("#detail", Static).update(
            "回车 继续填写　d 删除　x 导出　n 新建　Esc 返回"
            if self.drafts
            else "还没有草稿。按 n 新建一份，或 Esc 返回对话。"
        )

    def selected(self) -> DraftSummary | None:
        table = self.query_one("#drafts", DataTable)
        if not self.drafts or not 0 <= table.cursor_row < len(self.drafts):
            return None
        return self.drafts[table.cursor_row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_resume()

    def action_resume(self) -> None:
        draft = self.selected()
        if draft is not None:
            self.jixiao.open_draft(draft.id)

    def action_new(self) -> None:
        self.jixiao.open_draft(None)

    def action_delete(self) -> None:
        draft = self.selected()
        if draft is None:
            return

        def done(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.jixiao.store.delete(draft.id)
            except (JixiaoError, OSError) as err:
                self.notify(f"删除失败：{err}", severity="error", timeout=10)
                return
            self.jixiao.forget_draft(draft.id)
            self.notify(f"已删除草稿：{draft.project_name or draft.id}")
            self.reload()

        name = draft.project_name or "（未命名项目）"
        self.app.push_screen(
            ConfirmDialog(f"删除草稿“{name}”（{draft.id}）？删除后无法恢复。", yes="删除"), done
        )

    def action_export(self) -> None:
        draft = self.selected()
        if draft is None:
            return
        try:
            table = self.jixiao.store.get(draft.id).table
        except (JixiaoError, OSError) as err:
            self.notify(f"读取草稿失败：{err}", severity="error", timeout=10)
            return
        title = clean(f"导出草稿：{draft.project_name or draft.id}")
        ask_export(self, table, title, self._export)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def _export(self, table: TargetTable, fmt: str, path: Path, force: bool) -> None:
        self.post_message(DraftExported(*run_export(table, fmt, path, force)))

    def on_draft_exported(self, message: DraftExported) -> None:
        if message.error:
            self.notify(f"导出失败：{message.error}", severity="error", timeout=8)
        else:
            self.notify(f"已导出：{message.path}", timeout=6)

    def action_close(self) -> None:
        self.dismiss()
