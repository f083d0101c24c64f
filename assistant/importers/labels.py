"""Recognising cells of published tables by what they say: level labels, header labels
(项目名称, 主管部门, 项目总额 …), column titles, titles and stop lines.

Shared by the row splitter (``text_rows``) and the table reader (``text_layout``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.importers.flat import header_key
from assistant.model import (
    FRAMEWORKS,
    L1_BENEFIT,
    L1_COST,
    L1_OUTPUT,
    L1_SATISFACTION,
    normalize_level1,
    normalize_level2,
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



@dataclass
class Row:
    line: int
    cells: list[str]

    @property
    def filled(self) -> list[str]:
        return [c for c in self.cells if c]


_BARE = re.compile(r"[0-9.,]+")
_SCORE_NOTE = re.compile(r"^[(（]?\d+(?:\.\d+)?分[)）]?$")
_SCORE_CELL = re.compile(r"^\d{1,2}(?:\.\d+)?$")
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

