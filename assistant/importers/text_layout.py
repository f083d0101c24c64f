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
from dataclasses import dataclass, field

from assistant.errors import JixiaoError
from assistant.importers.flat import header_key, is_placeholder
from assistant.model import (
    FRAMEWORKS,
    L1_BENEFIT,
    L1_COST,
    L1_OUTPUT,
    L1_SATISFACTION,
    Amount,
    FundSources,
    Header,
    Indicator,
    Provenance,
    TargetTable,
    normalize_level1,
    normalize_level2,
    normalize_levels,
    split_number,
)

L1_NAMES = {L1_OUTPUT, L1_BENEFIT, L1_COST, L1_SATISFACTION}
L2_NAMES = {l2 for tree in FRAMEWORKS.values() for l2s in tree.values() for l2 in l2s}
L2_PARENTS = {l2: l1 for tree in FRAMEWORKS.values() for l1, l2s in tree.items() for l2 in l2s}
SINGLE_CHILD = {l1: l2s[0] for l1, l2s in FRAMEWORKS["pre2021"].items() if len(l2s) == 1}

_SCORE = re.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]$")
_ROW_NOISE = {"绩效指标", "年度绩效指标", "本年度绩效指标", "年度绩效指标完成情况", "具体指标"}
_WS = re.compile(r"[\s\u3000]+")

# --- recognising cells -------------------------------------------------------------


def label_key(text: str) -> str:
    """A cell reduced for label lookup: no spaces, no score suffix such as (50分), no colon."""
    return _SCORE.sub("", _WS.sub("", text)).rstrip(":：")


def as_level1(text: str) -> str | None:
    name = normalize_level1(label_key(text))
    return name if name in L1_NAMES else None


def as_level2(text: str) -> str | None:
    name = normalize_level2(label_key(text))
    return name if name in L2_NAMES else None


def is_level_label(text: str) -> bool:
    return as_level1(text) is not None or as_level2(text) is not None


_VALUE_START = re.compile(
    r"^\s*(?:[≥≤><=＞＜≧≦＝]|大于|小于|不低于|不少于|不高于|不超过|不多于|约|[\d０-９]|[一二两三四五六七八九十百千万]+[个次期人台套项份天年月])"
)
_GRADES = {"优", "良", "中", "差", "优良", "合格", "达标", "是", "否", "长期", "持续", "有效"}


def looks_like_value(text: str) -> bool:
    """A rough shape test used only to place a lone cell (a value wrapped onto its own line)."""
    t = text.strip()
    return bool(_VALUE_START.match(t)) or t in _GRADES or t.endswith("%")


# --- splitting lines into cells -------------------------------------------------------


@dataclass
class Row:
    line: int
    cells: list[str]

    @property
    def filled(self) -> list[str]:
        return [c for c in self.cells if c]


def rows_from_text(text: str) -> list[Row]:
    """Split text into rows of stripped cells: tabs if the file uses them, else pipes, else
    runs of whitespace. A page printed one cell per line (web tables copied as text) is
    regrouped into rows by ``_regroup_vertical``."""
    lines = text.splitlines()
    tabbed = sum(1 for ln in lines if "\t" in ln)
    piped = sum(1 for ln in lines if "|" in ln)
    if tabbed >= 3:
        return [Row(i, _split_tabs(ln)) for i, ln in enumerate(lines, start=1)]
    if piped >= 3:
        rows = [Row(i, _split_pipes(ln)) for i, ln in enumerate(lines, start=1)]
        if _is_vertical(rows):
            return _regroup_vertical(_pipe_cells(text))
        return rows
    if any(label_key(ln) == "一级指标" for ln in lines):
        return _regroup_vertical([Row(i, [ln.strip()]) for i, ln in enumerate(lines, start=1)])
    return [Row(i, _split_spaces(ln)) for i, ln in enumerate(lines, start=1)]


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


_BARE = re.compile(r"[0-9.,]+")
_SCORE_NOTE = re.compile(r"^[(（]?\d+(?:\.\d+)?分[)）]?$")
_SCORE_CELL = re.compile(r"^\d{1,2}(?:\.\d+)?$")


