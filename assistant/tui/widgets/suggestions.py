"""The suggestions panel: precedent rows for the current question, with where each came from.

Keys (when the panel has focus): a / enter accept, e edit then accept, r reject.
The panel only posts messages; the interview screen talks to the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from assistant.tui.safe import clean, plain

if TYPE_CHECKING:
    from assistant.interview import Suggestion
from assistant.provenance_text import line_source, short_source
from assistant.tui.widgets.chat import display_text

NOT_APPLICABLE_DETAIL = (
    "本项目的名称、目标和活动都不涉及「{level2}」，多数同类项目写作不适用。\n"
    "采用＝这一项按惯例写作 0 / 0，进入下一项。"
)


def _source_cell(s: Suggestion) -> str:
    if s.origin == "drafted":
        return "按您的活动起草"
    if s.origin == "not_applicable":
        return "本项目不涉及（写作 0 / 0）"
    return short_source(s.provenance)


class SuggestionTable(DataTable):
    """The rows themselves; a DataTable so arrows, enter and mouse work as expected."""


class SuggestionsPanel(Vertical):
    """Title, the table of suggestions and the provenance of the highlighted one."""

    BINDINGS = [
        Binding("a", "act('accept')", "采用"),
        Binding("e", "act('edit')", "修改后采用"),
        Binding("r", "act('reject')", "不要"),
    ]

    DEFAULT_CSS = """
    SuggestionsPanel { height: auto; max-height: 16; }
    SuggestionsPanel > #sugg-title { height: 1; padding: 0 1; color: $text-muted; }
    SuggestionsPanel SuggestionTable { height: auto; max-height: 8; }
    SuggestionsPanel > #sugg-detail {
        height: auto; max-height: 6; padding: 0 1; color: $text-muted;
    }
    """

    class Chosen(Message):
        """The user wants to accept / edit / reject a suggestion."""

        def __init__(self, action: str, suggestion: Suggestion) -> None:
            super().__init__()
            self.action = action
            self.suggestion = suggestion

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.suggestions: list[Suggestion] = []

    def compose(self) -> ComposeResult:
        yield Static("参考先例", id="sugg-title", markup=False)
        table = SuggestionTable(cursor_type="row", zebra_stripes=True, id="sugg-table")
        table.add_column("#", width=2)
        table.add_column("三级指标", width=26)
        table.add_column("指标值", width=12)
        table.add_column("来源")
        yield table
        yield Static("", id="sugg-detail", markup=False)

    @property
    def table(self) -> SuggestionTable:
        return self.query_one(SuggestionTable)

    def show(
        self, suggestions: list[Suggestion], title: str = "参考先例", loading: bool = False
    ) -> None:
        """Replace the rows (numbered as the engine numbers them, so typing 1 or 1,3 works);
        an empty list hides the table and the title says why."""
        self.suggestions = list(suggestions)
        table = self.table
        table.clear()
        for n, s in enumerate(self.suggestions, 1):
            table.add_row(
                str(n), plain(s.name), plain(s.value), plain(_source_cell(s)), key=str(s.id)
            )
        if loading:
            self.set_title(f"{title}：查找中…")
        elif self.suggestions:
            self.set_title(
                f"{title}（{len(self.suggestions)}条。Tab 进入列表：a 采用　e 修改后采用　r 不要）"
            )
        else:
            self.set_title(f"{title}：暂无")
        table.display = bool(self.suggestions)
        self._describe(0 if self.suggestions else None)

    def set_title(self, text: str) -> None:
        self.query_one("#sugg-title", Static).update(clean(text))

    def highlighted(self) -> Suggestion | None:
        table = self.table
        if not self.suggestions or table.cursor_row is None:
            return None
        if 0 <= table.cursor_row < len(self.suggestions):
            return self.suggestions[table.cursor_row]
        return None

    def action_act(self, action: str) -> None:
        chosen = self.highlighted()
        if chosen is not None:
            self.post_message(self.Chosen(action, chosen))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._describe(event.cursor_row)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_act("accept")

    def _describe(self, index: int | None) -> None:
        detail = self.query_one("#sugg-detail", Static)
        if index is None or not 0 <= index < len(self.suggestions):
            detail.display = False
            detail.update("")
            return
        detail.display = True
        s = self.suggestions[index]
        if s.origin == "not_applicable":
            detail.update(clean(NOT_APPLICABLE_DETAIL.format(level2=s.level2)))
            return
        parts = [f"{s.level2}·{s.name}：{s.value}"]
        if s.origin != "drafted" and s.used_in > 1:
            parts.append(f"{s.used_in} 张表用过")
        typical = [f"{v}（{n}次）" for v, n in s.typical_values if len(v) <= 12][:3]
        if typical:
            parts.append("常见取值：" + "、".join(typical))
        if s.origin == "drafted":
            source = "来源：按您描述的活动起草"
        else:
            source = line_source(s.provenance)
            note = s.provenance.note if s.provenance is not None else None
            if note and note.startswith("理由："):  # why the gate offers it (同类项目 …)
                source = f"{note}\n{source}"
        detail.update(clean(display_text("，".join(parts) + "\n" + source)))
