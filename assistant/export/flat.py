"""The flat interchange layout (architecture.md) as xlsx and as CSV.

Every cell is text: money stays exactly as written (``10.015119``), 年度 as ``2024``, and
values such as ``100%`` or ``1-2`` are not reinterpreted by Excel. CSV is UTF-8 with a BOM
and CRLF line ends, which is what Excel on Windows needs to open Chinese text correctly;
a CSV cell starting like a formula (``=``, ``+``, ``-``, ``@`` …) gets a leading apostrophe
(``assistant.flat_table``), which ``jixiao import`` removes again.
"""

from __future__ import annotations

import csv
from pathlib import Path

from assistant.export.rows import flat_columns, flat_rows
from assistant.flat_table import guard
from assistant.model import TargetTable

FONT_NAME = "宋体"
# Widths (Excel character units) for the interchange columns; others get DEFAULT_WIDTH.
WIDTHS = {
    "项目名称": 30,
    "主管部门": 18,
    "实施单位": 24,
    "年度总体绩效目标": 40,
    "三级指标": 40,
    "指标值": 18,
    "备注": 22,
}
DEFAULT_WIDTH = 12


def write_csv(table: TargetTable, path: Path) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(flat_columns(table))
        writer.writerows([guard(str(c)) for c in row] for row in flat_rows(table))


def write_flat_xlsx(table: TargetTable, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    columns = flat_columns(table)
    wb = Workbook()
    ws = wb.active
    ws.title = "平表"
    ws.append(columns)
    for row in flat_rows(table):
        ws.append(row)
    body = Font(name=FONT_NAME, size=11)
    bold = Font(name=FONT_NAME, size=11, bold=True)
    for row in ws.iter_rows():
        for cell in row:
            cell.data_type = "s"
            cell.number_format = "@"
            cell.font = bold if cell.row == 1 else body
            cell.alignment = Alignment(vertical="top", wrap_text=cell.row > 1)
    for c, name in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(c)].width = WIDTHS.get(name, DEFAULT_WIDTH)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    wb.save(path)
