"""How one slot's five suggestions are chosen from the gated candidates, and in what order.

Candidates come in groups (``gate.Advisor`` builds them): rows of the project's own kind,
rows of another kind that share a content word, common indicators (共性), rows of a second
kind the project may also be, and templates. Same-kind rows are ranked by how many of the
kind's tables use the row's pattern ("{活动}验收合格率" used by three tables beats a row one
table wrote), then by shared words and search score. A slot is filled from the groups in
a fixed order with quotas, so a thin kind still shows the indicators every kind uses, and
a near-duplicate of a row already chosen ("培训班第1期" after "培训班第2期") is skipped.
The quotas were chosen on the tuning half of bench/suggest_quality.py's split.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from assistant.knowledge.templates import pattern_of
from assistant.knowledge.words import pairs

QUANTITY_FIRST = 2  # rows naming the user's own activity and amount, first
_DIGITS = re.compile(r"[\d０-９]+")
SAME_FIRST = 1  # same-kind rows (used by two or more tables, or sharing words) first
COMMON_NEXT = 4  # common indicators after them
W_WORDS = 0.5  # a same-kind row sharing a content word with the facts
W_SEARCH = 0.5  # times the search score (0–1)


def popularity(tables_by_name: dict[str, set]) -> Counter[str]:
    """Tables per pattern among a kind's rows of one slot (name → set of table keys)."""
    used: dict[str, set] = {}
    for name, keys in tables_by_name.items():
        used.setdefault(pattern_of(name), set()).update(keys)
    return Counter({p: len(k) for p, k in used.items()})


def near_duplicate(a: str, b: str) -> bool:
    """Two suggestions a user would see as one: the same pattern and two shared content
    pairs, or one name inside the other."""
    if a == b or (min(len(a), len(b)) >= 4 and (a in b or b in a)):
        return True
    a, b = _DIGITS.sub("", a), _DIGITS.sub("", b)
    return pattern_of(a) == pattern_of(b) and len(pairs(a) & pairs(b)) >= 2


def compose(groups: Sequence[tuple[Iterable, int | None]], top: int, name: Callable) -> list:
    """Take from each (candidates, quota) group in order, quota None = as many as fit,
    skipping near-duplicates of what is already taken; stop at ``top``."""
    chosen: list = []
    names: list[str] = []
    for candidates, quota in groups:
        taken = 0
        for cand in candidates:
            if len(chosen) >= top or (quota is not None and taken >= quota):
                break
            n = name(cand)
            if any(near_duplicate(n, m) for m in names):
                continue
            chosen.append(cand)
            names.append(n)
            taken += 1
    return chosen
