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
_ROW_NOISE = {
    "绩效指标",
    "年度绩效指标",
    "本年度绩效指标",
    "年度绩效指标完成情况",
    "具体指标",
    "绩效目标指标",
    "年度绩效目标指标",
    "项目绩效指标",
}
_WS = re.compile(r"[\s\u3000]+")
# a note after a label: (必填) (选填) (必填硬性指标) (如有) (或建筑规模指标) — not a score
_NOTE = re.compile(r"[(（][^()（）]*[)）]$")
# the header names of the level and name columns as tables print them
_COLUMN_NAMES = {
    "一级指标": "一级指标",
    "一级": "一级指标",
    "一级指标名称": "一级指标",
    "二级指标": "二级指标",
    "二级": "二级指标",
    "二级指标名称": "二级指标",
    "三级指标": "三级指标",
    "三级": "三级指标",
    "三级指标名称": "三级指标",
    "指标名称": "三级指标",
    "指标内容": "三级指标",
}

# --- recognising cells -------------------------------------------------------------


def label_key(text: str) -> str:
    """A cell reduced for label lookup: no spaces, no score suffix such as (50分), no colon."""
    return _SCORE.sub("", _WS.sub("", text)).rstrip(":：")


def _bare_label(text: str) -> str:
    """``label_key`` without trailing notes: 数量指标(必填) → 数量指标."""
    key = label_key(text)
    while True:
        cut = _NOTE.sub("", key).rstrip(":：")
        if cut == key or not cut:
            return key
        key = cut


def column_name(text: str) -> str:
    """A header cell as its canonical column name where it names a level or name column
    (一级 → 一级指标, 指标名称 → 三级指标), else its ``label_key``."""
    key = label_key(text)
    return _COLUMN_NAMES.get(key) or _COLUMN_NAMES.get(_bare_label(text), key)


# first-level names of older templates the model does not spell (预期产出指标 / 预期效果指标)
_L1_ALIASES = {"预期产出指标": L1_OUTPUT, "预期效果指标": L1_BENEFIT}


def as_level1(text: str) -> str | None:
    for key in (label_key(text), _bare_label(text)):
        name = normalize_level1(_L1_ALIASES.get(key, key))
        if name in L1_NAMES:
            return name
    return None


# second-level names of older frameworks the model does not spell: 环境效益 is 生态效益
_L2_ALIASES = {"环境效益": "生态效益", "环境效益指标": "生态效益"}


def as_level2(text: str) -> str | None:
    for key in (label_key(text), _bare_label(text)):
        name = normalize_level2(_L2_ALIASES.get(key, key))
        if name in L2_NAMES:
            return name
    return None


def is_level_label(text: str) -> bool:
    return as_level1(text) is not None or as_level2(text) is not None


_VALUE_START = re.compile(
    r"^\s*(?:[≥≤><=＞＜≧≦＝]|大于|小于|不低于|不少于|不高于|不超过|不多于|约|[\d０-９]|[一二两三四五六七八九十百千万]+[个次期人台套项份天年月])"
)
_GRADES = {
    "优", "良", "中", "差", "优良", "良好", "较好", "合格", "达标", "满意", "是", "否", "长期",
    "持续", "有效",
}  # fmt: skip


def looks_like_value(text: str) -> bool:
    """A rough shape test used only to place a lone cell (a value wrapped onto its own line)."""
    t = text.strip()
    return bool(_VALUE_START.match(t)) or t in _GRADES or t.endswith("%")


