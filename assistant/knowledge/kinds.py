"""The spending-kind taxonomy (corpus/kinds.yaml) and kind inference from a project's facts.

Inference is a weighted key-word count: a word in the project name counts three times, in an
activity twice, in the goal once, and a longer word more than a short one (维修改造 says more
than 维修). The best kind wins; ties go to the kind listed first in the data. No word found →
no kind (the gate then relies on shared words alone).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from assistant import config

NAME_WEIGHT, ACTIVITY_WEIGHT, GOAL_WEIGHT = 3.0, 2.0, 1.0
INNER_WEIGHT = 0.5  # a key word inside a longer one already counted (tuning half)


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    keywords: tuple[str, ...]
    not_applicable: tuple[str, ...] = ()
    subject: str = "项目"


@dataclass(frozen=True)
class KindGuess:
    """The inferred kind with the words that pointed to it (shown to the user as the reason)."""

    code: str | None
    label: str
    score: float
    words: tuple[str, ...] = ()
    ranked: tuple[tuple[str, float], ...] = field(default=())


def kinds_file() -> Path:
    return config.shipped_corpus_dir() / "kinds.yaml"


@lru_cache(maxsize=4)
def _load(path: Path) -> tuple[Kind, ...]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(
        Kind(
            code=k["code"],
            label=k["label"],
            keywords=tuple(k.get("keywords") or ()),
            not_applicable=tuple(k.get("not_applicable") or ()),
            subject=k.get("subject") or "项目",
        )
        for k in doc["kinds"]
    )


def all_kinds(path: Path | None = None) -> tuple[Kind, ...]:
    return _load(path or kinds_file())


def kind_by_code(code: str | None) -> Kind | None:
    return next((k for k in all_kinds() if k.code == code), None)


def kind_label(code: str | None) -> str:
    kind = kind_by_code(code)
    return kind.label if kind else "未分类"


def _score(kind: Kind, parts: list[tuple[str, float]]) -> tuple[float, list[str]]:
    """Longest key words first; a word found is masked so the shorter words inside it
    (设备购置 → 设备, 购置) count the same place again only at INNER_WEIGHT."""
    score, words = 0.0, []
    masked = [text for text, _ in parts]  # each part with the key words found so far masked
    for word in sorted(kind.keywords, key=len, reverse=True):
        weight = 1.0 + 0.5 * (len(word) - 2) if len(word) > 2 else 1.0
        hit = 0.0
        for i, (whole, part_weight) in enumerate(parts):
            if word in masked[i]:  # found on its own
                hit += part_weight
                masked[i] = masked[i].replace(word, "\0")
            elif word in whole:  # only inside a longer key word
                hit += part_weight * INNER_WEIGHT
        if hit:
            score += weight * hit
            words.append(word)
    return score, words


def infer_kind(name: str, goal: str = "", activities: Iterable[str] = ()) -> KindGuess:
    """The kind a project most likely is, from what the user said about it."""
    parts = [(name or "", NAME_WEIGHT), (goal or "", GOAL_WEIGHT)]
    parts += [(a or "", ACTIVITY_WEIGHT) for a in activities]
    scored = []
    for order, kind in enumerate(all_kinds()):
        score, words = _score(kind, parts)
        if score > 0:
            scored.append((-score, order, kind, words))
    if not scored:
        return KindGuess(None, "未分类", 0.0)
    scored.sort(key=lambda t: (t[0], t[1]))
    _, _, best, words = scored[0]
    ranked = tuple((k.code, -s) for s, _, k, _ in scored)
    return KindGuess(best.code, best.label, -scored[0][0], tuple(words), ranked)
