"""The jixiao TUI: ``run_app()`` for the command line, ``make_app()`` for it and for tests.

Start-up shows the first question before anything slow is imported: the precedent index
and then the semantic model are built in one thread worker, which posts ``ModelStatus``
messages; until the model is ready suggestions use lexical search only.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.message import Message
from textual.reactive import reactive
from textual.worker import Worker, WorkerState, get_current_worker

from assistant.tui.commands import JixiaoCommands
from assistant.tui.searcher import DeferredSearcher
from assistant.tui.session import DraftSession

if TYPE_CHECKING:
    from assistant.interview import Interview
    from assistant.knowledge.suggester import KindSuggester
    from assistant.search import SearchEngine
    from assistant.store import DraftStore
    from assistant.tui.screens.interview import InterviewScreen

T = TypeVar("T")

MODEL_LOADING = "语义模型加载中…（先用字面检索）"
MODEL_READY = "语义模型已就绪"
MODEL_OFF = "仅用字面检索（未启用语义模型）"
MODEL_FAILED = "语义模型不可用，继续使用字面检索"
# worker group → what the user is told has failed
WORKER_LABELS = {
    "review": "校验",
    "export": "导出",
    "suggest": "查找参考先例",
    "drafts": "读取草稿",
    "search": "检索",
}


class ModelStatus(Message):
    """Progress of the search worker: 'lexical', 'ready', 'off' or 'failed', with the text."""

    def __init__(self, state: str, text: str, notice: str | None = None) -> None:
        super().__init__()
        self.state = state
        self.text = text
        self.notice = notice  # the model was rebuilt, or runs the slow way


def _unless_closing(step: Callable[[], T]) -> T | None:
    """Run a slow step in a daemon thread and wait for it from the current worker; None if
    the app closes meanwhile, so quitting never waits for the model to finish loading."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = step()
        except BaseException as err:  # handed to the worker below
            outcome["error"] = err

    thread = threading.Thread(target=run, name="jixiao-search-load", daemon=True)
    thread.start()
    worker = get_current_worker()
    while thread.is_alive():
        thread.join(0.1)
        if worker.is_cancelled:
            return None
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


