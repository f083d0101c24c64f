"""Splitting page text into rows of cells: tabs, pipes, runs of spaces, or one cell per
line (a web table copied as text), which is regrouped into rows under the indicator header."""

from __future__ import annotations

import re
from collections import Counter

from assistant.importers.labels import (
    _ROW_NOISE,
    _SCORE_CELL,
    _WS,
    Row,
    _column_roles,
    _is_stop,
    _is_title,
    column_name,
    header_field,
    is_level_label,
    label_key,
    looks_like_value,
)


def rows_from_text(text: str) -> list[Row]:
    """Split text into rows of stripped cells: tabs if the file uses them, else pipes, else
    runs of whitespace. A page printed one cell per line (web tables copied as text) is
    regrouped into rows by ``_regroup_vertical``."""
    lines = text.splitlines()
    tabbed = sum(1 for ln in lines if "\t" in ln)
    piped = sum(1 for ln in lines if "|" in ln)
    if tabbed >= 3:
        # tabs come from PDF text too, where a long name wraps onto the next line: not ruled
        return [Row(i, _split_tabs(ln)) for i, ln in enumerate(lines, start=1)]
    if piped >= 3:
        rows = [Row(i, _split_pipes(ln), "|" in ln) for i, ln in _join_broken_rows(lines)]
        if _is_vertical(rows):
            return _regroup_vertical(_pipe_cells(text))
        return rows
    if any(column_name(ln) == "一级指标" for ln in lines):
        return _regroup_vertical([Row(i, [ln.strip()]) for i, ln in enumerate(lines, start=1)])
    return [Row(i, _split_spaces(ln)) for i, ln in enumerate(lines, start=1)]


def _join_broken_rows(lines: list[str]) -> list[tuple[int, str]]:
    """(line number, text) of each table row. A page that pads every row with empty cells
    to the table's width ("项目名称 | 共享工程 | ||||||||") has the same number of pipes on
    each row; a row broken over lines ("绩效指标 | 一级 指标 |" / "二级 指标 |" / …) is the run
    of shorter lines whose pipes add up to that width, and is joined again."""
    counts = [ln.count("|") for ln in lines]
    widths = Counter(c for c in counts if c)
    if not widths:
        return list(enumerate(lines, start=1))
    width = widths.most_common(1)[0][0]
    padded = sum(1 for ln, c in zip(lines, counts, strict=True) if c == width and "||" in ln)
    if width < 3 or padded * 2 < widths[width]:
        return list(enumerate(lines, start=1))
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(lines):
        j, total = i, 0
        while j < len(lines) and 0 < counts[j] < width and total < width:
            total += counts[j]
            j += 1
        if j - i >= 2 and total == width:
            out.append((i + 1, "".join(lines[i:j])))
            i = j
            continue
        out.append((i + 1, lines[i]))
        i += 1
    return out


def _is_vertical(rows: list[Row]) -> bool:
    filled = [r for r in rows if r.filled]
    single = sum(1 for r in filled if len(r.filled) == 1)
    return bool(filled) and single >= 0.7 * len(filled)


def _pipe_cells(text: str) -> list[Row]:
    """One row per pipe-delimited cell; a cell spanning lines is joined ("一级\n指标")."""
    rows: list[Row] = []
    line = 1
    for chunk in text.split("|"):
        parts = [p.strip() for p in chunk.splitlines()]
        cell = "".join(parts)
        if cell:
            lead = chunk[: len(chunk) - len(chunk.lstrip())]
            rows.append(Row(line + lead.count("\n"), [cell]))
        line += chunk.count("\n")
    return rows


