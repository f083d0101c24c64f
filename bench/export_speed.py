"""Export time per format for the largest seed table (电子政务, 45 indicators).

Each format is written 10 times (after one warm-up that pays the imports, e.g. openpyxl)
and the median and slowest are printed with the file size.

    python bench/export_speed.py
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CHECKOUT))

from assistant.export import FORMATS, default_filename, export_table  # noqa: E402
from assistant.model import TargetTable  # noqa: E402

RUNS = 10


def largest_seed_table() -> TargetTable:
    doc = json.loads((CHECKOUT / "corpus" / "seed_ningxia_2024.json").read_text("utf-8"))
    tables = [TargetTable.model_validate(t) for t in doc["tables"]]
    return max(tables, key=lambda t: len(t.indicators))


def main() -> None:
    table = largest_seed_table()
    print(f"表：{table.header.project_name}（{len(table.indicators)} 项指标）\n")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for fmt in FORMATS:
            path = folder / default_filename(table, fmt)
            t0 = time.perf_counter()
            export_table(table, fmt, path, force=True)
            first = (time.perf_counter() - t0) * 1000
            runs = []
            for _ in range(RUNS):
                t0 = time.perf_counter()
                export_table(table, fmt, path, force=True)
                runs.append((time.perf_counter() - t0) * 1000)
            size = path.stat().st_size / 1024
            print(
                f"{fmt:<10} first {first:7.1f} ms   median {statistics.median(runs):6.1f} ms"
                f"   max {max(runs):6.1f} ms   {size:6.1f} KiB"
            )


if __name__ == "__main__":
    main()