@dataclass
class Row:
    line: int
    cells: list[str]
    ruled: bool = False  # a line of a drawn table (a web table's pipes): one line, one row

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
    "department": (
        "主管部门",
        "项目主管部门",
        "主管部门及代码",
        "主管部门及编码",
        "主管部门(单位)",
        "主管单位",
    ),
    "unit": (
        "实施单位",
        "项目实施单位",
        "项目执行单位",
        "具体实施单位",
        "项目单位",
        "执行单位",
        "实施单位(部门)",
        "单位名称",
    ),
    "unit_fallback": ("预算单位", "申报单位", "预算部门", "预算单位名称", "填报单位"),
    "attribute": ("项目属性",),
    "period": ("项目期", "项目支出实施期", "实施期"),
    "total": (
        "项目总额",
        "项目金额",
        "预算数",
        "年度本级预算金额",
        "预算金额",
        "项目总金额",
        "项目资金总额",
        "项目总投资",
        "项目预算金额",
        "预算总额",
        "中期资金总额",
        "实施期资金总额",
        "实施周期资金总额",
    ),
    "annual_total": (
        "年度资金总额",
        "年度财政资金总额",
        "当年资金总额",
        "本年资金总额",
        "本年度资金总额",
        "年度预算资金总额",
    ),
    "ctx_local": ("本级资金",),
    "ctx_transfer": ("转移市县(区)资金", "转移市县资金"),
    "ctx_total": ("资金总额",),
    "fiscal": ("财政拨款", "本年财政拨款", "当年财政拨款", "财政拨款小计", "财政资金"),
    "other": ("其他资金", "自筹资金", "其他资金来源", "自有资金", "自有资金小计"),
    "carryover": ("结余结转资金", "上年结转资金", "上年结转", "结转资金", "上年结余结转资金"),
    "central": ("中央资金", "中央财政资金", "中央补助资金"),
    "regional": ("自治区资金", "省级资金", "省级财政资金"),
    "goal": (
        "年度总体绩效目标",
        "年度总体目标",
        "年度绩效目标",
        "本年度绩效目标",
        "总体绩效目标",
        "年度绩效目标(文字)",
        "项目年度目标",
        "项目绩效目标",  # 湖南 2025: "项目绩效目标 | <goal>"
        "年度目标",
        "绩效目标",
        "总体目标",
        "年度目标完成情况",
        "年度总体目标完成情况",
        "总体目标完成情况",
    ),
    "ignore": (
        "项目负责人",
        "联系电话",
        "项目来源",
        "项目类别",
        "项目负责人及电话",
        "单位",
        "项目资金",  # a section title ("项目资金(万元)"): never the value of the label before it
        "资金情况",
    ),
}.items():
    for _label in _labels:
        _HEADER_LABELS[_label] = _field

