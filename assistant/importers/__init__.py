"""Importers: past tables from files into TargetTables, then into the user's corpus.

Formats (detected by content first, extension second):
- ``.xlsx``: the flat interchange table, or a sheet laid out like the published form;
- ``.json``: the model's own schema, a corpus file, or a precedent record;
- ``.csv`` (or any text whose first row is a flat header): the flat interchange table;
- other text (``.txt``): the published text layout (``text_layout``).
Text in any encoding a Chinese office produces (see ``encoding``).

``load_file`` only reads; ``import_paths`` reads every file first and writes only when all
of them could be read, so a bad file leaves the corpus untouched.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import JixiaoError, os_reason
from assistant.fileio import check_input_file, check_xlsx
from assistant.importers import flat
from assistant.importers.encoding import read_text
from assistant.model import TargetTable

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass
class FileResult:
    """One file: what was read from it and what the corpus made of it."""

    path: str
    format: str
    encoding: str | None
    tables: list[TargetTable]
    warnings: list[str] = field(default_factory=list)
    added: list[TargetTable] = field(default_factory=list)
    already_present: list[TargetTable] = field(default_factory=list)

    @property
    def indicator_count(self) -> int:
        return sum(len(t.indicators) for t in self.tables)


@dataclass
class ImportResult:
    files: list[FileResult]

    @property
    def added(self) -> list[TargetTable]:
        return [t for f in self.files for t in f.added]

    @property
    def already_present(self) -> list[TargetTable]:
        return [t for f in self.files for t in f.already_present]


def _head(path: Path, shown: str) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(8)
    except FileNotFoundError:
        raise JixiaoError("文件不存在", path=shown) from None
    except IsADirectoryError:
        raise JixiaoError("这是一个文件夹，不是文件", path=shown) from None
    except OSError as exc:
        raise JixiaoError(f"无法读取文件（{os_reason(exc)}）", path=shown) from None


def read_file(path: Path, shown: str | None = None) -> FileResult:
    """Read one file into tables (nothing is written). Raises JixiaoError on bad input."""
    shown = shown or str(path)
    check_input_file(path, shown)  # pipes, devices and oversized files: refused unopened
    suffix = path.suffix.lower()
    head = _head(path, shown)
    if not head:
        raise JixiaoError("文件是空的", path=shown)
    if head.startswith(_ZIP_MAGIC) or suffix in (".xlsx", ".xlsm"):
        if not head.startswith(_ZIP_MAGIC):
            raise JixiaoError("不是有效的 xlsx 文件（文件可能已损坏或不完整）", path=shown)
        from assistant.importers.xlsx import read_xlsx

        check_xlsx(path, shown)  # decompressed size and ratio (zip bombs)
        tables, warnings = read_xlsx(path, shown)
        return FileResult(shown, "xlsx", None, tables, warnings)
    if head.startswith(_OLE_MAGIC) or suffix == ".xls":
        raise JixiaoError(
            "不支持旧版 .xls 文件，请在 Excel 或 WPS 中另存为 .xlsx 后再导入", path=shown
        )

    text, encoding = read_text(path, shown)
    stripped = text.lstrip()
    if suffix == ".json" or stripped[:1] in ("{", "["):
        from assistant.importers.json_tables import parse_json_text

        return FileResult(shown, "json", encoding, parse_json_text(text, shown))
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    cells = [c.strip().strip('"') for c in _split_any(first)]
    if suffix in (".csv", ".tsv") or flat.looks_like_flat_header(cells):
        rows, lines = flat.read_csv_rows(text, shown)
        tables = flat.tables_from_rows(rows, shown, lines)
        if not tables:
            raise JixiaoError("平表中没有指标行", path=shown)
        return FileResult(shown, "csv", encoding, tables)

    from assistant.importers.text_layout import parse_text

    tables, warnings = parse_text(text, shown)
    return FileResult(shown, "text", encoding, tables, warnings)


def _split_any(line: str) -> list[str]:
    for sep in ("\t", ",", ";", "，"):
        if sep in line:
            return line.split(sep)
    return [line]


def load_file(path: Path) -> list[TargetTable]:
    """The tables in one file, read without writing anything. Raises JixiaoError(path, line)."""
    return read_file(Path(path), str(path)).tables


def import_paths(paths: Iterable[Path | str]) -> ImportResult:
    """Read all files; only if every one succeeds, add their tables to the user corpus.

    Importing a table already in the corpus (shipped or imported before) changes nothing.
    """
    from assistant.corpus import add_tables

    results = [read_file(Path(p), str(p)) for p in paths]
    for res in results:
        res.added, res.already_present = add_tables(res.tables)
    return ImportResult(results)
