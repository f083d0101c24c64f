"""The target table (项目支出绩效目标表) as pydantic models.

Money is Decimal in 万元 in the header, and every parsed amount keeps its raw text.
Indicator values (指标值) are stored as raw text; ``assistant.values.parse_value``
understands them on demand, so nothing the source said is ever lost.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import OrderedDict
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

if TYPE_CHECKING:
    from assistant.values import ParsedValue

# --- indicator frameworks ---------------------------------------------------------

L1_OUTPUT = "产出指标"
L1_BENEFIT = "效益指标"
L1_COST = "成本指标"  # first-level only in the 2021 framework
L1_SATISFACTION = "满意度指标"

L2_QUANTITY = "数量指标"
L2_QUALITY = "质量指标"
L2_TIME = "时效指标"
L2_COST = "成本指标"
L2_ECONOMIC = "经济效益"
L2_SOCIAL = "社会效益"
L2_ECOLOGICAL = "生态效益"
L2_SUSTAINABLE = "可持续影响"
L2_SATISFACTION = "服务对象满意度"
L2_ECON_COST = "经济成本指标"
L2_SOCIAL_COST = "社会成本指标"
L2_ECO_COST = "生态环境成本指标"

Framework = Literal["pre2021", "2021"]

FRAMEWORKS: dict[str, dict[str, tuple[str, ...]]] = {
    # The tree the seed (and most published tables before 2021) uses.
    "pre2021": {
        L1_OUTPUT: (L2_QUANTITY, L2_QUALITY, L2_TIME, L2_COST),
        L1_BENEFIT: (L2_ECONOMIC, L2_SOCIAL, L2_ECOLOGICAL, L2_SUSTAINABLE),
        L1_SATISFACTION: (L2_SATISFACTION,),
    },
    # 2021 national rules: 成本指标 is lifted to the first level.
    "2021": {
        L1_OUTPUT: (L2_QUANTITY, L2_QUALITY, L2_TIME),
        L1_COST: (L2_ECON_COST, L2_SOCIAL_COST, L2_ECO_COST),
        L1_BENEFIT: (L2_ECONOMIC, L2_SOCIAL, L2_ECOLOGICAL, L2_SUSTAINABLE),
        L1_SATISFACTION: (L2_SATISFACTION,),
    },
}

_L1_VARIANTS = {
    "产出指标": L1_OUTPUT,
    "产出": L1_OUTPUT,
    "项目完成指标": L1_OUTPUT,
    "项目完成": L1_OUTPUT,
    "效益指标": L1_BENEFIT,
    "效益": L1_BENEFIT,
    "项目效益指标": L1_BENEFIT,
    "项目效益": L1_BENEFIT,
    "成本指标": L1_COST,
    "成本": L1_COST,
    "满意度指标": L1_SATISFACTION,
    "满意度": L1_SATISFACTION,
    # template names (政府投资项目 and other printed templates)
    "效果指标": L1_BENEFIT,
    "项目效果指标": L1_BENEFIT,
}

_L2_VARIANTS = {
    "数量指标": L2_QUANTITY,
    "数量": L2_QUANTITY,
    "产出数量": L2_QUANTITY,
    "产出数量指标": L2_QUANTITY,
    "质量指标": L2_QUALITY,
    "质量": L2_QUALITY,
    "产出质量": L2_QUALITY,
    "产出质量指标": L2_QUALITY,
    "时效指标": L2_TIME,
    "时效": L2_TIME,
    "产出时效": L2_TIME,
    "产出时效指标": L2_TIME,
    "成本指标": L2_COST,
    "成本": L2_COST,
    "产出成本": L2_COST,
    "产出成本指标": L2_COST,
    "经济效益": L2_ECONOMIC,
    "经济效益指标": L2_ECONOMIC,
    "社会效益": L2_SOCIAL,
    "社会效益指标": L2_SOCIAL,
    "生态效益": L2_ECOLOGICAL,
    "生态效益指标": L2_ECOLOGICAL,
    "生态环境效益": L2_ECOLOGICAL,
    "可持续影响": L2_SUSTAINABLE,
    "可持续影响指标": L2_SUSTAINABLE,
    "可持续效益": L2_SUSTAINABLE,
    "可持续效益指标": L2_SUSTAINABLE,
    "服务对象满意度": L2_SATISFACTION,
    "服务对象满意度指标": L2_SATISFACTION,
    "社会公众或服务对象满意度": L2_SATISFACTION,
    "社会公众或服务对象满意度指标": L2_SATISFACTION,
    "满意度": L2_SATISFACTION,
    "满意度指标": L2_SATISFACTION,
    "经济成本": L2_ECON_COST,
    "经济成本指标": L2_ECON_COST,
    "社会成本": L2_SOCIAL_COST,
    "社会成本指标": L2_SOCIAL_COST,
    "生态环境成本": L2_ECO_COST,
    "生态环境成本指标": L2_ECO_COST,
    # template names: the part in brackets is a hint, 预算(或投资规模)控制 is the cost row,
    # the combined 社会、经济、生态效益 row is read as 社会效益 (its first and widest name)
    "建筑规模指标": L2_QUANTITY,
    "工期指标": L2_TIME,
    "形象进度指标": L2_TIME,
    "预算(或投资规模)控制指标": L2_COST,
    "预算控制指标": L2_COST,
    "投资规模控制指标": L2_COST,
    "成本控制指标": L2_COST,
    "社会、经济、生态效益指标": L2_SOCIAL,
    "社会经济生态效益指标": L2_SOCIAL,
    "可持续性发展影响指标": L2_SUSTAINABLE,
    "可持续发展影响指标": L2_SUSTAINABLE,
    "可持续性影响指标": L2_SUSTAINABLE,
    "服务对象或受益者满意度指标": L2_SATISFACTION,
    "受益者满意度指标": L2_SATISFACTION,
    "受益对象满意度指标": L2_SATISFACTION,
    "社会公众满意度指标": L2_SATISFACTION,
}

_L2_PARENT = {
    L2_QUANTITY: L1_OUTPUT,
    L2_QUALITY: L1_OUTPUT,
    L2_TIME: L1_OUTPUT,
    L2_ECONOMIC: L1_BENEFIT,
    L2_SOCIAL: L1_BENEFIT,
    L2_ECOLOGICAL: L1_BENEFIT,
    L2_SUSTAINABLE: L1_BENEFIT,
    L2_SATISFACTION: L1_SATISFACTION,
    L2_ECON_COST: L1_COST,
    L2_SOCIAL_COST: L1_COST,
    L2_ECO_COST: L1_COST,
}

_SPACE = re.compile(r"\s+")
_HALF = str.maketrans({"（": "(", "）": ")"})
_TRAILING_NOTE = re.compile(r"\([^()]*\)$")


def _squash(text: str | None) -> str:
    return _SPACE.sub("", text or "").translate(_HALF)


def _lookup(key: str, table: dict[str, str]) -> str:
    """The canonical name for a label, trying it without trailing notes too:
    数量指标(或建筑规模指标) → 数量指标, 质量指标(必填) → 质量指标."""
    while key not in table:
        cut = _TRAILING_NOTE.sub("", key)
        if cut == key or not cut:
            return key
        key = cut
    return table[key]


def normalize_level1(name: str | None) -> str:
    """Map a first-level label variant to its canonical name (unknown labels kept, trimmed)."""
    key = _squash(name)
    found = _lookup(key, _L1_VARIANTS)
    return found if found in _L1_VARIANTS.values() else key


def normalize_level2(name: str | None) -> str:
    """Map a second-level label variant (经济效益指标, 产出数量 …) to its canonical name."""
    key = _squash(name)
    found = _lookup(key, _L2_VARIANTS)
    return found if found in _L2_VARIANTS.values() else key


def normalize_levels(level1: str | None, level2: str | None) -> tuple[str, str]:
    """Canonical (level1, level2); the level-2 name decides the parent where it is unambiguous.

    成本指标 stays under 产出指标 unless the table lists it as a first-level indicator;
    满意度 written under 效益指标 (an older layout) moves to 满意度指标.
    """
    l1 = normalize_level1(level1)
    l2 = normalize_level2(level2)
    if l2 == L2_COST:
        return (L1_COST if l1 == L1_COST else L1_OUTPUT), L2_COST
    parent = _L2_PARENT.get(l2)
    return (parent or l1), l2


# "1." / "2、" / "（3）"; a digit may follow only as a year ("4.2024年…"),
# never as a decimal ("1.5万").
_NUMBER_PREFIX = re.compile(r"^\s*[（(]?\s*(\d{1,3})\s*[)）.．、,，]\s*(?!\d(?!\d{3}年))")


def split_number(name: str) -> tuple[int | None, str]:
    """Split a leading row number ("1.", "2、", "（3）") off an indicator name."""
    m = _NUMBER_PREFIX.match(name or "")
    if not m:
        return None, (name or "").strip()
    return int(m.group(1)), name[m.end() :].strip()


# --- text hygiene --------------------------------------------------------------

# Control characters never belong in a table: NUL and most C0 controls are illegal in
# xlsx XML, ESC/CSI sequences act on terminals. CR becomes a newline; tab and newline stay.
_CONTROL: dict[int, int | None] = {
    c: None for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))
}
_CONTROL[0x0D] = 0x0A
_HAS_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """``text`` without control characters (CRLF and CR → newline; tab, newline kept)."""
    if not _HAS_CONTROL.search(text):
        return text
    return text.replace("\r\n", "\n").translate(_CONTROL)


class CleanModel(BaseModel):
    """A model whose text fields are cleaned of control characters on the way in, so
    names from any entry point (import, interview, answers file, store) are safe."""

    @field_validator("*", mode="before")
    @classmethod
    def _clean(cls, value: object) -> object:
        if isinstance(value, str):
            return clean_text(value)
        if isinstance(value, list) and any(isinstance(v, str) for v in value):
            return [clean_text(v) if isinstance(v, str) else v for v in value]
        return value


# --- values with their raw text -----------------------------------------------


class Amount(CleanModel):
    """A money amount with the exact text it was read from."""

    model_config = ConfigDict(frozen=True)

    value: Decimal
    raw: str

    @classmethod
    def parse(cls, raw: str | int | float | Decimal | None) -> Amount | None:
        """Read an amount such as ``10.015119`` or ``1,590,000``; None when empty/unreadable."""
        if raw is None:
            return None
        text = str(raw).strip()
        cleaned = text.replace(",", "").replace("，", "").replace(" ", "")
        cleaned = cleaned.removesuffix("万元").removesuffix("元")
        if not cleaned:
            return None
        try:
            return cls(value=Decimal(cleaned), raw=text)
        except (InvalidOperation, ValidationError):  # not a number, or NaN / Infinity
            return None


class Provenance(CleanModel):
    """Where an indicator row (or a table) came from: always shown with a suggestion."""

    source: str = Field(description="来源文件或网址")
    line: int | None = Field(default=None, description="来源文件中的行号（从1起）")
    project: str = Field(default="", description="项目名称")
    unit: str | None = Field(default=None, description="实施单位")
    department: str | None = Field(default=None, description="主管部门")
    year: int | None = Field(default=None, description="年度")
    kind: Literal["precedent", "library", "user"] = Field(
        default="precedent",
        description="precedent: 真实公开表格; library: 共性指标库条目; user: 用户自己填写",
    )
    note: str | None = None


class Indicator(CleanModel):
    """One third-level indicator row: level1 → level2 → name (三级指标) → value (指标值)."""

    level1: str
    level2: str
    name: str = Field(description="三级指标，原文（含行首编号）")
    value: str = Field(description="指标值，原文")
    actual: str | None = Field(default=None, description="实际完成值（自评表）")
    basis: str | None = Field(
        default=None, description="指标值设定依据（计划标准/行业标准/历史标准/其他标准），原文"
    )
    weight: str | None = Field(default=None, description="权重或分值，原文（不是指标值）")
    note: str | None = Field(default=None, description="备注（如实施周期的指标值、评分标准）")
    provenance: Provenance | None = None

    @property
    def number(self) -> int | None:
        """The row number prefix ("1." → 1) used to pair cost rows with quantity rows."""
        return split_number(self.name)[0]

    @property
    def bare_name(self) -> str:
        return split_number(self.name)[1]

    def parsed(self) -> ParsedValue:
        """The value understood by the 指标值 grammar (``assistant.values.ParsedValue``)."""
        from assistant.values import parse_value

        return parse_value(self.value)


class FundSources(CleanModel):
    """资金来源 in 万元. Any may be absent; present ones must add up to the annual total."""

    fiscal: Amount | None = Field(default=None, description="财政拨款")
    other: Amount | None = Field(default=None, description="其他资金")
    carryover: Amount | None = Field(default=None, description="结余结转资金")
    local_level: Amount | None = Field(default=None, description="本级资金 资金总额")
    transfer: Amount | None = Field(default=None, description="转移市县(区)资金 资金总额")
    central: Amount | None = Field(default=None, description="其中：中央资金")
    regional: Amount | None = Field(default=None, description="自治区（省级）资金")


FUND_LABELS = {
    "fiscal": "财政拨款",
    "other": "其他资金",
    "carryover": "结余结转资金",
    "local_level": "本级资金",
    "transfer": "转移市县(区)资金",
    "central": "中央资金",
    "regional": "自治区资金",
}


class Header(CleanModel):
    project_name: str = Field(description="项目名称")
    department: str | None = Field(default=None, description="主管部门")
    unit: str | None = Field(default=None, description="实施单位")
    attribute: str | None = Field(default=None, description="项目属性，如 0101-一年期项目")
    period: str | None = Field(default=None, description="项目期，如 1年")
    year: int | None = Field(default=None, description="年度")
    total: Amount | None = Field(default=None, description="项目总额（万元）")
    annual_total: Amount | None = Field(default=None, description="其中：年度资金总额（万元）")
    funds: FundSources = Field(default_factory=FundSources)


TableType = Literal["target", "self_evaluation"]


class TargetTable(CleanModel):
    """One 项目支出绩效目标表."""

    header: Header
    goal: str = Field(default="", description="年度总体绩效目标")
    indicators: list[Indicator] = Field(default_factory=list)
    table_type: TableType = "target"
    kind: str | None = Field(default=None, description="支出类别（项目种类代码，见 corpus/kinds）")
    provenance: Provenance | None = Field(default=None, description="整张表的来源")
    notes: list[str] = Field(default_factory=list, description="导入时的说明（如表格不完整）")

    @property
    def framework(self) -> Framework:
        """2021 when 成本指标 stands as a first-level indicator, else the older tree."""
        return "2021" if any(i.level1 == L1_COST for i in self.indicators) else "pre2021"

    def tree(self) -> OrderedDict[str, OrderedDict[str, list[Indicator]]]:
        """level1 → level2 → rows, in framework order first, then any unknown labels."""
        order = FRAMEWORKS[self.framework]
        tree: OrderedDict[str, OrderedDict[str, list[Indicator]]] = OrderedDict()
        for l1, l2s in order.items():
            tree[l1] = OrderedDict((l2, []) for l2 in l2s)
        for ind in self.indicators:
            tree.setdefault(ind.level1, OrderedDict()).setdefault(ind.level2, []).append(ind)
        for l1 in list(tree):
            for l2 in [k for k, v in tree[l1].items() if not v]:
                del tree[l1][l2]
            if not tree[l1]:
                del tree[l1]
        return tree

    def content_key(self) -> str:
        """A stable hash of what the table says (not where it came from): the import identity."""
        body = {
            "header": self.header.model_dump(mode="json"),
            "goal": self.goal,
            "indicators": [
                [i.level1, i.level2, i.name, i.value, i.actual] for i in self.indicators
            ],
            "table_type": self.table_type,
        }
        text = json.dumps(body, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
