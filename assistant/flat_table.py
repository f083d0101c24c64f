"""The flat interchange table (architecture.md): its column names and order, and the CSV
cell guard. One home below both the importer and the exporter, which share them.

CSV formula neutralisation (CSV injection): a cell a spreadsheet would run as a formula is
written with a leading apostrophe, and jixiao's own CSV import takes it off again. A cell is
guarded when it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (OWASP's
list) — except a plain number such as ``-5`` or ``+0.5%``, which no spreadsheet runs. Excel
and WPS show the apostrophe-prefixed text as it was written.
"""

from __future__ import annotations

import re

COL_PROJECT = "项目名称"
COL_DEPARTMENT = "主管部门"
COL_UNIT = "实施单位"
COL_YEAR = "年度"
COL_TOTAL = "项目总额（万元）"
COL_ANNUAL = "年度资金总额（万元）"  # optional: written when it differs from 项目总额
COL_GOAL = "年度总体绩效目标"
COL_L1 = "一级指标"
COL_L2 = "二级指标"
COL_L3 = "三级指标"
COL_VALUE = "指标值"
COL_OPERATOR = "计算符号"
COL_MEASURE = "度量值"
COL_UNIT_OF_MEASURE = "计量单位"
COL_ACTUAL = "实际完成值"  # optional, self-evaluation tables

FLAT_COLUMNS = [
    COL_PROJECT,
    COL_DEPARTMENT,
    COL_UNIT,
    COL_YEAR,
    COL_TOTAL,
    COL_GOAL,
    COL_L1,
    COL_L2,
    COL_L3,
    COL_VALUE,
]
# Formal-entry columns (预算管理一体化系统): exported after 指标值, optional on import.
FORMAL_COLUMNS = [COL_OPERATOR, COL_MEASURE, COL_UNIT_OF_MEASURE]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?%?")


def guard(cell: str) -> str:
    """The cell as written to CSV: formula starts neutralised with a leading apostrophe."""
    if cell.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(cell):
        return GUARD + cell
    return cell


def unguard(cell: str) -> str:
    """The inverse of :func:`guard`, for reading a CSV jixiao (or a careful user) wrote."""
    if cell.startswith(GUARD) and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell
