"""Per-indicator cells shared by every export: the formal-entry fields and the split flag.

The 预算管理一体化 system takes one comparator, number and unit per indicator row
(计算符号, 度量值, 计量单位). A compound value such as ``5次, 5天/次, 5人/次`` cannot be
entered as one row, so it is exported exactly as written (定性 + the text) and the
备注 column says it must be split; the value itself is never altered.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.flat_table import (
    COL_ACTUAL,
    COL_ANNUAL,
    COL_TOTAL,
    FLAT_COLUMNS,
    FORMAL_COLUMNS,
)
from assistant.model import Indicator, TargetTable
from assistant.values import formal_fields, parse_value

COL_NOTE = "备注"
SPLIT_NOTE = "复合值，需拆分为多行录入"


@dataclass(frozen=True)
class FormalCells:
    symbol: str
    measure: str
    unit: str
    note: str


def formal_cells(indicator: Indicator) -> FormalCells:
    """计算符号 / 度量值 / 计量单位 and the 备注 text for one indicator."""
    fields = formal_fields(parse_value(indicator.value))
    return FormalCells(
        symbol=fields.symbol,
        measure=fields.measure,
        unit=fields.unit,
        note=SPLIT_NOTE if fields.needs_split else "",
    )


def has_actual(table: TargetTable) -> bool:
    """Whether any row carries a 实际完成值 (self-evaluation tables)."""
    return any(i.actual for i in table.indicators)


def has_annual(table: TargetTable) -> bool:
    """Whether the 年度资金总额 differs from the 项目总额 (a multi-year project): then the flat
    layout carries it in its own column after 项目总额, so the draft round-trips."""
    h = table.header
    return h.annual_total is not None and (h.total is None or h.annual_total.value != h.total.value)


def _head_columns(table: TargetTable) -> list[str]:
    cols = list(FLAT_COLUMNS)
    if has_annual(table):
        cols.insert(cols.index(COL_TOTAL) + 1, COL_ANNUAL)
    return cols


def flat_columns(table: TargetTable) -> list[str]:
    """The interchange columns (with 年度资金总额 when it differs from 项目总额), then
    实际完成值 when the table has it, then 备注."""
    extra = [COL_ACTUAL] if has_actual(table) else []
    return [*_head_columns(table), *FORMAL_COLUMNS, *extra, COL_NOTE]


def flat_rows(table: TargetTable) -> list[list[str]]:
    """One row of text per indicator, header fields repeated, in the table's own order.

    Money stays the exact text it was read from (``10.015119``), so nothing is rounded.
    """
    h = table.header
    head = [
        h.project_name,
        h.department or "",
        h.unit or "",
        str(h.year) if h.year else "",
        h.total.raw if h.total else "",
        *([h.annual_total.raw] if has_annual(table) and h.annual_total else []),
        table.goal,
    ]
    actual = has_actual(table)
    out = []
    for ind in table.indicators:
        cells = formal_cells(ind)
        row = [*head, ind.level1, ind.level2, ind.name, ind.value]
        row += [cells.symbol, cells.measure, cells.unit]
        if actual:
            row.append(ind.actual or "")
        row.append(cells.note)
        out.append(row)
    if not out:  # a table without indicators still carries its header fields
        out.append([*head] + [""] * (len(flat_columns(table)) - len(head)))
    return out
