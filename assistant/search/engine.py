"""The precedent search engine: lexical at once, semantic once loaded, fused, grouped.

Used by the CLI (``jixiao search`` / ``suggest``), the interview engine and the TUI. The
lexical index builds in well under a second for the shipped corpus, so search works
immediately; ``load_semantic()`` (slow: model load + cached embeddings) can run in a worker
thread and switches the engine to fused ranking when done.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from pydantic import BaseModel, Field

from assistant import config
from assistant.errors import JixiaoError
from assistant.model import (
    FRAMEWORKS,
    Indicator,
    normalize_level1,
    normalize_level2,
    normalize_levels,
)
from assistant.search.fusion import SEMANTIC_WEIGHT, fuse, scale_semantic
from assistant.search.grouping import group_precedents
from assistant.search.lexical import LexicalIndex
from assistant.search.text import value_key

NOTICE_PREFIX = "语义模型不可用，已改用字面检索："
EXACT_LIMIT = 20_000
SHORTLIST = 2_000
LEXICAL_SHORTLIST = 200


class Hit(BaseModel):
    """One found precedent with the near-identical rows it stands for."""

    indicator: Indicator = Field(description="代表行（最近年度的真实表格优先）")
    score: float = Field(description="综合得分（0–1）")
    lexical: float | None = Field(description="字面得分（0–1，按本次查询最高分归一）")
    semantic: float | None = Field(description="语义余弦相似度；未加载模型时为空")
    group: list[Indicator] = Field(description="同名同级的全部先例（含代表行本身）")

    @property
    def table_count(self) -> int:
        """How many distinct tables (or library entries) the group's rows come from."""
        return len({_table_id(ind) for ind in self.group})


class SlotSuggestion(BaseModel):
    """Suggestions for one second-level slot of the indicator tree."""

    level1: str
    level2: str
    hits: list[Hit]
    typical_values: list[tuple[str, int]] = Field(description="常见指标值及出现次数，如 (≥95%, 3)")


def _cosines(vectors: np.ndarray, qvec: np.ndarray) -> np.ndarray:
    """Row-wise dot products with the query (cosines: both sides are unit length).

    ``einsum`` runs on the calling thread; a BLAS matrix-vector product here was 2–5x
    slower on 2 cores (thread wake-ups) and its spinning threads then slowed the next
    query's encoding."""
    return np.einsum("ij,j->i", vectors, np.asarray(qvec, dtype=np.float32), dtype=np.float32)


def _table_id(ind: Indicator) -> tuple:
    p = ind.provenance
    if p is None:
        return ("", "", id(ind))
    return (p.kind, p.source, p.project, p.unit, p.year)


class QueryEncoder(Protocol):
    """What search asks of an encoder (the ONNX one or the sentence-transformers one)."""

    dim: int

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...


@dataclass
class _Semantic:
    encoder: QueryEncoder
    vectors: np.ndarray  # (texts, dim), rows unit length, memory-mapped when cached
    bits: np.ndarray | None = None  # (dim/64, texts) sign bits, for large corpora only


