"""Slot templates per kind, learned from the corpus: the patterns real tables of a kind use.

A row's cleaned name ending in a common measure ("验收合格率", "满意度", "受益人数" …) after
a specific head becomes the pattern "{活动}验收合格率"; other names stay literal. For each
(kind, 二级指标) the build counts in how many tables each pattern occurs, keeps citations
(project, source, year) and the typical value, and writes corpus/kind_templates.json.
``fill`` puts the user's own activity into a pattern when no close precedent exists.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant import config
from assistant.knowledge.names import clean_name, without_brackets
from assistant.model import TargetTable, normalize_levels

SLOT_HOLE = "{活动}"
# longest first: the first suffix a name ends with decides its pattern
MEASURES = sorted(
    """验收合格率 质量合格率 合格率 按期完成率 完成率 完工率 开工率 及时率 满意度 覆盖率 发放率
    准确率 达标率 成活率 保存率 执行率 使用年限 使用率 知晓率 到位率 受益人数 受益人口数
    受益户数 人数 人次 户数 面积 里程 长度 场次 次数 天数 个数 数量 完成时间 时间 时限
    成本 总成本 补助标准 标准 收入 增收""".split(),
    key=len,
    reverse=True,
)
_GENERIC_HEADS = {
    "项目",
    "工程",
    "项目(工程)",
    "项目（工程）",
    "资金",
    "任务",
    "工作",
    "全年",
    "服务对象",
    "受益群众",
    "群众",
    "社会公众",
    "受益对象",
    "项目受益人",
    "预算",
    "经费支出",
    "资金使用",
}
_HEAD_TRIM = re.compile(r"^[\d\s年月日.\-—~～至]+|[的之、,，]+$")


def pattern_of(name: str) -> str:
    """ "教学楼维修验收合格率" → "{活动}验收合格率"; a generic head or no measure: the name."""
    text = clean_name(name)
    for measure in MEASURES:
        if text.endswith(measure) and len(text) > len(measure):
            head = _HEAD_TRIM.sub("", text[: -len(measure)])
            if len(head) >= 2 and head not in _GENERIC_HEADS:
                return SLOT_HOLE + measure
            return text
    return text


def measure_of(name: str) -> str:
    """The measure a name ends with ("项目验收合格率" → "验收合格率"); "" when none."""
    text = without_brackets(clean_name(name))
    return next((m for m in MEASURES if text.endswith(m)), "")


@dataclass(frozen=True)
class Template:
    kind: str
    level1: str
    level2: str
    pattern: str
    tables: int
    value: str
    examples: tuple[str, ...]
    citations: tuple[str, ...]
    kinds: int = 1

    def to_json(self) -> dict:
        return {
            "pattern": self.pattern,
            "tables": self.tables,
            "value": self.value,
            "examples": list(self.examples),
            "citations": list(self.citations),
        }


def _citation(table: TargetTable) -> str:
    p = table.provenance
    source = p.source if p else ""
    year = table.header.year or (p.year if p else None)
    return f"{table.header.project_name}（{year or '年度不详'}，{source}）"


def common_key(name: str) -> str:
    """The pattern a name counts under across kinds: a hole pattern, or the literal name
    without bracketed dates and units ("项目完成及时率（2024年底前）" → "项目完成及时率")."""
    pattern = pattern_of(name)
    return pattern if SLOT_HOLE in pattern else without_brackets(pattern)


def learn(tables: Iterable[TargetTable], per_slot: int = 6) -> dict:
    """{kind: {"slots": {"level1/level2": [template…]}, "tables": n, "filled": {level2: n}}},
    plus ``_common``: the patterns and names tables of two or more kinds use (共性)."""
    from assistant.search.engine import canonical_value

    by_kind: dict[str, list[TargetTable]] = defaultdict(list)
    for t in tables:
        if t.kind:
            by_kind[t.kind].append(t)
    out: dict = {}
    across: dict[tuple[str, str, str], dict] = {}
    for kind, group in sorted(by_kind.items()):
        found: dict[tuple[str, str, str], dict] = {}
        filled: Counter[str] = Counter()
        for table in group:
            seen_slots = set()
            for ind in table.indicators:
                l1, l2 = normalize_levels(ind.level1, ind.level2)
                name = clean_name(ind.name)
                if not name:
                    continue
                seen_slots.add(l2)
                value = canonical_value(ind.value)
                keys = [(found, (l1, l2, pattern_of(name))), (across, (l1, l2, common_key(name)))]
                literal = without_brackets(name)
                if SLOT_HOLE in keys[1][1][2] and literal:  # the literal name counts too
                    keys.append((across, (l1, l2, literal)))
                for store, key in keys:
                    _count(store, key, table, name, value, kind)
            filled.update(seen_slots)
        slots: dict[str, list[dict]] = defaultdict(list)
        ranked = sorted(found.items(), key=lambda kv: (-len(kv[1]["tables"]), kv[0]))
        for (l1, l2, pattern), entry in ranked:
            slot = f"{l1}/{l2}"
            literal_once = SLOT_HOLE not in pattern and len(entry["tables"]) < 2
            if len(slots[slot]) >= per_slot or literal_once:
                continue
            slots[slot].append(_template(kind, l1, l2, pattern, entry).to_json())
        out[kind] = {"tables": len(group), "filled": dict(sorted(filled.items())), "slots": slots}
    out[COMMON] = _common(across, sum(len(g) for g in by_kind.values()), per_slot + 2)
    return out


def _count(store: dict, key: tuple, table: TargetTable, name: str, value: str, kind: str) -> None:
    entry = store.setdefault(
        key,
        {
            "tables": set(),
            "kinds": set(),
            "sources": set(),
            "values": Counter(),
            "examples": [],
            "cites": [],
        },
    )
    entry["sources"].add(table.provenance.source if table.provenance else "")
    if id(table) not in entry["tables"]:
        entry["tables"].add(id(table))
        entry["cites"].append(_citation(table))
    entry["kinds"].add(kind)
    if value:
        entry["values"][value] += 1
    if name not in entry["examples"]:
        entry["examples"].append(name)


def _template(kind: str, l1: str, l2: str, pattern: str, entry: dict) -> Template:
    value = entry["values"].most_common(1)[0][0] if entry["values"] else ""
    return Template(
        kind,
        l1,
        l2,
        pattern,
        len(entry["tables"]),
        value,
        tuple(entry["examples"][:3]),
        tuple(entry["cites"][:5]),
    )


COMMON = "_common"


def _common(across: dict, tables: int, per_slot: int) -> dict:
    """共性: the patterns and literal names tables of two or more kinds (and, for a literal
    name, two or more publishers: not one unit's house wording) use, per slot, most used
    first, each with its number of kinds and tables."""
    slots: dict[str, list[dict]] = defaultdict(list)
    ranked = sorted(
        across.items(), key=lambda kv: (-len(kv[1]["tables"]), -len(kv[1]["kinds"]), kv[0])
    )
    for (l1, l2, pattern), entry in ranked:
        slot = f"{l1}/{l2}"
        one_unit = SLOT_HOLE not in pattern and len(entry["sources"]) < 2
        if len(entry["kinds"]) < 2 or one_unit or len(slots[slot]) >= per_slot:
            continue
        doc = _template(COMMON, l1, l2, pattern, entry).to_json()
        doc["kinds"] = len(entry["kinds"])
        slots[slot].append(doc)
    return {"tables": tables, "filled": {}, "slots": slots}


def templates_file() -> Path:
    return config.shipped_corpus_dir() / "kind_templates.json"


def load(path: Path | None = None) -> dict:
    path = path or templates_file()
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def for_slot(data: dict, kind: str | None, level1: str, level2: str) -> list[Template]:
    if not kind or kind not in data:
        return []
    rows = data[kind]["slots"].get(f"{level1}/{level2}", [])
    return [
        Template(
            kind,
            level1,
            level2,
            r["pattern"],
            r["tables"],
            r["value"],
            tuple(r["examples"]),
            tuple(r["citations"]),
            r.get("kinds", 1),
        )
        for r in rows
    ]


_ACTIVITY_CUT = re.compile(  # where an activity's name ends: a number, a counted unit, a mark
    r"[\d０-９]|[一二两三四五六七八九十百千万]+\s*[个座栋条处家户人次期场台套项公里米亩平方吨辆名批册]"
    r"|[，,。；;：:（(]"
)
_YEAR = re.compile(r"^\s*(?:\d{4}\s*年?度?|\d{2}\s*年度?)\s*")
# place names in front of what the project does: "古昌镇大青冈村…", "中江县…" (not "市级")
_PLACE = re.compile(r"^(?:[\u4e00-\u9fff]{2,6}?(?:省|自治区|市|州|县|区|旗|镇|乡|村)(?!级|民|场))+")
_NAME_TRIM = re.compile(r"(?:项目|经费|资金|专项|工作经费|补助资金|补助经费|费|一期|二期)$")
_JOINERS = re.compile(r"[和及与、]")
SUBJECT_MAX = 16


def name_core(name: str) -> str:
    """What a project name says it does, without year, place, brackets and 项目/经费:
    "古昌镇大青冈村乡村振兴绿化美化项目" → "乡村振兴绿化美化"."""
    core = without_brackets(name)
    for _ in range(3):
        core = _YEAR.sub("", core)
        core = _PLACE.sub("", core) or core
        core = _NAME_TRIM.sub("", core).strip()
    if len(core) > SUBJECT_MAX:  # "精准补贴和节水奖励…" → the part before the first joiner
        head = _JOINERS.split(core, maxsplit=1)[0]
        core = head if len(head) >= 2 else core
    return core[:SUBJECT_MAX]


def subject_from(name: str, activities: Sequence[str], fallback: str) -> str:
    """What "{活动}" becomes: the first activity's head, else the project name's core."""
    acts = activities_of(activities)
    if acts:
        return acts[0].name
    core = name_core(name)
    return core if len(core) >= 2 else fallback


@dataclass(frozen=True)
class Activity:
    """One thing the project does, as the user said it: "苗木栽植 3500株" → name, amount, unit."""

    name: str
    amount: str = ""
    unit: str = ""


_UNITS = (
    "平方公里 平方米 公里 千米 米 亩 株 棵 个 座 栋 条 处 家 户 人次 人 期 场 次 台 套 项 吨 辆 "
    "名 批次 批 册 所 份 篇 门 天 间 块 只 头 万元 元"
).split()
_MONEY = {"万元", "元"}  # an amount of money is not an activity
_NOT_ACTIVITY = re.compile(r"^(?:在|以及|其中|包含|本项目|项目|投资|预算|资金|受益|促使|增加)")
_QTY = re.compile(r"(\d+(?:\.\d+)?)\s*(" + "|".join(sorted(_UNITS, key=len, reverse=True)) + ")")
_SEGMENTS = re.compile(r"[；;。，,\n]|目标\s*\d+\s*[:：]|\d+[、.．]")
_LEAD = re.compile(r"^(?:完成|开展|实施|组织|举办|计划|拟|对|共|约|新增|全年|年度|预计|通过)+")
_TAIL = re.compile(r"(?:达到|不少于|不低于|共计|共|约|超过|完成|≥|>=|达)+$")


def activities_of(texts: Sequence[str], *, need_amount: bool = False) -> list[Activity]:
    """The activities in what the user wrote (each with its amount and unit when given);
    from a goal text pass ``need_amount``: only phrases that state a quantity count."""
    out: list[Activity] = []
    for text in texts:
        for seg in _SEGMENTS.split(text or ""):
            m = _QTY.search(seg)
            if need_amount and m is None:
                continue
            head = _ACTIVITY_CUT.split(seg[: m.start()] if m else seg, maxsplit=1)[0]
            head = _TAIL.sub("", _LEAD.sub("", head.strip())).strip()
            if m is not None and m.group(2) in _MONEY or _NOT_ACTIVITY.match(head):
                continue
            if 2 <= len(head) <= 14 and all(head != a.name for a in out):
                out.append(Activity(head, m.group(1) if m else "", m.group(2) if m else ""))
    return out


# the quantity row an activity's unit asks for ("培训 280人次" → "培训人次")
_UNIT_MEASURE = {
    "人": "人数",
    "名": "人数",
    "人次": "人次",
    "户": "户数",
    "亩": "面积",
    "平方米": "面积",
    "平方公里": "面积",
    "公里": "长度",
    "千米": "长度",
    "米": "长度",
    "场": "场次",
    "期": "期数",
    "次": "次数",
    "天": "天数",
}


def quantity_name(act: Activity) -> str:
    """ "{活动}数量" named by the activity's unit: 人次 → 培训人次, 亩 → 造林面积; a name that
    already ends in a measure or its unit ("检测批次", "开设课程数量") stays as it is."""
    if any(act.name.endswith(m) for m in (*MEASURES, act.unit) if m):
        return act.name
    return act.name + _UNIT_MEASURE.get(act.unit, "数量")


PERSON_MEASURES = ("受益人口数", "受益人数", "受益户数", "人数", "人次", "户数")
# a project that serves people says so: 培训 学员 老人 学生 群众 干部 对象 …
_PEOPLE = (
    r"人|员|户|学生|儿童|老|群众|干部|对象|培训|教育|就业|救助|津贴|补助|补贴"
    r"|家庭|居民|市民|村民|职工"
)
# measures that only fit a project whose facts give the cue: people counted, coverage of
# someone, income earned ("县级储备粮人数", "维修改造办公楼覆盖率", "新修田间道路收入"
# are no indicators)
_CUES = (
    (PERSON_MEASURES, re.compile(_PEOPLE)),
    (("覆盖率",), re.compile(_PEOPLE + r"|覆盖")),
    (("收入", "增收"), re.compile(r"收入|增收|致富|产值|经济效益|营收|分红")),
)


def fits(template: Template, facts_text: str) -> bool:
    """Whether a template's measure fits the project (see ``_CUES``); literal names do."""
    if SLOT_HOLE not in template.pattern:
        return True
    for measures, cue in _CUES:
        if template.pattern.endswith(measures):
            return bool(cue.search(facts_text))
    return True


def fill(template: Template, subject: str) -> str:
    """The pattern with the user's words in its hole; a word the subject ends on and the
    measure starts with is said once ("津贴发放" + "发放率" → "津贴发放率")."""
    head, _, measure = template.pattern.partition(SLOT_HOLE)
    if not _:
        return template.pattern
    for k in range(min(len(subject), len(measure) - 1), 1, -1):
        if subject.endswith(measure[:k]):
            return head + subject + measure[k:]
    return head + subject + measure


_AMOUNT = re.compile(r"\d")
_PORTABLE = re.compile(r"[%％]|年|月|日|天")


def portable_value(value: str) -> str:
    """A value learned across kinds is offered only when it fits any project (a rate, a
    date); another project's amount ("≥17600株") is left for the user to fill."""
    if _AMOUNT.search(value or "") and not _PORTABLE.search(value):
        return ""
    return value