def _regroup_vertical(rows: list[Row]) -> list[Row]:
    """Rebuild indicator rows from a one-cell-per-line stream: after the indicator header,
    leading level labels plus as many cells as the header has columns make one row."""
    cells = [(r.line, r.filled[0]) for r in rows if r.filled]
    out: list[Row] = []
    i = 0
    while i < len(cells):
        line, cell = cells[i]
        key = label_key(cell)
        nxt = label_key(cells[i + 1][1]) if i + 1 < len(cells) else ""
        if key == "一级指标" or (key in _ROW_NOISE and nxt == "一级指标"):
            header: list[str] = []
            while i < len(cells) and not is_level_label(cells[i][1]):
                if header and looks_like_value(cells[i][1]):
                    i += 1  # a section score printed under the header ("50")
                    continue
                header.append(cells[i][1])
                i += 1
            head = Row(line, header)
            out.append(head)
            width = len(_column_roles(head))
            i = _regroup_indicators(cells, i, width, out)
            continue
        out.append(Row(line, [cell]))
        i += 1
    return out


def _ends_block(cell: str, line: int) -> bool:
    row = Row(line, [cell])
    return _is_title(row) or _is_stop(row) or header_field(cell) == "project"


def _regroup_indicators(cells: list[tuple[int, str]], i: int, width: int, out: list[Row]) -> int:
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


# --- header block --------------------------------------------------------------------

_HEADER_LABELS: dict[str, str] = {}
for _field, _labels in {
    "project": ("项目名称", "项目(专项)名称", "项目支出名称", "专项名称"),
    "department": ("主管部门", "项目主管部门", "主管部门及代码"),
    "unit": ("实施单位", "项目实施单位", "项目执行单位", "具体实施单位"),
    "unit_fallback": ("预算单位", "申报单位", "预算部门"),
    "attribute": ("项目属性",),
    "period": ("项目期", "项目支出实施期", "实施期"),
    "total": ("项目总额", "项目金额", "预算数", "年度本级预算金额", "预算金额"),
    "annual_total": ("年度资金总额", "年度财政资金总额"),
    "ctx_local": ("本级资金",),
    "ctx_transfer": ("转移市县(区)资金", "转移市县资金"),
    "ctx_total": ("资金总额",),
    "fiscal": ("财政拨款", "本年财政拨款", "当年财政拨款", "财政拨款小计", "财政资金"),
    "other": ("其他资金",),
    "carryover": ("结余结转资金", "上年结转资金"),
    "central": ("中央资金",),
    "regional": ("自治区资金", "省级资金"),
    "goal": (
        "年度总体绩效目标",
        "年度总体目标",
        "年度绩效目标",
        "本年度绩效目标",
        "总体绩效目标",
        "年度绩效目标(文字)",
        "项目年度目标",
        "年度目标",
    ),
    "ignore": ("项目负责人", "联系电话", "项目来源", "项目类别", "项目负责人及电话", "单位"),
}.items():
    for _label in _labels:
        _HEADER_LABELS[_label] = _field

_HEADER_PREFIX = re.compile(r"^(?:其中[:：]?|[(（]?[一二三四五六七八九十\d]+[)）、.．])+")
_TITLE_YEAR = re.compile(r"[(（]\s*((?:19|20)\d{2})\s*年度?\s*[)）]")
_ANY_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)")
_UNIT_LINE = re.compile(r"^单位\s*[:：]")
_STOP_PREFIXES = (
    "注:",
    "注：",
    "填表人",
    "备注",
    "财政部门",
    "审核意见",
    "附件",
    "财政资金管理",
    "偏差大",
    "总分",
)
_MONEY_FIELDS = {
    "total",
    "annual_total",
    "fiscal",
    "other",
    "carryover",
    "central",
    "regional",
    "local_level",
    "transfer",
}


