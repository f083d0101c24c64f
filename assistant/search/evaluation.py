"""Scoring search against the labeled query set (tests/data/search_labeled.yaml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from assistant.errors import JixiaoError
from assistant.search.text import _PUNCT, clean_name


def name_key(name: str) -> str:
    """A name as compared with labeled targets: cleaned, punctuation removed."""
    return _PUNCT.sub("", clean_name(name))


@dataclass
class LabeledQuery:
    q: str
    kind: str
    targets: list[str]
    level2: str | None = None
    keys: list[str] = field(default_factory=list)

    def matches(self, name: str) -> bool:
        """True when ``name`` (a hit's 三级指标 without row number) is a correct answer."""
        key = name_key(name)
        return any(key == t or (len(t) >= 5 and t in key) for t in self.keys)


def load_labeled(path: Path) -> list[LabeledQuery]:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise JixiaoError(f"无法读取标注查询集：{exc}", path=str(path)) from exc
    out = []
    for item in doc.get("queries", []):
        lq = LabeledQuery(
            str(item["q"]),
            item.get("kind", "term"),
            [str(t) for t in item["targets"]],
            item.get("level2"),
        )
        lq.keys = [name_key(t) for t in lq.targets]
        out.append(lq)
    return out


def shared_chars(lq: LabeledQuery) -> float:
    """Share of the query's characters found in its closest target (paraphrase check)."""
    q = set(name_key(lq.q))
    return min(len(q & set(t)) / max(1, len(q)) for t in lq.keys)


@dataclass
class Scores:
    top1: float
    top5: float
    mrr: float
    n: int

    def row(self) -> str:
        return f"top1 {self.top1:.3f}  top5 {self.top5:.3f}  MRR {self.mrr:.3f}  (n={self.n})"


def rank_of_first_match(
    engine, lq: LabeledQuery, *, mode: str, qvec=None, depth: int = 10
) -> int | None:
    hits = engine.search(lq.q, level2=lq.level2, top=depth, qvec=qvec, mode=mode)
    for i, hit in enumerate(hits, 1):
        if lq.matches(hit.indicator.bare_name):
            return i
    return None


def evaluate(
    engine, queries: list[LabeledQuery], *, mode: str, qvecs=None, depth: int = 10
) -> Scores:
    """top-1, top-5 and MRR@depth of ``engine`` in ``mode`` over ``queries``."""
    ranks = [
        rank_of_first_match(
            engine, lq, mode=mode, qvec=None if qvecs is None else qvecs[i], depth=depth
        )
        for i, lq in enumerate(queries)
    ]
    n = max(1, len(queries))
    return Scores(
        top1=sum(r == 1 for r in ranks) / n,
        top5=sum(r is not None and r <= 5 for r in ranks) / n,
        mrr=sum(1 / r for r in ranks if r) / n,
        n=len(queries),
    )
