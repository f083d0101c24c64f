"""The draft store at a unit's scale: save, list and show with 10 / 300 / 2,000 drafts of
20 revisions each, the current layout (one file per draft + index) beside the old single
file (``drafts.json``, the store's code at commit ``OLD_COMMIT``, loaded from git) in the
same run.

Each draft holds the largest seed table (45 indicators); each revision changes one value,
as an autosave after an answer does. The stores are built directly on disk (building is
not measured). Every figure comes from a fresh process, as a CLI command or a TUI start
meets it: ``save`` = open the store and save 20 times to random drafts (p50/p95 per save,
plus the process's peak memory); ``list`` = open + ``list()``; ``show`` = open + ``get()``;
``jixiao drafts`` = the whole command, beside the same command on an empty store.

    python bench/store_speed.py              # 10, 300 and 2,000 drafts; old layout to 300
    python bench/store_speed.py --old-2000   # also the old layout at 2,000 (≈ 260 MB, GBs of RAM)
    python bench/store_speed.py --sizes 10 300
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CHECKOUT))

from assistant.model import TargetTable  # noqa: E402
from assistant.store import schema  # noqa: E402
from assistant.store.index import SHARDS as shard_ids  # noqa: E402
from assistant.store.index import shard_name  # noqa: E402

OLD_COMMIT = "bae2b83"  # the last commit with the single-file store
REVISIONS = 20
SAVES = 20
GOALS = {"save p95 ms": 50, "list ms": 300, "save peak MB": 200}

CHILD = r"""
import json, random, resource, sys, time
sys.path.insert(0, sys.argv[1])
layout, root, op, ids = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5].split(",")
if layout == "new":
    from assistant.store import DraftStore
else:
    sys.path.insert(0, sys.argv[6])
    from oldstore import DraftStore
import assistant.export.markdown  # imports are not the store's cost: `jixiao drafts` shows them
t0 = time.perf_counter()
store = DraftStore(__import__("pathlib").Path(root))
out = {}
if op == "list":
    n = len(store.list())
    out["ms"] = (time.perf_counter() - t0) * 1000
    out["n"] = n
elif op == "show":
    from assistant.export.markdown import to_text
    to_text(store.get(ids[0]).table)
    out["ms"] = (time.perf_counter() - t0) * 1000
else:
    out["open_ms"] = (time.perf_counter() - t0) * 1000
    rng = random.Random(7)
    times = []
    for k in range(int(sys.argv[7])):
        did = rng.choice(ids)
        rev = store.get(did) if k == 0 else rev
        rows = list(rev.table.indicators)
        rows[k % len(rows)] = rows[k % len(rows)].model_copy(update={"value": f"{k}次保存"})
        table = rev.table.model_copy(update={"indicators": rows})
        s0 = time.perf_counter()
        store.save(did, table, state={"position": f"q{k}", "done": False}, message=f"bench{k}")
        times.append((time.perf_counter() - s0) * 1000)
    out["saves"] = times
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def largest_seed_table() -> TargetTable:
    doc = json.loads((CHECKOUT / "corpus" / "seed_ningxia_2024.json").read_text("utf-8"))
    tables = [TargetTable.model_validate(t) for t in doc["tables"]]
    return max(tables, key=lambda t: len(t.indicators))


def revisions_of(draft_id: str, body: dict, rows: list[dict]):
    """(blobs {id: blob}, revision docs) for 20 revisions, each changing one value."""
    blobs: dict[int, dict] = {
        schema.blob_id(draft_id, "body", body): {"kind": "body", "data": body}
    }
    base = [schema.blob_id(draft_id, "row", r) for r in rows]
    for key, row in zip(base, rows, strict=True):
        blobs[key] = {"kind": "row", "data": row}
    body_id = schema.blob_id(draft_id, "body", body)
    docs = []
    keys = list(base)
    for n in range(1, REVISIONS + 1):
        if n > 1:
            k = n % len(rows)
            row = {**rows[k], "value": f"{n}项"}
            keys[k] = schema.blob_id(draft_id, "row", row)
            blobs[keys[k]] = {"kind": "row", "data": row}
        at = f"2025-03-{1 + n % 28:02d}T08:00:{n % 60:02d}+00:00"
        state = {"position": f"q{n}", "done": n == REVISIONS, "answers": {"q1": "项目名称"}}
        docs.append(
            {
                "n": n,
                "at": at,
                "msg": f"回答{n}",
                "body": body_id,
                "rows": list(keys),
                "state": state,
            }
        )
    return blobs, docs