class SearchEngine:
    """Search over precedent indicators; see the module docstring for the life cycle."""

    def __init__(self, precedents: list[Indicator] | None = None, *, semantic: bool = True):
        if precedents is None:
            from assistant.corpus import precedents as load_precedents

            precedents = load_precedents()
        self.semantic_enabled = semantic
        self.semantic_ready = False
        self.notice: str | None = None
        self.weight = SEMANTIC_WEIGHT
        self.encoded_on_load: int | None = None
        # above this many texts, cosines are computed exactly only for a shortlist found by
        # sign-bit Hamming distance plus the best BM25 texts (keeps 100k-row search fast)
        self.exact_limit = EXACT_LIMIT
        self.shortlist = SHORTLIST
        self._lock = threading.Lock()
        self._sem: _Semantic | None = None

        grouping = group_precedents(precedents)
        self.precedents = grouping.precedents
        self._groups = grouping.members
        self.texts = grouping.texts
        self._group_text = grouping.group_text
        self._by_level1 = grouping.by_level1
        self._by_level2 = grouping.by_level2
        self.lexical = LexicalIndex(self.texts, cache_dir=config.cache_dir() / "lexical")

    # --- semantic ------------------------------------------------------------------

    def load_semantic(self, progress: Callable[[str], None] | None = None) -> bool:
        """Load the model and the passage embeddings (cached on disk); False + ``notice``
        when no model can load. Safe to call from a worker thread, and more than once.

        ``progress`` hears about slow first-time work (model build, corpus encoding). On
        success ``notice`` is None, or says the model was rebuilt or runs the slow way."""
        if not self.semantic_enabled:
            return False
        with self._lock:
            if self._sem is not None:
                return True
            from assistant.search.semantic import EmbeddingCache, ModelUnavailable, load_encoder

            try:
                encoder = load_encoder(progress)
                cache = EmbeddingCache(encoder.fingerprint)
                vectors = (
                    cache.vectors_for(self.texts, encoder, progress)
                    if self.texts
                    else np.zeros((0, encoder.dim), dtype=np.float32)
                )
                self.encoded_on_load = cache.encoded_count
                bits = cache.sign_bits(vectors) if len(self.texts) > self.exact_limit else None
            except ModelUnavailable as exc:
                self.notice = NOTICE_PREFIX + str(exc)
                return False
            except Exception:  # encoding failures must not crash the caller either
                self.notice = NOTICE_PREFIX + "计算语义向量时出错"
                return False
            if bits is not None:
                bits = np.ascontiguousarray(np.asarray(bits).T)  # word-major for fast scans
            # a plain ndarray view of the memory map: same pages, faster row gathers
            self._sem = _Semantic(encoder, np.asarray(vectors), bits)
            self.semantic_ready = True
            self.notice = getattr(encoder, "notice", None)
            return True

    def encode_query(self, query: str) -> np.ndarray | None:
        sem = self._sem
        return None if sem is None else sem.encoder.encode_queries([query])[0]

    # --- scoring -------------------------------------------------------------------

    def text_scores(
        self, query: str, qvec: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """(BM25, cosine or None) for every indexed text."""
        lex = self.lexical.scores(query)
        sem = self._sem
        if sem is None or not self.texts:
            return lex, None
        if qvec is None:
            qvec = sem.encoder.encode_queries([query])[0]
        if sem.bits is None:
            return lex, _cosines(sem.vectors, qvec)
        return lex, self._shortlist_cosines(sem.vectors, sem.bits, qvec, lex)

    def _shortlist_cosines(
        self, vectors: np.ndarray, bits: np.ndarray, qvec: np.ndarray, lex: np.ndarray
    ) -> np.ndarray:
        """Exact cosines for the texts nearest by sign bits and the best lexical texts; every
        other text gets the lowest exact cosine, so it can only rank by its lexical score."""
        from assistant.search.semantic import sign_bits

        n = bits.shape[1]
        k = min(self.shortlist, n)
        qbits = sign_bits(qvec[None, :])[0]
        hamming = np.zeros(n, dtype=np.uint16)
        xor = np.empty(n, dtype=np.uint64)
        count = np.empty(n, dtype=np.uint8)
        for word, qword in zip(bits, qbits, strict=True):  # bits are stored word-major
            np.bitwise_xor(word, qword, out=xor)
            hamming += np.bitwise_count(xor, out=count)
        # the k nearest by Hamming distance (small integers: a histogram beats a sort)
        limit = int(np.searchsorted(np.cumsum(np.bincount(hamming)), k))
        take = hamming <= limit
        matched = np.flatnonzero(lex > 0)
        if matched.size > LEXICAL_SHORTLIST:
            matched = matched[
                np.argpartition(-lex[matched], LEXICAL_SHORTLIST - 1)[:LEXICAL_SHORTLIST]
            ]
        take[matched] = True  # plus the best lexical texts
        rows = np.flatnonzero(take)
        exact = _cosines(vectors[rows], qvec)
        out = np.full(n, exact.min(), dtype=np.float32)
        out[rows] = exact
        return out

    def _eligible(self, level1: str | None, level2: str | None) -> np.ndarray | None:
        """Group ids allowed by the filters (None = all)."""
        sets = []
        if level1:
            l1 = normalize_level1(level1)
            if l1 not in self._by_level1 and not any(l1 in fw for fw in FRAMEWORKS.values()):
                raise JixiaoError(f"未知的一级指标：{level1}")
            sets.append(self._by_level1.get(l1, np.zeros(0, dtype=np.int64)))
        if level2:
            l2 = normalize_level2(level2)
            known = {n for fw in FRAMEWORKS.values() for l2s in fw.values() for n in l2s}
            if l2 not in self._by_level2 and l2 not in known:
                choices = "、".join(sorted(known))
                raise JixiaoError(f"未知的二级指标：{level2}（可选：{choices}）")
            sets.append(self._by_level2.get(l2, np.zeros(0, dtype=np.int64)))
        if not sets:
            return None
        out = sets[0]
        for s in sets[1:]:
            out = np.intersect1d(out, s, assume_unique=True)
        return out

    def search(
        self,
        query: str,
        *,
        level1: str | None = None,
        level2: str | None = None,
        top: int = 10,
        qvec: np.ndarray | None = None,
        mode: str = "fused",
    ) -> list[Hit]:
        """The best ``top`` precedent groups for ``query``, optionally within a level.

        ``mode`` "lexical" or "semantic" ranks by one method alone (for evaluation);
        "semantic" falls back to lexical when the model is not loaded.
        """
        query = (query or "").strip()
        eligible = self._eligible(level1, level2)
        if not query or top <= 0 or not self._groups:
            return []
        if mode == "lexical":
            lex, sem = self.lexical.scores(query), None
        else:
            lex, sem = self.text_scores(query, qvec)
        if mode == "semantic" and sem is not None:
            fused = scale_semantic(sem)
        else:
            fused = fuse(lex, sem, self.weight)
        lex_top = float(lex.max()) if lex.size else 0.0
        if eligible is None:  # every group: no index array needed
            groups, gtext = None, self._group_text
        elif eligible.size == 0:
            return []
        else:
            groups, gtext = eligible, self._group_text[eligible]
        gscore = fused[gtext]
        if sem is None:  # lexical only: a group with no shared n-gram is no match
            keep = np.flatnonzero(gscore > 0)
            groups = keep if groups is None else groups[keep]
            gtext, gscore = gtext[keep], gscore[keep]
        k = min(top, gscore.size)
        if k == 0:
            return []
        best = np.argpartition(-gscore, k - 1)[:k] if k < gscore.size else np.arange(gscore.size)
        ids = best if groups is None else groups[best]
        order = np.lexsort((ids, -gscore[best]))
        return [
            self._hit(
                int(ids[i]),
                float(gscore[best[i]]),
                float(lex[gtext[best[i]]] / lex_top) if lex_top > 0 else 0.0,
                None if sem is None else float(sem[gtext[best[i]]]),
            )
            for i in order
        ]

    def _hit(self, g: int, score: float, lexical: float, semantic: float | None) -> Hit:
        members = [self.precedents[i] for i in self._groups[g]]

        def rank(ind: Indicator) -> tuple:
            p = ind.provenance
            real = p is not None and p.kind != "library"
            return (not real, -((p.year or 0) if p else 0))

        rep = min(members, key=rank)
        return Hit(
            indicator=rep,
            score=round(score, 4),
            lexical=round(lexical, 4),
            semantic=None if semantic is None else round(semantic, 4),
            group=members,
        )

    # --- suggestions ---------------------------------------------------------------

    def slots(self) -> list[tuple[str, str]]:
        """Second-level slots in framework order (both trees), those the corpus has rows for."""
        present = {
            (self.precedents[i].level1, self.precedents[i].level2)
            for i in self._groups.first().tolist()
        }
        order: list[tuple[str, str]] = []
        for fw in ("pre2021", "2021"):
            for l1, l2s in FRAMEWORKS[fw].items():
                for l2 in l2s:
                    if (l1, l2) in present and (l1, l2) not in order:
                        order.append((l1, l2))
        return order

    def suggest(
        self, name: str, goal: str = "", *, level2: str | None = None, top: int = 3
    ) -> list[SlotSuggestion]:
        """For a described project, the best precedents for each second-level slot."""
        name = (name or "").strip()
        if not name:
            raise JixiaoError("请给出项目名称（--name）")
        query = name if not goal.strip() else f"{name}。{goal.strip()}"
        if level2:
            self._eligible(None, level2)  # validates the name
            l1, l2 = normalize_levels(None, level2)
            slots = [s for s in self.slots() if s[1] == l2] or [(l1, l2)]
        else:
            slots = self.slots()
        qvec = self.encode_query(query)
        out = []
        for l1, l2 in slots:
            # values are counted over a wider neighbourhood than the hits shown
            wide = self.search(query, level1=l1, level2=l2, top=max(top, 10), qvec=qvec)
            out.append(
                SlotSuggestion(
                    level1=l1, level2=l2, hits=wide[:top], typical_values=typical_values(wide)
                )
            )
        return out


def typical_values(hits: list[Hit], limit: int = 5) -> list[tuple[str, int]]:
    """The values seen across the hits' precedents, most frequent first; ways of writing
    the same value (正向 大于等于 95 %, >=95%, 95%及以上) count as one (≥95%)."""
    counts: Counter[str] = Counter()
    for hit in hits:
        for ind in hit.group:
            key = canonical_value(ind.value)
            if key:
                counts[key] += 1
    return counts.most_common(limit)


def canonical_value(raw: str) -> str:
    """A value as counted: comparator + number + unit when the 指标值 grammar reads it as
    one simple quantity, else the text with spacing squashed."""
    squashed = value_key(raw)
    if not squashed:
        return ""
    try:
        from assistant.values import formal_fields, parse_value

        ff = formal_fields(parse_value(raw))
    except Exception:  # the grammar never blocks a suggestion; fall back to the text
        return squashed
    if ff.symbol == "定性" or ff.needs_split or not ff.measure:
        return squashed
    return ("" if ff.symbol == "＝" else ff.symbol) + ff.measure + ff.unit
