"""The official xlsx layout of a 项目支出绩效目标表, as in the published tables.

Layout (columns A… are 一级, 二级, 三级, 指标值, then the formal-entry columns 计算符号,
度量值, 计量单位, [实际完成值,] 备注):

    title                      YYYY年项目支出绩效目标表  (merged across, bold)
    (YYYY年度)                 centred
    单位：万元                 right-aligned
    项目名称 | name
    主管部门 | … | 实施单位 | …
    项目属性 | … | 项目期   | …
    项目总额 | … | 其中：年度资金总额 | …
    其中：本级资金 (4 rows) | 资金总额/财政拨款/其他资金/结余结转资金 | amounts |
        其中：转移市县(区)资金 (4 rows) | 资金总额/中央资金/自治区资金 | amounts
    年度总体绩效目标 | goal (merged)
    一级指标 | 二级指标 | 三级指标 | 指标值 | 计算符号 | 度量值 | 计量单位 | 备注
    rows; 一级 and 二级 cells merged vertically over their rows

Money: each amount is written as a number (so Excel can add it up) with a number format
showing exactly the decimals it was written with (``10.015119`` → ``0.000000``). Excel
keeps 15 significant digits; an amount with more digits than that is written as text
instead, so no digit is ever lost to floating point.
"""

from __future__ import annotations

import math
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.export.rows import COL_NOTE, formal_cells, has_actual
from assistant.flat_table import COL_ACTUAL, FORMAL_COLUMNS
from assistant.model import FUND_LABELS, Amount, TargetTable

if TYPE_CHECKING:  # openpyxl is imported where a workbook is written
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

FONT_NAME = "宋体"  # SimSun: present wherever Chinese Office is; LibreOffice maps it
LINE_HEIGHT_PT = 14.25  # one line of 11 pt 宋体
MAX_EXCEL_DIGITS = 15
MAX_ROW_HEIGHT_PT = 409  # Excel's limit

# (column header, width in Excel character units)
BASE_COLUMNS = [("一级指标", 12), ("二级指标", 14), ("三级指标", 42), ("指标值", 20)]
FORMAL_WIDTHS = dict(zip(FORMAL_COLUMNS, (10, 14, 11), strict=True))
ACTUAL_WIDTH = 16
NOTE_WIDTH = 26


def title_of(table: TargetTable) -> str:
    kind = "项目支出绩效自评表" if table.table_type == "self_evaluation" else "项目支出绩效目标表"
    return f"{table.header.year}年{kind}" if table.header.year else kind


def columns_for(table: TargetTable) -> list[tuple[str, float]]:
    cols: list[tuple[str, float]] = list(BASE_COLUMNS)
    cols += [(c, FORMAL_WIDTHS[c]) for c in FORMAL_COLUMNS]
    if has_actual(table):
        cols.append((COL_ACTUAL, ACTUAL_WIDTH))
    cols.append((COL_NOTE, NOTE_WIDTH))
    return cols


