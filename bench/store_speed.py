"""Save latency of the draft store for the largest seed table (电子政务, 45 indicators).

Prints p50/p95 of ``DraftStore.save`` when the draft already holds 1, 50 and 200 revisions
(and with five other drafts of 200 revisions beside it), the file size, ``get``/``list``
latency, and how long the asyncio event loop stalls while ``save_async`` runs (the TUI's
case). Each save changes one indicator value, as an autosave after an answer would.

    python bench/store_speed.py
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CHECKOUT))

from assistant.model import TargetTable  # noqa: E402
from assistant.store import DraftStore  # noqa: E402

MEASURED = 40  # saves timed at each size


def largest_seed_table() -> TargetTable:
    doc = json.loads((CHECKOUT / "corpus" / "seed_ningxia_2024.json").read_text("utf-8"))
    tables = [TargetTable.model_validate(t) for t in doc["tables"]]
    return max(tables, key=lambda t: len(t.indicators))


def edited(table: TargetTable, step: int) -> TargetTable:
    """The table with one indicator value changed, as after one interview answer."""
    rows = list(table.indicators)
    k = step % len(rows)
    rows[k] = rows[k].model_copy(update={"value": f"{step}项"})
    return table.model_copy(update={"indicators": rows})


def state(step: int) -> dict:
    answers = {f"q{i}": f"第{i}题的回答，内容约二十个汉字左右的一句话。" for i in range(step % 25)}
    return {"answers": answers, "next": f"q{step % 25 + 1}"}


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed_saves(store: DraftStore, draft_id: str, table: TargetTable, start: int) -> list[float]:
    out = []
    for step in range(start, start + MEASURED):
        t0 = time.perf_counter()
        store.save(draft_id, edited(table, step), state=state(step), message=f"回答{step}")
        out.append((time.perf_counter() - t0) * 1000)
    return out


def fill(store: DraftStore, draft_id: str, table: TargetTable, upto: int) -> None:
    """Save until the draft holds ``upto`` revisions."""
    have = len(store.history(draft_id))
    for step in range(have, upto):
        store.save(draft_id, edited(table, step), state=state(step))


def report(label: str, samples: list[float], path: Path) -> None:
    size = path.stat().st_size / 1024
    print(
        f"{label:<38} p50 {statistics.median(samples):6.2f} ms   "
        f"p95 {percentile(samples, 95):6.2f} ms   file {size:8.0f} KiB"
    )


async def loop_stall(store: DraftStore, draft_id: str, table: TargetTable) -> tuple[float, float]:
    """Longest gap between 1 ms ticks of the event loop while 40 save_async calls run."""
    gaps: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            gaps.append((now - last) * 1000)
            last = now

    tick = asyncio.create_task(ticker())
    t0 = time.perf_counter()
    for step in range(MEASURED):
        await store.save_async(draft_id, edited(table, 10_000 + step), state=state(step))
    elapsed = (time.perf_counter() - t0) * 1000 / MEASURED
    done.set()
    await tick
    return max(gaps), elapsed


def main() -> None:
    table = largest_seed_table()
    print(f"表：{table.header.project_name}（{len(table.indicators)} 项指标）")
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPU\n")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "drafts.json"
        store = DraftStore(path)
        t0 = time.perf_counter()
        first = store.create(table, state=state(0))
        print(f"{'create (empty store)':<38} {(time.perf_counter() - t0) * 1000:6.2f} ms")
        draft = first.draft_id
        report("save, draft has 1 revision", timed_saves(store, draft, table, 1), path)
        fill(store, draft, table, 50)
        report("save, draft has 50 revisions", timed_saves(store, draft, table, 50), path)
        fill(store, draft, table, 200)
        report("save, draft has 200 revisions", timed_saves(store, draft, table, 200), path)

        for _ in range(5):
            other = store.create(table, state=state(0)).draft_id
            fill(store, other, table, 200)
        report("save, 6 drafts x 200+ revisions", timed_saves(store, draft, table, 300), path)

        gets = []
        for _ in range(20):
            t0 = time.perf_counter()
            store.get(draft)
            gets.append((time.perf_counter() - t0) * 1000)
        lists = []
        for _ in range(20):
            t0 = time.perf_counter()
            store.list()
            lists.append((time.perf_counter() - t0) * 1000)
        print(f"{'get (latest revision)':<38} p50 {statistics.median(gets):6.2f} ms")
        print(f"{'list (6 drafts)':<38} p50 {statistics.median(lists):6.2f} ms")
        t0 = time.perf_counter()
        DraftStore(path)
        print(f"{'open (parse the whole file)':<38} {(time.perf_counter() - t0) * 1000:6.2f} ms")

        stall, per_save = asyncio.run(loop_stall(store, draft, table))
        print(
            f"{'save_async: event-loop longest stall':<38} {stall:6.2f} ms "
            f"(1 ms ticker; each save took {per_save:.1f} ms in its thread)"
        )


if __name__ == "__main__":
    main()