_HEADER_PREFIX = re.compile(r"^(?:其中[:：]?|[(（]?[一二三四五六七八九十\d]+[)）、.．])+")
_TITLE_YEAR = re.compile(r"[(（]\s*((?:19|20)\d{2})\s*年度?\s*[)）]")
_ANY_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)")
_UNIT_LINE = re.compile(r"^单位\s*[:：]")
_STOP_PREFIXES = (
    "其他需要说明",
    "其它需要说明",
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


_MONEY_UNITS = ("(万元)", "(元)")


def header_field(text: str) -> str | None:
    """The header field a label cell names (项目名称 → project …), else None."""
    key = header_key(text)
    key = _HEADER_PREFIX.sub("", key)
    found = _HEADER_LABELS.get(key)
    if found is None and key.endswith(_MONEY_UNITS):  # 项目总额(万元), 年度资金总额（元）
        found = _HEADER_LABELS.get(key.removesuffix("(万元)").removesuffix("(元)").rstrip(":"))
    return found


def _is_project_row(row: Row) -> bool:
    return any(header_field(c) == "project" for c in row.filled[:2])


def _is_indicator_header(row: Row, loose: bool = False) -> bool:
    """The 一级指标/二级指标/三级指标 header row (``loose``: 一级指标 may end a longer cell)."""
    keys = {column_name(c) for c in row.filled}
    first = "一级指标" in keys or (loose and any(k.endswith("一级指标") for k in keys))
    return first and ("二级指标" in keys or "三级指标" in keys)


def _is_column_titles(row: Row) -> bool:
    """A second header line such as "2021年实际实现值 | 预期2022年实现值", or "符号 | 单位 |
    单项指标得分 | 权重占比(%)": no level label, no value, and mostly known column titles."""
    cells = row.filled
    if all(label_key(c).endswith("值") for c in cells):
        return True
    if any(is_level_label(c) or looks_like_value(c) for c in cells) or len(cells) < 3:
        return False
    known = sum(1 for c in cells if _column_role(column_name(c)) not in (None, "other", "name"))
    return known * 2 > len(cells)


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


_PERIOD_WORDS = ("实施期", "实施周期", "中期", "中长期", "长期", "整体", "项目期")
# the comparator column ("≥", "定性"): 指标值类型 is 湖南 2025's title for it
_OP_TITLES = {"指标性质", "计算符号", "指标值类型"}
_VALUE_NOTE_TITLES = {"指标值内容", "指标值说明"}


def _column_role(key: str) -> str | None:
    """What a column holds, from its header cell (None: a level column or a row label)."""
    if key in {"一级指标", "二级指标"} or key in _ROW_NOISE:
        return None
    if key == "三级指标":
        return "name"
    if "权重" in key or key.startswith("分值") or key in {"指标分值", "标准分值", "分数"}:
        return "weight"
    if "得分" in key:
        return "score"
    if "依据" in key or key in {"绩效标准", "标准类型", "指标值确定标准"}:
        return "basis"
    if any(w in key for w in ("评分标准", "评分规则", "计分方法", "评分办法", "评分方法")):
        return "rule"
    if "原因" in key or "改进措施" in key:
        return "reason"
    if key.startswith("备注"):
        return "note"
    if "实际" in key or "完成值" in key or ("实现值" in key and "预期" not in key):
        return "actual"
    if key in _OP_TITLES:
        return "op"
    if key in _VALUE_NOTE_TITLES:  # 湖南 2025: "指标值内容" explains the row, holds no value
        return "note"
    if "指标值" in key or "目标值" in key or key.startswith("预期"):
        return "period" if any(w in key for w in _PERIOD_WORDS) else "value"
    if key in {"指标方向", "方向", "指标值方向"}:
        return "direction"
    if key in {"计量单位", "度量单位", "单位"}:
        return "unit"
    if key == "度量值":
        return "measure"
    return "other"


def _column_roles(row: Row) -> list[str]:
    """Roles of the columns after the level columns: name / value / actual / op / unit /
    direction / weight / basis / rule / reason / note / period / other. A table printing the
    实施周期 and the 年度 column sets side by side has two name columns: the first set's
    become pname / period (kept in notes), the second set's are the annual ones."""
    # a row-label cell before 一级指标 ("年度绩效目标1 (80分)", "绩效指标(权重分值90分…)")
    # spans the whole block: it is no column of the indicator rows (column titles of a
    # two-line header printed before 一级指标, such as 实际完成值, stay columns)
    first = next((k for k, c in enumerate(row.filled) if column_name(c) == "一级指标"), 0)
    cells = [
        c
        for k, c in enumerate(row.filled)
        if k >= first
        or (
            _column_role(column_name(c)) != "other"
            and not label_key(c).startswith(tuple(_ROW_NOISE))
        )
    ]
    roles = [r for r in (_column_role(column_name(c)) for c in cells) if r is not None]
    if roles.count("name") >= 2:
        second = roles.index("name", roles.index("name") + 1)
        first_half = [
            "pname" if r == "name" else "period" if r == "value" else r for r in roles[:second]
        ]
        roles = first_half + roles[second:]
    if "name" not in roles or ("value" not in roles and "period" not in roles):
        return ["name", "value"]
    if "value" not in roles:  # only a 实施期 value column: it is the table's value
        roles = ["value" if r == "period" else r for r in roles]
    return roles


_BARE_UNITS = {
    "%",
    "％",
    "个",
    "人",
    "次",
    "元",
    "万元",
    "亩",
    "台",
    "套",
    "件",
    "项",
    "天",
    "年",
    "月",
    "人次",
    "户",
    "家",
    "所",
    "米",
    "公里",
    "平方米",
    "吨",
    "份",
    "期",
    "场",
    "批",
    "辆",
}
_STANDARDS = {"计划标准", "行业标准", "历史标准", "其他标准", "其它标准", "预算标准"}
_DIRECTIONS = {"正向", "反向", "定性", "定量", "正向指标", "反向指标", "大于等于", "小于等于"}
_LABEL_WORDS = {
    "指标",
    "指标值",
    "指标名称",
    "三级指标",
    "一级指标",
    "二级指标",
    "目标值",
    "总分",
    "得分",
    "分值",
    "合计",
    "小计",
}


def _value_problem(what: str, text: str) -> str | None:
    """Why a 指标值 or 实际完成值 cell does not read as one, else None."""
    v = label_key(text)
    bare = _bare_label(text)
    if is_level_label(text):
        return f"{what}“{text}”是指标层级名称"
    if v in _LABEL_WORDS or header_field(text) is not None:
        return f"{what}“{text}”是表头文字"
    if v in _STANDARDS:
        return f"{what}“{text}”是指标值设定依据（标准名称）"
    if v in _BARE_UNITS or bare in _BARE_UNITS:
        return f"{what}“{text}”只是计量单位"
    if v in _DIRECTIONS or _COMPARATOR_ONLY.match(v):
        return f"{what}“{text}”只是指标性质、方向或比较符号"
    if _SCORE_NOTE.match(v):
        return f"{what}“{text}”是分值"
    return None


_NAME_LABELS = {"project", "department", "unit", "unit_fallback", "goal", "attribute", "period"}


def row_problem(
    name: str, value: str, actual: str | None = None, level2: str | None = None
) -> str | None:
    """Why an indicator row does not read as one (a shifted or shuffled row), else None:
    the value (and the 实际完成值) must read as a value — not a level name, a label, a bare
    unit, a comparator, a score or a standard's name — and the name must not be a level
    name, a label, a grade or a bare value."""
    problem = _value_problem("指标值", value)
    if problem is None and actual:
        problem = _value_problem("实际完成值", actual)
    if problem is not None:
        return problem
    n, v = label_key(name), label_key(value)
    if _DATE_NAME.search(n) and _DATE_SERIAL.search(v):
        serial = _DATE_SERIAL.search(v).group(0)  # type: ignore[union-attr]
        return f"指标值“{serial}”是表格软件的日期序号，不是日期（导出时丢了日期格式）"
    own = level2 is not None and as_level2(name) == level2 and not n.endswith("指标")
    if is_level_label(name) and not own:  # "服务对象满意度" may name a row of its own level
        return f"指标名称“{name}”是指标层级名称"
    if n in _LABEL_WORDS or header_field(name) in _NAME_LABELS:  # 项目金额 may be a cost row
        return f"指标名称“{name}”是表头文字"
    if n in _GRADES or (_VALUE_ONLY.match(n) and not _VALUE_ONLY.match(v)) or _quantity(n):
        return f"指标名称“{name}”是一个指标值，名称和指标值可能错位"
    return None


_COMPARATOR_ONLY = re.compile(r"^(?:[≥≤><=＞＜≧≦＝]+|大于|小于|等于|不低于|不高于|不少于|不超过)$")
_VALUE_ONLY = re.compile(r"^(?:[≥≤><=＞＜≧≦＝]+)?\d+(?:\.\d+)?(?:%|％)?$")
# a date cell exported without its format: 44,561 is 2021-12-31 (serials 30000–59999 are the
# years 1982–2064); only under a name that asks for a date
_DATE_SERIAL = re.compile(r"(?<![\d.,])[3-5]\d,?\d{3}(?![\d.,%])")
_DATE_NAME = re.compile(r"时间|日期|时限|期限|完成时")
_QUANTITY = re.compile(r"^(?:[≥≤><=＞＜≧≦＝]+)?\d+(?:\.\d+)?(?P<unit>\D{0,3})$")


def _quantity(name: str) -> bool:
    """A name that is only an amount with its unit ("800万元", "≥95%", "1种"): a value that
    slid into the name column (a real name says what is counted)."""
    m = _QUANTITY.match(name)
    return m is not None and (m.group("unit") in _BARE_UNITS | {"", "万", "种", "万元", "％"})
