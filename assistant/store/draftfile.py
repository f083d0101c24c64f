"""One draft's file (layout version 2): its revisions and their content-addressed pieces.

A damaged piece costs only the revisions that use it: reading walks back to the newest
revision that still loads and says which ones did not.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ValidationError
from tinydb import TinyDB
from tinydb.table import Document

from assistant.errors import JixiaoError
from assistant.model import TargetTable
from assistant.pydantic_zh import describe
from assistant.store import schema
from assistant.store.schema import BLOBS, META, REVISIONS, SCHEMA_VERSION
from assistant.store.storage import AtomicJSONStorage

IMMUTABLE = (BLOBS, REVISIONS)
STATUS_KEYS = ("done", "position")  # what the index keeps of a draft's interview state


class Revision(BaseModel):
    """One saved state of a draft."""

    draft_id: str
    number: int  # 1, 2, … in save order (gaps only where ``jixiao compact`` thinned)
    saved_at: datetime  # UTC
    message: str
    table: TargetTable
    state: dict  # interview progress; opaque to the store


class Damaged(Exception):
    """A revision that cannot be rebuilt; ``str()`` says why, in Chinese."""


def why(exc: Exception) -> str:
    """What is wrong with a damaged record, in Chinese."""
    if isinstance(exc, Damaged):
        return str(exc)
    if isinstance(exc, ValidationError):
        return describe(exc)
    if isinstance(exc, KeyError):
        return f"缺少字段 {exc.args[0]}"
    return "字段类型不对"


def plain_json(state: dict) -> dict:
    """A private JSON-only copy of ``state`` (the caller may keep mutating theirs)."""
    try:
        return json.loads(json.dumps(state, ensure_ascii=False))
    except (TypeError, ValueError) as exc:
        raise JixiaoError(f"草稿的对话进度无法保存为 JSON：{exc}") from None


def status_of(state: Any) -> dict:
    """The part of an interview state the index keeps (enough to list and resume)."""
    if not isinstance(state, dict):
        return {}
    return {k: state[k] for k in STATUS_KEYS if k in state}


@dataclass
class Loaded:
    """A draft file's content as read: good revisions by number and the damaged ones."""

    draft_id: str
    created_at: str
    docs: dict[int, dict[str, Any]]  # revision number → revision doc
    blobs: dict[str, Any]
    damaged: dict[int, str] = field(default_factory=dict)  # number → why

    @property
    def numbers(self) -> list[int]:
        return sorted(self.docs)

    def build(self, number: int) -> Revision:
        """Revision ``number``; raises :class:`Damaged` when it cannot be rebuilt."""
        doc = self.docs[number]
        try:
            body = self.blobs.get(str(doc["body"]))
            rows = [self.blobs.get(str(k)) for k in doc["rows"]]
            missing = [str(k) for k, r in zip(doc["rows"], rows, strict=True) if r is None]
            if body is None:
                raise Damaged("缺少表头内容块")
            if missing:
                raise Damaged(f"缺少 {len(missing)} 行指标的内容块")
            return Revision(
                draft_id=self.draft_id,
                number=number,
                saved_at=doc["at"],
                message=doc["msg"],
                table=schema.join_table(body["data"], [r["data"] for r in rows if r is not None]),
                state=copy.deepcopy(doc.get("state") or {}),
            )
        except (KeyError, TypeError, ValidationError, Damaged) as exc:
            self.damaged[number] = why(exc)
            raise Damaged(why(exc)) from None

    def newest(self) -> tuple[Revision | None, list[int]]:
        """The newest revision that loads, and the newer numbers that did not."""
        skipped: list[int] = []
        for number in reversed(self.numbers):
            try:
                return self.build(number), skipped
            except Damaged:
                skipped.append(number)
        return None, skipped

    def head_doc(self) -> dict[str, Any] | None:
        return self.docs[max(self.docs)] if self.docs else None


def load(draft_id: str, storage: AtomicJSONStorage) -> Loaded | None:
    """The draft file's content (read transaction); None when the file does not exist."""
    with storage.transaction(write=False) as data:
        return from_data(draft_id, data)


def from_data(draft_id: str, data: schema.Data) -> Loaded | None:
    """Parsed revisions of a draft file's data; malformed revision docs are set aside."""
    if not data:
        return None
    meta = data.get(META, {}).get("1", {})
    docs: dict[int, dict[str, Any]] = {}
    damaged: dict[int, str] = {}
    for key, doc in data.get(REVISIONS, {}).items():
        try:
            number = int(key)
        except ValueError:
            continue
        if isinstance(doc.get("rows"), list) and isinstance(doc.get("msg"), str):
            docs[number] = doc
        else:
            damaged[number] = "修订记录字段不全"
    created = meta.get("created_at") if isinstance(meta.get("created_at"), str) else None
    loaded = Loaded(draft_id, created or "", docs, data.get(BLOBS, {}), damaged)
    if not loaded.created_at and docs:
        loaded.created_at = str(docs[min(docs)].get("at", ""))
    return loaded


def db_over(storage: AtomicJSONStorage) -> TinyDB:
    """A fresh TinyDB view over the storage's current transaction."""
    return TinyDB(storage=lambda: storage)


def init_file(db: TinyDB, draft_id: str, created_at: str) -> None:
    """Give a new draft file its meta document."""
    db.table(META, cache_size=0).insert(
        Document(
            {"schema_version": SCHEMA_VERSION, "id": draft_id, "created_at": created_at},
            doc_id=1,
        )
    )


def next_number(db: TinyDB) -> int:
    """One more than the highest revision number in the file (ids are the numbers)."""
    ids = [int(k) for k in (db.storage.read() or {}).get(REVISIONS, {})]
    return max(ids, default=0) + 1


def append(
    db: TinyDB,
    draft_id: str,
    table: TargetTable,
    state: dict,
    message: str,
    now: str,
    where: str,
) -> int:
    """Add the table's new pieces and one revision document; returns its number."""
    blobs = db.table(BLOBS, cache_size=0)
    body_id, row_ids, docs = schema.table_blobs(draft_id, table)
    new = []
    for key, blob in docs.items():
        stored = blobs.get(doc_id=key)
        if stored is None:
            new.append(Document({"kind": blob["kind"], "data": blob["data"]}, doc_id=key))
        elif stored.get("data") != blob["data"]:  # a 56-bit hash collision: never guess
            raise JixiaoError(f"草稿文件 {where} 内容编号冲突，未保存；请重试或联系维护者。")
    if new:
        blobs.insert_multiple(new)
    number = next_number(db)
    db.table(REVISIONS, cache_size=0).insert(
        Document(
            {
                "n": number,
                "at": now,
                "msg": message,
                "body": body_id,
                "rows": row_ids,
                "state": state,
            },
            doc_id=number,
        )
    )
    return number
