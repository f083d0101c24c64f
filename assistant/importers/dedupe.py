"""Telling a table already in the corpus from a new one, whatever the copy looks like: the
same page saved in another encoding or layout, or a truncated copy of it, adds nothing.

Two tables are the same when their project names agree (full-width and half-width forms,
spaces and the row-number prefix ignored), their years do not disagree, and every indicator
of the newcomer (second level, name, value, compared the same way) is already in the other.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.model import TargetTable, split_number

_NOISE = re.compile(r"[\s\u3000，,。.;；:：、\"'“”‘’]+")


def _norm(text: str | None) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFKC", text or ""))


@dataclass(frozen=True)
class Fingerprint:
    project: str
    year: int | None
    rows: frozenset[tuple[str, str, str]]

    def within(self, other: Fingerprint) -> bool:
        """Whether this table says nothing the other does not (a copy or a truncated copy)."""
        if self.project != other.project or not self.rows:
            return False
        if self.year is not None and other.year is not None and self.year != other.year:
            return False
        return self.rows <= other.rows


def fingerprint(table: TargetTable) -> Fingerprint:
    rows = frozenset(
        (i.level2, _norm(split_number(i.name)[1]), _norm(i.value)) for i in table.indicators
    )
    return Fingerprint(_norm(table.header.project_name), table.header.year, rows)


def split_copies(
    tables: Iterable[TargetTable], known: Iterable[TargetTable]
) -> tuple[list[TargetTable], list[TargetTable]]:
    """(new tables, copies of a known table or of an earlier new one), in input order."""
    seen = [fingerprint(t) for t in known]
    new: list[TargetTable] = []
    copies: list[TargetTable] = []
    for table in tables:
        fp = fingerprint(table)
        if any(fp.within(other) for other in seen):
            copies.append(table)
        else:
            new.append(table)
            seen.append(fp)
    return new, copies
