"""The answer box of the activities questions: several lines, one activity a line."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea


class ActivitiesEditor(TextArea):
    """Enter starts a new line; ctrl+d (or ctrl+enter where the terminal sends it) submits.

    ctrl+a selects everything and ctrl+l clears the box (a long answer is not erased with a
    hundred backspaces); ctrl+z / ctrl+y keep their screen meaning (back, copy) rather than
    undo / redo."""

    BINDINGS = [
        Binding("ctrl+d,ctrl+enter", "submit", "提交"),
        Binding("ctrl+a", "select_all", "全选", show=False),
        Binding("ctrl+l", "clear_all", "清空"),
        Binding("ctrl+z", "screen.back", "上一题"),
        Binding("ctrl+y", "screen.copy", "复制", show=False),
    ]

    class Submitted(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def action_submit(self) -> None:
        self.post_message(self.Submitted(self.text))

    def action_clear_all(self) -> None:
        """Empty the box (ctrl+z on the screen still brings the question back)."""
        self.clear()

    def set_text(self, text: str) -> None:
        """Replace the text and put the cursor at its end, ready to go on typing."""
        self.text = text
        self.move_cursor(self.document.end)
