"""What the full screens share: worker failures reported in one place, row tables."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import DataTable


class AppScreen(Screen):
    """A screen whose background workers' failures the app reports (``App.worker_changed``);
    Worker.StateChanged does not bubble, so each screen hands it on."""

    def on_worker_state_changed(self, event: Any) -> None:
        self.app.worker_changed(event)


def row_table(table_id: str, columns: list[tuple[str, int]]) -> DataTable:
    """A zebra-striped DataTable with a row cursor and the given (label, width) columns."""
    table = DataTable(cursor_type="row", zebra_stripes=True, id=table_id)
    for label, width in columns:
        table.add_column(label, width=width)
    return table
