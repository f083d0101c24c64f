"""Reading one published table's indicator block: cells to column roles, rows placed under
their level labels (a label may come late, be repeated or be missing), every row checked
before it is taken (``labels.row_problem``), and the whole built into a ``TargetTable``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from assistant.importers.flat import is_placeholder
from assistant.importers.labels import (
    _ANY_YEAR,
    _BARE,
    _MONEY_FIELDS,
    _ROW_NOISE,
    _SCORE_CELL,
    L1_NAMES,
    L2_NAMES,
    L2_PARENTS,
    SINGLE_CHILD,
    Row,
    as_level1,
    is_level_label,
    label_key,
    looks_like_value,
    row_problem,
)
from assistant.importers.row_labels import _first_level_cell, _name_is_a_level, _resolve_labels
from assistant.importers.text_header import HeaderBlock
from assistant.model import (
    Amount,
    FundSources,
    Header,
    Indicator,
    Provenance,
    TargetTable,
    normalize_levels,
    split_number,
)

_DEADLINE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_COMPARED = re.compile(r"[≥≤><=＞＜≧≦＝]+\s*[0-9.,]+")

# --- one table being read ------------------------------------------------------------


@dataclass
class _Draft:
    level1: str | None
    level2: str | None
    name: str
    value: str | None
    actual: str | None
    line: int
    extra: dict[str, str] = field(default_factory=dict)  # weight, basis, note … by role
    problem: str | None = None  # why the row's cells do not fit the table's columns


@dataclass
class _TableReader(HeaderBlock):
    """One table: the header block (``HeaderBlock``), then its indicator rows placed under
    their levels, checked, and built into a ``TargetTable`` by ``finish``."""

    source: str
    start_line: int
    year: int | None
    roles: list[str] = field(default_factory=lambda: ["name", "value"])
    rows: list[_Draft] = field(default_factory=list)
    # indicator-block state
    l1: str | None = None
    l2: str | None = None
    last_num: int | None = None
    pending: list[_Draft] = field(default_factory=list)
    pending_l1: str | None = None
    dangling: _Draft | None = None
    l2_column: bool = False  # the header has its own 二级指标 column
    unplaced: list[_Draft] = field(default_factory=list)  # rows no level was ever given

    def indicator_row(self, row: Row) -> None:
        cells = row.filled
        labels: list[str] = []
        i = 0
        while i < len(cells) and (is_level_label(cells[i]) or label_key(cells[i]) in _ROW_NOISE):
            if label_key(cells[i]) not in _ROW_NOISE:
                labels.append(cells[i])
            i += 1
        texts = cells[i:]
        if _name_is_a_level(labels, texts):
            texts = [labels.pop(), *texts]  # "服务对象满意度指标 | 服务对象满意度 | ≥95%"
        if "pname" in self.roles:  # side-by-side sets: the second set repeats its levels
            texts = [t for t in texts if not is_level_label(t)]
        if not labels and [label_key(t) for t in texts] == ["指标"]:
            return  # the tail of a label wrapped onto its own line (项目完成 / 指标)
        l1, l2 = _resolve_labels(labels)

        if not texts:
            if l1 or l2:
                self._set_levels(l1, l2, None, row.line)
            return
        name, value, actual, extra = self._assign_roles(texts)
        problem = extra.pop("problem", None)
        if row.ruled and self.l2_column and len(labels) == 1 and _first_level_cell(labels[0]):
            # in a drawn table the 一级 cell opens its group, so the 二级 cell stands beside it
            l1, l2 = as_level1(labels[0]), None
            problem = problem or (
                f"第一格是一级指标“{labels[0]}”，下一格“{texts[0]}”应是二级指标，却不是框架中的名称"
            )

        if len(texts) == 1 and not labels:
            if self.dangling is not None and looks_like_value(texts[0]):
                self.dangling.value = texts[0]
                self._place(self.dangling, None, None)
                self.dangling = None
                return
            prev = self._last_placed()
            if (
                self.dangling is None
                and not row.ruled  # in a drawn table a lone cell is a row of its own
                and prev is not None
                and prev.line == row.line - 1
                and split_number(texts[0])[0] is None
                and not looks_like_value(texts[0])
            ):
                prev.name += texts[0]  # the tail of a name wrapped onto the next line
                return
        if self.dangling is not None:
            if (
                not labels
                and not row.ruled  # in a drawn table each line is a row of its own
                and not looks_like_value(split_number(self.dangling.name)[1])  # a lone value
                and split_number(name)[0] is None
                and value is not None
            ):
                # a name wrapped over two lines: join the halves
                self.dangling.name += name
                self.dangling.value = value
                self.dangling.actual = actual
                self.dangling.extra = extra
                self._place(self.dangling, None, None)
                self.dangling = None
                return
            self._drop_dangling()

        if is_placeholder(name, value or ""):
            self._set_levels(l1, l2, None, row.line)
            shown = self.l2 or "（二级指标不明）"
            self.notes.append(f"{shown}：{name} / {value}（不适用，第{row.line}行）")
            return
        draft = _Draft(None, None, name, value, actual, row.line, extra, problem)
        if len(texts) > len(self.roles):
            draft.problem = f"这一行有 {len(texts)} 格，比表头的 {len(self.roles)} 列多，各列对不上"
        if value is None:
            if l1 or l2:
                self._set_levels(l1, l2, None, row.line)
            self.dangling = draft
            return
        self._place(draft, l1, l2)

    def _assign_roles(self, texts: list[str]) -> tuple[str, str | None, str | None, dict[str, str]]:
        """Cells to column roles, left to right; a short row's trailing score cell goes to
        the 分值/权重 column at the end, not to the first empty role."""
        roles = list(self.roles)
        found: dict[str, str] = {}
        cells = list(texts)
        if "pname" in roles and len(cells) <= len(roles) - roles.index("name"):
            roles = roles[roles.index("name") :]  # the 实施周期 set left empty: annual only
        while (  # a short row ending in a score: its trailing text columns are the empty ones
            len(cells) < len(roles)
            and roles[-1] in ("reason", "note", "rule")
            and cells
            and _SCORE_CELL.match(cells[-1])
        ):
            roles.pop()
        while (
            len(cells) < len(roles)
            and roles[-1] in ("weight", "score")
            and cells
            and _SCORE_CELL.match(cells[-1])
            and len(cells) > 2
        ):
            found.setdefault(roles.pop(), cells.pop())
        for role, text in zip(roles, cells, strict=False):
            found.setdefault(role, text)
        value = found.get("value")
        if "direction" in roles:
            # 指标性质 / 指标方向 / 目标值 / 计量单位 in their own columns: kept as written
            # (a 定性 row leaves 方向 empty, so its text sits one column early)
            parts = [found.get(r, "") for r in ("op", "direction", "value", "unit")]
            value = " ".join(p for p in parts if p) or None
        signs = {found.get("op", ""), found.get("direction", "")}
        if signs & {"反向", "反向指标"} and signs & {"=", "＝", "等于"}:
            found["problem"] = "指标方向是“反向”，比较符号却是“=”，指标值是上限还是定值不明"
        formal = ("op" in found or "unit" in found) and "measure" not in self.roles
        if value is not None and formal and _BARE.fullmatch(value):
            # 指标值 holds only the number; 指标性质 and 计量单位 stand in their own columns
            op = found.get("op", "")
            value = f"{'' if op == '定性' else op}{value}{found.get('unit', '')}"
        elif value is not None and formal and _COMPARED.fullmatch(value):
            unit = found.get("unit", "")
            if unit and not re.search(r"\d", unit):  # =100 in 指标值, % in 度量单位
                value += unit
        extra: dict[str, str] = {
            r: found[r]
            for r in ("weight", "basis", "rule", "reason", "note", "problem")
            if r in found
        }
        period = found.get("period")
        if period is not None and period != value:
            pname = found.get("pname")
            named = f"“{pname}”" if pname and pname != found.get("name") else ""
            extra["period"] = f"实施周期指标值{named}：{period}"
        return found.get("name", texts[0]), value, found.get("actual"), extra

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
            self._add(draft, self.l1, self.l2 or l2)
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
        else:  # counted with the rows that fail their checks: too many refuse the table
            for d in self.pending:
                d.problem = d.problem or "表中没有标出它的二级指标，无法确定归属"
            self.unplaced += self.pending
        self.pending = []
        self.pending_l1 = None

    def _drop_dangling(self) -> None:
        if self.dangling is not None:
            self.notes.append(
                f"第{self.dangling.line}行“{self.dangling.name}”只有指标名称、没有指标值，未导入"
            )
            self.dangling = None

    def finish(self) -> TargetTable | None:
        """The table read, or None when it has no project name or no row. Every row passes
        ``_check_rows`` first; a table too many of whose rows fail is refused (``Refused``)."""
        self._drop_dangling()
        self._flush_pending()
        self._check_rows()
        project = self.fields.get("project", "").strip()
        if not project or not self.rows:
            return None
        unit = self.fields.get("unit") or self.fields.get("unit_fallback")
        department = self.fields.get("department")
        year = self.year
        if year is None:
            m = _ANY_YEAR.search(project)
            year = int(m.group(1)) if m else self._deadline_year()
        money = {k: self._amount(k) for k in _MONEY_FIELDS}
        total = money["total"] or money["annual_total"] or self._total_of_sources(money)
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
        origin = Provenance(
            source=self.source, project=project, unit=unit, department=department, year=year
        )
        indicators = [
            Indicator(
                level1=d.level1 or "",
                level2=d.level2 or "",
                name=d.name,
                value=d.value or "",
                actual=d.actual,
                weight=d.extra.get("weight"),
                basis=d.extra.get("basis"),
                note=_note(d.extra),
                provenance=origin.model_copy(update={"line": d.line}),
            )
            for d in self.rows
        ]
        self_eval = "actual" in self.roles
        return TargetTable(
            header=header,
            goal="".join(self.goal_parts).strip(),
            indicators=indicators,
            table_type="self_evaluation" if self_eval else "target",
            provenance=origin.model_copy(update={"line": self.start_line}),
            notes=self.notes,
        )

    def _deadline_year(self) -> int | None:
        """A page printing no year anywhere in its table: the year all its 时效指标 deadlines
        name ("2021年12月31日" is the budget year 2021), noted; None when they disagree."""
        years = {
            int(m.group(1))
            for d in self.rows
            if d.level2 == "时效指标"
            for m in _DEADLINE_YEAR.finditer(d.value or "")
        }
        if len(years) != 1:
            return None
        (year,) = years
        self.notes.append(f"表中没有写年度，按时效指标的完成时间定为{year}年")
        return year

    def _total_of_sources(self, money: dict[str, Amount | None]) -> Amount | None:
        """The 资金总额 line printed without its amount ("年度资金总额 | 金额(万元)") above
        the source lines: the total is their sum (财政拨款 + 其他/自有资金 + 结转), noted."""
        parts = [a for k in ("fiscal", "other", "carryover") if (a := money[k]) is not None]
        if not self.total_labelled or money["fiscal"] is None:
            return None
        value = sum((a.value for a in parts), Decimal(0))
        raw = "+".join(a.raw for a in parts)
        self.notes.append(f"资金总额一栏没有金额，按资金来源合计{value}万元（{raw}）")
        return Amount(value=value, raw=raw)

    def _check_rows(self) -> None:
        """Skip each row that does not read as an indicator, naming its line and why; when
        more than a quarter of the rows (and at least two) fail, the table's columns are not
        what they seem (shifted or shuffled), so the whole table is refused."""
        kept: list[_Draft] = []
        failed: list[tuple[_Draft, str]] = [(d, d.problem or "") for d in self.unplaced]
        for d in self.rows:
            problem = d.problem or row_problem(d.name, d.value or "", d.actual, d.level2)
            if problem is None and (d.level1 not in L1_NAMES or d.level2 not in L2_NAMES):
                problem = f"指标层级“{d.level1 or ''}/{d.level2 or ''}”不是框架中的名称"
            if problem is None:
                kept.append(d)
            else:
                failed.append((d, problem))
        total = len(self.rows) + len(self.unplaced)
        failed.sort(key=lambda f: f[0].line)
        if failed and len(failed) >= 2 and len(failed) * 4 > total:
            d, problem = failed[0]
            raise Refused(
                f"第{d.line}行起的表格“{self.fields.get('project', '')}”有 {len(failed)} 行"
                f"读不通（第{d.line}行：{problem}），各列可能错位，{_REFUSED}",
                d.line,
            )
        for d, problem in failed:
            self.notes.append(f"第{d.line}行“{d.name}”跳过：{problem}")
        self.rows = kept


_REFUSED = "整张表未导入"


class Refused(Exception):
    """A table whose rows do not read as indicators: the reason and its first line."""

    def __init__(self, reason: str, line: int) -> None:
        super().__init__(reason)
        self.reason, self.line = reason, line


def _note(extra: dict[str, str]) -> str | None:
    """Indicator.note: the 实施周期 value, the scoring rule, the 偏差原因, the 备注."""
    parts = [extra[k] for k in ("period", "note") if k in extra]
    parts += [
        f"{label}：{extra[k]}"
        for k, label in (("rule", "评分标准"), ("reason", "偏差原因"))
        if k in extra
    ]
    return "；".join(parts) or None


def _last_number(drafts: list[_Draft]) -> int | None:
    for d in reversed(drafts):
        num = split_number(d.name)[0]
        if num is not None:
            return num
    return None