def header_field(text: str) -> str | None:
    """The header field a label cell names (项目名称 → project …), else None."""
    key = header_key(text)
    key = _HEADER_PREFIX.sub("", key)
    return _HEADER_LABELS.get(key)


def _is_project_row(row: Row) -> bool:
    return any(header_field(c) == "project" for c in row.filled[:2])


def _is_indicator_header(row: Row, loose: bool = False) -> bool:
    """The 一级指标/二级指标/三级指标 header row (``loose``: 一级指标 may end a longer cell)."""
    keys = {label_key(c) for c in row.filled}
    first = "一级指标" in keys or (loose and any(k.endswith("一级指标") for k in keys))
    return first and ("二级指标" in keys or "三级指标" in keys)


def _is_column_titles(row: Row) -> bool:
    """A second header line such as "2021年实际实现值 | 预期2022年实现值"."""
    return all(label_key(c).endswith("值") for c in row.filled)


def _is_title(row: Row) -> bool:
    filled = row.filled
    if any(_UNIT_LINE.match(c) for c in filled):
        return True
    if len(filled) != 1:
        return False
    text = _WS.sub("", filled[0])
    return bool(
        _TITLE_YEAR.fullmatch(text) or (text.endswith("表") and ("绩效" in text or "目标" in text))
    )


def _is_stop(row: Row) -> bool:
    first = row.filled[0] if row.filled else ""
    return first.startswith(_STOP_PREFIXES)


def _column_roles(row: Row) -> list[str]:
    """Roles of the columns after the level columns: name / value / actual / op / unit /
    other (op and unit are the formal 指标性质 and 计量单位 columns)."""
    roles: list[str] = []
    for cell in row.filled:
        key = label_key(cell)
        if key in {"一级指标", "二级指标"} or key in _ROW_NOISE:
            continue
        if "实际" in key or "完成值" in key or ("实现值" in key and "预期" not in key):
            roles.append("actual")
        elif "指标值" in key or "目标值" in key or key.startswith("预期"):
            roles.append("value")
        elif key in {"三级指标", "指标名称", "指标内容", "三级指标名称"} and "name" not in roles:
            roles.append("name")
        elif key in {"指标性质", "计算符号"}:
            roles.append("op")
        elif key == "计量单位":
            roles.append("unit")
        elif key == "度量值":
            roles.append("measure")
        else:
            roles.append("other")
    if "name" not in roles or "value" not in roles:
        return ["name", "value"]
    return roles


# --- one table being read ------------------------------------------------------------


@dataclass
class _Draft:
    level1: str | None
    level2: str | None
    name: str
    value: str | None
    actual: str | None
    line: int


