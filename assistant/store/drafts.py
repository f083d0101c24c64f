"""The draft repository: drafts with full revision history in one TinyDB file.

Every save appends a revision; nothing is overwritten. Writes go through
:class:`AtomicJSONStorage` transactions (file lock, re-read, one atomic commit), so a
killed process or a second jixiao process never costs a completed save.
"""

from __future__ import annotations

import asyncio
import copy
import json
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from tinydb import Query, TinyDB
from tinydb.table import Document

from assistant import config
from assistant.errors import JixiaoError
from assistant.fileio import write_atomic
from assistant.model import TargetTable
from assistant.pydantic_zh import describe
from assistant.store import schema
from assistant.store.schema import BLOBS, DRAFTS, IMMUTABLE_TABLES, META, REVISIONS, SCHEMA_VERSION
from assistant.store.storage import AtomicJSONStorage, unique_sibling


class Revision(BaseModel):
    """One saved state of a draft."""

    draft_id: str
    number: int  # 1, 2, … in save order
    saved_at: datetime  # UTC
    message: str
    table: TargetTable
    state: dict  # interview progress; opaque to the store


class DraftSummary(BaseModel):
    """A draft as listed by ``jixiao drafts``."""

    id: str
    project_name: str
    revisions: int
    updated_at: datetime
    state: dict


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _doc_id(draft_id: str) -> int:
    return int(draft_id, 16)


def _plain_json(state: dict) -> dict:
    """A private JSON-only copy of ``state`` (the caller may keep mutating theirs)."""
    try:
        return json.loads(json.dumps(state, ensure_ascii=False))
    except (TypeError, ValueError) as exc:
        raise JixiaoError(f"草稿的对话进度无法保存为 JSON：{exc}") from None


def _why(exc: Exception) -> str:
    """What is wrong with a damaged record of the store, in Chinese."""
    if isinstance(exc, ValidationError):
        return describe(exc)
    if isinstance(exc, KeyError):
        return f"缺少字段 {exc.args[0]}"
    return "字段类型不对"


