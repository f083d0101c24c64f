"""The label cells leading an indicator row: which level they name, and when one of them is
the row's 三级 name or the 一级 cell that opens its group (shared by the table reader)."""

from __future__ import annotations

from assistant.importers.labels import (
    _SCORE,
    _WS,
    as_level1,
    as_level2,
    label_key,
    looks_like_value,
)


def _name_is_a_level(labels: list[str], texts: list[str]) -> bool:
    """The 三级 name spelled like a level ("服务对象满意度" under "服务对象满意度指标"): two
    second-level names in a row, the first no first-level name, and a value where the name
    should be."""
    if len(labels) < 2 or (texts and not looks_like_value(texts[0])):
        return False
    prev, last = labels[-2], labels[-1]
    return (
        as_level2(prev) is not None
        and as_level2(last) is not None
        and as_level1(prev) is None
        and label_key(prev) != label_key(last)
    )


def _first_level_cell(label: str) -> bool:
    """A first-level label carrying its score ("满意度指标(10分)"): self-evaluation tables
    score each 一级指标 in its own cell, which opens the group (a bare "产出指标" may be
    printed on any row of its group, so it proves nothing)."""
    return as_level1(label) is not None and _SCORE.search(_WS.sub("", label)) is not None


def _resolve_labels(labels: list[str]) -> tuple[str | None, str | None]:
    """(level1, level2) from the label cells leading a row; ambiguous names (成本指标,
    满意度指标) read as second level when alone, as first level when another label follows."""
    if not labels:
        return None, None
    # the same label twice in a row (side-by-side column sets print it in each set)
    labels = [
        lb for k, lb in enumerate(labels) if k == 0 or label_key(lb) != label_key(labels[k - 1])
    ]
    if len(labels) == 1:
        only = labels[0]
        l2 = as_level2(only)
        return (None, l2) if l2 is not None else (as_level1(only), None)
    first, second = labels[-2], labels[-1]
    l1 = as_level1(first)
    l2 = as_level2(second)
    if l2 is None:
        return as_level1(second) or l1, None
    return l1, l2
