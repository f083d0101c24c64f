"""The flat interchange table: one row per indicator, header fields repeated (architecture.md).

The column names and order live in ``assistant.flat_table`` (shared with the exporter);
``HEADER_ALIASES`` lists the header variants the importer accepts. ``tables_from_rows``
turns rows (already read from CSV or XLSX) into tables, grouped by project.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.errors import JixiaoError
from assistant.flat_table import (
    COL_ACTUAL,
    COL_ANNUAL,
    COL_DEPARTMENT,
    COL_GOAL,
    COL_L1,
    COL_L2,
    COL_L3,
    COL_MEASURE,
    COL_OPERATOR,
    COL_PROJECT,
    COL_TOTAL,
    COL_UNIT,
    COL_UNIT_OF_MEASURE,
    COL_VALUE,
    COL_YEAR,
    FLAT_COLUMNS,
    unguard,
)
from assistant.model import (
    FRAMEWORKS,
    Amount,
    Header,
    Indicator,
    Provenance,
    TargetTable,
    normalize_levels,
)

_L2_NAMES = {l2 for tree in FRAMEWORKS.values() for l2s in tree.values() for l2 in l2s}


# Header variants as people write them → canonical column. Keys are compared after
# ``header_key`` (spaces removed, full-width brackets and colons made half-width).
_ALIASES: dict[str, tuple[str, ...]] = {
    COL_PROJECT: ("项目名称", "项目", "项目(专项)名称", "项目支出名称", "专项名称"),
    COL_DEPARTMENT: ("主管部门", "项目主管部门", "主管部门及代码", "主管单位"),
    COL_UNIT: ("实施单位", "项目实施单位", "项目执行单位", "具体实施单位", "预算单位", "单位名称"),
    COL_YEAR: ("年度", "年份", "预算年度"),
    COL_TOTAL: (
        "项目总额(万元)",
        "项目总额",
        "总额(万元)",
        "总额",
        "项目金额(万元)",
        "项目金额",
        "项目资金(万元)",
        "预算金额(万元)",
        "预算数(万元)",
    ),
    COL_ANNUAL: ("年度资金总额(万元)", "年度资金总额", "其中:年度资金总额(万元)", "年度资金(万元)"),
    COL_GOAL: (
        "年度总体绩效目标",
        "年度总体目标",
        "年度绩效目标",
        "总体绩效目标",
        "绩效目标",
        "年度目标",
    ),
    COL_L1: ("一级指标", "一级"),
    COL_L2: ("二级指标", "二级"),
    COL_L3: ("三级指标", "三级", "指标名称", "指标内容", "三级指标名称"),
    COL_VALUE: ("指标值", "目标值", "年度指标值", "指标值及单位", "年度目标值", "年初目标值"),
    COL_OPERATOR: ("计算符号", "指标性质", "符号"),
    COL_MEASURE: ("度量值", "指标值(数值)"),
    COL_UNIT_OF_MEASURE: ("计量单位", "单位(计量)"),
    COL_ACTUAL: ("实际完成值", "完成值", "实际值", "全年实际值", "实际完成指标值"),
}

_FULL_TO_HALF = str.maketrans({"（": "(", "）": ")", "：": ":", "\ufeff": None})
_WS = re.compile(r"\s+")


# the csv module's messages (English) → Chinese
_CSV_REASONS = (
    ("field larger than field limit", "某一格内容过长（超过 13 万字），可能是引号没有配对"),
    ("new-line character seen in unquoted field", "引号外出现换行符"),
    ("unexpected end of data", "文件在引号中途结束，引号没有配对"),
    ("line contains NUL", "含有空字符（NUL），不是文本文件"),
    ("',' expected after '\"'", "引号后面应是逗号"),
)


def csv_error_reason(exc: Exception) -> str:
    """What the csv module complained about, in Chinese."""
    text = str(exc)
    for english, chinese in _CSV_REASONS:
        if english in text:
            return chinese
    return "无法按 CSV 读取（请检查引号和逗号）"


def header_key(text: str | None) -> str:
    """Normalise a header cell for alias lookup: no spaces, half-width brackets, no colon."""
    return _WS.sub("", (text or "").translate(_FULL_TO_HALF)).rstrip(":")


HEADER_ALIASES: dict[str, str] = {
    header_key(alias): canonical for canonical, aliases in _ALIASES.items() for alias in aliases
}

REQUIRED_COLUMNS = (COL_PROJECT, COL_L2, COL_L3)
_YEAR = re.compile(r"^\s*(\d{4})\s*(年度?)?\s*$")
_PLACEHOLDERS = {"0", "/", "-", "—", "－", "无", ""}
_COMPARATOR_TEXT = {"定性": ""}


def is_placeholder(name: str, value: str) -> bool:
    """``0 / 0`` (and the like) under 生态效益/经济效益: "not applicable", not an indicator."""
    return name.strip() in _PLACEHOLDERS and value.strip() in _PLACEHOLDERS


def canonical_header(cells: Sequence[str]) -> list[str | None]:
    """Map each header cell to its canonical column name (None for unknown columns)."""
    return [HEADER_ALIASES.get(header_key(c)) for c in cells]


def looks_like_flat_header(cells: Sequence[str]) -> bool:
    """True when a row names at least the project, level-3 and value columns."""
    cols = set(canonical_header(cells))
    return COL_L3 in cols and COL_PROJECT in cols and (COL_VALUE in cols or COL_MEASURE in cols)


def check_header(cells: Sequence[str], source: str, line: int = 1) -> list[str | None]:
    """Canonical columns of a header row, or a clear error naming what is missing."""
    cols = canonical_header(cells)
    present = set(cols)
    missing = [c for c in REQUIRED_COLUMNS if c not in present]
    if COL_VALUE not in present and COL_MEASURE not in present:
        missing.append(COL_VALUE)
    if missing:
        shown = "、".join(c.strip() for c in cells if c and c.strip())[:80] or "（空）"
        raise JixiaoError(
            f"表头缺少必需的列：{'、'.join(missing)}（读到的表头：{shown}）。"
            f"平表的列应为：{'、'.join(FLAT_COLUMNS)}",
            path=source,
            line=line,
        )
    return cols


def _compose_value(row: dict[str, str]) -> str:
    """指标值 from the three formal columns when the 指标值 column is empty."""
    op = row.get(COL_OPERATOR, "").strip()
    measure = row.get(COL_MEASURE, "").strip()
    unit = row.get(COL_UNIT_OF_MEASURE, "").strip()
    if not measure:
        return ""
    op = _COMPARATOR_TEXT.get(op, op)
    return f"{op}{measure}{unit}"


@dataclass
class _Group:
    row_line: int
    header: dict[str, str]
    indicators: list[Indicator] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _parse_year(text: str, source: str, line: int) -> int | None:
    if not text.strip():
        return None
    m = _YEAR.match(text)
    if not m:
        raise JixiaoError(f"年度“{text}”不是四位年份（如 2024）", path=source, line=line)
    return int(m.group(1))


def _parse_total(text: str, source: str, line: int) -> Amount | None:
    if not text.strip():
        return None
    amount = Amount.parse(text)
    if amount is None:
        raise JixiaoError(
            f"项目总额“{text}”不是金额（单位万元，如 10.015119）", path=source, line=line
        )
    return amount


def tables_from_rows(
    rows: list[dict[str, str]], source: str, lines: Sequence[int] | None = None
) -> list[TargetTable]:
    """Group flat rows by project (name, department, unit, year) into tables.

    ``rows`` map column names (canonical or any accepted variant) to cell text; ``lines``
    gives each row's line/row number in the source (default: header on line 1, rows after).
    Raises ``JixiaoError`` naming the line for a row that cannot be read.
    """
    if lines is None:
        lines = range(2, len(rows) + 2)
    groups: dict[tuple[str, ...], _Group] = {}
    for raw_row, line in zip(rows, lines, strict=True):
        row = {}
        for key, val in raw_row.items():
            col = HEADER_ALIASES.get(header_key(key), key)
            text = "" if val is None else str(val).strip()
            if text or col not in row:
                row[col] = text
        if not any(row.values()):
            continue
        name = row.get(COL_PROJECT, "")
        if not name:
            raise JixiaoError("缺少项目名称", path=source, line=line)
        year = _parse_year(row.get(COL_YEAR, ""), source, line)
        ident = (name, row.get(COL_DEPARTMENT, ""), row.get(COL_UNIT, ""), str(year or ""))
        group = groups.get(ident)
        if group is None:
            group = groups[ident] = _Group(line, {})
        _merge_header(group, row, source, line)

        l1, l2, l3 = row.get(COL_L1, ""), row.get(COL_L2, ""), row.get(COL_L3, "")
        value = row.get(COL_VALUE, "") or _compose_value(row)
        if not (l1 or l2 or l3 or value):
            continue  # a header-only row
        if is_placeholder(l3, value):
            if l2:
                group.notes.append(f"{l2}：{l3 or '0'} / {value or '0'}（不适用，第{line}行）")
            continue
        if not l2:
            raise JixiaoError(f"指标“{l3}”缺少二级指标", path=source, line=line)
        if not l3:
            raise JixiaoError("缺少三级指标（指标名称）", path=source, line=line)
        level1, level2 = normalize_levels(l1, l2)
        if level2 not in _L2_NAMES:
            raise JixiaoError(
                f"二级指标“{l2}”不是指标框架中的名称（应为数量指标、质量指标、时效指标、"
                "成本指标、经济效益、社会效益、生态效益、可持续影响、服务对象满意度等）",
                path=source,
                line=line,
            )
        if not value:
            group.notes.append(f"第{line}行“{l3}”没有指标值，已导入为空值，审核时会提示补填")
        problem = _row_problem(l3, value, row.get(COL_ACTUAL) or None)
        if problem is not None:
            raise JixiaoError(f"{problem}，这一行的各列可能错位", path=source, line=line)
        prov = Provenance(
            source=source,
            line=line,
            project=name,
            unit=row.get(COL_UNIT) or None,
            department=row.get(COL_DEPARTMENT) or None,
            year=year,
        )
        group.indicators.append(
            Indicator(
                level1=level1,
                level2=level2,
                name=l3,
                value=value,
                actual=row.get(COL_ACTUAL) or None,
                provenance=prov,
            )
        )

    tables = []
    for (name, dept, unit, year_text), group in groups.items():
        h = group.header
        _same_parent(group.indicators)
        total = _parse_total(h.get(COL_TOTAL, ""), source, group.row_line)
        annual = _parse_total(h.get(COL_ANNUAL, ""), source, group.row_line)
        header = Header(
            project_name=name,
            department=dept or None,
            unit=unit or None,
            year=int(year_text) if year_text else None,
            total=total or annual,
            annual_total=annual,
        )
        self_eval = any(i.actual for i in group.indicators)
        tables.append(
            TargetTable(
                header=header,
                goal=h.get(COL_GOAL, ""),
                indicators=group.indicators,
                table_type="self_evaluation" if self_eval else "target",
                provenance=Provenance(
                    source=source,
                    line=group.row_line,
                    project=name,
                    unit=header.unit,
                    department=header.department,
                    year=header.year,
                ),
                notes=group.notes,
            )
        )
    return tables


def _row_problem(name: str, value: str, actual: str | None) -> str | None:
    from assistant.importers.labels import row_problem  # labels reads this module's header_key

    return row_problem(name, value, actual)


def _same_parent(indicators: list[Indicator]) -> None:
    """One second-level name has one first-level parent in a table: 成本指标, the only name
    two trees place differently, follows its first row."""
    parent: dict[str, str] = {}
    for ind in indicators:
        ind.level1 = parent.setdefault(ind.level2, ind.level1)


def _merge_header(group: _Group, row: dict[str, str], source: str, line: int) -> None:
    """Repeated header fields must agree within one project; the first non-empty one counts."""
    for col, label in (
        (COL_TOTAL, "项目总额"),
        (COL_ANNUAL, "年度资金总额"),
        (COL_GOAL, "年度总体绩效目标"),
    ):
        text = row.get(col, "")
        if not text:
            continue
        seen = group.header.get(col)
        if seen is None:
            group.header[col] = text
        elif col in (COL_TOTAL, COL_ANNUAL) and _parse_total(text, source, line) != _parse_total(
            seen, source, line
        ):
            raise JixiaoError(
                f"{label}“{text}”与同一项目前面的行（“{seen}”）不一致", path=source, line=line
            )


def read_csv_rows(text: str, source: str) -> tuple[list[dict[str, str]], list[int]]:
    """Rows of a CSV/TSV text (already decoded) keyed by canonical column, with line numbers."""
    import csv
    import io

    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    delimiter = max(("\t", ",", ";", "，"), key=first.count)
    if first.count(delimiter) == 0:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[dict[str, str]] = []
    lines: list[int] = []
    cols: list[str | None] | None = None
    header_line = 1
    try:
        start = 1
        for record in reader:
            line = start
            start = reader.line_num + 1
            if not any(c.strip() for c in record):
                continue
            if cols is None:
                header_line = line
                cols = check_header(record, source, line)
                continue
            if len(record) > len(cols) and any(c.strip() for c in record[len(cols) :]):
                raise JixiaoError(
                    f"这一行有 {len(record)} 列，比表头的 {len(cols)} 列多（分隔符或引号可能有误）",
                    path=source,
                    line=line,
                )
            record = [unguard(c) for c in record]  # our CSV export's formula guard (flat_table)
            rows.append({c: v for c, v in zip(cols, record, strict=False) if c is not None})
            lines.append(line)
    except csv.Error as exc:
        raise JixiaoError(
            f"CSV 格式有误（{csv_error_reason(exc)}）", path=source, line=reader.line_num
        ) from None
    if cols is None:
        raise JixiaoError("没有表头行，找不到可识别的平表", path=source)
    if not rows:
        raise JixiaoError("只有表头，没有指标行", path=source, line=header_line)
    return rows, lines
