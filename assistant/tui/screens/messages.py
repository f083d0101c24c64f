"""Messages the conversation screen's workers post back to it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from assistant.interview import Suggestion
    from assistant.store import DraftSummary


class SuggestionsReady(Message):
    def __init__(
        self, question_id: str | None, suggestions: list[Suggestion], error: str | None
    ) -> None:
        super().__init__()
        self.question_id = question_id
        self.suggestions = suggestions
        self.error = error


class UnfinishedDrafts(Message):
    def __init__(self, drafts: list[DraftSummary]) -> None:
        super().__init__()
        self.drafts = drafts


class Exported(Message):
    def __init__(self, path: Path | None, error: str | None) -> None:
        super().__init__()
        self.path = path
        self.error = error
