"""Autosave for the conversation screen: each change is queued and written by a thread worker.

A save that fails (disk full, read-only home, the store lock held by another program, a
damaged store) never takes the conversation down: the answer stays on screen, a Chinese
notice says what happened and what to do, the title shows the draft is not saved, and
ctrl+g (or the next change) writes it again. A draft deleted or changed from the command line
is never overwritten: the conversation goes on in a new draft (``session.write``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message

from assistant.tui.screens.base import AppScreen
from assistant.tui.session import DraftSession, SaveJob, SaveOutcome, failure_text, write

if TYPE_CHECKING:
    from assistant.interview import Interview, Turn

QUIT_WAIT_S = 15.0

# One engine step: what the screen asks of the interview (a typed call, never a name).
Change = Callable[["Interview"], "Turn"]


class Saved(Message):
    """A save worker is done with ``session`` (which may no longer be the one on screen)."""

    def __init__(self, session: DraftSession, outcome: SaveOutcome) -> None:
        super().__init__()
        self.session = session
        self.outcome = outcome


def advice(reason: str) -> str:
    """What the user can do about a failed save, from its reason."""
    if "空间" in reason:
        return "请先腾出磁盘空间，再"
    if "权限" in reason or "只读" in reason:
        return "请检查数据文件夹的权限（或用环境变量 JIXIAO_HOME 换一个文件夹），再"
    if "锁" in reason or "占用" in reason or "超时" in reason:
        return "可能有另一个 jixiao 正在保存，稍等片刻再"
    if "损坏" in reason:
        return "已损坏的草稿库已被移到一旁；"
    return ""


class SavingScreen(AppScreen):
    """The autosave half of the interview screen (``session`` is the draft on screen)."""

    session: DraftSession

    @property
    def interview(self) -> Interview:
        return self.session.interview

    def _change(self, change: Change, what: str, typed: str | None = None) -> Turn:
        """One engine step that may change the draft: run it, save it (in the background)
        when it did, show what the engine said."""
        turn = self.session.step(change)
        if turn.ok:
            self.save_soon(what)
        self._apply(turn, typed=typed)
        return turn

    def _apply(self, turn: Turn, typed: str | None = None) -> None:
        """Show what the engine said (the conversation screen does)."""

    def save_status(self) -> str:
        """The title's note on saving: saved, saving, or not saved (and how to retry)."""
        session = self.session
        if session.error is not None:
            return "　✗ 未保存（ctrl+g 重试）"
        if session.unsaved:
            return "　… 保存中"
        return "　✓ 已保存" if session.draft_id else ""

    def show_save_status(self) -> None:
        """Refresh the title (the screen defines how)."""

    def save_soon(self, what: str) -> None:
        """The draft changed: queue its state and let the worker write it."""
        self.session.queue(what)
        self._pump(self.session)
        self.show_save_status()

    def action_retry_save(self) -> None:
        """ctrl+g: write the unsaved state again."""
        session = self.session
        if session.error is None and not session.pending:
            self.notify("草稿已保存，无需重试。")
            return
        session.error = None  # the notice comes again if it fails again
        self._pump(session)
        self.show_save_status()

    def _pump(self, session: DraftSession) -> None:
        job = session.next_job()
        if job is not None:
            self._write(session, job, session.draft_id, session.expected)

    @work(thread=True, group="autosave", exit_on_error=False)
    def _write(
        self, session: DraftSession, job: SaveJob, draft_id: str | None, expected: int | None
    ) -> None:
        self.post_message(Saved(session, self._write_now(job, draft_id, expected)))

    def _write_now(self, job: SaveJob, draft_id: str | None, expected: int | None) -> SaveOutcome:
        try:
            store = self.jixiao.store
        except Exception as err:  # the store could not even be opened (e.g. damaged)
            return SaveOutcome(draft_id, expected, error=failure_text(err))
        return write(store, job, draft_id, expected)

    def on_saved(self, message: Saved) -> None:
        session, outcome = message.session, message.outcome
        first_failure = session.error is None
        session.finished(outcome)
        if outcome.error is not None:
            if first_failure:
                self.notify(
                    f"自动保存失败：{outcome.error}。您的回答仍在屏幕上，没有丢失；"
                    f"{advice(outcome.error)}按 ctrl+g 重试保存，或按 ctrl+s 先导出为文件。",
                    severity="error",
                    timeout=15,
                )
        elif outcome.conflict is not None:
            why = "已被删除" if outcome.conflict == "deleted" else "已在别处被修改（如命令行恢复）"
            self.notify(
                f"草稿 {outcome.forked_from} {why}；为不覆盖，本次内容已另存为新草稿 "
                f"{outcome.draft_id}。原草稿可按 ctrl+o 查看。",
                severity="warning",
                timeout=15,
            )
        if outcome.error is None:
            self._pump(session)
        if session is self.session:
            self.show_save_status()

    async def settle_saves(self) -> bool:
        """Before quitting: wait for the running save, write what is queued; True when all
        is saved (False: the last save failed, ``session.error`` says why)."""
        session = self.session
        deadline = time.monotonic() + QUIT_WAIT_S
        while session.in_flight is not None and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        if session.in_flight is not None:
            session.error = session.error or "保存仍未完成（磁盘或文件锁无响应）"
            return False
        while session.error is None and (job := session.next_job()) is not None:
            outcome = await asyncio.to_thread(
                self._write_now, job, session.draft_id, session.expected
            )
            session.finished(outcome)
        return session.error is None and not session.unsaved
