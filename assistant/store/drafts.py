"""The draft repository: one TinyDB file per draft (its whole history) plus a small index.

Every save appends a revision to its own draft's file and updates that draft's index
entry, both atomically under one cross-process lock; no other draft is read or written,
so a save costs the same with 10 drafts or 2,000. A damaged file or entry costs only
its own draft (see ``draftfile`` and ``index``). Layout: ``schema``.
"""

from __future__ import annotations

import asyncio
import builtins
import copy
import secrets
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from filelock import FileLock
from pydantic import BaseModel

from assistant import config
from assistant.errors import JixiaoError, notify
from assistant.model import TargetTable
from assistant.store import draftfile, index, storage
from assistant.store.draftfile import Damaged, Loaded, Revision, plain_json, status_of
from assistant.store.schema import SCHEMA_VERSION
from assistant.store.storage import AtomicJSONStorage, CorruptStoreError, hold

if TYPE_CHECKING:
    from assistant.store.compact import Thinned

_OPEN_FILES = 32  # draft files whose parsed content is kept between calls


class DraftSummary(BaseModel):
    """A draft as listed by ``jixiao drafts``."""

    id: str
    project_name: str
    revisions: int  # how many revisions are kept
    head: int = 0  # the newest revision's number: changes with every save by anyone
    updated_at: datetime
    state: dict  # the head state's status keys (done, position); get() has the full state


class DraftChanged(JixiaoError):
    """``save(expect=N)`` found a newer revision saved by someone else (``head``)."""

    def __init__(self, message: str, *, head: int) -> None:
        super().__init__(message)
        self.head = head


class DraftDeleted(JixiaoError):
    """The draft no longer exists (deleted, perhaps by another jixiao process)."""


def _now() -> str:
    """The current UTC time as stored in draft files (ISO text)."""
    return datetime.now(UTC).isoformat()


def _written(
    draft_id: str, number: int, now: str, message: str, table: TargetTable, state: dict
) -> Revision:
    """The revision just written, as the caller gets it back (its own copy of the state)."""
    return Revision(
        draft_id=draft_id,
        number=number,
        saved_at=datetime.fromisoformat(now),
        message=message,
        table=table,
        state=copy.deepcopy(state),
    )


def _numbers(numbers: list[int]) -> str:
    return "、".join(f"第 {n} 版" for n in sorted(numbers))