@dataclass
class _TableReader:
    source: str
    start_line: int
    year: int | None
    fields: dict[str, str] = field(default_factory=dict)
    field_lines: dict[str, int] = field(default_factory=dict)
    goal_parts: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=lambda: ["name", "value"])
    rows: list[_Draft] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # header-block state
    _ctx: str | None = None
    _last_label: str | None = None
    _at: int = 0  # line of the last label seen
    _goal_open: bool = False
    # indicator-block state
    l1: str | None = None
    l2: str | None = None
    last_num: int | None = None
    pending: list[_Draft] = field(default_factory=list)
    pending_l1: str | None = None
    dangling: _Draft | None = None

    # header block
    def header_row(self, row: Row) -> None:
        for cell in row.filled:
            fld = header_field(cell)
            if fld is not None:
                self._goal_open = False
                if fld == "ctx_local":
                    self._ctx = "local_level"
                elif fld == "ctx_transfer":
                    self._ctx = "transfer"
                elif fld == "ctx_total":
                    self._last_label = self._ctx
                    self._at = row.line
                    continue
                self._last_label = fld if fld not in ("ctx_local", "ctx_transfer") else None
                self._at = row.line
                if fld == "goal":
                    self._goal_open = True
                continue
            if self._goal_open:
                if not _SCORE_NOTE.match(cell):  # "98分)" printed beside the label
                    self.goal_parts.append(cell)
                continue
            label = self._last_label
            self._last_label = None
            if label is None or label == "ignore" or label in self.fields:
                continue
            if label in _MONEY_FIELDS and not _money_like(cell, same_line=row.line == self._at):
                continue  # a column title ("金额(万元)"), a dash, or text from the next line
            self.fields[label] = cell
            self.field_lines[label] = row.line

    # indicator block
    def indicator_row(self, row: Row) -> None:
        cells = row.filled
        labels: list[str] = []
        i = 0
        while i < len(cells) and (is_level_label(cells[i]) or label_key(cells[i]) in _ROW_NOISE):
            if label_key(cells[i]) not in _ROW_NOISE:
                labels.append(cells[i])
            i += 1
        texts = cells[i:]
        if not labels and [label_key(t) for t in texts] == ["指标"]:
            return  # the tail of a label wrapped onto its own line (项目完成 / 指标)
        l1, l2 = _resolve_labels(labels)

        if not texts:
            if l1 or l2:
                self._set_levels(l1, l2, None, row.line)
            return
        name, value, actual = self._assign_roles(texts)

        if len(texts) == 1 and not labels:
            if self.dangling is not None and looks_like_value(texts[0]):
                self.dangling.value = texts[0]
                self._place(self.dangling, None, None)
                self.dangling = None
                return
            prev = self._last_placed()
            if (
                self.dangling is None
                and prev is not None
                and prev.line == row.line - 1
                and split_number(texts[0])[0] is None
                and not looks_like_value(texts[0])
            ):
                prev.name += texts[0]  # the tail of a name wrapped onto the next line
                return
        if self.dangling is not None:
            if not labels and split_number(name)[0] is None and value is not None:
                # a name wrapped over two lines: join the halves
                self.dangling.name += name
                self.dangling.value = value
                self.dangling.actual = actual
                self._place(self.dangling, None, None)
                self.dangling = None
                return
            self._drop_dangling()

        if is_placeholder(name, value or ""):
            self._set_levels(l1, l2, None, row.line)
            shown = self.l2 or "（二级指标不明）"
            self.notes.append(f"{shown}：{name} / {value}（不适用，第{row.line}行）")
            return
        draft = _Draft(None, None, name, value, actual, row.line)
        if value is None:
            if l1 or l2:
                self._set_levels(l1, l2, None, row.line)
            self.dangling = draft
            return
        self._place(draft, l1, l2)

    def _assign_roles(self, texts: list[str]) -> tuple[str, str | None, str | None]:
        found: dict[str, str] = {}
        for role, text in zip(self.roles, texts, strict=False):
            found.setdefault(role, text)
        value = found.get("value")
        formal = ("op" in found or "unit" in found) and "measure" not in self.roles
        if value is not None and formal and _BARE.fullmatch(value):
            # 指标值 holds only the number; 指标性质 and 计量单位 stand in their own columns
            op = found.get("op", "")
            value = f"{'' if op == '定性' else op}{value}{found.get('unit', '')}"
        return found.get("name", texts[0]), value, found.get("actual")

    def _set_levels(self, l1: str | None, l2: str | None, num: int | None, line: int) -> None:
        """A label row: resolve pending rows, then move to the new level(s)."""
        if l2 is not None:
            if self.pending:
                last = _last_number(self.pending)
                if num is not None and last is not None and num == last + 1:
                    self._assign_pending(l1 or self.pending_l1, l2)
                else:
                    self._flush_pending()
            base_l1 = l1 or (self.l1 if L2_PARENTS.get(l2) in (None, self.l1) else None)
            self.l1, self.l2 = normalize_levels(base_l1, l2)
            self.last_num = num
        elif l1 is not None:
            self._flush_pending()
            child = SINGLE_CHILD.get(l1)
            if child is not None:
                self.l1, self.l2 = l1, child
                self.last_num = num
            elif (
                self.l2 is not None
                and L2_PARENTS.get(self.l2) == l1
                and (num is None or self.last_num is None or num == self.last_num + 1)
            ):
                self.l1 = l1  # a repeated first-level label inside its own group
            else:
                self.l1, self.l2, self.last_num = l1, None, None
                self.pending_l1 = l1

    def _continues_pending(self, num: int | None) -> bool:
        last = _last_number(self.pending)
        return bool(self.pending) and (num is None or last is None or num == last + 1)

    def _place(self, draft: _Draft, l1: str | None, l2: str | None) -> None:
        num = split_number(draft.name)[0]
        if l2 is not None:
            self._set_levels(l1, l2, num, draft.line)
            self._add(draft, self.l1, self.l2)
            if num is not None:
                self.last_num = num
            return
        if l1 is not None:
            if self._continues_pending(num):
                self.pending_l1 = l1
                self.pending.append(draft)
                return
            self._set_levels(l1, None, num, draft.line)
            if self.l2 is None:  # a first-level label whose second level is yet to come
                self.pending.append(draft)
                return
            self._add(draft, self.l1, self.l2)
            if num is not None:
                self.last_num = num
            return
        if self.pending:
            if self._continues_pending(num):
                self.pending.append(draft)
                return
            self._flush_pending()
        restart = num == 1 and self.last_num is not None and self.last_num >= 1
        if self.l2 is None or restart:
            self.pending_l1 = self.l1
            self.pending.append(draft)
            return
        self._add(draft, self.l1, self.l2)
        if num is not None:
            self.last_num = num

    def _last_placed(self) -> _Draft | None:
        candidates = [d for d in (self.pending[-1:] + self.rows[-1:])]
        return max(candidates, key=lambda d: d.line) if candidates else None

    def _add(self, draft: _Draft, l1: str | None, l2: str) -> None:
        level1, level2 = normalize_levels(l1, l2)
        draft.level1, draft.level2 = level1, level2
        self.rows.append(draft)

    def _assign_pending(self, l1: str | None, l2: str) -> None:
        for d in self.pending:
            self._add(d, l1, l2)
        self.pending = []
        self.pending_l1 = None

    def _flush_pending(self) -> None:
        """Rows whose second level never came: keep them under the previous label, say so."""
        if not self.pending:
            return
        first, last = self.pending[0].line, self.pending[-1].line
        lines = f"第{first}行" if first == last else f"第{first}–{last}行"
        if self.l2 is not None:
            self.notes.append(f"{lines}未标明二级指标，按上一组“{self.l2}”归入")
            for d in self.pending:
                self._add(d, self.l1, self.l2)
        else:
            self.notes.append(f"{lines}无法确定二级指标，未导入")
        self.pending = []
        self.pending_l1 = None

    def _drop_dangling(self) -> None:
        if self.dangling is not None:
            self.notes.append(
                f"第{self.dangling.line}行“{self.dangling.name}”只有指标名称、没有指标值，未导入"
            )
            self.dangling = None

    def finish(self) -> TargetTable | None:
        self._drop_dangling()
        self._flush_pending()
        project = self.fields.get("project", "").strip()
        if not project or not self.rows:
            return None
        unit = self.fields.get("unit") or self.fields.get("unit_fallback")
        department = self.fields.get("department")
        year = self.year
        if year is None:
            m = _ANY_YEAR.search(project)
            year = int(m.group(1)) if m else None
        money = {k: self._amount(k) for k in _MONEY_FIELDS}
        total = money["total"] or money["annual_total"]
        header = Header(
            project_name=project,
            department=department,
            unit=unit,
            attribute=self.fields.get("attribute"),
            period=self.fields.get("period"),
            year=year,
            total=total,
            annual_total=money["annual_total"],
            funds=FundSources(
                fiscal=money["fiscal"],
                other=money["other"],
                carryover=money["carryover"],
                local_level=money["local_level"],
                transfer=money["transfer"],
                central=money["central"],
                regional=money["regional"],
            ),
        )
        indicators = [
            Indicator(
                level1=d.level1 or "",
                level2=d.level2 or "",
                name=d.name,
                value=d.value or "",
                actual=d.actual,
                provenance=Provenance(
                    source=self.source,
                    line=d.line,
                    project=project,
                    unit=unit,
                    department=department,
                    year=year,
                ),
            )
            for d in self.rows
        ]
        self_eval = "actual" in self.roles
        return TargetTable(
            header=header,
            goal="".join(self.goal_parts).strip(),
            indicators=indicators,
            table_type="self_evaluation" if self_eval else "target",
            provenance=Provenance(
                source=self.source,
                line=self.start_line,
                project=project,
                unit=unit,
                department=department,
                year=year,
            ),
            notes=self.notes,
        )

    def _amount(self, key: str) -> Amount | None:
        text = self.fields.get(key)
        if not text:
            return None
        amount = Amount.parse(text) or Amount.parse(text.removesuffix("万"))
        if amount is None:
            self.notes.append(f"第{self.field_lines[key]}行金额“{text}”无法识别，未读入")
        return amount


