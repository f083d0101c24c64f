"""Reading .xlsx workbooks (openpyxl, read-only): the flat table, or a sheet laid out like
the published form, which then goes through the text-layout parser cell by cell."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from assistant.errors import JixiaoError
from assistant.importers import flat
from assistant.importers.text_layout import Row, parse_rows, refusal_error
from assistant.model import TargetTable
from assistant.value_text import decimal_text


def cell_text(value: Any, number_format: str | None = None) -> str:
    """A cell as the text a person sees: 20.0 → "20", 0.95 with a % format → "95%"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if number_format and "%" in number_format:
            number *= 100
            return decimal_text(number) + "%"
        return decimal_text(number)
    return str(value).strip()


def _sheet_rows(path: Path, shown: str) -> list[tuple[str, list[tuple[int, list[str]]]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, SyntaxError):
        raise JixiaoError("无法打开 xlsx 文件，文件可能已损坏或不完整", path=shown) from None
    sheets = []
    try:
        for ws in wb.worksheets:
            rows: list[tuple[int, list[str]]] = []
            for idx, cells in enumerate(ws.iter_rows(), start=1):
                texts = [cell_text(c.value, getattr(c, "number_format", None)) for c in cells]
                if any(texts):
                    rows.append((idx, texts))
            sheets.append((ws.title, rows))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, SyntaxError, IndexError):
        raise JixiaoError("读取 xlsx 内容时出错，文件可能已损坏或不完整", path=shown) from None
    finally:
        wb.close()
    return sheets


def read_xlsx(path: Path, shown: str) -> tuple[list[TargetTable], list[str]]:
    """Tables from every sheet; a sheet with a flat header is read as the flat table."""
    sheets = [
        (title, [Row(n, cells, ruled=True) for n, cells in rows])
        for title, rows in _sheet_rows(path, shown)
    ]
    return tables_from_sheets(sheets, shown)


def tables_from_sheets(
    sheets: list[tuple[str, list[Row]]], shown: str
) -> tuple[list[TargetTable], list[str]]:
    """Tables from sheets (or documents) of rows: a sheet whose early row is a flat header is
    the flat table, any other is read as the published layout. Raises when none is found,
    naming the refused table and its line where a table was refused."""
    tables: list[TargetTable] = []
    warnings: list[str] = []
    for title, rows in sheets:
        where = f"{shown}（工作表“{title}”）" if title else shown
        head_at = next(
            (i for i, row in enumerate(rows[:10]) if flat.looks_like_flat_header(row.cells)),
            None,
        )
        if head_at is not None:
            header = rows[head_at]
            cols = flat.check_header(header.cells, where, header.line)
            body = [
                {c: v for c, v in zip(cols, row.cells, strict=False) if c is not None}
                for row in rows[head_at + 1 :]
            ]
            tables += flat.tables_from_rows(body, where, [r.line for r in rows[head_at + 1 :]])
            continue
        found, notes = parse_rows(rows, where)
        tables += found
        warnings += notes
    if not tables:
        refusal = refusal_error(warnings, shown)
        if refusal is not None:
            raise refusal
        raise JixiaoError(
            "没有找到可识别的表格：既没有平表表头（项目名称、三级指标、指标值…），"
            "也没有“项目名称”加“一级指标/二级指标/三级指标/指标值”的绩效目标表",
            path=shown,
        )
    return tables, warnings
