"""The TUI's hold on one draft: engine steps under one lock, saves written off the UI thread.

The interview runs with ``autosave=False``; after every change the screen queues a
``SaveJob`` (a copy of the table and the interview state, taken on the UI thread) and a
worker writes it with :func:`write`. A save never overwrites what another process did: if
the draft was deleted or changed elsewhere (``jixiao delete``, ``show --restore``) since
this session last wrote it, the job becomes a new draft (a fork) and the user is told.
A failed save keeps the job: nothing typed is lost, and it is written again on request.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from assistant.errors import JixiaoError, os_reason
from assistant.model import TargetTable

if TYPE_CHECKING:
    from assistant.interview import Interview, Turn
    from assistant.store import DraftStore

Conflict = Literal["deleted", "changed"]


@dataclass(frozen=True)
class SaveJob:
    """One state of the draft to write: copies, so later answers cannot change it."""

    table: TargetTable
    state: dict
    message: str


@dataclass(frozen=True)
class SaveOutcome:
    """What a save did: written as ``draft_id`` revision ``number``, forked, or failed."""

    draft_id: str | None
    number: int | None
    conflict: Conflict | None = None
    forked_from: str | None = None
    error: str | None = None


def failure_text(err: BaseException) -> str:
    """Why a save failed, in Chinese (an OSError's English text is replaced)."""
    if isinstance(err, OSError):
        return os_reason(err)
    return str(err) or type(err).__name__


def _conflict(store: DraftStore, draft_id: str, expected: int | None) -> Conflict | None:
    """Whether someone else deleted or changed the draft since revision ``expected``."""
    try:
        head = store.get(draft_id)
    except JixiaoError:
        if any(d.id == draft_id for d in store.list()):
            raise  # the draft is there but unreadable: a real failure, not a deletion
        return "deleted"
    return None if expected is None or head.number == expected else "changed"


def write(
    store: DraftStore, job: SaveJob, draft_id: str | None, expected: int | None
) -> SaveOutcome:
    """Write ``job`` (in a worker thread). Never raises: a failure is in the outcome."""
    try:
        if draft_id is None:
            rev = store.create(job.table, state=job.state, message=job.message)
            return SaveOutcome(rev.draft_id, rev.number)
        conflict = _conflict(store, draft_id, expected)
        if conflict is None:
            rev = store.save(draft_id, job.table, state=job.state, message=job.message)
            return SaveOutcome(rev.draft_id, rev.number)
        why = "已被删除" if conflict == "deleted" else "已在别处被修改"
        rev = store.create(
            job.table, state=job.state, message=f"另存：草稿 {draft_id} {why}；{job.message}"
        )
        return SaveOutcome(rev.draft_id, rev.number, conflict=conflict, forked_from=draft_id)
    except Exception as err:  # disk full, read-only home, lock timeout, corrupt store …
        return SaveOutcome(draft_id, expected, error=failure_text(err))


@dataclass
class DraftSession:
    """One interview and the state of its saves (the screen owns the worker that writes)."""

    interview: Interview
    expected: int | None = None  # the revision this session last wrote or opened
    pending: list[SaveJob] = field(default_factory=list)
    in_flight: SaveJob | None = None  # being written by the worker
    error: str | None = None  # the last save failure, until a save succeeds
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def draft_id(self) -> str | None:
        return self.interview.draft_id

    @property
    def unsaved(self) -> bool:
        return bool(self.pending) or self.in_flight is not None

    def step(self, change: Callable[[Interview], Turn]) -> Turn:
        """Run one engine step that changes the draft (never alongside a suggestion lookup)."""
        with self.lock:
            return change(self.interview)

    def queue(self, message: str) -> None:
        """Snapshot the draft now (UI thread) for the save worker."""
        with self.lock:
            job = SaveJob(
                self.interview.table.model_copy(deep=True), self.interview.state(), message
            )
        if self.error is not None:
            self.pending = [job]  # a newer state replaces the unsaved one
        else:
            self.pending.append(job)

    def next_job(self) -> SaveJob | None:
        """The job to write now, or None (nothing queued, or a save is running)."""
        if self.in_flight is not None or not self.pending:
            return None
        self.in_flight = self.pending.pop(0)
        return self.in_flight

    def finished(self, outcome: SaveOutcome) -> None:
        """Record a save's outcome (UI thread): on success follow the draft (or its fork);
        on failure keep the newest unsaved state for the retry."""
        job, self.in_flight = self.in_flight, None
        if outcome.error is not None:
            self.error = outcome.error
            self.pending = self.pending[-1:] or ([job] if job is not None else [])
            return
        self.error = None
        self.interview.draft_id = outcome.draft_id
        self.expected = outcome.number