def build_new(root: Path, ids: list[str], body: dict, rows: list[dict]) -> None:
    root.mkdir(parents=True)
    index = {}
    for did in ids:
        blobs, docs = revisions_of(did, body, rows)
        data = {
            "meta": {"1": {"schema_version": 2, "id": did, "created_at": docs[0]["at"]}},
            "blobs": {str(k): v for k, v in blobs.items()},
            "revisions": {str(d["n"]): d for d in docs},
        }
        (root / f"{did}.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        index[str(int(did, 16))] = {
            "id": did,
            "project_name": body["header"]["project_name"],
            "created_at": docs[0]["at"],
            "updated_at": docs[-1]["at"],
            "head": REVISIONS,
            "count": REVISIONS,
            "status": {"position": docs[-1]["state"]["position"], "done": True},
        }
    for h in shard_ids:
        mine = {k: v for k, v in index.items() if v["id"][0] == h}
        doc = {"meta": {"1": {"schema_version": 2}}, "drafts": mine}
        (root / shard_name(h)).write_text(json.dumps(doc, ensure_ascii=False), "utf-8")


def build_old(path: Path, ids: list[str], body: dict, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True)
    drafts, blobs, revs = {}, {}, {}
    for did in ids:
        mine, docs = revisions_of(did, body, rows)
        blobs.update({str(k): {**v, "draft": did} for k, v in mine.items()})
        for d in docs:
            revs[str(len(revs) + 1)] = {**d, "draft": did}
        drafts[str(int(did, 16))] = {
            "id": did,
            "project_name": body["header"]["project_name"],
            "created_at": docs[0]["at"],
            "updated_at": docs[-1]["at"],
            "revisions": REVISIONS,
            "head": len(revs),
        }
    doc = {
        "meta": {"1": {"schema_version": 1}},
        "drafts": drafts,
        "blobs": blobs,
        "revisions": revs,
    }
    with path.open("w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False)


def old_package(tmp: Path) -> Path:
    """The single-file store's code at OLD_COMMIT, as the package ``oldstore``."""
    pkg = tmp / "oldcode" / "oldstore"
    pkg.mkdir(parents=True)
    for name in ("__init__", "drafts", "schema", "storage"):
        src = subprocess.run(
            ["git", "show", f"{OLD_COMMIT}:assistant/store/{name}.py"],
            cwd=CHECKOUT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        (pkg / f"{name}.py").write_text(src.replace("assistant.store", "oldstore"), "utf-8")
    return pkg.parent


def child(layout: str, root: Path, op: str, ids: list[str], oldcode: Path) -> dict:
    env = {**os.environ, "JIXIAO_HOME": str(root.parent)}
    cmd = [sys.executable, "-c", CHILD, str(CHECKOUT), layout, str(root), op, ",".join(ids)]
    cmd += [str(oldcode), str(SAVES)]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=1800)
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def cli_drafts_ms(home: Path) -> float:
    env = {**os.environ, "JIXIAO_HOME": str(home), "PYTHONPATH": str(CHECKOUT)}
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "assistant", "drafts"], env=env, capture_output=True, check=True
    )
    return (time.perf_counter() - t0) * 1000


TUI_DRAFTS = """
import asyncio, json, sys, time
sys.path.insert(0, sys.argv[1])
from assistant.tui.app import make_app
from assistant.tui.screens.drafts import DraftsScreen

async def main():
    app = make_app(semantic=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        t0 = time.perf_counter()
        app.push_screen(DraftsScreen())
        await pilot.pause()
        ms = (time.perf_counter() - t0) * 1000
        shown = app.screen.query_one("#drafts").row_count
    print(json.dumps({"ms": ms, "rows": shown}))

asyncio.run(main())
"""


