"""The header block of a published table: 项目名称, units, money and the goal, read cell by
cell after their labels (``labels.header_field``), whatever the layout.

``HeaderBlock`` is the state and the reading; the table reader (``text_reader``) extends it
with the indicator block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.importers.labels import (
    _MONEY_FIELDS,
    _ROW_NOISE,
    _SCORE_CELL,
    _SCORE_NOTE,
    Row,
    header_field,
    label_key,
)
from assistant.model import Amount

_GOAL_TITLE = re.compile(r"^(?:总体目标|预期目标|年初设定目标|年度目标|实施期目标|中期目标|目标)$")
_GOAL_ACTUAL_TITLE = re.compile(r"完成情况|实际完成|完成值")
_GOAL_PERIOD_TITLE = re.compile(r"^(?:中期|实施期|中长期|长期|实施周期)(?:绩效)?目标")
# the 年度目标 cell printed as "年度" alone on its line, the goal text on the next one (a
# "年度" among other cells is a column title of the money block, never the goal's label)
_LONE_GOAL_LABELS = ("年度", "本年度")


@dataclass(kw_only=True)
class HeaderBlock:
    """Header fields as read (raw text by field), their lines, and the goal's parts."""

    fields: dict[str, str] = field(default_factory=dict)
    field_lines: dict[str, int] = field(default_factory=dict)
    goal_parts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    in_yuan: bool = False  # the page says 单位:元, so header amounts are in 元, not 万元
    _ctx: str | None = None
    _last_label: str | None = None
    _last_text: str = ""  # the last label's own text
    _at: int = 0  # line of the last label seen
    _goal_open: bool = False
    _goal_two: bool = False  # a column beside the goal (实际完成情况, or 中期目标 before it)
    _goal_pick: int = 0  # which of the two columns is the goal
    _goal_annual_seen: bool = False
    _goal_cells: dict[int, int] = field(default_factory=dict)  # goal cells seen per line
    _goal_single: int = 0
    _annual_side: str | None = None  # "first"/"last": the 年度 set of side-by-side money columns
    total_labelled: bool = False  # a 资金总额 label was seen (its amount may be left empty)

    def header_row(self, row: Row) -> None:
        for cell in self._annual_cells(row):
            fld = header_field(cell)
            if fld is None and len(row.filled) == 1 and label_key(cell) in _LONE_GOAL_LABELS:
                fld = "goal"
            if fld is not None:
                self._goal_open = False
                self.total_labelled |= fld in ("total", "annual_total", "ctx_total")
                if fld == "ctx_local":
                    self._ctx = "local_level"
                elif fld == "ctx_transfer":
                    self._ctx = "transfer"
                elif fld == "ctx_total":  # 资金总额: of 本级/转移 when under one, else the total
                    self._last_label = self._ctx or "total"
                    self._at = row.line
                    continue
                self._last_label = fld if fld not in ("ctx_local", "ctx_transfer") else None
                self._last_text = cell
                self._at = row.line
                if fld == "goal":
                    self._goal_open = True
                    self._goal_two = self._goal_two or "完成" in cell
                    self._goal_annual_seen |= label_key(cell).startswith(("年度", "本年度"))
                continue
            if self._goal_open:
                self._goal_cell(cell, row)
                continue
            if self._last_label is not None and header_field(self._last_text + cell):
                self._last_text += cell  # the label's tail on its own line ("主管部门" / "及编码")
                continue
            label = self._last_label
            self._last_label = None
            if label is None or label == "ignore" or label in self.fields:
                continue
            if label in _MONEY_FIELDS and not _money_like(cell, same_line=row.line == self._at):
                continue  # a column title ("金额(万元)"), a dash, or text from the next line
            self.fields[label] = cell
            self.field_lines[label] = row.line

    def _annual_cells(self, row: Row) -> list[str]:
        """The cells of the 年度 column set where the money block prints the 中期 (实施期) and
        the 年度 amounts side by side: "中期资金总额 | 68.50 | 年度资金总额 | 51.35" makes the
        later rows' repeated labels (其中:财政拨款 twice) belong to one set each."""
        cells = row.filled
        fields = [header_field(c) for c in cells]
        if "annual_total" in fields and "total" in fields:
            period = next(k for k, f in enumerate(fields) if f == "total")
            if any(w in label_key(cells[period]) for w in ("中期", "实施期", "实施周期")):
                annual = fields.index("annual_total")
                self._annual_side = "last" if annual > period else "first"
            return cells
        repeated = next((f for f in fields if f in _MONEY_FIELDS and fields.count(f) == 2), None)
        if self._annual_side is None or repeated is None:
            return cells
        first = fields.index(repeated)
        second = fields.index(repeated, first + 1)
        return cells[second:] if self._annual_side == "last" else cells[:second]

    def _goal_cell(self, cell: str, row: Row) -> None:
        """A cell after the goal label: goal text, unless it is a column title (预期目标,
        实际完成情况, 中期目标) or a score, or it stands in a column beside the goal: the
        实际完成情况 of a self-evaluation, or the 中期目标 printed before the 年度目标. With two
        such columns the goal is one cell of each row (or every other line when each cell has
        a line of its own)."""
        key = label_key(cell)
        if key in _ROW_NOISE:  # "绩 效 指 标": the indicator block begins
            self._goal_open = False
            return
        if _GOAL_ACTUAL_TITLE.search(key) and len(key) <= 16:
            self._goal_two = True
            return
        if _GOAL_PERIOD_TITLE.match(key):
            self._goal_two = True
            self._goal_pick = 0 if self._goal_annual_seen else 1
            return
        if _GOAL_TITLE.match(key):
            self._goal_annual_seen = self._goal_annual_seen or key.startswith("年度")
            return
        if _SCORE_NOTE.match(cell) or _SCORE_CELL.match(key):
            return  # a score ("98分)", "20") printed beside the label
        if self._goal_two:
            if len(row.filled) == 1:
                self._goal_single += 1
                if (self._goal_single - 1) % 2 != self._goal_pick:
                    return
            else:
                seen = self._goal_cells.get(row.line, 0)
                self._goal_cells[row.line] = seen + 1
                if seen != self._goal_pick:
                    return
        self.goal_parts.append(cell)

    def column_fields(self, columns: list[str | None], cells: list[str], line: int) -> None:
        """Header fields given as the leading cells of a project's first indicator row."""
        for fld, cell in zip(columns, cells, strict=False):
            if fld == "goal":
                self.goal_parts.append(cell)
            elif fld is not None and fld != "ignore" and fld not in self.fields:
                self.fields[fld] = cell
                self.field_lines[fld] = line

    # indicator block

    def _amount(self, key: str) -> Amount | None:
        text = self.fields.get(key)
        if not text:
            return None
        amount = parse_amount(text)
        if amount is None:
            self.notes.append(f"第{self.field_lines[key]}行金额“{text}”无法识别，未读入")
        elif self.in_yuan and "万" not in text:
            amount = Amount(value=amount.value / 10000, raw=text)
            self.notes.append(f"第{self.field_lines[key]}行金额“{text}”按表头“单位:元”折算为万元")
        return amount


def _money_like(text: str, same_line: bool) -> bool:
    """Whether a cell after a money label is its amount: on the label's own line any cell with
    a digit is (and is noted if it does not parse); from a later line only a real amount."""
    if not re.search(r"[0-9０-９]", text):
        return False
    return same_line or parse_amount(text) is not None


_BREAKDOWN = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")


def parse_amount(text: str) -> Amount | None:
    """A header amount as printed: "51.35", "854万", "854万(高标准农田建设400万元,…)" (the
    breakdown in brackets is kept in the raw text, not added up); None when unreadable."""
    bare = _BREAKDOWN.sub("", text).strip()
    for candidate in (text, text.removesuffix("万"), bare, bare.removesuffix("万")):
        amount = Amount.parse(candidate)
        if amount is not None:
            return Amount(value=amount.value, raw=text)
    return None