def display_width(text: str) -> int:
    """Width in Excel character units: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def lines_needed(text: str, width: float) -> int:
    """How many wrapped lines ``text`` takes in a cell ``width`` characters wide."""
    usable = max(width - 1.5, 1)
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in text.split("\n"))


def money_cell(cell: Cell, amount: Amount | None) -> None:
    """Write an amount in 万元 without losing a digit (see module docstring)."""
    if amount is None:
        return
    value = amount.value
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or len(digits) > MAX_EXCEL_DIGITS:
        cell.value = amount.raw
        cell.data_type = "s"
        return
    places = max(0, -exponent)
    cell.value = value
    cell.number_format = "0" if places == 0 else "0." + "0" * places


class _Sheet:
    """A small helper over an openpyxl worksheet: merged writes with style and height."""

    def __init__(self, ws: Worksheet, widths: list[float]) -> None:
        self.ws = ws
        self.widths = widths
        self.heights: dict[int, float] = {}

    def put(
        self,
        row: int,
        col: int,
        value: str | int | None = None,
        *,
        to_col: int | None = None,
        to_row: int | None = None,
        bold: bool = False,
        align: str = "center",
        money: Amount | None = None,
    ) -> None:
        from openpyxl.styles import Alignment, Font

        to_col = to_col or col
        to_row = to_row or row
        cell = self.ws.cell(row=row, column=col)
        if money is not None:
            money_cell(cell, money)
        elif value not in (None, ""):
            cell.value = value
            if isinstance(value, str):  # text stays text: "=…" is not turned into a formula
                cell.data_type = "s"
        cell.font = Font(name=FONT_NAME, size=11, bold=bold)
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        if to_col != col or to_row != row:
            self.ws.merge_cells(start_row=row, start_column=col, end_row=to_row, end_column=to_col)
        if value and to_row == row:
            width = sum(self.widths[col - 1 : to_col])
            need = lines_needed(str(value), width) * LINE_HEIGHT_PT + 6
            self.heights[row] = max(self.heights.get(row, 0), need)


# Provincial-level governments by what their tables call the province's own funds.
_AUTONOMOUS = ("自治区", "宁夏", "新疆", "西藏", "内蒙古", "广西")
_MUNICIPAL = ("北京", "上海", "天津", "重庆")


def regional_label(table: TargetTable) -> str:
    """The provincial-level fund's name as the table's own region writes it: 自治区资金 for
    an autonomous region, 市级资金 for a municipality, 省级资金 otherwise."""
    h, prov = table.header, table.provenance
    text = " ".join(
        t or ""
        for t in (
            h.department,
            h.unit,
            h.project_name,
            prov.source if prov else "",
            prov.unit if prov else "",
            prov.department if prov else "",
        )
    )
    if any(k in text for k in _AUTONOMOUS):
        return "自治区资金"
    if any(k in text for k in _MUNICIPAL):
        return "市级资金"
    return "省级资金"


def write_official_xlsx(table: TargetTable, path: Path) -> None:
    """Write ``table`` to ``path`` in the official layout (one sheet, print-ready)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    cols = columns_for(table)
    n = len(cols)
    widths = [w for _, w in cols]
    wb = Workbook()
    ws = wb.active
    ws.title = "绩效目标表"
    sheet = _Sheet(ws, widths)
    h = table.header
    funds = h.funds

    # Title block (no borders).
    title = ws.cell(row=1, column=1, value=title_of(table))
    title.data_type = "s"  # a project name starting with "=" is not a formula
    title.font = Font(name=FONT_NAME, size=16, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    year_text = f"({h.year}年度)" if h.year else "(    年度)"
    sheet.put(2, 1, year_text, to_col=n)
    sheet.put(3, 1, "单位：万元", to_col=n, align="right")

    # Header block.
    r = 4
    first_bordered = r
    sheet.put(r, 1, "项目名称", to_col=2, bold=True)
    sheet.put(r, 3, h.project_name, to_col=n, align="left")
    r += 1
    for left, lval, right, rval in (
        ("主管部门", h.department, "实施单位", h.unit),
        ("项目属性", h.attribute, "项目期", h.period),
    ):
        sheet.put(r, 1, left, to_col=2, bold=True)
        sheet.put(r, 3, lval, align="left")
        sheet.put(r, 4, right, bold=True)
        sheet.put(r, 5, rval, to_col=n, align="left")
        r += 1
    sheet.put(r, 1, "项目总额", to_col=2, bold=True)
    sheet.put(r, 3, money=h.total)
    sheet.put(r, 4, "其中：年度资金总额", bold=True)
    sheet.put(r, 5, to_col=n, money=h.annual_total)
    r += 1

    # 资金来源: 本级资金 on the left, 转移市县(区)资金 on the right, four rows each.
    local_rows = [
        ("资金总额", funds.local_level),
        (f"其中：{FUND_LABELS['fiscal']}", funds.fiscal),
        (FUND_LABELS["other"], funds.other),
        (FUND_LABELS["carryover"], funds.carryover),
    ]
    transfer_rows = [
        ("资金总额", funds.transfer),
        (f"其中：{FUND_LABELS['central']}", funds.central),
        (regional_label(table), funds.regional),
        ("", None),
    ]
    sheet.put(r, 1, f"其中：{FUND_LABELS['local_level']}", to_row=r + 3, bold=True)
    sheet.put(r, 4, f"其中：{FUND_LABELS['transfer']}", to_row=r + 3, bold=True)
    for i, ((llabel, lamount), (rlabel, ramount)) in enumerate(
        zip(local_rows, transfer_rows, strict=True)
    ):
        sheet.put(r + i, 2, llabel)
        sheet.put(r + i, 3, money=lamount)
        sheet.put(r + i, 5, rlabel)
        sheet.put(r + i, 6, to_col=n, money=ramount)
    r += 4

    sheet.put(r, 1, "年度总体绩效目标", to_col=2, bold=True)
    sheet.put(r, 3, table.goal, to_col=n, align="left")
    r += 1

    # Indicator block.
    header_row = r
    for c, (name, _) in enumerate(cols, start=1):
        sheet.put(r, c, name, bold=True)
    r += 1
    actual = has_actual(table)
    for level1, level2s in table.tree().items():
        l1_start = r
        for level2, rows in level2s.items():
            l2_start = r
            for ind in rows:
                cells = formal_cells(ind)
                values = [ind.name, ind.value, cells.symbol, cells.measure, cells.unit]
                if actual:
                    values.append(ind.actual or "")
                values.append(cells.note)
                for c, value in enumerate(values, start=3):
                    sheet.put(r, c, value, align="left" if c == 3 else "center")
                r += 1
            sheet.put(l2_start, 2, level2, to_row=r - 1)
        sheet.put(l1_start, 1, level1, to_row=r - 1)
    last_row = r - 1

    # Borders on every cell of the bordered area (merged cells need them on each cell).
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for row in ws.iter_rows(min_row=first_bordered, max_row=last_row, max_col=n):
        for cell in row:
            cell.border = border

    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    for row_no, height in sheet.heights.items():
        ws.row_dimensions[row_no].height = min(max(height, 20), MAX_ROW_HEIGHT_PT)

    # A4 landscape, one page wide, header row repeated on every page.
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.font = FONT_NAME
    ws.print_area = f"A1:{get_column_letter(n)}{last_row}"
    wb.properties.title = title_of(table)
    wb.properties.creator = "jixiao"
    wb.save(path)
