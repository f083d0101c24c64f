"""Precedent search: type a query, see ranked precedent rows with where each came from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Select, Static

from assistant.model import FRAMEWORKS
from assistant.provenance_text import full_source, short_source
from assistant.tui.safe import clean, plain
from assistant.tui.screens.base import AppScreen, row_table

if TYPE_CHECKING:
    from assistant.search import Hit

ALL_LEVELS = "*"
TYPE_DELAY_S = 0.3


def level_options() -> list[tuple[str, str]]:
    """The filter choices: all, each 一级 (all of its 二级), each 二级 (indented)."""
    options: list[tuple[str, str]] = [("全部层级", ALL_LEVELS)]
    seen: set[str] = set()
    for tree in (FRAMEWORKS["pre2021"], FRAMEWORKS["2021"]):
        for l1, l2s in tree.items():
            if l1 not in seen:
                seen.add(l1)
                options.append((l1, f"{l1}|"))
            for l2 in l2s:
                key = f"{l1}|{l2}"
                if key not in seen:
                    seen.add(key)
                    options.append((f"  {l2}", key))
    return options


class SearchResults(Message):
    def __init__(self, query: str, hits: list[Hit], error: str | None) -> None:
        super().__init__()
        self.query = query
        self.hits = hits
        self.error = error


class SearchScreen(AppScreen):
    """Search the precedent corpus; Esc returns to the conversation."""

    BINDINGS = [
        Binding("escape", "close", "返回"),
        Binding("ctrl+y", "copy", "复制此条"),
        Binding("ctrl+l", "focus_query", "改检索词"),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial_query = query
        self.hits: list[Hit] = []
        self._timer: Timer | None = None
        self._focus_results = False

    def compose(self) -> ComposeResult:
        with Horizontal(classes="titlebar"):
            yield Static(
                "检索先例：在过去公开的绩效目标表里找相似的指标写法（结果中回车＝带回对话）",
                id="title",
            )
            yield Static("", id="status", markup=False)
        with Horizontal(id="search-bar"):
            yield Input(
                self.initial_query,
                placeholder="输入关键词，如：租车费、培训人数、满意度",
                id="query",
            )
            yield Select(level_options(), value=ALL_LEVELS, allow_blank=False, id="level")
        yield row_table(
            "results",
            [("#", 3), ("二级指标", 12), ("三级指标", 40), ("指标值", 18), ("来源", 30)],
        )
        yield Static("", id="detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "model_status", self._show_model_status)
        self.query_one("#query", Input).focus()
        if self.initial_query:
            self.run_search()
        else:
            self.query_one("#detail", Static).update(
                "输入关键词后回车；在结果中按回车，把这一行带回对话的输入框。Esc 返回对话。"
            )

    def _show_model_status(self, text: str) -> None:
        self.query_one("#status", Static).update(text)

    def _filters(self) -> tuple[str | None, str | None]:
        value = self.query_one("#level", Select).value
        if not isinstance(value, str) or value == ALL_LEVELS:
            return None, None
        l1, _, l2 = value.partition("|")
        return l1 or None, l2 or None

    @on(Input.Changed, "#query")
    def _typed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(TYPE_DELAY_S, self.run_search)

    @on(Input.Submitted, "#query")
    def _submitted(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._focus_results = True  # once the results are in
        self.run_search()

    @on(Select.Changed, "#level")
    def _level_changed(self) -> None:
        self.run_search()

    def run_search(self) -> None:
        query = self.query_one("#query", Input).value.strip()
        if not query:
            self.hits = []
            self.query_one("#results", DataTable).clear()
            return
        level1, level2 = self._filters()
        self._search(query, level1, level2)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def _search(self, query: str, level1: str | None, level2: str | None) -> None:
        try:
            hits = self.jixiao.searcher.search(query, level1=level1, level2=level2, top=20)
            self.post_message(SearchResults(query, list(hits), None))
        except Exception as err:  # shown to the user, the screen stays usable
            self.post_message(SearchResults(query, [], str(err)))

    def on_search_results(self, message: SearchResults) -> None:
        if message.query != self.query_one("#query", Input).value.strip():
            return  # the user has typed on; a newer search is coming
        self.hits = message.hits
        table = self.query_one("#results", DataTable)
        table.clear()
        for rank, hit in enumerate(self.hits, 1):
            ind = hit.indicator
            table.add_row(
                str(rank),
                plain(ind.level2),
                plain(ind.name),
                plain(ind.value),
                plain(short_source(ind.provenance)),
            )
        detail = self.query_one("#detail", Static)
        if message.error:
            detail.update(clean(f"检索出错：{message.error}"))
        elif not self.hits:
            detail.update(clean(f"没有找到与“{message.query}”相关的先例。换个说法或放宽层级再试。"))
        else:
            self._describe(0)
            if self._focus_results:
                table.focus()
        self._focus_results = False

    @on(DataTable.RowHighlighted, "#results")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._describe(event.cursor_row)

    def _describe(self, index: int) -> None:
        if not 0 <= index < len(self.hits):
            return
        hit = self.hits[index]
        ind = hit.indicator
        lines = [
            f"{ind.level1} › {ind.level2} › {ind.name}：{ind.value}",
            full_source(ind.provenance),
        ]
        others = [g for g in (getattr(hit, "group", None) or []) if g is not ind]
        if others:
            sample = "；".join(f"{g.name}：{g.value}" for g in others[:3])
            lines.append(f"另有 {len(others)} 条相近写法：{sample}")
        self.query_one("#detail", Static).update(clean("\n".join(lines)))

    @on(DataTable.RowSelected, "#results")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        """Enter on a result: take it back to the conversation, into the answer box."""
        if not 0 <= event.cursor_row < len(self.hits):
            return
        ind = self.hits[event.cursor_row].indicator
        self.dismiss()
        screen = self.jixiao.interview_screen()
        if screen is not None:
            screen.take_precedent(ind)  # the row keeps where it came from

    def action_close(self) -> None:
        self.dismiss()

    def action_focus_query(self) -> None:
        self.query_one("#query", Input).focus()

    def action_copy(self) -> None:
        index = self.query_one("#results", DataTable).cursor_row
        if not 0 <= index < len(self.hits):
            return
        ind = self.hits[index].indicator
        self.app.copy_to_clipboard(f"{ind.name}\t{ind.value}")
        self.notify(f"已复制：{ind.name}\t{ind.value}")
