"""Importers: past tables from files into TargetTables, then into the user's corpus.

Formats (detected by content first, extension second):
- ``.xlsx``: the flat interchange table, or a sheet laid out like the published form;
- ``.json``: the model's own schema, a corpus file, or a precedent record;
- ``.csv`` (or any text whose first row is a flat header): the flat interchange table;
- ``.xls`` (xlrd), ``.docx`` (python-docx), text-layer ``.pdf`` (pdfplumber), saved
  ``.html`` (selectolax): read into rows of cells (``documents``), then as above;
- other text (``.txt``): the published text layout (``text_layout``).
Text in any encoding a Chinese office produces (see ``encoding``).

``load_file`` only reads; ``import_paths`` reads every file first and writes only when all
of them could be read, so a bad file leaves the corpus untouched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import JixiaoError, os_reason
from assistant.fileio import check_input_file, check_xlsx, reading
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
    with reading(shown), path.open("rb") as fh:
        return fh.read(8)


def read_file(path: Path, shown: str | None = None) -> FileResult:
    """Read one file into tables (nothing is written). Raises JixiaoError on bad input."""
    shown = shown or str(path)
    check_input_file(path, shown)  # pipes, devices and oversized files: refused unopened
    suffix = path.suffix.lower()
    head = _head(path, shown)
    if not head:
        raise JixiaoError("文件是空的", path=shown)
    if head.startswith(b"%PDF") or suffix == ".pdf":
        from assistant.importers.documents import pdf_rows

        if not head.startswith(b"%PDF"):
            raise JixiaoError("不是有效的 PDF 文件（文件可能已损坏或不完整）", path=shown)
        return _from_rows(shown, "pdf", pdf_rows(path, shown))
    if head.startswith(_ZIP_MAGIC) and _is_docx(path, suffix):
        from assistant.importers.documents import docx_rows

        return _from_rows(shown, "docx", docx_rows(path, shown))
    if head.startswith(_ZIP_MAGIC) or suffix in (".xlsx", ".xlsm", ".docx"):
        if not head.startswith(_ZIP_MAGIC):
            kind = "docx" if suffix == ".docx" else "xlsx"
            raise JixiaoError(f"不是有效的 {kind} 文件（文件可能已损坏或不完整）", path=shown)
        from assistant.importers.xlsx import read_xlsx

        check_xlsx(path, shown)  # decompressed size and ratio (zip bombs)
        tables, warnings = read_xlsx(path, shown)
        return FileResult(shown, "xlsx", None, tables, warnings)
    if suffix == ".doc":
        raise JixiaoError(
            "不支持旧版 .doc 文件，请在 Word 或 WPS 中另存为 .docx 后再导入", path=shown
        )
    if head.startswith(_OLE_MAGIC) or suffix == ".xls":
        if not head.startswith(_OLE_MAGIC):
            raise JixiaoError("不是有效的 .xls 文件（文件可能已损坏或不完整）", path=shown)
        from assistant.importers.documents import xls_sheets
        from assistant.importers.xlsx import tables_from_sheets

        tables, warnings = tables_from_sheets(xls_sheets(path, shown), shown)
        return FileResult(shown, "xls", None, tables, warnings)

    text, encoding = read_text(path, shown)
    stripped = text.lstrip()
    if suffix in (".html", ".htm") or stripped[:15].lower().startswith(("<!doctype html", "<html")):
        from assistant.importers.documents import html_rows

        result = _from_rows(shown, "html", html_rows(text))
        result.encoding = encoding
        return result
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


_SKIPPED = re.compile(r"^第(\d+)(?:–\d+)?行.*(?:跳过|未导入)")


def skipped_rows(table: TargetTable) -> list[dict[str, int | str]]:
    """The rows of a table's source left out on import, each with its line and reason (taken
    from the table's notes, where the reader names them)."""
    out: list[dict[str, int | str]] = []
    for note in table.notes:
        m = _SKIPPED.match(note)
        if m:
            out.append({"line": int(m.group(1)), "reason": note})
    return out


def _is_docx(path: Path, suffix: str) -> bool:
    """A Word document (a zip with word/document.xml), whatever its name says."""
    if suffix == ".docx":
        return True
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            return "word/document.xml" in zf.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def _from_rows(shown: str, fmt: str, rows: list) -> FileResult:
    """Tables from a document's rows (a flat table, or the published layout)."""
    from assistant.importers.xlsx import tables_from_sheets

    tables, warnings = tables_from_sheets([("", rows)], shown)
    return FileResult(shown, fmt, None, tables, warnings)


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

    Importing a table already in the corpus (shipped or imported before) changes nothing,
    also when it comes in another encoding, another layout or truncated (``dedupe``).
    """
    from assistant.corpus import add_tables, load_tables
    from assistant.importers.dedupe import fingerprint, split_copies

    results = [read_file(Path(p), str(p)) for p in paths]
    corpus = load_tables()
    known = [ct.table for ct in corpus]
    for res in results:
        fresh, copies = split_copies(res.tables, known)
        replaced = []
        for table in fresh:  # a fuller copy of a table imported truncated: it takes its place
            fp = fingerprint(table)
            for ct in corpus:
                if ct.origin == "imported" and fingerprint(ct.table).within(fp):
                    replaced.append(ct.file)
                    table.notes.append(
                        f"替换了先例库中这张表不完整的副本（{len(ct.table.indicators)} 条指标）"
                    )
        res.added, present = add_tables(fresh)
        for path in replaced:  # only once the fuller table is written
            _remove(path)
        skipped = {id(t) for t in copies + present}
        res.already_present = [t for t in res.tables if id(t) in skipped]
        known += fresh
    return ImportResult(results)


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        from assistant.errors import EnvError

        raise EnvError(f"无法替换先例库中的文件（{os_reason(exc)}）", path=str(path)) from None
