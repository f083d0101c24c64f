"""Small modal dialogs: confirm, edit a suggestion before accepting, choose an export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

T = TypeVar("T")

EXPORT_FORMATS: list[tuple[str, str]] = [
    ("Excel（正式表格式样）", "xlsx"),
    ("Excel（平铺：一行一个指标）", "flat-xlsx"),
    ("CSV（平铺）", "csv"),
    ("Markdown", "md"),
    ("JSON", "json"),
]

DIALOG_CSS = """
{name} {{ align: center middle; background: $background 60%; }}
{name} > Vertical {{
    width: 76; height: auto; padding: 1 2;
    border: thick $accent; background: $surface;
}}
{name} .dialog-title {{ text-style: bold; margin-bottom: 1; }}
{name} .dialog-hint {{ color: $text-muted; margin-top: 1; }}
{name} Horizontal {{ height: auto; align-horizontal: right; margin-top: 1; }}
{name} Button {{ margin-left: 2; }}
{name} Label {{ margin-top: 1; }}
"""


class ConfirmDialog(ModalScreen[bool]):
    """Ask yes/no; dismisses with True only on an explicit yes."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmDialog")
    BINDINGS = [
        Binding("y", "answer(True)", "确定"),
        Binding("n,escape", "answer(False)", "取消"),
    ]

    def __init__(
        self, question: str, yes: str = "确定", no: str = "取消", *, focus_yes: bool = False
    ) -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no
        self.focus_yes = focus_yes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, classes="dialog-title", markup=False)
            yield Static(
                f"按 y {self.yes}，n 或 Esc {self.no}。", classes="dialog-hint", markup=False
            )
            with Horizontal():
                yield Button(self.no, id="no")
                yield Button(self.yes, id="yes", variant="primary" if self.focus_yes else "error")

    def on_mount(self) -> None:
        self.query_one("#yes" if self.focus_yes else "#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class FormDialog(ModalScreen[T | None]):
    """A dialog with fields: Enter in a field or the "ok" button calls the subclass's
    ``_finish`` (check, then dismiss with the result); any other button or Esc gives None."""

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._finish()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self._finish()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _finish(self) -> None:
        """Check the fields and dismiss with the result (each dialog says how)."""
        raise NotImplementedError


class EditDialog(FormDialog[tuple[str, str]]):
    """Edit an indicator's name and value: a suggestion before accepting it, or a row."""

    DEFAULT_CSS = DIALOG_CSS.format(name="EditDialog")
    BINDINGS = [Binding("escape", "cancel", "取消")]

    def __init__(self, name: str, value: str, where: str = "", title: str = "修改后采用") -> None:
        super().__init__()
        self.title_text = title
        self.initial_name = name
        self.initial_value = value
        self.where = where

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"{self.title_text}{('：' + self.where) if self.where else ''}",
                classes="dialog-title",
                markup=False,
            )
            yield Label("三级指标")
            yield Input(self.initial_name, id="edit-name")
            yield Label("指标值")
            yield Input(self.initial_value, id="edit-value")
            yield Static("回车确定，Esc 取消。", classes="dialog-hint")
            with Horizontal():
                yield Button("取消", id="cancel")
                yield Button("采用", id="ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#edit-value", Input).focus()

    def _finish(self) -> None:
        name = self.query_one("#edit-name", Input).value.strip()
        value = self.query_one("#edit-value", Input).value.strip()
        if not name or not value:
            self.notify("三级指标和指标值都不能为空。", severity="warning")
            return
        self.dismiss((name, value))


class ExportDialog(FormDialog[tuple[str, str]]):
    """Choose a format (arrows) and a file; the file name follows the format until the user
    edits it. Enter in the list or in the path field exports."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="ExportDialog")
        + """
    ExportDialog OptionList { height: auto; max-height: 7; }
    """
    )
    BINDINGS = [Binding("escape", "cancel", "取消")]

    def __init__(self, title: str, filename_for: Callable[[str], str], folder: Path) -> None:
        super().__init__()
        self.title_text = title
        self.filename_for = filename_for
        self.folder = folder
        self._auto_name = ""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Label("格式（↑↓ 选择）")
            yield OptionList(
                *[Option(label, id=fmt) for label, fmt in EXPORT_FORMATS], id="export-format"
            )
            yield Label("保存到（可以填文件夹，也可以填完整文件名）")
            yield Input(id="export-path")
            yield Static("回车导出，Esc 取消。", classes="dialog-hint")
            with Horizontal():
                yield Button("取消", id="cancel")
                yield Button("导出", id="ok", variant="primary")

    def on_mount(self) -> None:
        options = self.query_one("#export-format", OptionList)
        options.highlighted = 0
        self._set_auto_path(self.format)
        options.focus()

    @property
    def format(self) -> str:
        options = self.query_one("#export-format", OptionList)
        index = options.highlighted or 0
        return EXPORT_FORMATS[index][1]

    def _set_auto_path(self, fmt: str) -> None:
        path_input = self.query_one("#export-path", Input)
        if path_input.value and path_input.value != self._auto_name:
            return  # the user typed a path of their own: keep it
        self._auto_name = str(self.folder / self.filename_for(fmt))
        path_input.value = self._auto_name

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._set_auto_path(self.format)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._finish()

    def _finish(self) -> None:
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self.notify("请填写保存路径。", severity="warning")
            return
        self.dismiss((self.format, raw))