class DraftStore:
    """Drafts and their revisions in ``config.home()/drafts/`` unless told otherwise.

    ``notices`` collects Chinese lines about damage found and repaired during the last
    call (the CLI prints them on stderr; the TUI may show them).
    """

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else config.home() / "drafts"
        self.path = self.root  # older callers named the store by its path
        self.legacy = self.root.with_name("drafts.json")
        self._lock = FileLock(str(self.root / ".lock"), timeout=storage.LOCK_TIMEOUT_S)
        self._thread_lock = threading.RLock()
        self._swept = False
        self.index = index.Catalogue(
            self.root,
            self._lock,
            note=self._note,
            load=lambda draft_id: self._load(draft_id, quiet=True),
            locked=self._write,
        )
        self._files: OrderedDict[str, AtomicJSONStorage] = OrderedDict()
        self.notices: list[str] = []
        self._open()
        self._pending, self.notices = self.notices, []

    # --- opening -------------------------------------------------------------------

    def _open(self) -> None:
        """Split a single-file store of an earlier version (once, backup kept); refuse an
        index written by a newer jixiao."""
        if self.legacy.exists():
            from assistant.store.migrate import migrate_legacy

            for line in migrate_legacy(self):
                self._note(line)
        version = self.index.version()
        if version is not None and version > SCHEMA_VERSION:
            raise JixiaoError(
                f"草稿库 {self.root} 由更新版本的 jixiao 创建（格式版本 {version}，"
                f"本程序支持 {SCHEMA_VERSION}）。请升级 jixiao；文件未做任何改动。"
            )

    def _note(self, line: str) -> None:
        """Record a notice and pass it on at once (``errors.notify``: the CLI's stderr)."""
        self.notices.append(line)
        notify(line)

    def _begin(self) -> None:
        """Start a call's notices, keeping those found when the store was opened."""
        self.notices, self._pending = self._pending, []

    @contextmanager
    def _write(self) -> Iterator[None]:
        """The store's write lock: other threads and other jixiao processes wait."""
        with self._thread_lock, hold(self._lock):
            if not self._swept:
                self._sweep()
            yield

    def _sweep(self) -> None:
        """Delete temp files a writer killed mid-save left (once, under the lock: no live
        writer has one while we hold it). They never held a completed save."""
        self._swept = True
        try:
            for entry in index._scan(self.root):  # noqa: SLF001
                if entry.name.startswith(".") and entry.name.endswith(".tmp"):
                    Path(entry.path).unlink(missing_ok=True)
        except OSError:
            pass

    def lock(self) -> FileLock:
        """The cross-process lock (for maintenance code such as the migration)."""
        return self._lock

    def file_storage(self, draft_id: str) -> AtomicJSONStorage:
        """The storage of one draft's file (its parsed content cached, a few at a time)."""
        with self._thread_lock:
            st = self._files.pop(draft_id, None)
            if st is None:
                st = AtomicJSONStorage(
                    self.root / f"{draft_id}.json",
                    lock=self._lock,
                    immutable_tables=draftfile.IMMUTABLE,
                    sweep=False,
                    what=f"草稿 {draft_id} 的文件",
                    after="其他草稿不受影响。",
                )
            self._files[draft_id] = st
            while len(self._files) > _OPEN_FILES:
                self._files.popitem(last=False)
            return st

    # --- lookups -------------------------------------------------------------------

    def _resolve(self, draft_id: str) -> str:
        """The full id for an id or a unique id prefix."""
        key = (draft_id or "").strip().lower()
        if key and all(c in "0123456789abcdef" for c in key):
            if len(key) == 8 and (self.root / f"{key}.json").exists():
                return key
            known = set(self.index.entries()[0]) | index.ids_on_disk(self.root)
            matches = sorted(d for d in known if d.startswith(key))
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                ids = "、".join(matches)
                raise JixiaoError(f"草稿编号“{draft_id}”不唯一，可能是：{ids}。请多输入几位。")
        raise DraftDeleted(f"找不到草稿“{draft_id}”。用 jixiao drafts 查看已有草稿。")

    def _load(self, draft_id: str, *, quiet: bool = False) -> Loaded | None:
        """A draft file's content; a damaged file is moved aside (named in ``notices`` when
        ``quiet``, else raised)."""
        try:
            return draftfile.load(draft_id, self.file_storage(draft_id))
        except CorruptStoreError as exc:
            if not quiet:
                raise
            self._note(str(exc))
            return None

    def _loaded(self, draft_id: str) -> Loaded:
        did = self._resolve(draft_id)
        loaded = self._load(did)
        if loaded is None or not (loaded.docs or loaded.damaged):
            raise DraftDeleted(f"找不到草稿“{draft_id}”（可能刚被删除）。用 jixiao drafts 查看。")
        return loaded

    def _where(self, draft_id: str) -> Path:
        return self.root / f"{draft_id}.json"

    # --- public API: reading -------------------------------------------------------

    def get(self, draft_id: str) -> Revision:
        """The latest readable revision of a draft (id or unique prefix); newer damaged
        revisions are named in ``notices`` with how to restore."""
        self._begin()
        loaded = self._loaded(draft_id)
        rev, skipped = loaded.newest()
        skipped += list(loaded.damaged)
        if rev is None:
            raise JixiaoError(
                f"草稿 {loaded.draft_id} 的全部版本都已损坏（{self._damage(loaded)}），"
                f"文件：{self._where(loaded.draft_id)}；其他草稿不受影响。"
            )
        newer = [n for n in skipped if n > rev.number]
        if newer:
            self._note(
                f"草稿 {rev.draft_id} 的{_numbers(newer)}已损坏（{self._damage(loaded)}），"
                f"显示的是最近完好的第 {rev.number} 版；"
                f"运行 jixiao show {rev.draft_id} --restore {rev.number} 可把它设为最新版。"
            )
        return rev

    @staticmethod
    def _damage(loaded: Loaded) -> str:
        return "；".join(sorted(set(loaded.damaged.values()))) or "内容缺失"

    def head(self, draft_id: str) -> int | None:
        """The newest revision number of a draft, or None when it no longer exists: the
        TUI compares it with the number its last save returned to notice other writers."""
        try:
            loaded = self._load(self._resolve(draft_id))
        except DraftDeleted:
            return None
        return max(loaded.docs) if loaded and loaded.docs else None

    def list(self) -> list[DraftSummary]:
        """Every draft, most recently saved first (from the index, checked against files)."""
        self._begin()
        out = [
            DraftSummary(
                id=e["id"],
                project_name=e["project_name"],
                revisions=e["count"],
                head=e["head"],
                updated_at=e["updated_at"],
                state=dict(e["status"]),
            )
            for e in self.index.checked().values()
        ]
        out.sort(key=lambda s: s.updated_at, reverse=True)
        return out

    def history(self, draft_id: str) -> builtins.list[Revision]:
        """All readable revisions of a draft, oldest first; damaged ones named in notices."""
        self._begin()
        loaded = self._loaded(draft_id)
        out = []
        for n in loaded.numbers:
            try:
                out.append(loaded.build(n))
            except Damaged:
                pass
        if loaded.damaged:
            kept = f"其余 {len(out)} 个版本完好" if out else "没有完好的版本"
            self._note(
                f"草稿 {loaded.draft_id} 的{_numbers(list(loaded.damaged))}已损坏"
                f"（{self._damage(loaded)}），未列出；{kept}。"
            )
        if not out:
            raise JixiaoError(
                f"草稿 {loaded.draft_id} 的全部版本都已损坏（{self._damage(loaded)}），"
                f"文件：{self._where(loaded.draft_id)}；其他草稿不受影响。"
            )
        return out

    def revision(self, draft_id: str, number: int) -> Revision:
        """One revision by number."""
        loaded = self._loaded(draft_id)
        if number not in loaded.docs:
            if number in loaded.damaged:
                raise JixiaoError(
                    f"草稿 {loaded.draft_id} 的第 {number} 版已损坏（{loaded.damaged[number]}）。"
                )
            head = max(loaded.docs, default=0)
            gone = "（已被 jixiao compact 精简）" if 0 < number < head else ""
            raise JixiaoError(
                f"草稿 {loaded.draft_id} 没有第 {number} 版{gone}"
                f"（共 {len(loaded.docs)} 版，最新为第 {head} 版）。"
            )
        try:
            return loaded.build(number)
        except Damaged as exc:
            raise JixiaoError(f"草稿 {loaded.draft_id} 的第 {number} 版已损坏（{exc}）。") from None

    # --- public API: writing -------------------------------------------------------

    def create(
        self, table: TargetTable, *, state: dict | None = None, message: str = "新建"
    ) -> Revision:
        """Start a new draft (id: 8 hex characters) whose first revision is ``table``."""
        state = plain_json(state or {})
        with self._write():
            known = set(self.index.entries()[0]) | index.ids_on_disk(self.root)
            while (draft_id := secrets.token_hex(4)) in known:
                pass
            now = _now()
            st = self.file_storage(draft_id)
            with st.transaction(write=True):
                db = draftfile.db_over(st)
                draftfile.init_file(db, draft_id, now)
                number = draftfile.append(db, draft_id, table, state, message, now, str(st.path))
            loaded = Loaded(draft_id, now, {number: {"at": now}}, {})
            self.index.put(index.entry_from(loaded, table.header.project_name, status_of(state)))
        return _written(draft_id, number, now, message, table, state)

    def save(
        self,
        draft_id: str,
        table: TargetTable,
        *,
        state: dict | None = None,
        message: str = "",
        expect: int | None = None,
    ) -> Revision:
        """Append a revision to a draft; returns it. ``state=None`` keeps the previous state.

        ``expect``: the revision number the caller last saw (``Revision.number``). When
        someone else saved since, :class:`DraftChanged` is raised and nothing is written;
        a draft deleted meanwhile raises :class:`DraftDeleted`. Without it, a save always
        appends (the CLI's and older callers' behaviour).
        """
        with self._write():
            did = self._resolve(draft_id)
            st = self.file_storage(did)
            with st.transaction(write=True) as data:
                loaded = draftfile.from_data(did, data)
                if loaded is None:
                    raise DraftDeleted(
                        f"草稿 {did} 已被删除（可能是在另一个 jixiao 窗口中），未保存。"
                    )
                head = max(loaded.docs, default=0)
                if expect is not None and head != expect:
                    raise DraftChanged(
                        f"草稿 {did} 已在别处保存过（现为第 {head} 版，本窗口基于第 {expect} 版），"
                        "未覆盖。",
                        head=head,
                    )
                if state is None:
                    state = (loaded.head_doc() or {}).get("state") or {}
                state = plain_json(state)
                now = _now()
                number = draftfile.append(
                    draftfile.db_over(st), did, table, state, message, now, str(st.path)
                )
            loaded.docs[number] = {"at": now}
            self.index.put(index.entry_from(loaded, table.header.project_name, status_of(state)))
        return _written(did, number, now, message, table, state)

    async def save_async(
        self,
        draft_id: str,
        table: TargetTable,
        *,
        state: dict | None = None,
        message: str = "",
        expect: int | None = None,
    ) -> Revision:
        """:meth:`save` in a worker thread, so the TUI's event loop never waits on the disk."""
        return await asyncio.to_thread(
            self.save, draft_id, table, state=state, message=message, expect=expect
        )

    async def create_async(
        self, table: TargetTable, *, state: dict | None = None, message: str = "新建"
    ) -> Revision:
        """:meth:`create` in a worker thread."""
        return await asyncio.to_thread(self.create, table, state=state, message=message)

    def restore(self, draft_id: str, number: int) -> Revision:
        """Append a new revision equal to revision ``number`` (history stays intact)."""
        with self._write():
            old = self.revision(draft_id, number)
            return self.save(
                old.draft_id, old.table, state=old.state, message=f"恢复到第 {number} 版"
            )

    def delete(self, draft_id: str) -> None:
        """Remove a draft and all its revisions (its file, then its index entry)."""
        from assistant.errors import env_error

        with self._write():
            did = self._resolve(draft_id)
            try:
                self._where(did).unlink(missing_ok=True)
            except OSError as exc:
                raise env_error(exc, "删除草稿", self._where(did)) from None
            self._files.pop(did, None)
            self.index.drop(did)

    def compact(self, *, keep: int = 10, apply: bool = False) -> builtins.list[Thinned]:
        """Thin old revisions (see :mod:`assistant.store.compact`); a dry run unless ``apply``."""
        from assistant.store.compact import compact

        return compact(self, keep=keep, apply=apply)
