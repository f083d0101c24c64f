"""The store's on-disk layout, its version, and the upgrade path between versions.

Version 2 (current) — a folder ``$JIXIAO_HOME/drafts/`` of TinyDB JSON files, one lock:

- ``<id>.json``  one file per draft (id = 8 hex characters), holding its whole history:
  - ``meta``      doc 1: ``{"schema_version": 2, "id", "created_at"}``
  - ``blobs``     content-addressed pieces of its tables, never modified once written:
    ``{"kind": "body" | "row", "data": {...}}``. A *body* is a TargetTable without its
    indicators, a *row* one Indicator, both as JSON without default values; the doc id is
    a hash of (draft, kind, data), so a row saved again is stored once (compact deltas).
  - ``revisions`` doc id = revision number, never modified once written:
    ``{"n", "at", "msg", "body": <blob key>, "rows": [<blob key>, ...], "state"}``.
- ``index-<h>.json`` (``h`` = 0 … f, the first hex digit of the draft ids it lists) a small
  catalogue for listing, in sixteen files so a save rewrites a sixteenth of it: ``meta``
  doc 1 ``{"schema_version": 2}`` and ``drafts`` (doc id = the draft id read as hex):
  ``{"id", "project_name",
  "created_at", "updated_at", "head": <newest revision number>, "count": <revisions kept>,
  "status": {"done", "position"}}``. It is a cache of the draft files: a missing, extra or
  damaged entry is rebuilt from the draft file, so the files are the truth. Index files
  are written atomically but not fsynced (after a power cut an entry may be one save old
  until that draft is saved again; a killed process loses nothing).
- ``.lock``      the cross-process lock every write holds; a save writes its draft file,
  then its index file, each atomically, and touches nothing else.

Version 1 — one TinyDB file ``$JIXIAO_HOME/drafts.json`` with tables ``meta``, ``drafts``
(``{"id", "project_name", "created_at", "updated_at", "revisions", "head": <revision doc
id>}``), ``blobs`` (as above plus ``"draft"``) and ``revisions`` (as above plus ``"draft"``).
It is split into version 2 once (``migrate``), the old file kept as a backup.

Version 0 — the first prototype's layout, kept readable so nobody's drafts are stranded:
TinyDB's ``_default`` table, one doc per draft, overwritten on every save (no history):
``{"draft_id", "table": <TargetTable as JSON>, "state": {...}, "saved_at": <ISO time>}``.
It has no ``meta`` table. ``upgrade(data)`` turns it into version 1 data first.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from assistant.model import TargetTable

SCHEMA_VERSION = 2
LEGACY_VERSION = 1  # the last single-file layout

Data = dict[str, dict[str, Any]]

META, DRAFTS, BLOBS, REVISIONS = "meta", "drafts", "blobs", "revisions"
IMMUTABLE_TABLES = (BLOBS, REVISIONS)
V0_TABLE = "_default"


class UnknownLayout(ValueError):
    """The file parses as JSON but is not any known store layout."""


def detect_version(data: Data) -> int:
    """The schema version of a single-file store's ``data``; empty counts as version 1."""
    meta = data.get(META)
    if meta:
        version = meta.get("1", {}).get("schema_version")
        if not isinstance(version, int) or version < 0:
            raise UnknownLayout("meta 表中的 schema_version 无效")
        return version
    if not any(data.values()):
        return LEGACY_VERSION
    if set(data) == {V0_TABLE}:
        return 0
    raise UnknownLayout("缺少 meta 表，且不是已知的旧版格式")


def blob_id(draft_id: str, kind: str, data: dict[str, Any]) -> int:
    """The doc id of a blob: a 56-bit hash of what it holds (exact in JSON and JavaScript)."""
    text = json.dumps([draft_id, kind, data], ensure_ascii=False, sort_keys=True)
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=7).digest(), "big")


def split_table(table: TargetTable) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(table without indicators, indicator rows), both as JSON without default values."""
    body = table.model_dump(mode="json", exclude_defaults=True, exclude={"indicators"})
    rows = [i.model_dump(mode="json", exclude_defaults=True) for i in table.indicators]
    return body, rows


def join_table(body: dict[str, Any], rows: list[dict[str, Any]]) -> TargetTable:
    """The inverse of :func:`split_table`."""
    return TargetTable.model_validate({**body, "indicators": rows})


def table_blobs(draft_id: str, table: TargetTable) -> tuple[int, list[int], dict[int, dict]]:
    """(body id, row ids, {id: blob doc}) for storing ``table`` under ``draft_id``."""
    body, rows = split_table(table)
    docs: dict[int, dict] = {}
    body_id = blob_id(draft_id, "body", body)
    docs[body_id] = {"draft": draft_id, "kind": "body", "data": body}
    row_ids = []
    for row in rows:
        rid = blob_id(draft_id, "row", row)
        docs.setdefault(rid, {"draft": draft_id, "kind": "row", "data": row})
        row_ids.append(rid)
    return body_id, row_ids, docs


def _v0_to_v1(data: Data) -> Data:
    """Each prototype draft becomes a v1 draft whose single revision is what it held."""
    drafts: dict[str, Any] = {}
    blobs: dict[str, Any] = {}
    revisions: dict[str, Any] = {}
    for n, doc in enumerate(data.get(V0_TABLE, {}).values(), start=1):
        draft_id = str(doc.get("draft_id", "")).lower()
        try:
            doc_id = str(int(draft_id, 16))
        except ValueError:
            raise UnknownLayout(f"旧版草稿编号无效：{draft_id!r}") from None
        table = TargetTable.model_validate(doc["table"])
        body_id, row_ids, docs = table_blobs(draft_id, table)
        blobs.update({str(k): v for k, v in docs.items()})
        saved_at = doc.get("saved_at") or "1970-01-01T00:00:00+00:00"
        revisions[str(n)] = {
            "draft": draft_id,
            "n": 1,
            "at": saved_at,
            "msg": "由旧版草稿库升级",
            "body": body_id,
            "rows": row_ids,
            "state": doc.get("state") or {},
        }
        drafts[doc_id] = {
            "id": draft_id,
            "project_name": table.header.project_name,
            "created_at": saved_at,
            "updated_at": saved_at,
            "revisions": 1,
            "head": n,
        }
    return {
        META: {"1": {"schema_version": 1}},
        DRAFTS: drafts,
        BLOBS: blobs,
        REVISIONS: revisions,
    }


# version → function turning that version's data into the next version's
MIGRATIONS: dict[int, Callable[[Data], Data]] = {0: _v0_to_v1}


def upgrade(data: Data) -> Data:
    """Bring a single-file store's ``data`` to version 1, the input of ``migrate``."""
    version = detect_version(data)
    if version > LEGACY_VERSION:
        raise UnknownLayout(f"单文件草稿库不应是格式版本 {version}")
    while version < LEGACY_VERSION:
        data = MIGRATIONS[version](data)
        version = detect_version(data)
    return data
