"""The export flow shared by the conversation and the drafts list: ask, confirm, write."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.screen import Screen

from assistant.errors import JixiaoError
from assistant.model import TargetTable
from assistant.tui.screens.dialogs import ConfirmDialog, ExportDialog

# (table, format, path, force) → runs the export in a worker
StartExport = Callable[[TargetTable, str, Path, bool], object]


def ask_export(screen: Screen, table: TargetTable, title: str, start: StartExport) -> None:
    """Ask format and path (offered in the export folder, see ``default_export_dir``);
    a folder that does not exist is created; confirm before replacing a file; then
    ``start(table, fmt, path, force)``."""
    from assistant.export import default_filename
    from assistant.export.files import default_export_dir, resolve_output

    def chosen(choice: tuple[str, str] | None) -> None:
        if choice is None:
            return
        fmt, raw = choice
        try:
            path = resolve_output(raw, default_filename(table, fmt))
        except JixiaoError as err:
            screen.notify(f"导出失败：{err}", severity="error", timeout=8)
            return
        if not path.exists():
            start(table, fmt, path, False)
            return

        def answer(yes: bool | None) -> None:
            if yes:
                start(table, fmt, path, True)

        question = f"文件已存在：\n{path}\n要覆盖吗？"
        screen.app.push_screen(ConfirmDialog(question, yes="覆盖"), answer)

    screen.app.push_screen(
        ExportDialog(title, lambda fmt: default_filename(table, fmt), default_export_dir()),
        chosen,
    )


def run_export(
    table: TargetTable, fmt: str, path: Path, force: bool
) -> tuple[Path | None, str | None]:
    """Write the file (in a worker thread); (path, None) or (None, Chinese reason)."""
    from assistant.errors import os_reason
    from assistant.export import export_table
    from assistant.export.files import make_folder

    try:
        make_folder(path.parent)
        return Path(export_table(table, fmt, path, force=force)), None
    except JixiaoError as err:
        return None, str(err)
    except OSError as err:
        return None, f"无法写入 {path}：{os_reason(err)}"
