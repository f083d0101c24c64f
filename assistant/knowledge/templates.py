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
from assistant.knowledge.names import clean_name
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


def learn(tables: Iterable[TargetTable], per_slot: int = 6) -> dict:
    """{kind: {"slots": {"level1/level2": [template…]}, "tables": n, "filled": {level2: n}}}."""
    from assistant.search.engine import canonical_value

    by_kind: dict[str, list[TargetTable]] = defaultdict(list)
    for t in tables:
        if t.kind:
            by_kind[t.kind].append(t)
    out: dict = {}
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
                key = (l1, l2, pattern_of(name))
                entry = found.setdefault(
                    key, {"tables": set(), "values": Counter(), "examples": [], "cites": []}
                )
                tid = id(table)
                if tid not in entry["tables"]:
                    entry["tables"].add(tid)
                    entry["cites"].append(_citation(table))
                value = canonical_value(ind.value)
                if value:
                    entry["values"][value] += 1
                if name not in entry["examples"]:
                    entry["examples"].append(name)
            filled.update(seen_slots)
        slots: dict[str, list[dict]] = defaultdict(list)
        ranked = sorted(found.items(), key=lambda kv: (-len(kv[1]["tables"]), kv[0]))
        for (l1, l2, pattern), entry in ranked:
            slot = f"{l1}/{l2}"
            literal_once = SLOT_HOLE not in pattern and len(entry["tables"]) < 2
            if len(slots[slot]) >= per_slot or literal_once:
                continue
            value = entry["values"].most_common(1)[0][0] if entry["values"] else ""
            slots[slot].append(
                Template(
                    kind,
                    l1,
                    l2,
                    pattern,
                    len(entry["tables"]),
                    value,
                    tuple(entry["examples"][:3]),
                    tuple(entry["cites"][:5]),
                ).to_json()
            )
        out[kind] = {"tables": len(group), "filled": dict(sorted(filled.items())), "slots": slots}
    out[COMMON] = _common(out, per_slot)
    return out


COMMON = "_common"


def _common(learned: dict, per_slot: int) -> dict:
    """Patterns with a hole that tables of two or more kinds use: the templates offered when
    the project's own kind has none for a slot."""
    found: dict[tuple[str, str], dict] = {}
    for kind, doc in learned.items():
        for slot, rows in doc["slots"].items():
            for row in rows:
                if SLOT_HOLE not in row["pattern"]:
                    continue
                entry = found.setdefault(
                    (slot, row["pattern"]), {"kinds": set(), "tables": 0, "row": row, "cites": []}
                )
                entry["kinds"].add(kind)
                entry["tables"] += row["tables"]
                entry["cites"] += row["citations"]
    slots: dict[str, list[dict]] = defaultdict(list)
    ranked = sorted(found.items(), key=lambda kv: (-len(kv[1]["kinds"]), -kv[1]["tables"], kv[0]))
    for (slot, _pattern), entry in ranked:
        if len(entry["kinds"]) < 2 or len(slots[slot]) >= per_slot:
            continue
        row = dict(entry["row"], tables=entry["tables"], citations=entry["cites"][:5])
        slots[slot].append(row)
    return {"tables": sum(d["tables"] for d in learned.values()), "filled": {}, "slots": slots}


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
        )
        for r in rows
    ]


_ACTIVITY_CUT = re.compile(
    r"[\d０-９]|[一二两三四五六七八九十百千万]+\s*[个座栋条处家户人次期场台套项公里米亩平方吨辆名批册]"
    r"|[，,。；;：:（(]"
)
_NAME_TRIM = re.compile(r"^\s*\d{4}\s*年度?|项目$|经费$|资金$|专项$")


def subject_from(name: str, activities: Sequence[str], fallback: str) -> str:
    """What "{活动}" becomes: the first activity's head, else the project name's core."""
    for act in activities:
        head = _ACTIVITY_CUT.split(act or "", maxsplit=1)[0].strip()
        if len(head) >= 2:
            return head[:14]
    core = name or ""
    for _ in range(3):
        core = _NAME_TRIM.sub("", core).strip()
    return core[:14] if len(core) >= 2 else fallback


def fill(template: Template, subject: str) -> str:
    return template.pattern.replace(SLOT_HOLE, subject)
