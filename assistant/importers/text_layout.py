"""The published text layout: tables as text extracted from a PDF or web page.

Cells are separated by tabs (or pipes, or runs of spaces), but the columns are not to be
trusted: a label can drift into the next column, a first-level label can be missing or
repeated, a row can start in the first column. So the parser does not read fixed columns.
It reads each row as a sequence of filled cells and recognises them by what they say:

- level labels, by the vocabulary of ``assistant.model`` (产出指标, 数量指标, 经济效益指标 …);
- the row number prefix of an indicator name (``1.``, ``2、``), which ties rows into groups:
  a group restarting at 1 without a label waits for the label that continues its numbering
  (a label printed on the third row of its group applies to the first two as well);
- the column roles of the table's own header row (三级指标, 指标值, 实际完成值 …), in order.

Rows that cannot be placed are not guessed: they are left out and named in the table's notes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.errors import JixiaoError
from assistant.importers.labels import (
    _ANY_YEAR,
    _TITLE_YEAR,
    _WS,
    L2_NAMES,
    SINGLE_CHILD,
    Row,
    _column_roles,
    _is_column_titles,
    _is_indicator_header,
    _is_project_row,
    _is_stop,
    _is_title,
    column_name,
    header_field,
    is_level_label,
)
from assistant.importers.text_reader import _REFUSED, Refused, _TableReader
from assistant.importers.text_rows import rows_from_text
from assistant.model import TargetTable

__all__ = [
    "L2_NAMES",
    "SINGLE_CHILD",
    "Row",
    "parse_rows",
    "parse_text",
    "refusal_error",
    "rows_from_text",
]


# --- the whole file ------------------------------------------------------------------


def _year_from(preamble: Iterable[Row]) -> int | None:
    rows = list(preamble)
    for row in reversed(rows):
        for cell in row.filled:
            m = _TITLE_YEAR.search(cell)
            if m:
                return int(m.group(1))
    for row in reversed(rows):
        for cell in row.filled:
            m = _ANY_YEAR.search(cell)
            if m:
                return int(m.group(1))
    return None


def _project_columns(row: Row) -> list[str | None]:
    """The header fields of the cells before 一级指标 (项目名称, 项目单位, 预算数 …)."""
    out: list[str | None] = []
    for cell in row.filled:
        if column_name(cell) == "一级指标":
            break
        out.append(header_field(cell))
    return out


_LABEL_VALUE = re.compile(r"^([^:：]{2,14})[:：]\s*(\S.*)$")
_LAST_LABEL_VALUE = re.compile(r"^(.{2,20})[:：]\s*([^:：]+)$")  # 其中：财政拨款：120.5


def _split_label_cells(row: Row) -> Row:
    """A header cell written as "项目名称：道路养护" becomes the label and its value."""
    cells: list[str] = []
    for cell in row.filled:
        for m in (_LABEL_VALUE.match(cell), _LAST_LABEL_VALUE.match(cell)):
            if m and header_field(m.group(1)) not in (None, "ignore"):
                cells += [m.group(1), m.group(2)]
                break
        else:
            cells.append(cell)
    return row if len(cells) == len(row.filled) else Row(row.line, cells, row.ruled)


def _is_project_columns(row: Row) -> bool:
    """An indicator header whose first columns are the project's (项目名称, 预算数 …): each
    project is then one row starting with those cells, its indicator rows below it."""
    if not _is_indicator_header(row):
        return False
    return "project" in _project_columns(row)


def _says_yuan(rows: list[Row]) -> bool:
    """Whether a unit line above the table says the amounts are in 元 (单位:元, 金额单位:元)."""
    return any(_YUAN.search(c) for r in rows for c in r.filled)


_YUAN = re.compile(r"^(?:金额)?单位\s*[:：]\s*元")


def _join_wrapped(rows: list[Row]) -> list[Row]:
    """In a one-row-per-project layout printed with spaces, a cell wrapped onto its own line
    (定性 / 长期 / 15) belongs to the row above it."""
    out: list[Row] = []
    joining = False
    for row in rows:
        cells = row.filled
        if _is_project_columns(row):
            joining = True
        elif joining and (_is_title(row) or _is_stop(row)):
            joining = False
        elif joining and len(cells) == 1 and out and not is_level_label(cells[0]):
            out[-1] = Row(out[-1].line, [*out[-1].filled, cells[0]])
            continue
        out.append(row)
    return out


def parse_rows(rows: list[Row], source: str) -> tuple[list[TargetTable], list[str]]:
    """Tables found in rows of cells; returns (tables, warnings about what was left out)."""
    tables: list[TargetTable] = []
    warnings: list[str] = []
    preamble: list[Row] = []
    reader: _TableReader | None = None
    mode = "preamble"
    page_year: int | None = None

    def close() -> None:
        nonlocal reader
        if reader is None:
            return
        try:
            table = reader.finish()
        except Refused as exc:
            warnings.append(exc.reason)
            reader = None
            return
        if table is None:
            name = reader.fields.get("project") or "（无名称）"
            warnings.append(f"第{reader.start_line}行起的表格“{name}”没有可读的指标行，未导入")
        else:
            tables.append(table)
        reader = None

    columns: list[str | None] = []  # the project columns of a one-row-per-project layout
    col_roles: list[str] = []
    in_yuan = False

    for row in _join_wrapped(rows):
        if not row.filled:
            continue
        if mode in ("preamble", "header"):
            row = _split_label_cells(row)
        if _is_project_columns(row):
            close()
            columns = _project_columns(row)
            col_roles = _column_roles(Row(row.line, row.filled[len(columns) :]))
            page_year = _year_from(preamble[-12:]) or page_year
            in_yuan = in_yuan or _says_yuan(preamble[-12:])
            mode = "columns"
            continue
        if mode == "columns":
            if _is_title(row) or _is_stop(row):
                close()
                mode = "preamble"
                preamble.append(row)
                continue
            cells = row.filled
            if len(cells) > len(columns) and is_level_label(cells[len(columns)]):
                close()  # a row starting with the project's own cells: the next project
                reader = _TableReader(source, row.line, page_year, in_yuan=in_yuan)
                reader.roles = col_roles
                reader.column_fields(columns, cells[: len(columns)], row.line)
                reader.indicator_row(Row(row.line, cells[len(columns) :], row.ruled))
            elif reader is not None:
                reader.indicator_row(row)
            continue
        if _is_project_row(row):
            close()
            page_year = _year_from(preamble[-12:]) or page_year
            in_yuan = _says_yuan(preamble[-12:])
            reader = _TableReader(source, row.line, page_year, in_yuan=in_yuan)
            preamble = []
            mode = "header"
            reader.header_row(row)
            continue
        if reader is None or mode == "preamble":
            preamble.append(row)
            continue
        if mode == "header":
            if _is_indicator_header(row):
                reader.roles = _column_roles(row)
                reader.l2_column = "二级指标" in {column_name(c) for c in row.filled}
                mode = "indicators"
            else:
                reader.header_row(row)
            continue
        # indicators
        if _is_title(row) or _is_stop(row):
            close()
            mode = "preamble"
            preamble.append(row)
            continue
        if _is_indicator_header(row) or _is_column_titles(row):
            continue
        reader.indicator_row(row)
    close()
    return tables, warnings


_PROSE_LEVEL = re.compile(r"^\s*[一二三四][、.．]\s*(?:预期)?产出指标\s*$")
_TITLES = "一级指标|二级指标|三级指标|评价指标|评价内容|指标名称|指标说明|指标值|目标值|分值|备注"
_ADJACENT_TITLES = re.compile(f"(?:{_TITLES})(?:{_TITLES})")


def _glued_titles(line: str) -> str | None:
    """A header line whose column titles run together with no separator between them
    ("一级指标二级指标三级指标…", "评价指标评价内容指标名称指标说明目标值分值备注"): its start."""
    text = _WS.sub("", line)
    if "一级指标二级指标" in text:
        return "一级指标二级指标"
    if "\t" in line or "|" in line:
        return None
    m = _ADJACENT_TITLES.search(line)
    return m.group(0) if m else None


def refusal_error(warnings: list[str], source: str) -> JixiaoError | None:
    """The error for a file whose only table was refused (rows that did not read), if any."""
    refusal = next((w for w in warnings if w.endswith(_REFUSED)), None)
    if refusal is None:
        return None
    m = re.match(r"第(\d+)行", refusal)
    line = int(m.group(1)) if m else None
    return JixiaoError(refusal.removeprefix(f"第{line}行起的"), path=source, line=line)


def parse_text(text: str, source: str) -> tuple[list[TargetTable], list[str]]:
    """Parse the published text layout. Raises JixiaoError when no table can be recognised."""
    rows = rows_from_text(text)
    tables, warnings = parse_rows(rows, source)
    if not tables:
        refusal = refusal_error(warnings, source)
        if refusal is not None:
            raise refusal
        detail = f"（{warnings[0]}）" if warnings else ""
        nameless = next(
            (r.line for r in rows if not warnings and _is_indicator_header(r, loose=True)), None
        )
        glued = next(
            ((n, g) for n, ln in enumerate(text.splitlines(), 1) if (g := _glued_titles(ln))),
            None,
        )
        prose = next(
            (n for n, ln in enumerate(text.splitlines(), 1) if _PROSE_LEVEL.match(ln)), None
        )
        one_line = next(
            (
                r.line
                for r in rows
                if _is_indicator_header(r, loose=True)
                and any(header_field(c) == "project" for c in r.filled)
            ),
            None,
        )
        if one_line is not None:
            detail = (
                f"（第{one_line}行把整张表印成了一行，单元格之间只有空格、空单元格已丢失，"
                "无法确定各列；请用原始表格文件导入）"
            )
        elif nameless is not None:
            detail = f"（第{nameless}行有指标表头，但没有单独成格的“项目名称”，无法确定是哪个项目）"
        elif glued is not None and not warnings:
            detail = f"（第{glued[0]}行有“{glued[1]}…”，但单元格之间没有分隔符，无法分列）"
        elif prose is not None and not warnings:
            detail = (
                f"（第{prose}行起是公文正文逐条写出的指标（“一、产出指标 (一)数量指标 …”），"
                "不是表格，指标名称和指标值无法可靠分开；请用所附的绩效目标表导入）"
            )
        raise JixiaoError(
            "没有找到可识别的绩效目标表：需要“项目名称”和“一级指标/二级指标/三级指标/指标值”"
            f"表头下的指标行{detail}",
            path=source,
        )
    return tables, warnings