def tui_drafts_ms(home: Path, n: int) -> float:
    """Ctrl+O in the TUI: the drafts screen open with every draft listed (headless)."""
    env = {**os.environ, "JIXIAO_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, "-c", TUI_DRAFTS, str(CHECKOUT)], env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(done.stderr)
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["rows"] == n, got
    return got["ms"]


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def size_mb(path: Path) -> float:
    files = [path] if path.is_file() else list(path.glob("*.json"))
    return sum(f.stat().st_size for f in files) / 1e6


def measure(layout: str, n: int, tmp: Path, table: TargetTable, oldcode: Path) -> dict:
    rng = random.Random(n)
    ids = sorted({f"{rng.getrandbits(32):08x}" for _ in range(n)})
    body, rows = schema.split_table(table)
    home = tmp / f"{layout}-{n}"
    root = home / ("drafts" if layout == "new" else "drafts.json")
    t0 = time.perf_counter()
    (build_new if layout == "new" else build_old)(root, ids, body, rows)
    built = time.perf_counter() - t0
    lst = child(layout, root, "list", ids, oldcode)
    show = child(layout, root, "show", ids, oldcode)
    save = child(layout, root, "save", ids, oldcode)
    row = {
        "layout": layout,
        "drafts": n,
        "MB on disk": round(size_mb(root), 1),
        "save p50 ms": round(statistics.median(save["saves"]), 1),
        "save p95 ms": round(p95(save["saves"]), 1),
        "save peak MB": round(save["peak_mb"]),
        "open ms": round(save["open_ms"]),
        "list ms": round(lst["ms"]),
        "show ms": round(show["ms"]),
        "jixiao drafts ms": round(cli_drafts_ms(home)) if layout == "new" else None,
        "TUI drafts ms": round(tui_drafts_ms(home, n)) if layout == "new" else None,
        "list n": lst["n"],
        "build s": round(built, 1),
    }
    shutil.rmtree(home)
    return row


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 300, 2000])
    ap.add_argument("--old-2000", action="store_true", help="the old layout at 2,000 drafts too")
    args = ap.parse_args()
    table = largest_seed_table()
    name, rows_n = table.header.project_name, len(table.indicators)
    print(f"表：{name}（{rows_n} 项指标），每份草稿 {REVISIONS} 版")
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPU; goals at 2,000: {GOALS}\n")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        oldcode = old_package(tmp)
        (tmp / "empty").mkdir()
        base = cli_drafts_ms(tmp / "empty")
        print(
            f"baseline: `jixiao drafts` on an empty store {base:.0f} ms (Python start + imports)\n"
        )
        rows = []
        for n in args.sizes:
            for layout in ("new", "old"):
                if layout == "old" and n > 300 and not args.old_2000:
                    continue
                rows.append(measure(layout, n, tmp, table, oldcode))
                print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    print()
    cols = [
        "layout",
        "drafts",
        "MB on disk",
        "save p50 ms",
        "save p95 ms",
        "save peak MB",
        "open ms",
        "list ms",
        "show ms",
        "jixiao drafts ms",
        "TUI drafts ms",
    ]
    print(" | ".join(cols))
    for r in rows:
        print(" | ".join("—" if r[c] is None else str(r[c]) for c in cols))
    big = [r for r in rows if r["layout"] == "new" and r["drafts"] == max(args.sizes)]
    if big:
        r = big[0]
        print(
            f"\nnew layout at {r['drafts']}: save p95 {r['save p95 ms']} ms (goal ≤ 50), "
            f"list {r['list ms']} ms (goal ≤ 300), `jixiao drafts` {r['jixiao drafts ms']} ms "
            f"of which {base:.0f} ms is the empty-store baseline, TUI drafts screen "
            f"{r['TUI drafts ms']} ms, "
            f"save peak {r['save peak MB']} MB (goal ≤ 200)"
        )


if __name__ == "__main__":
    main()
