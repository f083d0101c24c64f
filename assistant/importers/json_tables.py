"""JSON input: the model's own schema, the corpus file shape, and the precedent shape.

Accepted documents:
- one ``TargetTable`` object, or a list of them;
- a corpus file ``{"title", "source", "tables": [TargetTable, ...]}``;
- a precedent record as in ``shared/precedents/*.json`` (``project_name``, ``indicators``
  with ``level1/level2/level3/value/actual``, ``source``, ``truncated`` …), or a list of them.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from assistant.errors import JixiaoError
from assistant.importers.flat import is_placeholder
from assistant.importers.text_layout import L2_NAMES, SINGLE_CHILD
from assistant.model import (
    Amount,
    Header,
    Indicator,
    Provenance,
    TargetTable,
    normalize_levels,
)
from assistant.pydantic_zh import describe

_JSON_REASONS = {
    "Expecting value": "缺少值",
    "Expecting property name enclosed in double quotes": "键名须用英文双引号",
    "Expecting ',' delimiter": "缺少逗号",
    "Expecting ':' delimiter": "缺少冒号",
    "Unterminated string starting at": "字符串没有结束",
    "Extra data": "文档后面有多余内容",
    "Invalid control character at": "字符串中有控制字符",
}


def json_error_reason(exc: json.JSONDecodeError) -> str:
    """What is wrong at a JSON syntax error, in Chinese."""
    return _JSON_REASONS.get(exc.msg, "语法错误")


def _validation_error(exc: ValidationError, path: str, prefix: str = "") -> JixiaoError:
    return JixiaoError(f"JSON 内容不符合绩效目标表格式：{describe(exc, prefix)}", path=path)


def parse_json_text(text: str, path: str) -> list[TargetTable]:
    """Tables from a JSON document (see module docstring). Errors name the line or field."""
    try:
        doc = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise JixiaoError(
            f"JSON 格式有误（第{exc.colno}列附近：{json_error_reason(exc)}）",
            path=path,
            line=exc.lineno,
        ) from None
    except RecursionError:
        raise JixiaoError("JSON 嵌套层数过多，不是可识别的表格", path=path) from None
    items: list[Any]
    if isinstance(doc, dict) and isinstance(doc.get("tables"), list):
        items = doc["tables"]
        prefix = "tables"
    elif isinstance(doc, list):
        items = doc
        prefix = ""
    else:
        items = [doc]
        prefix = None
    if not items:
        raise JixiaoError("JSON 中没有任何表格", path=path)
    tables = []
    for n, item in enumerate(items):
        label = (f"{prefix}[{n}]." if prefix else f"[{n}].") if prefix is not None else ""
        if not isinstance(item, dict):
            raise JixiaoError(f"JSON 第 {n + 1} 项不是表格对象", path=path)
        if "header" in item:
            try:
                table = TargetTable.model_validate(item)
            except ValidationError as exc:
                raise _validation_error(exc, path, label) from None
            tables.append(_with_provenance(table, path))
        elif "project_name" in item and "indicators" in item:
            tables.append(precedent_to_table(item, path, label))
        else:
            raise JixiaoError(
                "JSON 不是可识别的表格：需要 header/indicators（本程序的格式）"
                "或 project_name/indicators（先例格式）",
                path=path,
            )
    return tables


def _with_provenance(table: TargetTable, path: str) -> TargetTable:
    """Fill missing provenance (table and rows) with this file; keep what the JSON says."""
    h = table.header
    base = Provenance(
        source=path, project=h.project_name, unit=h.unit, department=h.department, year=h.year
    )
    tprov = table.provenance or base
    rows = [
        i if i.provenance is not None else i.model_copy(update={"provenance": tprov})
        for i in table.indicators
    ]
    return table.model_copy(update={"provenance": tprov, "indicators": rows})


def _text(value: Any, field: str = "", path: str = "") -> str:
    """A field of a precedent record as text; a list or an object there is a JixiaoError."""
    if isinstance(value, (list, dict)):
        kind = "列表" if isinstance(value, list) else "对象"
        raise JixiaoError(f"先例记录的 {field} 应是文字，不能是{kind}", path=path)
    return "" if value is None else str(value).strip()


def precedent_to_table(rec: dict[str, Any], path: str, label: str = "") -> TargetTable:
    """Convert one precedent record (``shared/precedents/*.json`` shape) into a TargetTable.

    Provenance is the record's ``source`` address (else the file), with unit, department and
    year; level names are normalised; a second-level name outside the framework under a
    first level that has only one (满意度指标 → 具体指标) is mapped to it, with a note.
    """
    name = _text(rec.get("project_name"), f"{label}project_name", path)
    if not name:
        raise JixiaoError(f"先例记录缺少 {label}project_name", path=path)
    source = _text(rec.get("source"), f"{label}source", path) or path
    unit = _text(rec.get("unit"), f"{label}unit", path) or None
    department = _text(rec.get("department"), f"{label}department", path) or None
    year_raw = rec.get("year")
    try:
        year = int(year_raw) if year_raw not in (None, "") else None
    except (TypeError, ValueError):
        raise JixiaoError(f"先例记录的 {label}year“{year_raw}”不是年份", path=path) from None
    total_raw = _text(rec.get("total_wan"), f"{label}total_wan", path)
    total = Amount.parse(total_raw)
    if total_raw and total is None:
        raise JixiaoError(
            f"先例记录的 {label}total_wan“{total_raw[:30]}”不是金额（万元）", path=path
        )
    notes: list[str] = []
    if rec.get("region"):
        notes.append(f"地区：{rec['region']}")
    if rec.get("table_type"):
        notes.append(f"原表名称：{rec['table_type']}")
    if rec.get("truncated"):
        notes.append("原文不完整（公开文本被截断），表中指标不全")
    for key in ("notes", "year_note"):
        if rec.get(key):
            notes.append(f"整理说明：{rec[key]}")

    indicators: list[Indicator] = []
    rows = rec.get("indicators") or []
    if not isinstance(rows, list):
        raise JixiaoError(f"先例记录的 {label}indicators 不是列表", path=path)
    for n, row in enumerate(rows):
        if not isinstance(row, dict):
            raise JixiaoError(f"先例记录的 {label}indicators[{n}] 不是对象", path=path)
        at = f"{label}indicators[{n}]."
        l3 = _text(row.get("level3") or row.get("name"), f"{at}level3", path)
        value = _text(row.get("value"), f"{at}value", path)
        if is_placeholder(l3, value):
            continue
        if not l3:
            raise JixiaoError(f"{label}indicators[{n}] 缺少 level3（三级指标）", path=path)
        level1, level2 = normalize_levels(
            _text(row.get("level1"), f"{at}level1", path),
            _text(row.get("level2"), f"{at}level2", path),
        )
        if level2 not in L2_NAMES and level1 in SINGLE_CHILD:
            notes.append(f"二级指标“{level2}”按“{SINGLE_CHILD[level1]}”归类（{l3}）")
            level2 = SINGLE_CHILD[level1]
        indicators.append(
            Indicator(
                level1=level1,
                level2=level2,
                name=l3,
                value=value,
                actual=_text(row.get("actual"), f"{at}actual", path) or None,
                provenance=Provenance(
                    source=source, project=name, unit=unit, department=department, year=year
                ),
            )
        )
    table_type = _text(rec.get("table_type"), f"{label}table_type", path)
    self_eval = any(i.actual for i in indicators) or "自评" in table_type
    try:
        header = Header(project_name=name, department=department, unit=unit, year=year, total=total)
    except ValidationError as exc:
        raise _validation_error(exc, path, label) from None
    return TargetTable(
        header=header,
        goal=_text(rec.get("overall_goal"), f"{label}overall_goal", path),
        indicators=indicators,
        table_type="self_evaluation" if self_eval else "target",
        provenance=Provenance(
            source=source, project=name, unit=unit, department=department, year=year
        ),
        notes=notes,
    )
