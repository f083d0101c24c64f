"""The store's on-disk layout, its version, and the upgrade path between versions.

Version 1 (current) — TinyDB tables in ``drafts.json``:

- ``meta``   doc 1: ``{"schema_version": 1}``
- ``drafts`` one doc per draft, doc id = the draft id read as hex:
  ``{"id", "project_name", "created_at", "updated_at", "revisions": <count>, "head": <doc id
  of the latest revision>}``
- ``rows``   one doc per draft (same doc id): ``{"pool": {<key>: <Indicator as JSON>}}``.
  Every distinct indicator row a draft ever had is stored once; revisions refer to rows by
  key, so 200 autosaves of a 45-row table cost 200 short key lists, not 9,000 rows.
- ``revisions`` one doc per save: ``{"draft", "n", "at", "msg", "table": <TargetTable as
  JSON without defaults and without indicators>, "rows": [<key>, ...], "state": {...}}``

Version 0 — the first prototype's layout, kept readable so nobody's drafts are stranded:
TinyDB's ``_default`` table, one doc per draft, overwritten on every save (no history):
``{"draft_id", "table": <TargetTable as JSON>, "state": {...}, "saved_at": <ISO time>}``.
It has no ``meta`` table.

``upgrade(data)`` applies ``MIGRATIONS`` one version at a time until ``SCHEMA_VERSION``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from assistant.model import TargetTable

SCHEMA_VERSION = 1

Data = dict[str, dict[str, Any]]

META, DRAFTS, ROWS, REVISIONS = "meta", "drafts", "rows", "revisions"
V0_TABLE = "_default"


class UnknownLayout(ValueError):
    """The file parses as JSON but is not any known store layout."""


def detect_version(data: Data) -> int:
    """The schema version of ``data``; an empty store counts as the current version."""
    meta = data.get(META)
    if meta:
        version = meta.get("1", {}).get("schema_version")
        if not isinstance(version, int) or version < 0:
            raise UnknownLayout("meta 表中的 schema_version 无效")
        return version
    if not any(data.values()):
        return SCHEMA_VERSION
    if set(data) == {V0_TABLE}:
        return 0
    raise UnknownLayout("缺少 meta 表，且不是已知的旧版格式")


def row_key(row: dict[str, Any]) -> str:
    """A short content hash of one indicator row as stored (its pool key)."""
    text = json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def compact_table(table: TargetTable) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(table without indicators, indicator rows), both as JSON without default values."""
    body = table.model_dump(mode="json", exclude_defaults=True, exclude={"indicators"})
    rows = [i.model_dump(mode="json", exclude_defaults=True) for i in table.indicators]
    return body, rows


def expand_table(body: dict[str, Any], rows: list[dict[str, Any]]) -> TargetTable:
    """The inverse of :func:`compact_table`."""
    return TargetTable.model_validate({**body, "indicators": rows})


def pool_rows(pool: dict[str, Any], rows: list[dict[str, Any]]) -> list[str]:
    """Add ``rows`` to ``pool`` (in place) and return their keys in order."""
    keys = []
    for row in rows:
        key = row_key(row)
        pool.setdefault(key, row)
        keys.append(key)
    return keys


def _v0_to_v1(data: Data) -> Data:
    """Each prototype draft becomes a v1 draft whose single revision is what it held."""
    drafts: dict[str, Any] = {}
    rows: dict[str, Any] = {}
    revisions: dict[str, Any] = {}
    for n, doc in enumerate(data.get(V0_TABLE, {}).values(), start=1):
        draft_id = str(doc.get("draft_id", "")).lower()
        try:
            doc_id = str(int(draft_id, 16))
        except ValueError:
            raise UnknownLayout(f"旧版草稿编号无效：{draft_id!r}") from None
        table = TargetTable.model_validate(doc["table"])
        body, table_rows = compact_table(table)
        pool: dict[str, Any] = {}
        keys = pool_rows(pool, table_rows)
        saved_at = doc.get("saved_at") or "1970-01-01T00:00:00+00:00"
        revisions[str(n)] = {
            "draft": draft_id,
            "n": 1,
            "at": saved_at,
            "msg": "由旧版草稿库升级",
            "table": body,
            "rows": keys,
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
        rows[doc_id] = {"pool": pool}
    return {
        META: {"1": {"schema_version": 1}},
        DRAFTS: drafts,
        ROWS: rows,
        REVISIONS: revisions,
    }


# version → function turning that version's data into the next version's
MIGRATIONS: dict[int, Callable[[Data], Data]] = {0: _v0_to_v1}


def upgrade(data: Data) -> Data:
    """Bring ``data`` to ``SCHEMA_VERSION`` one step at a time."""
    version = detect_version(data)
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version = detect_version(data)
    return data


__all__ = [
    "SCHEMA_VERSION",
    "MIGRATIONS",
    "UnknownLayout",
    "detect_version",
    "upgrade",
    "compact_table",
    "expand_table",
    "pool_rows",
    "row_key",
]
