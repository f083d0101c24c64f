"""Search speed: the light ONNX query path against the full sentence-transformers stack and
against lexical search, side by side in one run; optionally latency at 1k/10k/100k rows.

Prints figures; it is not a pass/fail test. Run: ``python bench/search_speed.py``
(``--sizes`` adds the 1k/10k/100k section, ``--runs N`` repeats the timed commands).

1. first-ever model build into a fresh model cache (a real ``jixiao search``; its progress
   lines are shown as they arrive);
2. warm ``jixiao search`` wall time (spawn → exit) and peak RSS: lexical, semantic through
   ONNX (now), semantic through the full stack (before: onnxruntime hidden from the child);
3. TUI launch → "语义模型已就绪" (headless, as ``bench/tui_startup.py``), now and before;
4. labelled-set quality (top-1/top-5/MRR, fused and semantic) now and before, and how many
   queries change their top-5 verdict; int8 quantisation of the encoder is measured too;
5. corpus embedding throughput, ONNX against sentence-transformers, on 1,000 texts.

The goals (issue 13): semantic ≤ 2.5× lexical; TUI ready ≤ 3 s warm; first build ≤ 60 s;
peak RSS ≤ 500 MB; quality unchanged (top-5 within one query).

With ``--sizes``, per size: the corpus is scaled up synthetically by recombining halves of
real indicator names; at 1k the passage embeddings are real, at 10k and 100k random unit
vectors stand in (search speed does not depend on their values); query latency is end to
end, with the remembered query vectors cleared before each timed search.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CHECKOUT))
sys.path.insert(0, str(CHECKOUT / "bench"))

SIZES = (1_000, 10_000, 100_000)
N_QUERIES = 200
QUERY = "添置电脑"
LABELED = CHECKOUT / "tests" / "data" / "search_labeled.yaml"
# the child hides onnxruntime, so the model loads through sentence-transformers (the old path)
BEFORE = "import sys; sys.modules['onnxruntime'] = None\n"
CLI_CHILD = """
import resource, sys, time
from assistant.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print("RSS", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def synthetic_corpus(n: int, seed: int = 0):
    """``n`` indicators whose names recombine halves of real names."""
    from assistant.corpus import precedents
    from assistant.model import Indicator, Provenance

    real = [p for p in precedents() if len(p.bare_name) >= 4]
    rng = random.Random(seed)
    out, seen = [], set()
    while len(out) < n:
        a, b = rng.choice(real), rng.choice(real)
        cut_a = rng.randint(2, len(a.bare_name) - 1)
        cut_b = rng.randint(1, len(b.bare_name) - 2)
        name = a.bare_name[:cut_a] + b.bare_name[cut_b:]
        if name in seen:
            name = f"{name}（第{len(out)}项）"
        seen.add(name)
        prov = (a.provenance or Provenance(source="synthetic")).model_copy(
            update={"source": f"synthetic/{len(out) // 20}.txt", "line": len(out) % 20 + 1}
        )
        out.append(
            Indicator(level1=a.level1, level2=a.level2, name=name, value=b.value, provenance=prov)
        )
    return out


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values) * 1000, q))


def env_for(home: Path, cache: Path) -> dict[str, str]:
    env = dict(os.environ, JIXIAO_HOME=str(home), JIXIAO_MODEL_CACHE=str(cache))
    env["PYTHONPATH"] = str(CHECKOUT)
    env.pop("JIXIAO_MODEL", None)
    return env


def first_build(home: Path, cache: Path) -> float:
    """Wall seconds of the first ``jixiao search`` on a fresh machine, progress echoed."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "search", QUERY, "--top", "1"],
        env=env_for(home, cache),
        cwd=CHECKOUT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        print(f"    [{time.perf_counter() - start:5.1f} s] {line.rstrip()}", flush=True)
    proc.wait()
    return time.perf_counter() - start


def cli_run(home: Path, cache: Path, args: list[str], prefix: str = "") -> tuple[float, float]:
    """(wall seconds, peak RSS MB) of one ``jixiao ARGS`` in a fresh interpreter."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", prefix + CLI_CHILD, *args],
        env=env_for(home, cache),
        cwd=CHECKOUT,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    rss = [line.split()[1] for line in proc.stderr.splitlines() if line.startswith("RSS ")]
    if proc.returncode != 0 or not rss:
        raise RuntimeError(proc.stderr[-2000:])
    return wall, int(rss[-1]) / 1024