class JixiaoApp(App[None]):
    """Chat-style assistant for drafting a 项目支出绩效目标表."""

    CSS_PATH = "app.tcss"
    TITLE = "jixiao 绩效目标表填报助手"
    COMMANDS = {JixiaoCommands}
    BINDINGS = [
        Binding("ctrl+f", "search", "检索先例"),
        Binding("ctrl+o", "drafts", "草稿"),
        Binding("ctrl+q", "quit", "退出"),
        Binding(
            "ctrl+p", "command_palette", "命令", show=False, priority=True, tooltip="打开命令面板"
        ),
    ]

    model_status: reactive[str] = reactive(MODEL_LOADING)
    model_state: reactive[str] = reactive("loading")

    def __init__(
        self,
        *,
        searcher: SearchEngine | None = None,
        store: DraftStore | None = None,
        draft_id: str | None = None,
        semantic: bool = True,
        prompts_path: Path | None = None,
    ) -> None:
        super().__init__()
        self.searcher = DeferredSearcher(searcher)
        self._store = store
        self._store_lock = threading.Lock()
        self.draft_id = draft_id
        self.semantic = semantic
        self.prompts_path = prompts_path
        self._gate: KindSuggester | None = None

    # --- services ------------------------------------------------------------------

    @property
    def store(self) -> DraftStore:
        """The draft store, opened on first use (from a worker: a damaged store is moved
        aside there, and the next use opens a fresh one)."""
        with self._store_lock:
            if self._store is None:
                from assistant.store import DraftStore

                self._store = DraftStore()
            return self._store

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notice is plain text: names in it ("[/]", "[@click=…]") are never markup."""
        from assistant.tui.safe import clean

        super().notify(
            clean(message), title=title, severity=severity, timeout=timeout, markup=False
        )

    def new_session(self, draft_id: str | None = None) -> DraftSession:
        """A fresh interview, or the saved one resumed at its next unanswered question; the
        screen saves it (``autosave=False``: the engine does not write on the UI thread)."""
        from assistant.interview import Interview

        searcher: Any = self.searcher  # stands in for the SearchEngine until it is built
        if not draft_id:
            return DraftSession(self._interview(Interview, None, searcher))
        number = self.store.get(draft_id).number
        return DraftSession(self._interview(Interview, draft_id, searcher), expected=number)

    def _interview(self, cls: type[Interview], draft_id: str | None, searcher: Any) -> Interview:
        # A new draft does not touch the store here: it is opened (and, if damaged, moved
        # aside) by the first save, in a worker.
        store = self.store if draft_id else None
        # the relevance gate, as `jixiao draft` and `jixiao suggest` use it; it also offers the
        # project kinds. Its advisor reads the corpus on the first lookup (in a worker) and is
        # shared by every draft opened in this session.
        from assistant.knowledge.suggester import KindSuggester

        if self._gate is None:
            self._gate = KindSuggester(searcher)
        gate = self._gate.share()
        if self.prompts_path is not None:
            return cls(
                store=store,
                searcher=searcher,
                prompts_path=self.prompts_path,
                draft_id=draft_id,
                autosave=False,
                suggester=gate,
            )
        return cls(
            store=store, searcher=searcher, draft_id=draft_id, autosave=False, suggester=gate
        )

    # --- start-up --------------------------------------------------------------------

    def on_mount(self) -> None:
        from assistant.tui.screens.interview import InterviewScreen

        session, resumed = self._first_session()
        self.push_screen(InterviewScreen(session, resumed=resumed))
        if not self.semantic and self.searcher.ready:
            self.model_state, self.model_status = "off", MODEL_OFF
        else:
            # Start once the first question is painted: the imports compete for the GIL.
            self.call_after_refresh(self.load_search)

    def _first_session(self) -> tuple[DraftSession, bool]:
        from assistant.errors import JixiaoError

        if self.draft_id:
            try:
                return self.new_session(self.draft_id), True
            except (JixiaoError, OSError) as err:
                self.notify(f"无法打开草稿：{err}；已新建一份。", severity="error", timeout=8)
        return self.new_session(None), False

    @work(thread=True, exclusive=True, exit_on_error=False, group="model")
    def load_search(self) -> None:
        """Build the lexical index (if not given), then load the semantic model."""
        if not self.searcher.ready:
            from assistant.search import SearchEngine

            # Construction builds the lexical index only; the model waits for load_semantic.
            engine = _unless_closing(lambda: SearchEngine(semantic=self.semantic))
            if engine is None:
                return
            self.searcher.set(engine)
        self.post_message(ModelStatus("lexical", MODEL_LOADING if self.semantic else MODEL_OFF))
        if not self.semantic:
            self.post_message(ModelStatus("off", MODEL_OFF))
            return
        engine = self.searcher.engine
        if engine is None:
            return

        def progress(step: str) -> None:  # the first build on this machine, corpus encoding
            self.post_message(ModelStatus("lexical", f"{MODEL_LOADING} {step}"))

        loaded = _unless_closing(lambda: engine.load_semantic(progress))
        if loaded is None:
            return
        if loaded:
            self.post_message(ModelStatus("ready", MODEL_READY, engine.notice))
        else:
            notice = getattr(engine, "notice", None) or ""
            self.post_message(ModelStatus("failed", notice or MODEL_FAILED))

    def on_model_status(self, message: ModelStatus) -> None:
        self.model_state = message.state
        self.model_status = message.text
        if message.state == "ready":
            self.notify(MODEL_READY + "：建议将按意思相近程度排序。", timeout=3)
            if message.notice:
                self.notify(message.notice, severity="warning", timeout=8)
        elif message.state == "failed":
            self.notify(message.text, severity="warning", timeout=8)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.worker_changed(event)

    def worker_changed(self, event: Worker.StateChanged) -> None:
        """One place for every crashed worker (screens forward theirs, as the message does not
        bubble): say so in Chinese and keep running."""
        worker = event.worker
        if event.state != WorkerState.ERROR:
            return
        reason = str(worker.error) or type(worker.error).__name__
        if worker.group != "model":
            what = WORKER_LABELS.get(worker.group, "后台任务")
            self.notify(f"{what}出错：{reason}", severity="error", timeout=8)
            return
        if not self.searcher.ready:
            self.searcher.fail(f"先例检索索引加载失败：{reason}")
            self.model_state, self.model_status = "failed", "先例检索不可用（索引加载失败）"
        else:
            self.model_state = "failed"
            self.model_status = f"{MODEL_FAILED}（{reason}）"
        self.notify(self.model_status, severity="warning", timeout=8)

    # --- screens and actions -----------------------------------------------------------

    def interview_screen(self) -> InterviewScreen | None:
        from assistant.tui.screens.interview import InterviewScreen

        for screen in reversed(self.screen_stack):
            if isinstance(screen, InterviewScreen):
                return screen
        return None

    def open_draft(self, draft_id: str | None) -> None:
        """Show a resumed (or new) draft in the conversation; close screens above it."""
        from assistant.errors import JixiaoError

        try:
            session = self.new_session(draft_id)
        except (JixiaoError, OSError) as err:
            self.notify(f"无法打开草稿：{err}", severity="error", timeout=8)
            return
        screen = self.interview_screen()
        if screen is None:
            return
        while self.screen is not screen:
            self.pop_screen()
        screen.load(session, resumed=draft_id is not None)

    def forget_draft(self, draft_id: str) -> None:
        """A draft was deleted: if it is the one open, the conversation starts a new one."""
        screen = self.interview_screen()
        if screen is not None and screen.interview.draft_id == draft_id:
            screen.session.pending.clear()  # deleted on purpose: no queued save brings it back
            screen.load(self.new_session(None), resumed=False)

    def action_search(self) -> None:
        from assistant.tui.screens.search import SearchScreen

        if not isinstance(self.screen, SearchScreen):
            self.push_screen(SearchScreen())

    def action_drafts(self) -> None:
        from assistant.tui.screens.drafts import DraftsScreen

        if not isinstance(self.screen, DraftsScreen):
            self.push_screen(DraftsScreen())

    def action_new_draft(self) -> None:
        self.open_draft(None)

    def _on_interview(self, action: Callable[[InterviewScreen], None]) -> None:
        screen = self.interview_screen()
        if screen is None:
            return
        while self.screen is not screen:
            self.pop_screen()
        action(screen)

    def action_review(self) -> None:
        self._on_interview(lambda screen: screen.action_review())

    def action_export(self) -> None:
        self._on_interview(lambda screen: screen.action_export())

    def action_copy(self) -> None:
        self._on_interview(lambda screen: screen.action_copy())

    def action_copy_chat(self) -> None:
        self._on_interview(lambda screen: screen.action_copy_chat())

    async def action_quit(self) -> None:
        """Quit once the draft is saved; if its last save failed, ask first."""
        from assistant.tui.screens.dialogs import ConfirmDialog

        screen = self.interview_screen()
        if screen is None or await screen.settle_saves():
            self.exit()
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.exit()

        reason = screen.session.error or "保存未完成"
        self.push_screen(
            ConfirmDialog(
                f"最近的修改还没有保存（{reason}）。\n现在退出，这些修改会丢失。仍要退出吗？"
                "\n（按 n 返回，可用 ctrl+g 重试保存，或 ctrl+s 导出为文件）",
                yes="退出",
                no="返回",
            ),
            answer,
        )

    def action_help_quit(self) -> None:
        """ctrl+c copies (selected text); say how to quit instead of Textual's English hint."""
        self.notify("按 ctrl+q 退出（草稿已自动保存）。", title="要退出吗？")

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(CommandPalette(id="--command-palette", placeholder="搜索命令…"))


def make_app(
    home: Path | str | None = None,
    searcher: SearchEngine | None = None,
    *,
    store: DraftStore | None = None,
    draft_id: str | None = None,
    semantic: bool = True,
    prompts_path: Path | None = None,
) -> JixiaoApp:
    """Build the app. ``home`` relocates JIXIAO_HOME; tests pass a lexical-only searcher."""
    if home is not None:
        os.environ["JIXIAO_HOME"] = str(Path(home).expanduser())
    return JixiaoApp(
        searcher=searcher,
        store=store,
        draft_id=draft_id,
        semantic=semantic,
        prompts_path=prompts_path,
    )


def run_app(draft_id: str | None = None) -> None:
    """Open the TUI (what bare ``jixiao`` does)."""
    make_app(draft_id=draft_id).run()
