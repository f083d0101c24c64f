"""Reviewer quality on real tables, as a user meets it: precision of the findings (judged one
by one in ``tests/data/reviewer/judged.yaml``) and recall on listed problems (planted into
real tables, or real ones found by reading: ``tests/data/reviewer/problems.yaml``).

    python bench/reviewer_quality.py              # figures: tuned set, held-out set, recall
    python bench/reviewer_quality.py --unjudged   # findings not judged yet, as YAML to fill in

Tables: *tuned* = the shipped seed and precedent records (corpus/seed_ningxia_2024.json,
corpus/precedents_other_units.json), which the rules were adjusted on, and the same precedent
pages read by the importer (corpus/raw/precedents/*.txt); *held-out* = the pages
harvested for issue 9 (corpus/raw/harvest, or --harvest DIR), read with the importers or, where
they refuse the page, from the hand-made ``.rows.txt`` record; judged after the rules were
frozen. Hand-made records carry no header amounts, so FUND-003 on them says nothing about the
published table and is left out (counted and reported). The harvested pages are excerpts that
may stop mid-table; the table is marked so (as the importer marks a truncated text), and the
reviewer then does not claim missing levels.

The figures are for the current rules only. For comparison: before issue 11 the reviewer gave
109 findings on the 24 tuned tables (FUND-007 on every table without 年度资金总额, ten VALUE-001
for one template hint in ten names, MONEY-004 beside every VALUE-005, …); now it gives 66 there.
The held-out set was first judged with the rules frozen (42 of 48 right, 87.5%); the four
reviewer mistakes found there were then fixed (0%, unit in the name, ≤7工作日, no total), and
the remaining wrong findings are import mistakes (the importer misread the page).
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.knowledge.records import SLOTS  # noqa: E402
from assistant.model import Amount, Indicator, TargetTable  # noqa: E402
from assistant.rules import Finding, Report, validate  # noqa: E402

DATA = ROOT / "tests" / "data" / "reviewer"
TUNED_FILES = ("seed_ningxia_2024.json", "precedents_other_units.json")
HARVEST_DIR = ROOT / "corpus" / "raw" / "harvest"


@dataclass
class Entry:
    ident: str
    table: TargetTable
    hand_made: bool = False


def tuned_tables() -> list[Entry]:
    out = []
    for name in TUNED_FILES:
        doc = json.loads((ROOT / "corpus" / name).read_text(encoding="utf-8"))
        for i, raw in enumerate(doc["tables"]):
            out.append(Entry(f"{name}#{i}", TargetTable.model_validate(raw)))
    return out


def imported_pages() -> list[Entry]:
    """The precedent pages (corpus/raw/precedents/*.txt) as a user meets them: through the
    importer, not the hand-made records. Same pages as the tuned set."""
    from assistant.errors import JixiaoError
    from assistant.importers import load_file

    out = []
    for page in sorted((ROOT / "corpus" / "raw" / "precedents").glob("*.txt")):
        try:
            tables = load_file(page)
        except JixiaoError:
            continue
        out += [Entry(f"imported/{page.stem}#{i}", t) for i, t in enumerate(tables)]
    return out


def _record(path: Path, year: int | None) -> TargetTable:
    """A hand-made ``.rows.txt`` record (format: corpus/raw/harvest, issue 9)."""
    head: dict[str, str] = {}
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if len(line) > 1 and line[1] == ":" and line[0] in "PUGTN":
            head[line[0]] = line[2:].strip()
            continue
        cells = line.split("|")
        if len(cells) >= 3 and cells[0] in SLOTS:
            l1, l2 = SLOTS[cells[0]]
            rows.append(Indicator(level1=l1, level2=l2, name=cells[1], value=cells[2]))
    from assistant.model import Header

    return TargetTable(
        header=Header(project_name=head.get("P", path.stem), unit=head.get("U"), year=year),
        goal=head.get("G", ""),
        indicators=rows,
        table_type="self_evaluation" if head.get("T") == "self_evaluation" else "target",
    )


def harvest_tables(folder: Path | None) -> list[Entry]:
    from assistant.errors import JixiaoError
    from assistant.importers import load_file

    folder = folder or (HARVEST_DIR if HARVEST_DIR.is_dir() else None)
    if folder is None:
        return []
    out: list[Entry] = []
    for meta_path in sorted(folder.glob("*.meta.json")):
        stem = meta_path.name.removesuffix(".meta.json")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        tables: list[TargetTable] = []
        page = folder / f"{stem}.txt"
        if page.exists():
            try:
                tables = [t for t in load_file(page) if len(t.indicators) >= 4]
            except JixiaoError:
                tables = []
        hand = not tables
        if hand:
            rows = folder / f"{stem}.rows.txt"
            if not rows.exists():
                continue
            tables = [_record(rows, meta.get("year"))]
        for i, t in enumerate(tables):
            if t.table_type != "target":
                continue
            if t.header.year is None and meta.get("year"):
                t.header.year = meta["year"]
            if re.search(r"截断|摘录", meta.get("notes", "")):
                t.notes.append("原文为网页摘录，可能截断（见 meta.json）")
            out.append(Entry(f"harvest/{stem}#{i}", t, hand_made=hand))
    return out


def keys(report: Report) -> list[tuple[str, Finding]]:
    """A stable key per finding: code@row (or @field), numbered when repeated."""
    seen: Counter[str] = Counter()
    out = []
    for f in report.findings:
        where = f.location.row if f.location.row is not None else (f.location.field or "-")
        key = f"{f.code}@{where}"
        seen[key] += 1
        out.append((key if seen[key] == 1 else f"{key}#{seen[key]}", f))
    return out


_STATS: list = []


def _precedents():
    """The precedent statistics ``jixiao validate`` uses (unit costs of the shipped corpus)."""
    if not _STATS:
        from assistant.corpus import precedents
        from assistant.rules import PrecedentStats

        _STATS.append(PrecedentStats.from_indicators(precedents()))
    return _STATS[0]


def findings_of(entry: Entry) -> list[tuple[str, Finding]]:
    """The findings as ``jixiao validate`` reports them (with the precedent comparison)."""
    out = keys(validate(entry.table, precedents=_precedents()))
    if entry.hand_made:
        out = [(k, f) for k, f in out if f.code != "FUND-003"]
    return out


def load_yaml(name: str) -> list[dict]:
    path = DATA / name
    return yaml.safe_load(path.read_text(encoding="utf-8")) or [] if path.exists() else []


def precision(entries: list[Entry], judged: dict[tuple[str, str], dict]) -> dict:
    tp = fp = unjudged = excluded = 0
    by_code: Counter[str] = Counter()
    wrong: list[str] = []
    for e in entries:
        for key, f in findings_of(e):
            j = judged.get((e.ident, key))
            if j is None:
                unjudged += 1
            elif j["verdict"] is None:
                excluded += 1  # cannot be judged: the page excerpt stops before that part
            elif j["verdict"]:
                tp += 1
            else:
                fp += 1
                by_code[f.code] += 1
                wrong.append(f"{e.ident} {key}: {j.get('why', '')}")
    judged_n = tp + fp
    return {
        "tables": len(entries),
        "judged": judged_n,
        "true": tp,
        "false": fp,
        "unjudged": unjudged,
        "excluded": excluded,
        "precision": tp / judged_n if judged_n else 0.0,
        "false_by_code": dict(by_code),
        "wrong": wrong,
    }


def _apply(table: TargetTable, plant: dict) -> TargetTable:
    t = copy.deepcopy(table)
    row = plant.get("row")
    if "value" in plant:
        t.indicators[row].value = plant["value"]
    if "name" in plant:
        t.indicators[row].name = plant["name"]
    if "goal" in plant:
        t.goal = plant["goal"]
    for field, val in (plant.get("header") or {}).items():
        if field.startswith("funds_"):
            setattr(t.header.funds, field.removeprefix("funds_"), Amount.parse(val))
        elif field in ("total", "annual_total"):
            setattr(t.header, field, Amount.parse(val) if val is not None else None)
        else:
            setattr(t.header, field, val)
    if "drop" in plant:
        t.indicators = [x for i, x in enumerate(t.indicators) if i not in plant["drop"]]
    if "add" in plant:
        l1, l2, name, value = plant["add"]
        t.indicators.append(Indicator(level1=l1, level2=l2, name=name, value=value))
    return t


def recall(entries: dict[str, Entry], problems: list[dict]) -> dict:
    caught = 0
    missed: list[str] = []
    for p in problems:
        e = entries[p["table"]]
        before = {k for k, _ in keys(validate(e.table))}
        if p.get("plant"):
            after = keys(validate(_apply(e.table, p["plant"])))
            hit = any(f.code == p["expect"] and k not in before for k, f in after)
        else:
            hit = any(
                f.code == p["expect"] and (p.get("row") is None or p["row"] in _rows(f))
                for _, f in keys(validate(e.table))
            )
        caught += hit
        if not hit:
            missed.append(f"{p['table']} {p['expect']}: {p['what']}")
    n = len(problems)
    return {"problems": n, "caught": caught, "recall": caught / n if n else 0.0, "missed": missed}


def _rows(f: Finding) -> list[int]:
    return f.rows or ([f.location.row] if f.location.row is not None else [])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--harvest", type=Path, default=None)
    ap.add_argument("--unjudged", action="store_true", help="print unjudged findings as YAML")
    args = ap.parse_args()

    tuned = tuned_tables()
    imported = imported_pages()
    held = harvest_tables(args.harvest)
    judged = {(j["table"], j["key"]): j for j in load_yaml("judged.yaml")}

    if args.unjudged:
        todo = []
        for e in tuned + imported + held:
            for key, f in findings_of(e):
                if (e.ident, key) not in judged:
                    todo.append(
                        {
                            "table": e.ident,
                            "key": key,
                            "verdict": None,
                            "why": f"{f.location.describe()}：{f.message}",
                        }
                    )
        print(yaml.safe_dump(todo, allow_unicode=True, sort_keys=False, width=1000))
        return

    all_entries = {e.ident: e for e in tuned + imported + held}
    sets = (
        ("tuned (seed + precedent records)", tuned),
        ("tuned pages through the importer", imported),
        ("held-out (harvest)", held),
    )
    for label, entries in sets:
        r = precision(entries, judged)
        print(
            f"{label}: {r['tables']} tables, {r['judged']} judged findings, "
            f"{r['true']} right, {r['false']} wrong, precision {r['precision']:.1%}"
            f" ({r['unjudged']} not judged, {r['excluded']} on truncated excerpts left out)"
        )
        for w in r["wrong"]:
            print(f"    wrong: {w}")
    both = precision(tuned + imported + held, judged)
    print(
        f"all: {both['judged']} judged findings, precision {both['precision']:.1%}; "
        f"wrong by code: {both['false_by_code']}"
    )
    hand = sum(e.hand_made for e in held)
    print(f"held-out tables read from hand-made records: {hand} (FUND-003 left out on those)")
    rec = recall(all_entries, load_yaml("problems.yaml"))
    print(f"recall: {rec['caught']}/{rec['problems']} listed problems caught ({rec['recall']:.1%})")
    for m in rec["missed"]:
        print(f"    missed: {m}")


if __name__ == "__main__":
    main()
