"""What an interview knows besides the table itself, as one typed model the store keeps.

Saved with every revision (``DraftStore.save(..., state=…)``) so a reopened draft resumes at
the first unanswered question with the same accepted and rejected suggestions. The stored
form (``dump``) is plain JSON, the same keys as before this model existed (version 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ValidationError

from assistant.errors import JixiaoError
from assistant.interview.activity import Activity
from assistant.interview.schema import ActivityType, Prompts, Suggestion
from assistant.model import Indicator, TargetTable

STATE_VERSION = 1
Framework = Literal["pre2021", "2021"]


class RowKey(NamedTuple):
    """An indicator row as the interview remembers one it put in the table."""

    level1: str
    level2: str
    name: str
    value: str


class InterviewState(BaseModel):
    """Answers, activities and the fate of every suggestion; the table is kept beside it."""

    framework: Framework = "pre2021"
    answers: dict[str, str] = {}
    activities: list[Activity] = []
    accepted: dict[str, RowKey] = {}  # suggestion id → the row it became
    rejected: set[str] = set()
    slots_done: set[str] = set()
    drafted_slots: set[str] = set()  # slots whose rows follow the activities
    goal_auto: bool = False
    adding_more: bool = False
    pointer: str | None = None  # a question gone back to
    shown: set[str] = set()  # review findings already said in the chat

    def dump(self, position: str | None) -> dict[str, Any]:
        """The JSON the store keeps (sets sorted, so equal states save equal bytes)."""
        return {
            "version": STATE_VERSION,
            "framework": self.framework,
            "answers": dict(self.answers),
            "activities": [a.model_dump(mode="json") for a in self.activities],
            "accepted": {k: list(v) for k, v in self.accepted.items()},
            "rejected": sorted(self.rejected),
            "slots_done": sorted(self.slots_done),
            "drafted_slots": sorted(self.drafted_slots),
            "goal_auto": self.goal_auto,
            "adding_more": self.adding_more,
            "pointer": self.pointer,
            "shown": sorted(self.shown),
            "position": position,
            "done": position is None,
        }

    @classmethod
    def load(cls, data: dict[str, Any] | None, *, framework: str, draft_id: str) -> InterviewState:
        """The stored JSON back; a damaged one is a JixiaoError naming the draft."""
        data = dict(data or {})
        data.setdefault("framework", framework if framework in ("pre2021", "2021") else "pre2021")
        fields = {k: v for k, v in data.items() if k in cls.model_fields and v is not None}
        try:
            return cls.model_validate(fields)
        except (ValidationError, TypeError, ValueError):
            raise JixiaoError(f"草稿 {draft_id} 的对话进度已损坏，无法继续。") from None


@dataclass
class Draft:
    """The working set every interview module acts on: the script, the table and the state.
    ``cache`` keeps each slot's looked-up suggestions until the facts they came from change."""

    prompts: Prompts
    table: TargetTable
    state: InterviewState
    cache: dict[str, list[Suggestion]] = field(default_factory=dict)
    kinds: list[tuple[str, str]] = field(default_factory=list)  # (code, label) offered

    @property
    def types(self) -> dict[str, ActivityType]:
        return self.prompts.activity_types

    @property
    def activities(self) -> list[Activity]:
        return self.state.activities

    def rows_in(self, slot: tuple[str, str] | None) -> list[Indicator]:
        return [i for i in self.table.indicators if (i.level1, i.level2) == slot]
