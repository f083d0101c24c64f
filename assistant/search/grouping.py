"""Grouping precedents into near-identical groups, vectorised for large corpora.

A group is the precedents with the same levels and the same name up to punctuation
(``text.group_key``); each group is searched by the cleaned text of its first member, and
texts are numbered in the order groups first appear. Names that are junk (empty, 无, a bare
number) are dropped. Python touches each precedent only for two dictionary look-ups; the
rest is numpy, which keeps a 100k-row engine's start-up short.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.model import Indicator
from assistant.search.text import clean_many

JUNK_NAMES = {"", "0", "无", "/", "-", "—", "空", "null", "none"}


class Members(Sequence):
    """Member precedent indices per group (ascending), stored flat: ``members[g]`` is a list."""

    def __init__(self, flat: np.ndarray, starts: np.ndarray):
        self._flat = flat
        self._starts = starts  # len(groups) + 1 offsets into flat

    def __len__(self) -> int:
        return len(self._starts) - 1

    def __getitem__(self, g):  # type: ignore[override]
        if isinstance(g, slice):
            return [self[i] for i in range(*g.indices(len(self)))]
        if g < 0:
            g += len(self)
        if not 0 <= g < len(self):
            raise IndexError(g)
        return self._flat[self._starts[g] : self._starts[g + 1]].tolist()

    def __iter__(self) -> Iterator[list[int]]:
        return (self[g] for g in range(len(self)))

    def first(self) -> np.ndarray:
        """Each group's first member."""
        return self._flat[self._starts[:-1]]


@dataclass
class Grouping:
    precedents: list[Indicator]  # kept precedents (junk names dropped), in input order
    members: Members  # indices into ``precedents`` per group
    texts: list[str]  # searched texts, numbered in order of first appearance
    group_text: np.ndarray  # text index per group
    by_level1: dict[str, np.ndarray]  # group ids per 一级指标, ascending
    by_level2: dict[str, np.ndarray]  # group ids per 二级指标, ascending


def _ids(values: list[str]) -> tuple[np.ndarray, list[str]]:
    """Dense ids in order of first appearance, and the distinct values."""
    index: dict[str, int] = {}
    ids = np.fromiter((index.setdefault(v, len(index)) for v in values), np.int64, len(values))
    return ids, list(index)


def _first_order(codes: np.ndarray) -> np.ndarray:
    """Dense ids for ``codes`` numbered in order of first appearance."""
    if codes.size == 0:
        return codes
    _, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
    rank = np.empty(first.size, dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(first.size)
    return rank[inverse.reshape(-1)]


def group_precedents(precedents: list[Indicator]) -> Grouping:
    """Groups, searched texts and level indexes for ``precedents``."""
    name_ids, distinct = _ids([ind.name for ind in precedents])
    text_of, key_of = [], []
    for text, key in clean_many(distinct):
        junk = text in JUNK_NAMES or text.isdigit()
        text_of.append(None if junk else text)
        key_of.append(key)
    key_ids, _ = _ids(key_of)
    junk_name = np.fromiter((t is None for t in text_of), bool, len(text_of))
    keep = np.flatnonzero(~junk_name[name_ids]) if len(precedents) else name_ids
    kept = [precedents[i] for i in keep.tolist()]
    names = name_ids[keep]

    l1, l1_names = _ids([ind.level1 for ind in kept])
    l2, l2_names = _ids([ind.level2 for ind in kept])
    n_keys = max(len(key_of), 1)
    code = (l1 * max(len(l2_names), 1) + l2) * n_keys + key_ids[names]
    group_of = _first_order(code)  # group per kept precedent, numbered as they first appear
    n_groups = int(group_of.max()) + 1 if group_of.size else 0

    flat = np.argsort(group_of, kind="stable")  # members of each group, in input order
    starts = np.zeros(n_groups + 1, dtype=np.int64)
    np.cumsum(np.bincount(group_of, minlength=n_groups), out=starts[1:])
    members = Members(flat, starts)

    founders = members.first()
    # a group is searched by its first member's text; texts numbered as groups appear
    # (different raw names can clean to one text)
    text_ids, distinct_texts = _ids([t or "" for t in text_of])
    founder_texts = text_ids[names[founders]]
    group_text = _first_order(founder_texts)
    order = np.unique(group_text, return_index=True)[1]
    texts = [distinct_texts[int(t)] for t in founder_texts[order]]

    g_l1, g_l2 = l1[founders], l2[founders]
    by_level1 = {name: np.flatnonzero(g_l1 == i) for i, name in enumerate(l1_names)}
    by_level2 = {name: np.flatnonzero(g_l2 == i) for i, name in enumerate(l2_names)}
    return Grouping(kept, members, texts, group_text.astype(np.int64), by_level1, by_level2)
