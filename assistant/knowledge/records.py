"""Harvested pages as tables: hand-made records for pages no importer reads, and the
name cleaning applied to every shipped table at build time.

A hand-made record (``corpus/raw/harvest/NNN_*.rows.txt``) is written only where the page
text defeats the importers (cells run together, one cell a line, columns shifted). Format::

    P:项目名称        U:实施单位        G:年度目标        T:self_evaluation   N:说明
    数量|三级指标|指标值[|实际完成值]

The slot word before the first "|" is one of 数量 质量 时效 成本 经济 社会 生态 可持续 满意.
"""

from __future__ import annotations

import json
from pathlib import Path

from assistant.knowledge.names import clean_name
from assistant.model import Header, Indicator, Provenance, TargetTable, split_number

SLOTS = {
    "数量": ("产出指标", "数量指标"),
    "质量": ("产出指标", "质量指标"),
    "时效": ("产出指标", "时效指标"),
    "成本": ("产出指标", "成本指标"),
    "经济": ("效益指标", "经济效益"),
    "社会": ("效益指标", "社会效益"),
    "生态": ("效益指标", "生态效益"),
    "可持续": ("效益指标", "可持续影响"),
    "满意": ("满意度指标", "服务对象满意度"),
}


class RecordError(ValueError):
    """A hand-made record line that does not follow the format (file and line named)."""


def read_meta(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def table_from_record(path: Path, meta: dict, rel: str) -> TargetTable:
    """The table a hand-made record describes, every row marked as hand-made."""
    head: dict[str, str] = {}
    rows: list[Indicator] = []
    skipped = 0
    note = f"手工整理：{rel}（导入器读不出原文）"
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        if len(line) > 1 and line[1] == ":" and line[0] in "PUGTN":
            head[line[0]] = line[2:].strip()
            continue
        cells = line.split("|")
        if len(cells) < 3 or cells[0] not in SLOTS:
            raise RecordError(f"{rel} 第{n}行：应为“二级指标|三级指标|指标值”")
        l1, l2 = SLOTS[cells[0]]
        if not cells[2].strip():  # a statement without a 指标值 is not an indicator row
            skipped += 1
            continue
        rows.append(
            Indicator(
                level1=l1,
                level2=l2,
                name=cells[1].strip(),
                value=cells[2].strip(),
                actual=(cells[3].strip() or None) if len(cells) > 3 else None,
                provenance=Provenance(source=meta["source"], note=f"{rel} 第{n}行（手工整理）"),
            )
        )
    if "P" not in head:
        raise RecordError(f"{rel}：缺少“P:项目名称”")
    notes = [note] + ([head["N"]] if head.get("N") else [])
    if skipped:
        notes.append(f"{skipped}行没有指标值，未收")
    return TargetTable(
        header=Header(project_name=head["P"], unit=head.get("U"), year=meta.get("year")),
        goal=head.get("G", ""),
        indicators=rows,
        table_type="self_evaluation" if head.get("T") == "self_evaluation" else "target",
        notes=notes,
    )


def clean_table(table: TargetTable) -> TargetTable:
    """Names without template residue; a changed name keeps its raw form in the row's note."""
    rows = []
    for ind in table.indicators:
        bare = split_number(ind.name)[1]
        cleaned = clean_name(ind.name)
        if cleaned == bare or not cleaned:
            rows.append(ind)
            continue
        prov = ind.provenance or Provenance(
            source=table.provenance.source if table.provenance else ""
        )
        raw_note = f"原名：{ind.name}"
        note = f"{prov.note}；{raw_note}" if prov.note else raw_note
        rows.append(
            ind.model_copy(
                update={"name": cleaned, "provenance": prov.model_copy(update={"note": note})}
            )
        )
    return table.model_copy(update={"indicators": rows})
