"""How much of the real 指标值 text the grammar understands.

Parses every value of the seed tables (read naively from the seed text file, and as shipped in
corpus/), of the precedent JSON files and of the common-indicator library, then prints the
count per kind and every value that fell to kind ``text``.

    python bench/values_stats.py [--seed FILE] [--precedents DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.values import KIND_NAMES, parse_value  # noqa: E402

SHARED = ROOT.parent / "shared"
DEFAULT_SEED = SHARED / "seeds" / "000_4da5520f21e577ee.txt"
DEFAULT_PRECEDENTS = SHARED / "precedents"
LEVEL1 = ("产出指标", "效益指标", "满意度指标")


def seed_values_from_text(path: Path) -> list[str]:
    """The 指标值 column read naively: in each table, the rows after the header
    ``一级指标 … 指标值`` up to the next table's title; the value is the last non-empty tab
    field (rows are continued with leading tabs, some end with a stray tab)."""
    out: list[str] = []
    in_rows = False
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = [f.strip() for f in line.split("\t")]
        if fields and fields[0] == "一级指标":
            in_rows = True
            continue
        if "绩效目标表" in line or (fields and fields[0] == "项目名称"):
            in_rows = False  # the next table begins (blank lines occur inside tables)
            continue
        filled = [f for f in fields if f]
        if in_rows and len(filled) >= 2:
            out.append(filled[-1])
    return out


def corpus_values() -> dict[str, list[str]]:
    """Values of each shipped corpus file (seed tables, precedents, common-indicator library);
    empty when the corpus is not there yet."""
    out: dict[str, list[str]] = {}
    try:
        from assistant.corpus import library_indicators, shipped_tables

        for ct in shipped_tables():
            out.setdefault(f"corpus/{ct.file.name}", []).extend(
                ind.value for ind in ct.table.indicators
            )
        library = [ind.value for ind in library_indicators()]
        if library:
            out["corpus/library"] = library
    except Exception:  # noqa: BLE001 - a half-built corpus must not stop the bench
        return {}
    return out


def precedent_values(directory: Path) -> list[str]:
    out: list[str] = []
    for path in sorted(directory.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for ind in doc.get("indicators", []):
            out.append(ind.get("value") or "")
            if ind.get("actual"):
                out.append(ind["actual"])
    return out


def stats(vals: list[str]) -> tuple[Counter, list[str]]:
    kinds: Counter = Counter()
    texts: list[str] = []
    for raw in vals:
        pv = parse_value(raw)
        kinds[pv.kind] += 1
        if pv.kind == "text":
            texts.append(raw)
    return kinds, texts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=Path, default=DEFAULT_SEED)
    ap.add_argument("--precedents", type=Path, default=DEFAULT_PRECEDENTS)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    sources: dict[str, list[str]] = {}
    if args.seed.exists():
        sources[f"seed text {args.seed.name} (naive read)"] = seed_values_from_text(args.seed)
    sources.update(corpus_values())
    if args.precedents.exists():
        sources[f"precedent JSON {args.precedents}"] = precedent_values(args.precedents)
    report = {}
    for name, vals in sources.items():
        kinds, texts = stats(vals)
        report[name] = {"values": len(vals), "kinds": dict(kinds), "text": texts}
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for name, r in report.items():
        print(f"== {name}: {r['values']} values")
        for kind, n in sorted(r["kinds"].items(), key=lambda kv: -kv[1]):
            print(f"  {kind:12} {KIND_NAMES[kind]}  {n}")
        print(f"  fell to text ({len(r['text'])}):")
        for raw in dict.fromkeys(r["text"]):
            print(f"    {raw!r}")


if __name__ == "__main__":
    main()
