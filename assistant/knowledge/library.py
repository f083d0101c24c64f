"""Where a common-indicator library entry's wording came from, and so its kind.

Most entries of corpus/library/ name the real table they were taken from in their note
("见于 corpus/raw/precedents/023_….txt 第12行…"). That table's kind is the entry's kind: a
training table's "参训学员就业率" is no common indicator for farmland. Entries written from
general practice ("通行写法…") cite no table; the library file's ``kinds`` names the few of
them that belong to one kind ("干部业务能力": training); the rest are common to all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from assistant import config
from assistant.model import Indicator, TargetTable

_CITES = re.compile(r"见于 corpus/(raw/\S+?\.txt) 第(\d+)行")


def _key(table: TargetTable) -> tuple[str, str]:
    return (table.provenance.source if table.provenance else "", table.header.project_name)


def cited_table(note: str, tables: Iterable[TargetTable]) -> tuple[str, str] | None:
    """(source, project) of the corpus table a note cites: a precedent file names its
    table by the source address in its record (the .json beside it); a line of the seed
    file belongs to the seed table whose rows are nearest above it."""
    m = _CITES.search(note or "")
    if not m:
        return None
    path, line = m.group(1), int(m.group(2))
    tables = list(tables)
    record = (config.shipped_corpus_dir() / path).with_suffix(".json")
    if record.exists():
        source = json.loads(record.read_text(encoding="utf-8")).get("source")
        return next((_key(t) for t in tables if _key(t)[0] == source), None)
    best: tuple[int, tuple[str, str]] | None = None
    for t in tables:
        for ind in t.indicators:
            p = ind.provenance
            if p and p.line and p.source and path in p.source and p.line <= line:
                if best is None or p.line > best[0]:
                    best = (p.line, _key(t))
    return best[1] if best else None


def library_kinds(
    entries: Iterable[Indicator], tables: Iterable[TargetTable], kinds: dict
) -> dict[str, str]:
    """Entry name → kind, for every library entry of one kind: declared in the library
    file's ``kinds``, or the kind of the table its note cites."""
    tables = list(tables)
    out: dict[str, str] = {}
    for path in sorted((config.shipped_corpus_dir() / "library").glob("*.json")):
        out.update(json.loads(path.read_text(encoding="utf-8")).get("kinds") or {})
    for ind in entries:
        note = ind.provenance.note if ind.provenance else None
        if note and ind.name not in out:
            key = cited_table(note, tables)
            kind = kinds.get(key) if key else None
            if kind:
                out[ind.name] = kind
    return out