def _regroup_vertical(rows: list[Row]) -> list[Row]:
    """Rebuild indicator rows from a one-cell-per-line stream: after the indicator header,
    leading level labels plus as many cells as the header has columns make one row."""
    cells = _join_split_labels([(r.line, r.filled[0]) for r in rows if r.filled])
    out: list[Row] = []
    i = 0
    while i < len(cells):
        line, cell = cells[i]
        key = column_name(cell)
        nxt = column_name(cells[i + 1][1]) if i + 1 < len(cells) else ""
        if key == "一级指标" or (key in _ROW_NOISE and nxt == "一级指标"):
            header: list[str] = []
            while i < len(cells) and not is_level_label(cells[i][1]):
                if header and looks_like_value(cells[i][1]):
                    i += 1  # a section score printed under the header ("50")
                    continue
                header.append(cells[i][1])
                i += 1
            head = Row(line, _join_header_fragments(header))
            out.append(head)
            i = _regroup_indicators(cells, i, _column_roles(head), out)
            continue
        out.append(Row(line, [cell]))
        i += 1
    return out


_FRAGMENT = re.compile(r"^(?:年度|实际|预期|全年|年初|计划|本年|实施期|中期|指标|单项指标)$")


def _join_header_fragments(header: list[str]) -> list[str]:
    """Column titles broken across lines ("年度" / "指标值", "实际" / "完成值") are one
    title again; apart, each half would count as a column and shift the cells after it."""
    out: list[str] = []
    for cell in header:
        if out and _FRAGMENT.match(label_key(out[-1])) and label_key(cell).endswith("值"):
            out[-1] += cell
            continue
        out.append(cell)
    return out


def _join_split_labels(cells: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A level label broken across lines ("经济效益" / "指标", "项目完成" / "指标") is one
    cell again; left apart, "指标" would read as an indicator and shift every later row."""
    out: list[tuple[int, str]] = []
    for line, cell in cells:
        if out and label_key(cell) == "指标":
            prev = out[-1][1]
            if is_level_label(prev) or is_level_label(prev + cell):
                out[-1] = (out[-1][0], prev + cell)
                continue
        out.append((line, cell))
    return out


def _ends_block(cell: str, line: int) -> bool:
    row = Row(line, [cell])
    return _is_title(row) or _is_stop(row) or header_field(cell) == "project"


def _regroup_indicators(
    cells: list[tuple[int, str]], i: int, roles: list[str], out: list[Row]
) -> int:
    """Rows of ``len(roles)`` cells after their leading labels. Trailing text columns
    (偏差原因, 备注, 评分标准) are often left empty: a row that has its other cells ends
    early when the next cell is a name whose own value follows."""
    width = len(roles)
    optional = width
    while optional > 1 and roles[optional - 1] in ("reason", "note", "rule"):
        optional -= 1
    labels: list[str] = []
    texts: list[tuple[int, str]] = []

    def emit() -> None:
        if texts:
            out.append(Row(texts[0][0], [*labels, *(t for _, t in texts)]))
        elif labels:
            out.append(Row(cells[i - 1][0], list(labels)))
        labels.clear()
        texts.clear()

    while i < len(cells):
        line, cell = cells[i]
        if _ends_block(cell, line):
            break
        if is_level_label(cell) or label_key(cell) in _ROW_NOISE:
            if texts:
                emit()
            labels.append(cell)
        elif not texts and _SCORE_CELL.match(cell) and out and not labels:
            pass  # a score column after the previous row ("5")
        else:
            if (
                optional <= len(texts) < width
                and not looks_like_value(cell)
                and i + 1 < len(cells)
                and looks_like_value(cells[i + 1][1])
            ):
                emit()  # the optional trailing cells were empty: this cell starts a row
            texts.append((line, cell))
            if len(texts) == width:
                emit()
        i += 1
    emit()
    return i


def _split_tabs(line: str) -> list[str]:
    return [c.strip() for c in line.split("\t")]


def _split_pipes(line: str) -> list[str]:
    return [c.strip() for c in line.split("|")]


def _split_spaces(line: str) -> list[str]:
    """Whitespace-separated cells, keeping a bracketed part together ("率( ≥**% )")."""
    cells: list[str] = []
    depth = 0
    for token in _WS.split(line.strip()):
        if depth > 0 and cells:
            cells[-1] += " " + token
        else:
            cells.append(token)
        depth = max(0, depth + _bracket_balance(token))
    return cells


def _bracket_balance(text: str) -> int:
    return sum(text.count(c) for c in "(（[【") - sum(text.count(c) for c in ")）]】")