def _money_like(text: str, same_line: bool) -> bool:
    """Whether a cell after a money label is its amount: on the label's own line any cell with
    a digit is (and is noted if it does not parse); from a later line only a real amount."""
    if not re.search(r"[0-9０-９]", text):
        return False
    return (
        same_line
        or Amount.parse(text) is not None
        or Amount.parse(text.removesuffix("万")) is not None
    )


def _last_number(drafts: list[_Draft]) -> int | None:
    for d in reversed(drafts):
        num = split_number(d.name)[0]
        if num is not None:
            return num
    return None


def _resolve_labels(labels: list[str]) -> tuple[str | None, str | None]:
    """(level1, level2) from the label cells leading a row; ambiguous names (成本指标,
    满意度指标) read as second level when alone, as first level when another label follows."""
    if not labels:
        return None, None
    if len(labels) == 1:
        only = labels[0]
        l2 = as_level2(only)
        return (None, l2) if l2 is not None else (as_level1(only), None)
    first, second = labels[-2], labels[-1]
    l1 = as_level1(first)
    l2 = as_level2(second)
    if l2 is None:
        return as_level1(second) or l1, None
    return l1, l2


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


def parse_rows(rows: list[Row], source: str) -> tuple[list[TargetTable], list[str]]:
    """Tables found in rows of cells; returns (tables, warnings about what was left out)."""
    tables: list[TargetTable] = []
    warnings: list[str] = []
    preamble: list[Row] = []
    reader: _TableReader | None = None
    mode = "preamble"

    def close() -> None:
        nonlocal reader
        if reader is None:
            return
        table = reader.finish()
        if table is None:
            name = reader.fields.get("project") or "（无名称）"
            warnings.append(f"第{reader.start_line}行起的表格“{name}”没有可读的指标行，未导入")
        else:
            tables.append(table)
        reader = None

    for row in rows:
        if not row.filled:
            continue
        if _is_project_row(row):
            close()
            reader = _TableReader(source, row.line, _year_from(preamble[-12:]))
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


def parse_text(text: str, source: str) -> tuple[list[TargetTable], list[str]]:
    """Parse the published text layout. Raises JixiaoError when no table can be recognised."""
    rows = rows_from_text(text)
    tables, warnings = parse_rows(rows, source)
    if not tables:
        detail = f"（{warnings[0]}）" if warnings else ""
        nameless = next(
            (r.line for r in rows if not warnings and _is_indicator_header(r, loose=True)), None
        )
        glued = next(
            (
                n
                for n, ln in enumerate(text.splitlines(), 1)
                if "一级指标二级指标" in _WS.sub("", ln)
            ),
            None,
        )
        if nameless is not None:
            detail = f"（第{nameless}行有指标表头，但没有单独成格的“项目名称”，无法确定是哪个项目）"
        elif glued is not None and not warnings:
            detail = f"（第{glued}行有“一级指标二级指标…”，但单元格之间没有分隔符，无法分列）"
        raise JixiaoError(
            "没有找到可识别的绩效目标表：需要“项目名称”和“一级指标/二级指标/三级指标/指标值”"
            f"表头下的指标行{detail}",
            path=source,
        )
    return tables, warnings
