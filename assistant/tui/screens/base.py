"""What the full screens share: worker failures reported in one place, row tables."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual.screen import Screen
from textual.widgets import DataTable
from textual.worker import Worker

if TYPE_CHECKING:
    from assistant.tui.app import JixiaoApp


class AppScreen(Screen):
    """A screen whose background workers' failures the app reports (``App.worker_changed``);
    Worker.StateChanged does not bubble, so each screen hands it on."""

    @property
    def jixiao(self) -> JixiaoApp:
        """The app, typed: its store, searcher and draft actions."""
        return cast("JixiaoApp", self.app)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.jixiao.worker_changed(event)


def row_table(table_id: str, columns: list[tuple[str, int]]) -> DataTable[Any]:
    """A zebra-striped DataTable with a row cursor and the given (label, width) columns."""
    table: DataTable[Any] = DataTable(cursor_type="row", zebra_stripes=True, id=table_id)
    for label, width in columns:
        table.add_column(label, width=width)
    return table
