"""The store's catalogue (``index.json``): one small entry per draft, for listing fast.

The index is a cache of the draft files: entries are checked on every read, and a
missing, extra or damaged one is rebuilt from its draft file under the lock.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tinydb.table import Document

from assistant.store.draftfile import Loaded, status_of
from assistant.store.schema import DRAFTS, META, SCHEMA_VERSION

DRAFT_FILE = re.compile(r"^([0-9a-f]{8})\.json$")
SHARDS = "0123456789abcdef"  # one index file per first hex digit of the draft id


def shard_name(h: str) -> str:
    """``index-3.json``: the index file for drafts whose id starts with ``h``. Sixteen small
    files instead of one, so a save rewrites ~1/16 of the catalogue."""
    return f"index-{h}.json"


def doc_id(draft_id: str) -> int:
    return int(draft_id, 16)


def ids_on_disk(root: Path) -> set[str]:
    """The draft ids that have a file in ``root`` (corrupt-file backups do not count)."""
    try:
        names = [e.name for e in _scan(root)]
    except FileNotFoundError:
        return set()
    return {m.group(1) for n in names if (m := DRAFT_FILE.match(n))}


def _scan(root: Path) -> list:
    import os

    with os.scandir(root) as it:
        return list(it)


def valid_entry(key: str, doc: Any, shard: str | None = None) -> bool:
    """True when an index entry has every field with the right type (and, given ``shard``,
    belongs in that index file)."""
    if not isinstance(doc, dict):
        return False
    draft_id = doc.get("id")
    return (
        isinstance(draft_id, str)
        and DRAFT_FILE.match(f"{draft_id}.json") is not None
        and (shard is None or draft_id[0] == shard)
        and key == str(doc_id(draft_id))
        and isinstance(doc.get("project_name"), str)
        and isinstance(doc.get("created_at"), str)
        and isinstance(doc.get("updated_at"), str)
        and type(doc.get("head")) is int
        and type(doc.get("count")) is int
        and isinstance(doc.get("status"), dict)
    )


def entries(data: dict[str, Any], shard: str | None = None) -> tuple[dict[str, dict], list[str]]:
    """(valid entries by draft id, keys of damaged entries) of an index file's data."""
    good: dict[str, dict] = {}
    bad: list[str] = []
    drafts = data.get(DRAFTS)
    for key, doc in (drafts if isinstance(drafts, dict) else {}).items():
        if valid_entry(key, doc, shard):
            good[doc["id"]] = doc
        else:
            bad.append(key)
    return good, bad


def entry_from(loaded: Loaded, project_name: str, status: dict) -> dict[str, Any]:
    """The index entry of a draft file whose newest revision has ``project_name``."""
    head = loaded.head_doc() or {}
    return {
        "id": loaded.draft_id,
        "project_name": project_name,
        "created_at": loaded.created_at,
        "updated_at": str(head.get("at", loaded.created_at)),
        "head": max(loaded.docs, default=0),
        "count": len(loaded.docs),
        "status": status,
    }


def rebuilt_entry(loaded: Loaded) -> dict[str, Any]:
    """An entry rebuilt from the file: name and status of its newest readable revision."""
    rev, _ = loaded.newest()
    name = rev.table.header.project_name if rev else "（内容已损坏）"
    return entry_from(loaded, name, status_of(rev.state) if rev else {})


def put_meta(db) -> None:
    """Give the index its meta document if it has none."""
    meta = db.table(META, cache_size=0)
    if not meta.contains(doc_id=1):
        meta.insert(Document({"schema_version": SCHEMA_VERSION}, doc_id=1))


def put(db, entry: dict[str, Any]) -> None:
    """Insert or replace one entry (inside the index's write transaction)."""
    put_meta(db)
    drafts = db.table(DRAFTS, cache_size=0)
    key = doc_id(entry["id"])
    if drafts.contains(doc_id=key):  # replaced, never updated in place: the storage reuses
        drafts.remove(doc_ids=[key])  # the serialised text of documents it has seen
    drafts.insert(Document(entry, doc_id=key))


def version(data: dict[str, Any]) -> int | None:
    """The index's schema version (None when absent or malformed)."""
    v = (data.get(META) or {}).get("1", {}).get("schema_version")
    return v if type(v) is int else None
