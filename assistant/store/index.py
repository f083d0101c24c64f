"""The store's catalogue (``index.json``): one small entry per draft, for listing fast.

The index is a cache of the draft files: entries are checked on every read, and a
missing, extra or damaged one is rebuilt from its draft file under the lock.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from filelock import FileLock
from tinydb import TinyDB
from tinydb.table import Document

from assistant.store.draftfile import Loaded, db_over, status_of
from assistant.store.schema import DRAFTS, META, SCHEMA_VERSION
from assistant.store.storage import AtomicJSONStorage, CorruptStoreError

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


def put_meta(db: TinyDB) -> None:
    """Give the index its meta document if it has none."""
    meta = db.table(META, cache_size=0)
    if not meta.contains(doc_id=1):
        meta.insert(Document({"schema_version": SCHEMA_VERSION}, doc_id=1))


def put(db: TinyDB, entry: dict[str, Any]) -> None:
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


class Catalogue:
    """The sixteen index files of a store: read, checked against the draft files, repaired.

    ``note`` receives Chinese lines about damage repaired; ``load`` reads a draft file
    (None when unreadable, already noted); ``locked`` is the store's write lock.
    """

    def __init__(
        self,
        root: Path,
        lock: FileLock,
        *,
        note: Callable[[str], None],
        load: Callable[[str], Loaded | None],
        locked: Callable[[], AbstractContextManager[None]],
    ) -> None:
        self.root = root
        self._note, self._load, self._locked = note, load, locked
        self._shards = {
            h: AtomicJSONStorage(
                root / shard_name(h),
                lock=lock,
                sweep=False,
                durable=False,  # a cache of the draft files: atomic, but not worth an fsync
                what="草稿目录文件",
                after="已按各草稿文件重建目录。",
            )
            for h in SHARDS
        }

    def shard(self, draft_id: str) -> AtomicJSONStorage:
        """The index file holding ``draft_id``'s entry (by its first hex digit)."""
        return self._shards[draft_id[0]]

    def _data(self, h: str) -> dict[str, Any]:
        """One index file's data; a damaged one is moved aside (noted) and read as empty,
        so the next check rebuilds its entries from the draft files."""
        st = self._shards[h]
        try:
            with st.transaction(write=False) as data:
                return data
        except CorruptStoreError as exc:
            self._note(str(exc))
            with st.transaction(write=False) as data:
                return data

    def version(self) -> int | None:
        """The newest schema version any index file records (None for a new store)."""
        versions = [version(self._data(h)) for h in SHARDS]
        return max((v for v in versions if v is not None), default=None)

    def entries(self) -> tuple[dict[str, dict], list[str]]:
        """(valid entries by draft id, keys of damaged entries) over all index files."""
        good: dict[str, dict] = {}
        bad: list[str] = []
        for h in SHARDS:
            g, b = entries(self._data(h), h)
            good.update(g)
            bad += b
        return good, bad

    def checked(self) -> dict[str, dict]:
        """Entries checked against the draft files; repaired under the lock if not."""
        good, bad = self.entries()
        if bad or set(good) != ids_on_disk(self.root):
            self.reconcile()
            good, bad = self.entries()
        return good

    def reconcile(self) -> None:
        """Make the index match the draft files: rebuild missing or damaged entries from
        their files, drop entries whose file is gone."""
        with self._locked():
            on_disk = ids_on_disk(self.root)
            for h, st in self._shards.items():
                self._data(h)  # a damaged index file is set aside here, then rebuilt
                with st.transaction(write=True) as data:
                    self._repair(h, st, data, {d for d in on_disk if d[0] == h})

    def _repair(self, h: str, st: AtomicJSONStorage, data: dict[str, Any], mine: set[str]) -> None:
        good, bad = entries(data, h)
        if not bad and set(good) == mine:
            return
        drafts = data.get(DRAFTS)
        if not isinstance(drafts, dict):
            drafts = data[DRAFTS] = {}
        for key in bad:
            drafts.pop(key, None)
        for draft_id in set(good) - mine:
            drafts.pop(str(doc_id(draft_id)), None)
        db = db_over(st)
        for draft_id in sorted(mine - set(good)):
            loaded = self._load(draft_id)
            if loaded is None:
                continue
            put(db, rebuilt_entry(loaded))
            if str(doc_id(draft_id)) in bad:
                self._note(f"草稿 {draft_id} 的目录条目已损坏，已按草稿文件重建。")
        put_meta(db)
        st.write(data)

    def put(self, entry: dict[str, Any]) -> None:
        """Write one draft's entry (touches only its index file)."""
        st = self.shard(entry["id"])
        with st.transaction(write=True):
            put(db_over(st), entry)

    def drop(self, draft_id: str) -> None:
        """Remove one draft's entry."""
        st = self.shard(draft_id)
        with st.transaction(write=True) as data:
            if (data.get(DRAFTS) or {}).pop(str(doc_id(draft_id)), None) is not None:
                st.write(data)
