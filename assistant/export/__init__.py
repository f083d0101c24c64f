"""Exports of a target table: official xlsx, flat xlsx/CSV, Markdown, JSON.

``export_table(table, fmt, path)`` writes one file atomically (temp file + rename) and
never replaces an existing file unless ``force``; ``default_filename(table, fmt)`` is a
safe name made from the project name.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from assistant.errors import JixiaoError
from assistant.export.files import write_new
from assistant.export.names import safe_filename
from assistant.model import TargetTable

FORMATS = ("xlsx", "flat-xlsx", "csv", "md", "json")
_NAME_MAX = 255  # bytes in one file or folder name (ext4, NTFS, APFS)

# format → (name suffix after the project name, file extension)
_NAMING = {
    "xlsx": ("_绩效目标表", ".xlsx"),
    "flat-xlsx": ("_绩效目标平表", ".xlsx"),
    "csv": ("_绩效目标平表", ".csv"),
    "md": ("_绩效目标表", ".md"),
    "json": ("_绩效目标表", ".json"),
}


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise JixiaoError(f"不支持的导出格式“{fmt}”，可选：{'、'.join(FORMATS)}")


def default_filename(table: TargetTable, fmt: str) -> str:
    """``<项目名称>_绩效目标表.xlsx`` and the like, safe on every file system."""
    _check_format(fmt)
    label, ext = _NAMING[fmt]
    return safe_filename(table.header.project_name.strip() + label, ext)


def _writer(fmt: str) -> Callable[[TargetTable, Path], None]:
    if fmt == "xlsx":
        from assistant.export.official import write_official_xlsx

        return write_official_xlsx
    if fmt == "flat-xlsx":
        from assistant.export.flat import write_flat_xlsx

        return write_flat_xlsx
    if fmt == "csv":
        from assistant.export.flat import write_csv

        return write_csv
    if fmt == "md":
        from assistant.export.markdown import to_markdown

        def write_md(table: TargetTable, path: Path) -> None:
            path.write_text(to_markdown(table), encoding="utf-8")

        return write_md

    def write_json(table: TargetTable, path: Path) -> None:
        path.write_text(table.model_dump_json(indent=2) + "\n", encoding="utf-8")

    return write_json


def export_table(table: TargetTable, fmt: str, path: Path, *, force: bool = False) -> Path:
    """Write ``table`` as ``fmt`` to ``path``; returns the path written."""
    _check_format(fmt)
    write = _writer(fmt)
    return write_new(Path(path), lambda tmp: write(table, tmp), force=force)


def output_path(table: TargetTable, fmt: str, target: Path | None) -> Path:
    """Where ``-o`` points: a folder (existing, or written with a trailing slash) gets the
    default file name inside it; anything else is the file path itself."""
    if target is None:
        return Path.cwd() / default_filename(table, fmt)
    text = str(target)
    too_long = [p for p in target.parts if len(os.fsencode(p)) > _NAME_MAX]
    if too_long:
        raise JixiaoError(
            f"输出文件名太长（{len(os.fsencode(too_long[0]))} 字节，最多 {_NAME_MAX}）："
            f"{too_long[0][:40]}…"
        )
    if target.is_dir() or text.endswith(("/", "\\")):
        return target / default_filename(table, fmt)
    return target


__all__ = ["FORMATS", "default_filename", "export_table", "output_path"]
