"""Saving the draft and its interview state through ``assistant.store``, and reading it back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.interview.schema import Prompts
from assistant.interview.state import Draft, InterviewState

if TYPE_CHECKING:
    from assistant.store import DraftStore


def save(
    store: DraftStore, draft_id: str | None, d: Draft, position: str | None, message: str
) -> str:
    """One revision of the table with the state to resume from; returns the draft id."""
    state = d.state.dump(position)
    if draft_id is None:
        return store.create(d.table, state=state, message=message).draft_id
    store.save(draft_id, d.table, state=state, message=message)
    return draft_id


def load(store: DraftStore, draft_id: str, prompts: Prompts) -> tuple[str, Draft]:
    """The saved draft and its state (a damaged state is a JixiaoError naming the draft)."""
    rev = store.get(draft_id)
    state = InterviewState.load(rev.state, framework=rev.table.framework, draft_id=draft_id)
    return rev.draft_id, Draft(prompts=prompts, table=rev.table, state=state)
