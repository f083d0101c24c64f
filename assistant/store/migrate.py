"""One-time split of a single-file store (``drafts.json``, layout 0 or 1) into layout 2.

Under the store's lock: every draft's revisions and pieces go to their own file, then the
index is written, and only then is the old file renamed to ``drafts.pre-upgrade-<time>.json``
(the backup). Killed part-way, the old file is still there and the next start redoes it.
A damaged draft inside the old file is carried over as far as it reads and named.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, NoReturn

from pydantic import ValidationError

from assistant.errors import JixiaoError, env_error
from assistant.fileio import fsync_dir
from assistant.store import draftfile, index, schema
from assistant.store.schema import BLOBS, DRAFTS, META, REVISIONS, SCHEMA_VERSION
from assistant.store.storage import CorruptStoreError, _parse, unique_sibling

if TYPE_CHECKING:
    from assistant.store.drafts import DraftStore

_HEX = set("0123456789abcdef")


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 8 and set(value) <= _HEX


def _quarantine(store: DraftStore, reason: str) -> NoReturn:
    backup = unique_sibling(store.legacy, "corrupt")
    try:
        os.replace(store.legacy, backup)
        fsync_dir(store.legacy.parent)
    except OSError as exc:
        raise env_error(exc, "移开损坏的草稿库", store.legacy) from None
    raise CorruptStoreError(
        f"草稿库文件 {store.legacy} {reason}；已原样保存为 {backup}，未做任何覆盖。"
        "将从空草稿库重新开始；如需找回内容，请保留该备份文件。",
        backup=backup,
    )


def split(v1: schema.Data) -> tuple[dict[str, schema.Data], list[str]]:
    """Version-1 data → {draft id: its version-2 file data}, plus notices about damage."""
    notices: list[str] = []
    catalog = {
        d["id"]: d
        for d in (v1.get(DRAFTS) or {}).values()
        if isinstance(d, dict) and _is_id(d.get("id"))
    }
    revs: dict[str, dict[int, dict]] = {}
    heads: dict[str, int] = {}
    for key, doc in (v1.get(REVISIONS) or {}).items():
        if (
            not isinstance(doc, dict)
            or not _is_id(doc.get("draft"))
            or type(doc.get("n")) is not int
        ):
            continue
        revs.setdefault(doc["draft"], {})[doc["n"]] = {k: v for k, v in doc.items() if k != "draft"}
        heads[key] = doc["n"]
    blobs = v1.get(BLOBS) or {}
    out: dict[str, schema.Data] = {}
    for draft_id in sorted(set(catalog) | set(revs)):
        mine = revs.get(draft_id, {})
        if not mine:
            notices.append(
                f"草稿 {draft_id} 在旧草稿库中没有任何版本，未迁移（内容仍在备份文件中）。"
            )
            continue
        entry = catalog.get(draft_id, {})
        head = entry.get("head")
        if entry and str(head) not in heads:
            notices.append(
                f"草稿 {draft_id} 的最新版本记录在旧草稿库中缺失，"
                f"已以现存最新的第 {max(mine)} 版为准。"
            )
        keys = set()
        for doc in mine.values():
            keys.add(str(doc.get("body")))
            keys.update(str(k) for k in doc.get("rows") or [])
        created = entry.get("created_at") or mine[min(mine)].get("at") or ""
        out[draft_id] = {
            META: {"1": {"schema_version": SCHEMA_VERSION, "id": draft_id, "created_at": created}},
            BLOBS: {
                k: {"kind": blobs[k].get("kind"), "data": blobs[k].get("data")}
                for k in sorted(keys)
                if isinstance(blobs.get(k), dict)
            },
            REVISIONS: {str(n): doc for n, doc in sorted(mine.items())},
        }
    return out, notices


def migrate_legacy(store: DraftStore) -> list[str]:
    """Split ``store.legacy`` into the store's folder; returns notices for the user."""
    with store._write():  # noqa: SLF001 - the migration is part of the store
        try:
            raw = store.legacy.read_bytes()
        except FileNotFoundError:  # another process migrated it meanwhile
            return []
        except OSError as exc:
            raise env_error(exc, "读取旧草稿库", store.legacy) from None
        data = _parse(raw)
        if data is None:
            _quarantine(store, "已损坏或不完整，无法读取")
        try:
            version = schema.detect_version(data)
        except schema.UnknownLayout as exc:
            _quarantine(store, f"无法使用（{exc}）")
        if version > schema.LEGACY_VERSION:
            raise JixiaoError(
                f"草稿库 {store.legacy} 由更新版本的 jixiao 创建（格式版本 {version}，"
                f"本程序支持 {SCHEMA_VERSION}）。请升级 jixiao；文件未做任何改动。"
            )
        try:
            v1 = schema.upgrade(data)
        except (schema.UnknownLayout, ValidationError, KeyError, TypeError) as exc:
            _quarantine(store, f"无法使用（旧版格式无法升级：{exc}）")
        files, notices = split(v1)
        for draft_id, file_data in files.items():
            st = store.file_storage(draft_id)
            with st.transaction(write=True):
                st.write(file_data)
        for draft_id, file_data in files.items():
            loaded = draftfile.from_data(draft_id, file_data)
            if loaded is not None:
                store.index.put(index.rebuilt_entry(loaded))
        backup = unique_sibling(store.legacy, "pre-upgrade")
        try:
            os.replace(store.legacy, backup)
            fsync_dir(store.legacy.parent)
        except OSError as exc:
            raise env_error(exc, "保存旧草稿库的备份", backup) from None
    notices.insert(
        0,
        f"草稿库已升级为新格式（每份草稿一个文件，共 {len(files)} 份）；旧文件已保存为 {backup}。",
    )
    return notices
