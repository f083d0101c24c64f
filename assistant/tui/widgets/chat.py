"""The conversation pane: questions and answers as messages, anchored to the bottom."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from textual.containers import VerticalScroll
from textual.widgets import Static

from assistant.tui.safe import clean
from assistant.tui.widgets.wrap import WordWrapped

if TYPE_CHECKING:
    from assistant.interview import Question

Role = Literal["assistant", "user", "notice", "error", "question"]

# Textual wraps at spaces and folds a longer "word"; a run of Chinese is one long word, so a
# space before it starts a new line (a lone "2." above the sentence). Chinese needs no spaces
# next to Chinese text, so the displayed copy drops them (the message keeps its own text).
_SPACE_BY_CJK = re.compile(r"(?<=[^\x00-\x7f]) +(?=\S)|(?<=\S) +(?=[^\x00-\x7f])")


# Between two Chinese characters a space is only a folded line of YAML ("…9400元” “调研…"):
# the chat drops those and keeps the ones around Latin words ("按 ctrl+s 导出").
_SPACE_IN_CJK = re.compile(r"(?<=[^\x00-\x7f]) +(?=[^\x00-\x7f])")


def display_text(text: str) -> str:
    """The text as shown: spaces that would break a Chinese line badly are dropped."""
    return _SPACE_BY_CJK.sub("", text)


class ChatMessage(Static):
    """One message. ``role`` picks the style; the plain text is kept for copying."""

    DEFAULT_CSS = """
    ChatMessage {
        width: auto;
        max-width: 90%;
        height: auto;
        margin: 0 1 1 1;
        padding: 0 1;
    }
    ChatMessage.-question { border-left: wide $accent; background: $boost; }
    ChatMessage.-assistant { color: $text; }
    ChatMessage.-notice { color: $text-muted; text-style: italic; }
    ChatMessage.-error { border-left: wide $error; color: $text-error; }
    /* the answer is set off by its indent and tint alone: a bar after the text (▊) reads
       as a stray cursor */
    ChatMessage.-user {
        margin-left: 8;
        background: $primary 30%;
    }
    """

    def __init__(self, text: str, role: Role = "assistant") -> None:
        # lines break between words and never inside a number (see wrap.py)
        shown = _SPACE_IN_CJK.sub("", clean(text))
        super().__init__(WordWrapped(shown), classes=f"-{role}")
        self.text = text
        self.role = role


class ChatLog(VerticalScroll):
    """A scrolling list of messages that stays pinned to the newest one."""

    DEFAULT_CSS = """
    ChatLog { height: 1fr; padding: 1 0 0 0; }
    """

    def on_mount(self) -> None:
        self.anchor()

    def say(self, text: str, role: Role = "assistant") -> ChatMessage:
        """Append a message (ignored when empty) and return its widget."""
        message = ChatMessage(text, role)
        if text.strip():
            self.mount(message)
            self.scroll_end(animate=False)  # follow the newest again, whatever scrolled it
        return message

    def messages(self) -> list[ChatMessage]:
        return list(self.query(ChatMessage))

    def transcript(self) -> str:
        """The conversation as Markdown-ish plain text (for copying out)."""
        lines: list[str] = []
        for m in self.messages():
            prefix = "> " if m.role == "user" else ""
            lines.extend(prefix + line for line in m.text.splitlines())
            lines.append("")
        return "\n".join(lines).strip() + "\n"


def question_text(q: Question, *, with_help: bool = True) -> str:
    """A question as the chat shows it: text, help, choices, example, optional note."""
    lines = [q.text.strip()]
    if q.help and with_help:
        lines.append(q.help.strip())
    if q.choices:
        lines.append("　".join(f"{i}. {c}" for i, c in enumerate(q.choices, 1)))
    if q.example and q.kind != "slot":
        lines.append(f"例：{q.example.strip()}")
    if q.optional and q.kind != "slot":
        default = f"，采用“{q.default}”" if q.default else ""
        how = "不填直接按 ctrl+d" if q.kind == "activities" else "直接回车"  # the editor
        lines.append(f"（可跳过：{how}{default}）")
    return "\n".join(lines)
