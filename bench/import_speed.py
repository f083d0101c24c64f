"""Time importing the seed: parse only, then parse + write into an empty user corpus.

    python bench/import_speed.py [--repeat 20]

Prints figures; not part of the test run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path
from unittest import mock

CHECKOUT = Path(__file__).resolve().parents[1]
SEED = CHECKOUT / "corpus" / "raw" / "000_4da5520f21e577ee.txt"


def _ms(samples: list[float]) -> str:
    return f"median {statistics.median(samples) * 1000:.1f} ms, min {min(samples) * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    t0 = time.perf_counter()
    from assistant import config
    from assistant.importers import import_paths, load_file

    print(f"import assistant.importers: {(time.perf_counter() - t0) * 1000:.1f} ms")

    parse: list[float] = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        tables = load_file(SEED)
        parse.append(time.perf_counter() - t)
    n_ind = sum(len(t.indicators) for t in tables)
    print(f"parse seed ({len(tables)} tables, {n_ind} indicators): {_ms(parse)}")

    write: list[float] = []
    again: list[float] = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as home:
            os.environ["JIXIAO_HOME"] = home
            # an empty shipped corpus, so the seed is really written
            with mock.patch.object(config, "shipped_corpus_dir", lambda h=home: Path(h) / "none"):
                t = time.perf_counter()
                result = import_paths([SEED])
                write.append(time.perf_counter() - t)
                assert len(result.added) == 6
                t = time.perf_counter()
                result = import_paths([SEED])
                again.append(time.perf_counter() - t)
                assert len(result.already_present) == 6
    print(f"parse + write into empty corpus: {_ms(write)}")
    print(f"re-import (idempotent, nothing written): {_ms(again)}")


if __name__ == "__main__":
    main()
