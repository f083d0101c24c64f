"""Rebuild the shipped corpus (corpus/*.json) from the raw texts kept in corpus/raw/.

    python -m assistant.importers.build_corpus [--shared ../shared] [--out corpus]

- ``--shared``: first refresh corpus/raw/ from a ``shared/`` folder (seeds/ and precedents/).
- The seed text is parsed by the text-layout importer (so the shipped tables are exactly what
  ``jixiao import`` reads, line numbers included); the precedent JSON records are converted
  with their source addresses; the common-indicator library is checked (every entry a library
  entry; every "第N行" it cites really holds the wording).
- The harvest (corpus/raw/harvest: page text + .meta.json, see assistant/knowledge/harvest.py)
  is read with the project's own importers; a page they refuse is built from its hand-made
  record when there is one (marked so), else listed as refused with the reason.
- Every table gets its spending kind (corpus/table_kinds.yaml, the harvest's meta) and names
  cleaned of template residue (raw name kept in the row's note); kind templates are learned
  into corpus/kind_templates.json and the statistics written to corpus/STATS.md.
Output is deterministic: running it twice gives identical files.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from decimal import Decimal
from pathlib import Path

import yaml

from assistant import config
from assistant.importers.json_tables import precedent_to_table
from assistant.importers.text_layout import parse_text
from assistant.knowledge import harvest, templates
from assistant.knowledge.records import clean_table
from assistant.model import Indicator, TargetTable

SEED_FILE = "000_4da5520f21e577ee.txt"
SEED_PUBLISHER = "宁夏回族自治区乡村振兴监测评估中心 2024年自治区本级部门项目支出预算绩效目标公开"
SEED_SOURCE = f"{SEED_PUBLISHER}（corpus/raw/{SEED_FILE}）"
SEED_OUT = "seed_ningxia_2024.json"
PRECEDENTS_OUT = "precedents_other_units.json"
HARVEST_OUT = "harvested.json"
TABLE_KINDS = "table_kinds.yaml"
LIBRARY_FILE = "library/common_indicators.json"
EXPECTED_SEED = (6, 131)

_CITED_LINE = re.compile(r"(corpus/raw/[\w./-]+)\s*第(\d+)行(?:“([^”]+)”)?")


def _dump(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _tables_json(tables: list[TargetTable]) -> list[dict]:
    return [t.model_dump(mode="json", exclude_none=True) for t in tables]


def refresh_raw(shared: Path, out: Path) -> None:
    """Copy the seed and the precedent files (.txt, .json, README) into ``out/raw``."""
    raw = out / "raw"
    (raw / "precedents").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shared / "seeds" / SEED_FILE, raw / SEED_FILE)
    for src in sorted((shared / "precedents").iterdir()):
        if src.suffix in (".txt", ".json", ".md"):
            shutil.copyfile(src, raw / "precedents" / src.name)


def build_seed(out: Path) -> list[TargetTable]:
    text = (out / "raw" / SEED_FILE).read_text(encoding="utf-8")
    tables, warnings = parse_text(text, SEED_SOURCE)
    count = (len(tables), sum(len(t.indicators) for t in tables))
    if count != EXPECTED_SEED or warnings:
        raise SystemExit(f"seed parse changed: {count} tables/indicators, warnings {warnings}")
    return tables


def build_precedents(out: Path) -> list[TargetTable]:
    tables = []
    for path in sorted((out / "raw" / "precedents").glob("*.json")):
        rec = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        table = precedent_to_table(rec, f"corpus/raw/precedents/{path.name}")
        note = f"整理稿：corpus/raw/precedents/{path.name}（原文见同名 .txt）"
        tables.append(table.model_copy(update={"notes": [*table.notes, note]}))
    return tables


def check_library(out: Path) -> list[Indicator]:
    """Every library row validates, is marked kind=library, and any cited line exists."""
    doc = json.loads((out / LIBRARY_FILE).read_text(encoding="utf-8"))
    rows = [Indicator.model_validate(r) for r in doc["indicators"]]
    texts: dict[str, list[str]] = {}
    for row in rows:
        prov = row.provenance
        if prov is None or prov.kind != "library" or not prov.note:
            raise SystemExit(f"library entry without library provenance/note: {row.name}")
        for file, line, direct in _CITED_LINE.findall(prov.note):
            if file not in texts:
                rel = Path(file).relative_to("corpus")
                texts[file] = (out / rel).read_text(encoding="utf-8").splitlines()
            cited = texts[file][int(line) - 1]
            wordings = [direct or row.bare_name, *re.findall(r"“([^”]+)”", prov.note)]
            missing = [w for w in wordings if w not in cited]
            if missing:
                raise SystemExit(f"{row.name}: {file} 第{line}行 does not hold {missing}")
    return rows


def with_kinds(out: Path, tables: list[TargetTable]) -> list[TargetTable]:
    """Each table with its kind from corpus/table_kinds.yaml and cleaned names."""
    kinds = yaml.safe_load((out / TABLE_KINDS).read_text(encoding="utf-8"))
    missing = [t.header.project_name for t in tables if t.header.project_name not in kinds]
    if missing:
        raise SystemExit(f"{TABLE_KINDS} has no kind for: {missing}")
    return [
        clean_table(t).model_copy(update={"kind": kinds[t.header.project_name]}) for t in tables
    ]


def build(out: Path, shared: Path | None = None) -> dict[str, int]:
    """Write the shipped corpus files into ``out``; returns counts for the log."""
    if shared is not None:
        refresh_raw(shared, out)
    seed = with_kinds(out, build_seed(out))
    (out / SEED_OUT).write_text(
        _dump(
            {
                "title": "宁夏回族自治区乡村振兴监测评估中心 2024年项目支出绩效目标表（6张）",
                "source": SEED_SOURCE,
                "tables": _tables_json(seed),
            }
        ),
        encoding="utf-8",
    )
    precedents = with_kinds(out, build_precedents(out))
    (out / PRECEDENTS_OUT).write_text(
        _dump(
            {
                "title": "其他单位、其他省份公开的绩效目标表与自评表（18张，2018–2025）",
                "source": (
                    "各表来源网址见每张表的 provenance.source；"
                    "整理稿与原文在 corpus/raw/precedents/"
                ),
                "tables": _tables_json(precedents),
            }
        ),
        encoding="utf-8",
    )
    library = check_library(out)
    result = harvest.build_harvest(out / "raw" / "harvest", seed + precedents)
    (out / HARVEST_OUT).write_text(
        _dump(
            {
                "title": f"公开网页采集的绩效目标表与自评表（{len(result.tables)}张，2018–2025）",
                "source": "各表来源网址见每张表的 provenance.source；原文在 corpus/raw/harvest/",
                "tables": _tables_json(result.tables),
            }
        ),
        encoding="utf-8",
    )
    everything = seed + precedents + result.tables
    (out / templates.templates_file().name).write_text(
        _dump(templates.learn(everything)), encoding="utf-8"
    )
    (out / "STATS.md").write_text(harvest.stats_markdown(everything, result), encoding="utf-8")
    return {
        "seed_tables": len(seed),
        "seed_indicators": sum(len(t.indicators) for t in seed),
        "precedent_tables": len(precedents),
        "precedent_indicators": sum(len(t.indicators) for t in precedents),
        "library_entries": len(library),
        "harvest_tables": len(result.tables),
        "harvest_indicators": sum(len(t.indicators) for t in result.tables),
        "harvest_by_importer": result.by_importer,
        "harvest_hand_made": result.hand_made,
        "harvest_importer_refused": len(result.refused),
        "harvest_importer_misread": len(result.misread),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, help="refresh corpus/raw from this shared/ folder")
    parser.add_argument("--out", type=Path, default=config.shipped_corpus_dir())
    args = parser.parse_args(argv)
    counts = build(args.out, args.shared)
    print(json.dumps(counts, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
