"""Pilot tests: the TUI survives every autosave failure and never overwrites a draft that the
command line changed or deleted (issue 14). Failures are simulated by patching the store."""

from __future__ import annotations

import errno

import pytest
from test_tui import HEADER_ANSWERS, SIZE, _draft, app_for, current_id, say, settle
from test_tui import lexical as lexical  # the module's shared lexical search fixture
from textual.widgets import Static

from assistant.errors import JixiaoError
from assistant.store import DraftStore
from assistant.tui.screens.dialogs import ConfirmDialog
from assistant.tui.screens.interview import InterviewScreen
from assistant.tui.widgets.chat import ChatLog

FAILURES = {
    "disk full": (OSError(errno.ENOSPC, "No space left on device"), "磁盘空间不足", "腾出磁盘空间"),
    "read-only home": (OSError(errno.EROFS, "Read-only file system"), "只读", "权限"),
    "no permission": (PermissionError(errno.EACCES, "Permission denied"), "没有权限", "权限"),
    "lock timeout": (
        JixiaoError("草稿库正被另一个 jixiao 进程占用，等待 10 秒仍未释放。"),
        "占用",
        "稍等片刻",
    ),
}


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


def title(app) -> str:
    return str(app.screen.query_one("#title", Static).render())


@pytest.mark.parametrize("case", list(FAILURES))
async def test_a_failed_save_keeps_the_answer_says_why_and_retries_on_request(lexical, case):
    error, reason, advice = FAILURES[case]

    def fail(*args, **kwargs):
        raise error

    app = app_for(lexical)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        failing = pytest.MonkeyPatch()
        failing.setattr(DraftStore, "create", fail)
        await say(pilot, HEADER_ANSWERS[0])
        assert isinstance(app.screen, InterviewScreen)  # still running
        assert HEADER_ANSWERS[0] in app.screen.query_one(ChatLog).transcript()
        assert app.screen.interview.table.header.project_name == HEADER_ANSWERS[0]
        said = notices(app)[-1]
        assert "自动保存失败" in said and reason in said and advice in said and "ctrl+g" in said
        assert "未保存" in title(app)
        await say(pilot, HEADER_ANSWERS[1])  # the conversation goes on meanwhile
        assert current_id(app) == "unit"

        failing.undo()  # the disk has room again
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert "已保存" in title(app)
        (saved,) = DraftStore().list()
        table = DraftStore().get(saved.id).table
        assert (table.header.project_name, table.header.department) == tuple(HEADER_ANSWERS[:2])


async def test_a_draft_deleted_from_the_command_line_is_not_written_back(lexical):
    draft_id = _draft(lexical, HEADER_ANSWERS[0], [])
    app = app_for(lexical, draft_id=draft_id)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        DraftStore().delete(draft_id)  # `jixiao delete` in another terminal
        await say(pilot, HEADER_ANSWERS[1])
        fork = app.screen.interview.draft_id
        assert fork != draft_id
        assert any("已被删除" in m and fork in m for m in notices(app))
        assert [d.id for d in DraftStore().list()] == [fork]  # the deleted one stays deleted
        assert DraftStore().get(fork).table.header.department == HEADER_ANSWERS[1]


async def test_a_draft_restored_from_the_command_line_is_not_overwritten(lexical):
    draft_id = _draft(lexical, HEADER_ANSWERS[0], HEADER_ANSWERS[1:3])
    app = app_for(lexical, draft_id=draft_id)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        restored = DraftStore().restore(draft_id, 1)  # `jixiao show --restore 1` meanwhile
        await say(pilot, "")  # 项目属性: default
        fork = app.screen.interview.draft_id
        assert fork != draft_id
        assert any("别处被修改" in m for m in notices(app))
        assert DraftStore().get(draft_id).number == restored.number  # the restore stands
        assert DraftStore().get(fork).table.header.unit == HEADER_ANSWERS[2]
        await say(pilot, "")  # later saves go to the fork, quietly
        assert app.screen.interview.draft_id == fork
        assert DraftStore().get(fork).number == 2


async def test_a_corrupt_store_at_start_is_moved_aside_and_the_answer_saved(lexical, jixiao_home):
    jixiao_home.mkdir(parents=True, exist_ok=True)
    (jixiao_home / "drafts.json").write_bytes(b"{ this is not json")  # a damaged old store
    app = app_for(lexical)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await say(pilot, HEADER_ANSWERS[0])
        assert isinstance(app.screen, InterviewScreen)
        assert any("损坏" in m for m in notices(app))
        if "未保存" in title(app):
            await pilot.press("ctrl+g")
            await settle(pilot)
        assert "已保存" in title(app)
        (saved,) = DraftStore().list()
        assert saved.project_name == HEADER_ANSWERS[0]


async def test_quitting_with_an_unsaved_change_asks_first(lexical, monkeypatch):
    def fail(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    app = app_for(lexical)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        monkeypatch.setattr(DraftStore, "create", fail)
        await say(pilot, HEADER_ANSWERS[0])
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "磁盘空间不足" in app.screen.question
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        assert app.is_running


async def test_saves_run_off_the_ui_thread(lexical, monkeypatch):
    import threading

    threads: list[str] = []
    real = DraftStore.create

    def record(self, *args, **kwargs):
        threads.append(threading.current_thread().name)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(DraftStore, "create", record)
    app = app_for(lexical)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await say(pilot, HEADER_ANSWERS[0])
    assert threads and threading.main_thread().name not in threads
