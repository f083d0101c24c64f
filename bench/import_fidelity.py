"""How faithfully `jixiao import` reads real published pages: per file rows right / wrong /
refused, and header fields right, against the hand-made records beside the pages.

    python bench/import_fidelity.py [--held-out DIR] [--before REF] [--show]

Two sets, both scored row by row against hand-made records:
- the tuned set ``corpus/raw/precedents`` (each ``.txt`` has a hand-made ``.json``);
- the harvest ``corpus/raw/harvest`` (or ``--held-out DIR``): real pages with a hand-made
  ``.rows.txt`` record in the format of ``assistant/knowledge/records.py``. A page is right
  when the importer's rows are the record's rows (二级, name, value, actual), misread when it
  reports success with any row wrong or missing, refused when it says why it cannot read it.
  Pages without a record print the rows taken (``--show`` lists them for a person to judge).
Baselines measured in the same run: the same reader with its row checks switched off (what
the checks keep out), and with ``--before REF`` the importer as it was at git ``REF`` (its
``assistant/`` tree exported to a temp folder and run on the same pages), so before/after
figures come from one run.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from decimal import Decimal
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
# --code DIR: run on another copy of the code (the --before baseline), else this checkout's
_CODE = sys.argv[sys.argv.index("--code") + 1] if "--code" in sys.argv else str(CHECKOUT)
sys.path.insert(0, _CODE)

from assistant.errors import JixiaoError  # noqa: E402
from assistant.importers import load_file  # noqa: E402
from assistant.importers.text_layout import L2_NAMES, SINGLE_CHILD  # noqa: E402
from assistant.model import TargetTable, normalize_levels  # noqa: E402

TUNED = CHECKOUT / "corpus" / "raw" / "precedents"
HARVEST = CHECKOUT / "corpus" / "raw" / "harvest"
_WS = re.compile(r"\s+")


def _norm(text: str | None) -> str:
    return _WS.sub("", text or "")


def _levels(l1: str, l2: str) -> tuple[str, str]:
    level1, level2 = normalize_levels(l1, l2)
    return level1, (level2 if level2 in L2_NAMES else SINGLE_CHILD.get(level1, level2))


def _row_keys(rec: dict) -> list[tuple[str, ...]]:
    return [
        (
            *_levels(r["level1"], r["level2"]),
            _norm(r["level3"]),
            _norm(r["value"]),
            _norm(r.get("actual")),
        )
        for r in rec["indicators"]
    ]


def _got_keys(table: TargetTable) -> list[tuple[str, ...]]:
    return [
        (i.level1, i.level2, _norm(i.name), _norm(i.value), _norm(i.actual))
        for i in table.indicators
    ]


def _pick(tables: list[TargetTable], name: str) -> TargetTable | None:
    for t in tables:
        if _norm(t.header.project_name) == _norm(name):
            return t
    for t in tables:  # a record may add a qualifier the page prints in its title
        if _norm(name).startswith(_norm(t.header.project_name)):
            return t
    return None


def _header_score(table: TargetTable, rec: dict) -> tuple[int, int, list[str]]:
    """Header fields the record has, and how many the import got right."""
    checks = []
    for field, want, got in (
        ("主管部门", rec.get("department"), table.header.department),
        ("实施单位", rec.get("unit"), table.header.unit),
        ("年度", rec.get("year"), table.header.year),
    ):
        if want:
            w, g = _norm(str(want)), _norm(str(got or ""))
            checks.append((field, bool(g) and (w in g or g in w)))  # records add qualifiers
    if rec.get("overall_goal"):
        checks.append(("年度目标", _norm(table.goal) == _norm(rec["overall_goal"])))
    if rec.get("total_wan") is not None:
        total = table.header.total.value if table.header.total else None
        checks.append(("项目总额", total is not None and total == Decimal(str(rec["total_wan"]))))
    bad = [f for f, ok in checks if not ok]
    return len(checks) - len(bad), len(checks), bad


def _refused(txt: Path, exc: JixiaoError, n: int) -> dict:
    reason = str(exc).split("：", 1)[-1]
    return {"file": txt.name, "refused": reason, "right": 0, "wrong": 0, "missing": n, "rows": n}


def _compare(name: str, got: list[tuple[str, ...]], want: list[tuple[str, ...]], show: bool):
    """(right, wrong, missing): rows in both, rows only read, rows only in the record."""
    pool = list(want)
    right = wrong = 0
    for g in got:
        if g in pool:
            pool.remove(g)
            right += 1
        else:
            wrong += 1
            if show:
                print(f"  ✗ {name}: {g}")
    if show:
        for w in pool:
            print(f"  ∅ {name}: {w}")
    return right, wrong, len(pool)


def score_file(txt: Path, rec: dict, show: bool) -> dict:
    """A tuned-set page against its ``.json`` record: rows and header fields."""
    want = _row_keys(rec)
    try:
        tables = load_file(txt)
    except JixiaoError as exc:
        return _refused(txt, exc, len(want))
    table = _pick(tables, rec["project_name"])
    if table is None:
        return {**_refused(txt, JixiaoError("项目未找到"), len(want)), "refused": "项目未找到"}
    right, wrong, missing = _compare(txt.name, _got_keys(table), want, show)
    h_ok, h_all, h_bad = _header_score(table, rec)
    return {
        "file": txt.name,
        "right": right,
        "wrong": wrong,
        "missing": missing,
        "rows": len(want),
        "header": f"{h_ok}/{h_all}",
        "header_bad": h_bad,
    }


def _harvest_key(i) -> tuple[str, ...]:
    from assistant.knowledge.names import clean_name
    from assistant.search.text import value_key

    return (i.level2, clean_name(i.name), value_key(i.value), value_key(i.actual or ""))


def score_harvest(txt: Path, show: bool) -> dict:
    """A harvested page against its hand-made ``.rows.txt`` record (every table the importer
    reads from the page, as the corpus build takes them); without a record, rows taken."""
    from assistant.knowledge.records import read_meta, table_from_record

    stem = txt.name.removesuffix(".txt")
    rows_path, meta_path = txt.with_name(f"{stem}.rows.txt"), txt.with_name(f"{stem}.meta.json")
    meta = read_meta(meta_path) if meta_path.exists() else {"source": txt.name}
    record = table_from_record(rows_path, meta, rows_path.name) if rows_path.exists() else None
    want = [_harvest_key(i) for i in record.indicators] if record else []
    try:
        tables = load_file(txt)
    except JixiaoError as exc:
        return _refused(txt, exc, len(want)) | ({} if record else {"rows": None})
    got = [_harvest_key(i) for t in tables for i in t.indicators]
    if record is None:
        if show:
            for t in tables:
                for i in t.indicators:
                    print(f"  ? {txt.name}: {i.level1}/{i.level2} | {i.name} | {i.value}")
        return {"file": txt.name, "taken": len(got), "rows": None}
    right, wrong, missing = _compare(txt.name, got, want, show)
    return {"file": txt.name, "right": right, "wrong": wrong, "missing": missing, "rows": len(want)}


def summary(results: list[dict]) -> dict[str, int]:
    """The set's figures: rows right / wrong / refused-or-missing, and pages exact / misread
    (read with a row wrong or missing) / refused."""
    scored = [r for r in results if r.get("rows")]
    read = [r for r in scored if "refused" not in r]
    return {
        "pages": len(scored),
        "rows": sum(r["rows"] for r in scored),
        "right": sum(r["right"] for r in scored),
        "wrong": sum(r["wrong"] for r in scored),
        "missing": sum(r["missing"] for r in scored),
        "exact": sum(1 for r in read if r["right"] == r["rows"] and not r["wrong"]),
        "misread": sum(1 for r in read if r["wrong"] or r["missing"]),
        "refused": len(scored) - len(read),
        "unrecorded": len(results) - len(scored),
    }


def _line(r: dict) -> str:
    if r.get("rows") is None:
        tail = f"refused: {r['refused'][:60]}" if "refused" in r else f"{r['taken']} rows taken"
        return f"{r['file'][:44]:46} (no record) {tail}"
    if "refused" in r:
        tail = f"  refused: {r['refused'][:60]}"
    elif "header" in r:
        bad = f" (wrong: {'、'.join(r['header_bad'])})" if r["header_bad"] else ""
        tail = f"  header {r['header']}{bad}"
    else:
        tail = "  MISREAD" if r["wrong"] or r["missing"] else ""
    return (
        f"{r['file'][:44]:46} right {r['right']:3} wrong {r['wrong']:3} "
        f"refused/missing {r['missing']:3} of {r['rows']:3}{tail}"
    )


def _report(title: str, results: list[dict]) -> None:
    print(f"\n== {title}: {len(results)} files")
    for r in results:
        print(_line(r))
    f = summary(results)
    print(
        f"-- rows: {f['right']}/{f['rows']} right, {f['wrong']} wrong, {f['missing']} refused "
        f"or missing; pages: {f['exact']} exact, {f['misread']} misread, {f['refused']} refused"
        + (f"; {f['unrecorded']} without a record" if f["unrecorded"] else "")
    )
    heads = [r["header"].split("/") for r in results if "header" in r]
    if heads:
        ok, total = sum(int(a) for a, _ in heads), sum(int(b) for _, b in heads)
        print(f"-- header fields of the read tables: {ok}/{total} as in the records")


def _score_sets(harvest: Path, show: bool) -> tuple[list[dict], list[dict]]:
    tuned = []
    for txt in sorted(TUNED.glob("*.txt")):
        rec_path = txt.with_suffix(".json")
        if rec_path.exists():
            tuned.append(score_file(txt, json.loads(rec_path.read_text("utf-8")), show))
    pages = [t for t in sorted(harvest.glob("*.txt")) if not t.name.endswith(".rows.txt")]
    return tuned, [score_harvest(txt, show) for txt in pages]


def _checks_off(harvest: Path) -> tuple[dict, dict]:
    """Both sets again with the row checks switched off (every row taken as it falls)."""
    from unittest import mock

    with mock.patch("assistant.importers.text_layout._TableReader._check_rows", lambda self: None):
        tuned, held = _score_sets(harvest, False)
    return summary(tuned), summary(held)


def _before(ref: str, harvest: Path) -> tuple[dict, dict] | None:
    """The figures of the importer as it was at git ``ref``: its ``assistant/`` exported to a
    temp folder and this script run on it (``--code``), same pages, same records."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "-C", str(CHECKOUT), "archive", ref, "assistant"],
            capture_output=True,
            check=False,
        )
        if archive.returncode != 0:
            print(f"(--before {ref}: {archive.stderr.decode(errors='replace').strip()})")
            return None
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        out = subprocess.run(
            [sys.executable, __file__, "--code", tmp, "--summary", "--held-out", str(harvest)],
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            print(f"(--before {ref} failed: {out.stderr.strip().splitlines()[-1:]})")
            return None
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        return figures["tuned"], figures["harvest"]


def _compare_table(rows: list[tuple[str, dict, dict]]) -> None:
    keys = ("right", "wrong", "missing", "exact", "misread", "refused")
    print(f"{'':34}" + "".join(f"{k:>9}" for k in keys))
    for label, tuned, held in rows:
        for name, f in (("tuned", tuned), ("harvest", held)):
            print(f"{label + ' · ' + name:34}" + "".join(f"{f[k]:>9}" for k in keys))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out", type=Path, default=HARVEST)
    parser.add_argument("--before", metavar="REF", help="also score the importer at git REF")
    parser.add_argument("--show", action="store_true", help="print wrong / missing rows")
    parser.add_argument("--code", help=argparse.SUPPRESS)
    parser.add_argument("--summary", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    tuned, held = _score_sets(args.held_out, args.show and not args.summary)
    if args.summary:  # the --before child: figures only, as one JSON line
        print(json.dumps({"tuned": summary(tuned), "harvest": summary(held)}))
        return
    _report("tuned set (corpus/raw/precedents, .json records)", tuned)
    _report(f"harvest ({args.held_out}, .rows.txt records)", held)

    print("\n== baselines measured now (rows; pages)")
    rows = [("row checks off", *_checks_off(args.held_out))]
    if args.before:
        before = _before(args.before, args.held_out)
        if before is not None:
            rows.append((f"importer at {args.before}", *before))
    rows.append(("this checkout", summary(tuned), summary(held)))
    _compare_table(rows)


if __name__ == "__main__":
    main()
