"""Search quality on the labeled query set: lexical, semantic and fused, side by side.

Prints figures; it is not a pass/fail test. Run: ``python bench/search_quality.py``.

- Corpus: the shipped corpus (``assistant.corpus.precedents()``), model: the default one
  (or ``$JIXIAO_MODEL``).
- Metrics: top-1, top-5 and MRR@10; a hit is correct when its name matches one of the
  query's targets (see tests/data/search_labeled.yaml).
- Fusion weight: a grid over the semantic weight of the linear fusion (scaled scores),
  with the weight in use (``fusion.SEMANTIC_WEIGHT``) marked. Overfitting guard: 2-fold
  cross-validation repeated over 20 random splits; the weight is tuned on one half and scored
  on the other, and the held-out mean is printed next to the tuned figure. Equal-weight
  reciprocal rank fusion (k=60) is printed as a reference.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
from pathlib import Path

import numpy as np

CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CHECKOUT))

GRID = [round(w, 2) for w in np.arange(0.0, 1.0001, 0.05)]
SPLITS = 20


def rrf(
    lexical: np.ndarray, semantic: np.ndarray | None, weight: float = 0.5, k: int = 60
) -> np.ndarray:
    """Reciprocal rank fusion over all texts (reference only)."""

    def ranks(x: np.ndarray) -> np.ndarray:
        r = np.empty(x.size)
        r[np.argsort(-x, kind="stable")] = np.arange(1, x.size + 1)
        return r

    if semantic is None:
        return lexical
    return 2 * (weight / (k + ranks(semantic)) + (1 - weight) / (k + ranks(lexical)))


def main() -> None:
    os.environ.setdefault("JIXIAO_HOME", tempfile.mkdtemp(prefix="jixiao-bench-"))
    from assistant.search import SearchEngine
    from assistant.search import engine as engine_mod
    from assistant.search.evaluation import evaluate, load_labeled, shared_chars
    from assistant.search.fusion import SEMANTIC_WEIGHT

    queries = load_labeled(CHECKOUT / "tests" / "data" / "search_labeled.yaml")
    engine = SearchEngine()
    if not engine.load_semantic():
        print(engine.notice)
        return
    para = [q for q in queries if q.kind == "paraphrase"]
    print(f"corpus: {len(engine.precedents)} indicators, {len(engine.texts)} distinct names")
    print(
        f"labeled set: {len(queries)} queries, {len(para)} paraphrases "
        f"(median share of query characters found in the target: "
        f"{np.median([shared_chars(q) for q in para]):.2f})"
    )
    qvec = dict(
        zip(
            [q.q for q in queries],
            engine._sem.encoder.encode_queries([q.q for q in queries]),
            strict=True,
        )
    )

    def score(mode: str, subset, weight: float = SEMANTIC_WEIGHT):
        engine.weight = weight
        return evaluate(engine, subset, mode=mode, qvecs=[qvec[q.q] for q in subset])

    print(f"\n== side by side (fused with the weight in use: {SEMANTIC_WEIGHT:.2f}) ==")
    for label, subset in (
        ("all", queries),
        ("terms", [q for q in queries if q.kind == "term"]),
        ("paraphrases", para),
    ):
        print(f"-- {label}")
        for mode in ("lexical", "semantic", "fused"):
            print(f"   {mode:9s} {score(mode, subset).row()}")

    # as the TUI and CLI search: one query at a time (the lean forward pass), no vector given
    engine.weight = SEMANTIC_WEIGHT
    engine._sem.encoder.clear_query_cache()
    one = evaluate(engine, queries, mode="fused")
    path = type(engine._sem.encoder).__name__  # OnnxEncoder, or Encoder (full stack)
    print(f"-- fused, one query at a time ({path}): {one.row()}")

    original = engine_mod.fuse
    engine_mod.fuse = lambda lex, sem, weight=0.5: rrf(lex, sem)
    print(f"-- reference: equal-weight RRF (k=60), all: {score('fused', queries).row()}")
    print(f"                                 paraphrases: {score('fused', para).row()}")
    engine_mod.fuse = original

    print("\n== grid over the semantic weight (all queries) ==")
    table = {}
    for w in GRID:
        table[w] = score("fused", queries, w)
        mark = "  <- in use" if abs(w - SEMANTIC_WEIGHT) < 1e-9 else ""
        print(f"   w={w:.2f}  {table[w].row()}{mark}")
    best = max(GRID, key=lambda w: (table[w].mrr, table[w].top5, -abs(w - 0.5)))
    print(f"best on all queries (by MRR, then top-5): w={best:.2f}  {table[best].row()}")

    print(f"\n== held-out check: 2-fold cross-validation, {SPLITS} random splits ==")
    rng = random.Random(0)
    held = {"top1": [], "top5": [], "mrr": []}
    tuned = {"top1": [], "top5": [], "mrr": []}
    chosen = []
    for _ in range(SPLITS):
        order = queries[:]
        rng.shuffle(order)
        halves = (order[: len(order) // 2], order[len(order) // 2 :])
        for train, test in (halves, halves[::-1]):
            fits = {w: score("fused", train, w) for w in GRID}
            w = max(GRID, key=lambda x: (fits[x].mrr, fits[x].top5, -abs(x - 0.5)))
            chosen.append(w)
            out = score("fused", test, w)
            for key in held:
                held[key].append(getattr(out, key))
                tuned[key].append(getattr(fits[w], key))
    print(
        f"weights chosen on training halves: median {np.median(chosen):.2f}, "
        f"range {min(chosen):.2f}–{max(chosen):.2f}"
    )
    print(
        "tuned (on the training half):  "
        + "  ".join(f"{k} {np.mean(v):.3f}" for k, v in tuned.items())
    )
    print(
        "held out (on the other half):  "
        + "  ".join(f"{k} {np.mean(v):.3f}" for k, v in held.items())
    )
    suggestion_check(engine)


def suggestion_check(full) -> None:
    """Leave one table out: describe it by its name and goal, suggest from the rest of the
    corpus, and see whether a top-3 suggestion per slot is near one of its real indicators."""
    from assistant.corpus import library_indicators, load_tables, with_table_provenance
    from assistant.search import SearchEngine
    from assistant.search.text import indicator_text

    tables = load_tables()
    rows = [[with_table_provenance(i, ct.table) for i in ct.table.indicators] for ct in tables]
    library = library_indicators()
    vec = dict(zip(full.texts, full._sem.vectors, strict=True))
    best_cos, exact = [], []
    for n, ct in enumerate(tables):
        engine = SearchEngine([r for m, rs in enumerate(rows) if m != n for r in rs] + library)
        engine.load_semantic()
        slots: dict[tuple[str, str], list[str]] = {}
        for ind in ct.table.indicators:
            text = indicator_text(ind)
            if text in vec:
                slots.setdefault((ind.level1, ind.level2), []).append(text)
        found = {
            (s.level1, s.level2): s
            for s in engine.suggest(ct.table.header.project_name, ct.table.goal)
        }
        for slot, actual in slots.items():
            names = [indicator_text(h.indicator) for h in found[slot].hits] if slot in found else []
            best_cos.append(
                max(
                    (float(vec[a] @ vec[b]) for a in names if a in vec for b in actual), default=0.0
                )
            )
            exact.append(any(a in actual for a in names))
    cos = np.asarray(best_cos)
    print(
        f"\n== suggestions, leave one table out ({len(tables)} tables, {cos.size} slots, top 3) =="
    )
    print(
        f"a suggestion has the same name as one of the table's own indicators: {np.mean(exact):.3f}"
    )
    print(
        f"a suggestion is close to one (cosine >= 0.93): {(cos >= 0.93).mean():.3f}; "
        f"mean best cosine {cos.mean():.3f}"
    )


if __name__ == "__main__":
    main()