class DraftStore:
    """Drafts and their revisions, in ``config.home()/drafts.json`` unless told otherwise."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else config.home() / "drafts.json"
        self._storage = AtomicJSONStorage(self.path, immutable_tables=IMMUTABLE_TABLES)
        self._open()

    # --- opening and upgrading -----------------------------------------------------

    def _open(self) -> None:
        """Check the file is readable and current; upgrade an older layout (backup kept)."""
        with self._storage.transaction(write=False) as data:
            version = self._version(data)
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise JixiaoError(
                f"草稿库 {self.path} 由更新版本的 jixiao 创建（格式版本 {version}，"
                f"本程序支持 {SCHEMA_VERSION}）。请升级 jixiao；文件未做任何改动。"
            )
        self._upgrade()

    def _version(self, data: schema.Data) -> int:
        try:
            return schema.detect_version(data)
        except schema.UnknownLayout as exc:
            self._storage.quarantine_current(str(exc))

    def _upgrade(self) -> None:
        with self._storage.transaction(write=True) as data:
            if self._version(data) >= SCHEMA_VERSION:  # another process upgraded first
                return
            old = self._storage.snapshot_bytes()
            try:
                new = schema.upgrade(data)
            except (schema.UnknownLayout, ValidationError, KeyError, TypeError) as exc:
                self._storage.quarantine_current(f"旧版格式无法升级：{exc}")
            if old is not None:
                write_atomic(unique_sibling(self.path, "pre-upgrade"), old)
            self._storage.write(new)

    # --- transactions ------------------------------------------------------------

    def _db(self) -> TinyDB:
        """A fresh TinyDB view over the transaction's data (no stale id or query caches)."""
        storage = self._storage
        return TinyDB(storage=lambda: storage)

    def _tx(self, *, write: bool):
        return self._storage.transaction(write=write)

    # --- lookups -------------------------------------------------------------------

    def _resolve(self, db: TinyDB, draft_id: str) -> dict[str, Any]:
        """The draft doc for an id or a unique id prefix."""
        key = (draft_id or "").strip().lower()
        drafts = db.table(DRAFTS, cache_size=0)
        if key and all(c in "0123456789abcdef" for c in key):
            if len(key) == 8:
                doc = drafts.get(doc_id=_doc_id(key))
                if doc is not None:
                    return doc
            matches = [d for d in drafts.all() if d["id"].startswith(key)]
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                ids = "、".join(sorted(d["id"] for d in matches))
                raise JixiaoError(f"草稿编号“{draft_id}”不唯一，可能是：{ids}。请多输入几位。")
        raise JixiaoError(f"找不到草稿“{draft_id}”。用 jixiao drafts 查看已有草稿。")

    def _revision(self, db: TinyDB, doc: dict[str, Any]) -> Revision:
        blobs = db.table(BLOBS, cache_size=0)
        try:
            body = blobs.get(doc_id=doc["body"])
            rows = [blobs.get(doc_id=k) for k in doc["rows"]]
            if body is None or any(r is None for r in rows):
                raise KeyError("blob")
            table = schema.join_table(body["data"], [r["data"] for r in rows])
            return Revision(
                draft_id=doc["draft"],
                number=doc["n"],
                saved_at=doc["at"],
                message=doc["msg"],
                table=table,
                state=copy.deepcopy(doc.get("state") or {}),
            )
        except (KeyError, TypeError, ValidationError) as exc:
            raise JixiaoError(
                f"草稿 {doc.get('draft')} 的第 {doc.get('n')} 版在 {self.path} 中已损坏"
                f"（{_why(exc)}），其他版本不受影响。"
            ) from None

    # --- public API ------------------------------------------------------------------

    def create(
        self, table: TargetTable, *, state: dict | None = None, message: str = "新建"
    ) -> Revision:
        """Start a new draft (id: 8 hex characters) whose first revision is ``table``."""
        with self._tx(write=True):
            db = self._db()
            self._ensure_meta(db)
            drafts = db.table(DRAFTS, cache_size=0)
            while True:
                draft_id = secrets.token_hex(4)
                if not drafts.contains(doc_id=_doc_id(draft_id)):
                    break
            now = _now()
            drafts.insert(
                Document(
                    {
                        "id": draft_id,
                        "project_name": table.header.project_name,
                        "created_at": now,
                        "updated_at": now,
                        "revisions": 0,
                        "head": None,
                    },
                    doc_id=_doc_id(draft_id),
                )
            )
            return self._append(db, draft_id, table, state or {}, message, now)

    def save(
        self, draft_id: str, table: TargetTable, *, state: dict | None = None, message: str = ""
    ) -> Revision:
        """Append a revision to a draft; returns it. ``state=None`` keeps the previous state."""
        with self._tx(write=True):
            db = self._db()
            doc = self._resolve(db, draft_id)
            if state is None:
                head = db.table(REVISIONS, cache_size=0).get(doc_id=doc["head"]) or {}
                state = head.get("state") or {}
            return self._append(db, doc["id"], table, state, message, _now())

    async def save_async(
        self, draft_id: str, table: TargetTable, *, state: dict | None = None, message: str = ""
    ) -> Revision:
        """:meth:`save` in a worker thread, so the TUI's event loop never waits on the disk."""
        return await asyncio.to_thread(self.save, draft_id, table, state=state, message=message)

    async def create_async(
        self, table: TargetTable, *, state: dict | None = None, message: str = "新建"
    ) -> Revision:
        """:meth:`create` in a worker thread."""
        return await asyncio.to_thread(self.create, table, state=state, message=message)

    def get(self, draft_id: str) -> Revision:
        """The latest revision of a draft (id or unique prefix)."""
        with self._tx(write=False):
            db = self._db()
            doc = self._resolve(db, draft_id)
            head = db.table(REVISIONS, cache_size=0).get(doc_id=doc["head"])
            return self._revision(db, head)

    def list(self) -> list[DraftSummary]:
        """Every draft, most recently saved first."""
        with self._tx(write=False):
            db = self._db()
            revisions = db.table(REVISIONS, cache_size=0)
            out = []
            for doc in db.table(DRAFTS, cache_size=0).all():
                try:
                    head = revisions.get(doc_id=doc["head"]) or {}
                    out.append(
                        DraftSummary(
                            id=doc["id"],
                            project_name=doc["project_name"],
                            revisions=doc["revisions"],
                            updated_at=doc["updated_at"],
                            state=copy.deepcopy(head.get("state") or {}),
                        )
                    )
                except (KeyError, TypeError, ValidationError) as exc:
                    raise JixiaoError(
                        f"草稿 {doc.get('id')} 的目录条目在 {self.path} 中已损坏（{_why(exc)}）"
                    ) from None
        out.sort(key=lambda s: s.updated_at, reverse=True)
        return out

    def history(self, draft_id: str) -> list[Revision]:
        """All revisions of a draft, oldest first."""
        with self._tx(write=False):
            db = self._db()
            doc = self._resolve(db, draft_id)
            docs = db.table(REVISIONS, cache_size=0).search(Query().draft == doc["id"])
            return [self._revision(db, d) for d in sorted(docs, key=lambda d: d["n"])]

    def revision(self, draft_id: str, number: int) -> Revision:
        """One revision by number."""
        with self._tx(write=False):
            db = self._db()
            doc = self._resolve(db, draft_id)
            found = db.table(REVISIONS, cache_size=0).get(
                (Query().draft == doc["id"]) & (Query().n == number)
            )
            if found is None:
                raise JixiaoError(
                    f"草稿 {doc['id']} 没有第 {number} 版（共 {doc['revisions']} 版）。"
                )
            return self._revision(db, found)

    def restore(self, draft_id: str, number: int) -> Revision:
        """Append a new revision equal to revision ``number`` (history stays intact)."""
        with self._tx(write=True):
            old = self.revision(draft_id, number)
            db = self._db()
            return self._append(
                db, old.draft_id, old.table, old.state, f"恢复到第 {number} 版", _now()
            )

    def delete(self, draft_id: str) -> None:
        """Remove a draft and all its revisions."""
        with self._tx(write=True):
            db = self._db()
            doc = self._resolve(db, draft_id)
            did = _doc_id(doc["id"])
            db.table(REVISIONS, cache_size=0).remove(Query().draft == doc["id"])
            db.table(BLOBS, cache_size=0).remove(Query().draft == doc["id"])
            db.table(DRAFTS, cache_size=0).remove(doc_ids=[did])

    # --- internals --------------------------------------------------------------------

    @staticmethod
    def _ensure_meta(db: TinyDB) -> None:
        meta = db.table(META, cache_size=0)
        if not meta.contains(doc_id=1):
            meta.insert(Document({"schema_version": SCHEMA_VERSION}, doc_id=1))

    def _append(
        self,
        db: TinyDB,
        draft_id: str,
        table: TargetTable,
        state: dict,
        message: str,
        now: str,
    ) -> Revision:
        state = _plain_json(state)
        did = _doc_id(draft_id)
        drafts = db.table(DRAFTS, cache_size=0)
        blobs = db.table(BLOBS, cache_size=0)
        doc = drafts.get(doc_id=did)
        body_id, row_ids, docs = schema.table_blobs(draft_id, table)
        new = []
        for key, blob in docs.items():
            stored = blobs.get(doc_id=key)
            if stored is None:
                new.append(Document(blob, doc_id=key))
            elif stored["data"] != blob["data"]:  # a 56-bit hash collision: never guess
                raise JixiaoError(f"草稿库 {self.path} 内容编号冲突，未保存；请重试或联系维护者。")
        if new:
            blobs.insert_multiple(new)
        number = doc["revisions"] + 1
        head = db.table(REVISIONS, cache_size=0).insert(
            {
                "draft": draft_id,
                "n": number,
                "at": now,
                "msg": message,
                "body": body_id,
                "rows": row_ids,
                "state": state,
            }
        )
        drafts.update(
            {
                "revisions": number,
                "head": head,
                "updated_at": now,
                "project_name": table.header.project_name,
            },
            doc_ids=[did],
        )
        return Revision(
            draft_id=draft_id,
            number=number,
            saved_at=now,
            message=message,
            table=table,
            state=copy.deepcopy(state),
        )
