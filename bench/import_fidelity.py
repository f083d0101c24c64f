"""How faithfully `jixiao import` reads real published pages: per file rows right / wrong /
refused, and header fields right, against the hand-made records beside the pages.

    python bench/import_fidelity.py [--held-out DIR] [--show]

The tuned set is ``corpus/raw/precedents`` (each ``.txt`` has a hand-made ``.json``). A
held-out folder (pages the parser was not tuned on) is read too: where a page has a record it
is scored the same way; where it has none, the figures are rows taken and refused, and
``--show`` prints the rows so a person can judge a sample by reading.
Baseline measured in the same run: the same reader with its row checks switched off (every
row taken as it falls), which shows what the checks keep out.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from decimal import Decimal
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CHECKOUT))

from assistant.errors import JixiaoError  # noqa: E402
from assistant.importers import load_file  # noqa: E402
from assistant.importers.text_layout import L2_NAMES, SINGLE_CHILD  # noqa: E402
from assistant.model import TargetTable, normalize_levels  # noqa: E402

TUNED = CHECKOUT / "corpus" / "raw" / "precedents"
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


_SHORT_L2 = {
    "数量": "数量指标",
    "质量": "质量指标",
    "时效": "时效指标",
    "成本": "成本指标",
    "经济": "经济效益",
    "社会": "社会效益",
    "生态": "生态效益",
    "可持续": "可持续影响",
    "满意": "服务对象满意度",
}


def harvester_rows(txt: Path) -> list[tuple[str, str, str, str]] | None:
    """The harvester's own reading of a held-out page (``NNN.rows.txt``: ``二级|名称|值``),
    as (二级, name, value, actual); None when there is none. Not hand-made: agreement with it is a
    second opinion, and the rows that differ are read by a person."""
    rows_path = txt.with_name(txt.name.removesuffix(".txt") + ".rows.txt")
    if not rows_path.exists():
        return None
    out = []
    for line in rows_path.read_text(encoding="utf-8").splitlines():
        parts = line.split("|")
        if len(parts) >= 3 and not re.match(r"^[A-Z]:", line):
            level2 = _SHORT_L2.get(parts[0], parts[0])
            actual = _norm(parts[3]) if len(parts) > 3 else ""
            out.append((level2, _norm(parts[1]), _norm(parts[2]), actual))
    return out


def score_file(txt: Path, rec: dict | None, show: bool) -> dict:
    try:
        tables = load_file(txt)
    except JixiaoError as exc:
        n = len(rec["indicators"]) if rec else 0
        return {
            "file": txt.name,
            "refused": str(exc).split("：", 1)[-1][:70],
            "right": 0,
            "wrong": 0,
            "missing": n,
            "rows": n,
        }
    if rec is None:
        taken = sum(len(t.indicators) for t in tables)
        ref = harvester_rows(txt)
        agree = differ = 0
        if ref is not None:
            ref_pool: list[tuple[str, ...]] = list(ref)
            for t in tables:
                for i in t.indicators:
                    key = (i.level2, _norm(i.name), _norm(i.value), _norm(i.actual))
                    if key in ref_pool:
                        ref_pool.remove(key)
                        agree += 1
                    else:
                        differ += 1
                        if show:
                            print(f"  ≠ {txt.name}: {i.level2} | {i.name} | {i.value}")
        if show:
            for t in tables:
                print(
                    f"  ## {txt.name} · {t.header.project_name} · {t.header.unit} · "
                    f"{t.header.total.raw if t.header.total else '-'}"
                )
                for i in t.indicators:
                    print(f"     {i.level1}/{i.level2} | {i.name} | {i.value} | {i.actual or ''}")
                for note in t.notes:
                    print(f"     说明：{note}")
        return {
            "file": txt.name,
            "tables": len(tables),
            "taken": taken,
            "skipped": sum(len(t.notes) for t in tables),
            "agree": agree,
            "differ": differ,
            "ref": len(ref) if ref is not None else None,
        }
    table = _pick(tables, rec["project_name"])
    want = _row_keys(rec)
    if table is None:
        return {
            "file": txt.name,
            "refused": "项目未找到",
            "right": 0,
            "wrong": 0,
            "missing": len(want),
            "rows": len(want),
        }
    got = _got_keys(table)
    pool: list[tuple[str, ...]] = list(want)
    right = wrong = 0
    for g in got:
        if g in pool:
            pool.remove(g)
            right += 1
        else:
            wrong += 1
            if show:
                print(f"  ✗ {txt.name}: {g}")
    h_ok, h_all, h_bad = _header_score(table, rec)
    return {
        "file": txt.name,
        "right": right,
        "wrong": wrong,
        "missing": len(pool),
        "rows": len(want),
        "header": f"{h_ok}/{h_all}",
        "header_bad": h_bad,
    }


def _report(title: str, results: list[dict]) -> None:
    print(f"\n== {title}: {len(results)} files")
    scored = [r for r in results if "rows" in r]
    for r in results:
        if "rows" in r:
            tail = (
                f"  refused: {r['refused']}"
                if "refused" in r
                else (
                    f"  header {r['header']}"
                    + (f" (wrong: {'、'.join(r['header_bad'])})" if r["header_bad"] else "")
                )
            )
            print(
                f"{r['file'][:44]:46} right {r['right']:3} wrong {r['wrong']:3} "
                f"refused/missing {r['missing']:3} of {r['rows']:3}{tail}"
            )
        else:
            print(
                f"{r['file'][:44]:46} tables {r['tables']:2} rows taken {r['taken']:3} "
                f"rows skipped {r['skipped']:3}"
                + (
                    f"  harvester's rows: {r['agree']} agree, {r['differ']} differ, of {r['ref']}"
                    if r["ref"] is not None
                    else ""
                )
            )
    unscored = [r for r in results if "taken" in r or ("refused" in r and not r["rows"])]
    if unscored:
        read = [r for r in unscored if "taken" in r]
        print(
            f"-- without a record: {len(read)} pages read ({sum(r['taken'] for r in read)} "
            f"rows taken, {sum(r['skipped'] for r in read)} skipped/noted), "
            f"{len(unscored) - len(read)} refused"
        )
        refd = [r for r in read if r["ref"] is not None]
        print(
            f"-- against the harvester's own rows ({len(refd)} pages): "
            f"{sum(r['agree'] for r in refd)} agree, {sum(r['differ'] for r in refd)} differ, "
            f"{sum(r['ref'] for r in refd)} in its lists"
        )
    scored = [r for r in scored if r["rows"]]
    if scored:
        rows = sum(r["rows"] for r in scored)
        right = sum(r["right"] for r in scored)
        wrong = sum(r["wrong"] for r in scored)
        exact = sum(1 for r in scored if r["right"] == r["rows"] and not r["wrong"])
        refused = sum(1 for r in scored if "refused" in r)
        wrong_files = sum(1 for r in scored if r["wrong"])
        print(
            f"-- rows: {right}/{rows} right, {wrong} wrong; files: {exact} exact, "
            f"{refused} refused, {wrong_files} with a wrong row"
        )
        heads = [r["header"].split("/") for r in scored if "header" in r]
        if heads:
            ok, total = sum(int(a) for a, _ in heads), sum(int(b) for _, b in heads)
            print(f"-- header fields of the read tables: {ok}/{total} as in the records")


def _baseline(pages: list[Path]) -> None:
    """The same pages with the row checks off: rows taken, and on the tuned set right/wrong
    against the records, so what the checks keep out is measured, not claimed."""
    from unittest import mock

    def run() -> tuple[int, int, int]:
        taken = right = wrong = 0
        for txt in pages:
            try:
                taken += sum(len(t.indicators) for t in load_file(txt))
            except JixiaoError:
                pass
            rec_path = txt.with_suffix(".json")
            if txt.parent == TUNED and rec_path.exists():
                r = score_file(txt, json.loads(rec_path.read_text(encoding="utf-8")), False)
                right, wrong = right + r["right"], wrong + r["wrong"]
        return taken, right, wrong

    on = run()
    with mock.patch("assistant.importers.text_layout._TableReader._check_rows", lambda self: None):
        off = run()
    print(f"\n== baseline measured now: the same {len(pages)} pages with the row checks off")
    for label, (taken, right, wrong) in (("checks off", off), ("checks on ", on)):
        print(f"-- {label}: {taken} rows taken; tuned set {right} right, {wrong} wrong")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out", type=Path, default=Path("/work/h9/corpus/raw/harvest"))
    parser.add_argument("--show", action="store_true", help="print wrong rows / held-out rows")
    args = parser.parse_args()

    tuned = []
    for txt in sorted(TUNED.glob("*.txt")):
        rec_path = txt.with_suffix(".json")
        rec = json.loads(rec_path.read_text(encoding="utf-8")) if rec_path.exists() else None
        tuned.append(score_file(txt, rec, args.show))
    _report("tuned set (corpus/raw/precedents)", tuned)
    pages = sorted(TUNED.glob("*.txt"))
    if args.held_out.is_dir():
        pages += [t for t in sorted(args.held_out.glob("*.txt")) if ".rows." not in t.name]
    _baseline(pages)

    if args.held_out.is_dir():
        held = []
        for txt in sorted(args.held_out.glob("*.txt")):
            if txt.name.endswith(".rows.txt"):  # the harvester's own extraction, not a page
                continue
            rec_path = txt.with_suffix(".json")
            rec = json.loads(rec_path.read_text(encoding="utf-8")) if rec_path.exists() else None
            held.append(score_file(txt, rec, args.show))
        _report(f"held-out set ({args.held_out})", held)
    else:
        print(f"\n(no held-out folder at {args.held_out})")


if __name__ == "__main__":
    main()
