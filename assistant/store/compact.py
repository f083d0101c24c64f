"""``jixiao compact``: thin old revisions of every draft, never by surprise.

Kept: the first revision, the newest ``keep``, and the last revision of each day among
the rest; pieces no kept revision uses are dropped. A dry run (the default) only reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.store import draftfile, index
from assistant.store.schema import BLOBS, REVISIONS

if TYPE_CHECKING:
    from assistant.store.drafts import DraftStore


@dataclass
class Thinned:
    """What compaction does (or would do) to one draft."""

    draft_id: str
    project_name: str
    before: int
    removed: list[int]


def plan(docs: dict[int, dict], keep: int) -> list[int]:
    """The revision numbers to drop from ``docs`` (number → revision doc)."""
    numbers = sorted(docs)
    if len(numbers) <= keep + 1:
        return []
    kept = {numbers[0], *numbers[-keep:]} if keep > 0 else {numbers[0], numbers[-1]}
    last_of_day: dict[str, int] = {}
    for n in numbers:
        last_of_day[str(docs[n].get("at", ""))[:10]] = n
    kept |= set(last_of_day.values())
    return [n for n in numbers if n not in kept]


def compact(store: DraftStore, *, keep: int, apply: bool) -> list[Thinned]:
    """Plan (and with ``apply`` carry out) the thinning of every draft."""
    out: list[Thinned] = []
    for summary in store.list():
        if not apply:
            loaded = store._load(summary.id, quiet=True)  # noqa: SLF001
            if loaded is None:
                continue
            drop = plan(loaded.docs, keep)
            if drop:
                out.append(Thinned(summary.id, summary.project_name, len(loaded.docs), drop))
            continue
        with store._write():  # noqa: SLF001
            st = store.file_storage(summary.id)
            with st.transaction(write=True) as data:
                loaded = draftfile.from_data(summary.id, data)
                if loaded is None:
                    continue
                drop = plan(loaded.docs, keep)
                if not drop:
                    continue
                out.append(Thinned(summary.id, summary.project_name, len(loaded.docs), drop))
                revisions = {k: v for k, v in data[REVISIONS].items() if int(k) not in drop}
                used = set()
                for doc in revisions.values():
                    used.add(str(doc.get("body")))
                    used.update(str(k) for k in doc.get("rows") or [])
                data[REVISIONS] = revisions
                data[BLOBS] = {k: v for k, v in data.get(BLOBS, {}).items() if k in used}
                st.write(data)
                for n in drop:
                    loaded.docs.pop(n, None)
            store.index.put(index.entry_from(loaded, summary.project_name, summary.state))
    return out