def tui_ready(home: Path, cache: Path, prefix: str = "") -> tuple[float, float, str]:
    """(launch → first question, launch → model done, status) of one headless TUI run."""
    from tui_startup import HEADLESS_CHILD

    start = time.time()
    out = subprocess.run(
        [sys.executable, "-c", prefix + HEADLESS_CHILD, "app"],
        env=env_for(home, cache),
        cwd=CHECKOUT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    times, status = {}, ""
    for line in out.stdout.splitlines():
        parts = line.split(" ", 2)
        if parts[0] in ("shown", "model"):
            times[parts[0]] = float(parts[1]) - start
            status = parts[2] if len(parts) > 2 else status
    if "model" not in times:
        raise RuntimeError(out.stderr[-2000:])
    return times["shown"], times["model"], status


def med(values: list[float]) -> str:
    return f"{statistics.median(values):6.2f}"


def speed(home: Path, cache: Path, runs: int) -> None:
    rows = {
        "lexical (--lexical)": ([QUERY, "--lexical"], ""),
        "semantic, ONNX (now)": ([QUERY], ""),
        "semantic, full stack (before)": ([QUERY], BEFORE),
    }
    for args, prefix in rows.values():  # warm the page cache and both embedding caches
        cli_run(home, cache, ["search", *args, "--top", "10"], prefix)
    walls: dict[str, list[float]] = {k: [] for k in rows}
    rss: dict[str, list[float]] = {k: [] for k in rows}
    for _ in range(runs):  # interleaved, so a busy moment hits every row alike
        for name, (args, prefix) in rows.items():
            wall, peak = cli_run(home, cache, ["search", *args, "--top", "10"], prefix)
            walls[name].append(wall)
            rss[name].append(peak)
    lexical = statistics.median(walls["lexical (--lexical)"])
    print(f"\n== warm `jixiao search {QUERY}` ({runs} runs each, interleaved; median) ==")
    print(f"{'':32} {'wall s':>7} {'min s':>6} {'× lexical':>10} {'peak RSS MB':>12}")
    for name in rows:
        ratio = statistics.median(walls[name]) / lexical
        print(
            f"{name:32} {med(walls[name]):>7} {min(walls[name]):6.2f} {ratio:10.2f}"
            f" {max(rss[name]):12.0f}",
            flush=True,
        )

    print(f"\n== TUI launch → semantic model ready (headless, warm; {runs} runs; median) ==")
    for name, prefix in (("ONNX (now)", ""), ("full stack (before)", BEFORE)):
        shown, ready, statuses = [], [], set()
        for _ in range(runs):
            s, r, status = tui_ready(home, cache, prefix)
            shown.append(s)
            ready.append(r)
            statuses.add(status)
        print(
            f"{name:22} first question {med(shown)} s   model ready {med(ready)} s"
            f" (min {min(ready):.2f})   status: {' / '.join(sorted(statuses))}",
            flush=True,
        )


def quality(cache: Path, work: Path) -> None:
    """Labelled-set quality through both encoders, and through an int8 ONNX encoder."""
    from assistant.search import SearchEngine
    from assistant.search import semantic as sem
    from assistant.search.evaluation import load_labeled, rank_of_first_match
    from assistant.search.model_cache import ensure_default_model

    folder, manifest, _ = ensure_default_model(cache)
    queries = load_labeled(LABELED)
    onnx = sem.load_encoder()
    t = time.perf_counter()
    full = sem.Encoder(folder, manifest["model_id"] + "-full-stack")
    full_load = time.perf_counter() - t
    int8 = int8_encoder(folder, manifest["model_id"], work)
    encoders = {"full stack (before)": full, "ONNX (now)": onnx}
    if int8 is not None:
        encoders["ONNX int8 (not used)"] = int8
    ranks: dict[str, dict[str, list]] = {}
    print(f"\n== labelled set ({len(queries)} queries, shipped corpus; top-k of groups) ==")
    for name, encoder in encoders.items():
        original = sem.load_encoder
        sem.load_encoder = lambda *a, _e=encoder: _e  # type: ignore[assignment]
        try:
            engine = SearchEngine()
            assert engine.load_semantic(), engine.notice
        finally:
            sem.load_encoder = original
        ranks[name] = {}
        for mode in ("fused", "semantic"):
            r = [rank_of_first_match(engine, q, mode=mode) for q in queries]
            ranks[name][mode] = r
            n = len(r)
            top1 = sum(x == 1 for x in r) / n
            top5 = sum(x is not None and x <= 5 for x in r) / n
            mrr = sum(1 / x for x in r if x) / n
            print(f"{name:22} {mode:8}  top1 {top1:.3f}  top5 {top5:.3f}  MRR {mrr:.3f}")
    base = ranks["full stack (before)"]
    for name in list(encoders)[1:]:
        for mode in ("fused", "semantic"):
            changed = sum(
                (a is not None and a <= 5) != (b is not None and b <= 5)
                for a, b in zip(base[mode], ranks[name][mode], strict=True)
            )
            print(f"{name} vs before, {mode}: {changed} queries change their top-5 verdict")
    texts = [i.bare_name for i in synthetic_corpus(1_000, seed=1)]
    print("\n== corpus embedding, 1,000 texts ==")
    print(f"full stack load (torch + sentence-transformers): {full_load:.1f} s")
    for name, encoder in encoders.items():
        t = time.perf_counter()
        encoder.encode_passages(texts)
        took = time.perf_counter() - t
        print(f"{name:22} {took:5.1f} s  ({len(texts) / took:.0f} texts/s)", flush=True)


def int8_encoder(folder: Path, model_id: str, work: Path):
    """The ONNX encoder with its weights dynamically quantised to int8 (measured only)."""
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        from assistant.search.onnx_encoder import ONNX_DIR, ONNX_FILE, OnnxEncoder
    except ImportError:
        return None
    out = work / "encoder-int8.onnx"
    try:
        import onnx

        quantize_dynamic(
            folder / ONNX_DIR / ONNX_FILE,
            out,
            weight_type=QuantType.QInt8,
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},  # fused graph
        )
    except Exception as exc:  # measured only: a failure is a figure, not a crash
        print(f"\nint8 quantisation failed: {type(exc).__name__}: {str(exc)[:200]}")
        return None
    enc = OnnxEncoder(folder, model_id + "-int8")
    enc._onnx = str(out)
    enc.session = enc._session(threads=1)
    mb = out.stat().st_size / 2**20
    full = (folder / ONNX_DIR / ONNX_FILE).stat().st_size / 2**20
    print(f"\nint8 encoder: {mb:.0f} MB on disk (fp32: {full:.0f} MB)")
    return enc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", action="store_true", help="also 1k/10k/100k latency")
    parser.add_argument("--cache", type=Path, help="an existing model cache (skips the build)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    home, cache = work / "home", args.cache or work / "models"
    os.environ.update(JIXIAO_HOME=str(home), JIXIAO_MODEL_CACHE=str(cache))
    os.environ.pop("JIXIAO_MODEL", None)
    try:
        if args.cache is None:
            print("== first-ever model build (fresh model cache, fresh home) ==", flush=True)
            took = first_build(home, cache)
            print(f"first `jixiao search` incl. build and corpus embedding: {took:.1f} s")
        speed(home, cache, args.runs)
        quality(cache, work)
        if args.sizes:
            sizes(home)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def sizes(home: Path) -> None:
    """The per-size figures, with the cache under ``home``."""
    from assistant.search import SearchEngine
    from assistant.search.evaluation import load_labeled
    from assistant.search.semantic import EmbeddingCache, head_of, load_encoder, text_key

    encoder = load_encoder()
    queries = [q.q for q in load_labeled(CHECKOUT / "tests" / "data" / "search_labeled.yaml")]
    queries = (queries * (N_QUERIES // len(queries) + 1))[:N_QUERIES]
    for q in queries[:10]:
        encoder.encode_queries([q])  # warm up

    print(f"\n== per size ({N_QUERIES} queries each; times in ms unless marked) ==")
    for n in SIZES:
        corpus = synthetic_corpus(n)
        t = time.perf_counter()
        engine = SearchEngine(corpus)
        build_index = time.perf_counter() - t
        texts = engine.texts
        cache = EmbeddingCache(encoder.fingerprint)
        if n <= 1_000:
            t = time.perf_counter()
            vecs = encoder.encode_passages(texts)
            enc_s = time.perf_counter() - t
            rate = len(texts) / enc_s
            note = f"real embeddings: {len(texts)} texts encoded in {enc_s:.1f} s ({rate:.0f}/s)"
        else:
            rng = np.random.default_rng(0)
            vecs = rng.standard_normal((len(texts), encoder.dim)).astype(np.float32)
            vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
            note = "random unit vectors stand in for embeddings (speed only)"
        cache._write(np.array([text_key(x) for x in texts], dtype="S16"), vecs, head_of(texts))

        t = time.perf_counter()
        engine = SearchEngine(corpus)  # lexical index from cache
        engine.load_semantic()  # embeddings from cache, memory-mapped (model already in memory)
        cached_load = time.perf_counter() - t
        assert engine.semantic_ready and engine.encoded_on_load == 0

        lat, lex_lat, enc_lat, base_lat, mm_lat, rest_lat, hit_lat = [], [], [], [], [], [], []
        matrix = np.ascontiguousarray(engine._sem.vectors)
        for q in queries:
            encoder.clear_query_cache()  # every timed search encodes its query afresh
            t = time.perf_counter()
            engine.search(q, top=10)
            lat.append(time.perf_counter() - t)
            t = time.perf_counter()
            engine.search(q, top=10)  # the same query again: its vector is remembered
            hit_lat.append(time.perf_counter() - t)
            t = time.perf_counter()
            engine.lexical.scores(q)
            lex_lat.append(time.perf_counter() - t)
            encoder.clear_query_cache()
            t = time.perf_counter()
            qv = encoder.encode_queries([q])[0]
            enc_lat.append(time.perf_counter() - t)
            t = time.perf_counter()
            engine.search(q, top=10, qvec=qv)
            rest_lat.append(time.perf_counter() - t)
        # the baseline in a loop of its own: numpy's threaded BLAS leaves spinning threads
        # behind that would slow whatever is timed next
        for q, enc_s in zip(queries, enc_lat, strict=True):
            qv = encoder.encode_queries([q])[0]
            t = time.perf_counter()
            scores = matrix @ qv
            np.argpartition(-scores, 10)[:10]
            mm_lat.append(time.perf_counter() - t)
            base_lat.append(enc_s + mm_lat[-1])
        overlap = ""
        if n <= 1_000:  # real embeddings: how often the large-corpus shortlist changes top 10
            approx = SearchEngine(corpus)
            approx.exact_limit, approx.shortlist = 0, max(1, len(texts) // 50)
            approx.load_semantic()
            same = [
                len(
                    {id(h.indicator) for h in engine.search(q, top=10)}
                    & {id(h.indicator) for h in approx.search(q, top=10)}
                )
                / 10
                for q in queries[:85]
            ]
            overlap = (
                f"\nshortlist check (2% of texts + 200 BM25 best, exact cosines only there): "
                f"top-10 overlap with exact search {np.mean(same):.3f}"
            )
        print(f"\n-- {n:,} indicators ({len(texts):,} distinct texts; {note})")
        print(f"index build (lexical, no cache): {build_index:.2f} s")
        print(f"cached index load (groups + BM25 + embeddings, mmap): {cached_load:.2f} s")
        print(f"search end to end   p50 {pct(lat, 50):6.1f}  p95 {pct(lat, 95):6.1f}")
        print(f"  of which BM25     p50 {pct(lex_lat, 50):6.1f}  p95 {pct(lex_lat, 95):6.1f}")
        print(f"  query encoding    p50 {pct(enc_lat, 50):6.1f}  p95 {pct(enc_lat, 95):6.1f}")
        print(f"  all but encoding  p50 {pct(rest_lat, 50):6.1f}  p95 {pct(rest_lat, 95):6.1f}")
        print(
            f"repeated query (vector cached)  p50 {pct(hit_lat, 50):6.1f}  "
            f"p95 {pct(hit_lat, 95):6.1f}"
        )
        print(
            f"numpy brute force (encode + E@q + argpartition)  p50 {pct(base_lat, 50):6.1f}  "
            f"p95 {pct(base_lat, 95):6.1f}   (E@q + argpartition alone p50 {pct(mm_lat, 50):.1f})"
            + overlap
        )


if __name__ == "__main__":
    main()
