"""A TinyDB storage that never loses a completed write.

TinyDB's stock ``JSONStorage`` truncates and rewrites its file in place, so a crash
mid-write leaves half a file. ``AtomicJSONStorage`` instead:

- loads the whole file at the start of a *transaction*, serves TinyDB's reads and writes
  from memory, and on commit writes once: temp file in the same folder, fsync, rename
  over the store, fsync the folder. A reader or a killed writer sees either the old or
  the new file, never a mix.
- takes a cross-process ``filelock`` around every write transaction and re-reads the file
  under it, so two jixiao processes' read-modify-write cycles serialise and both survive.
- keeps the last parsed content in memory and checks cheaply whether the file is still
  that version (inode, size, mtime and a random token written first in every file); only
  a file another process has replaced is read and parsed again.
- reuses the serialised bytes of documents that never change once written (revisions,
  blobs), so a save costs the new documents plus one file write, not a full ``json.dumps``.
- refuses a file it cannot parse: it is moved aside to ``<name>.corrupt-<UTC time>.json``
  (never overwritten, never deleted) and a Chinese ``JixiaoError`` names both files.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

from filelock import FileLock, Timeout
from tinydb.storages import Storage

from assistant.errors import EnvError, JixiaoError, env_error, os_reason
from assistant.fileio import fsync_dir, write_atomic

LOCK_TIMEOUT_S = 10.0

Data = dict[str, dict[str, Any]]

# Every write puts a fresh random token first in the file, outside TinyDB's tables, so a
# reader can tell from the first bytes whether the file is still the one it parsed.
GENERATION_TABLE = "_generation"
_GEN_PREFIX = b'{"_generation":{"1":{"token":"'
_GEN_SUFFIX = b'"}}'
_TOKEN = re.compile(rb'^\{"_generation":\{"1":\{"token":"([0-9a-f]{16})"\}\}')
_HEAD_BYTES = 64


@dataclass(frozen=True)
class _Cached:
    stat_key: tuple[int, int, int]
    token: str | None
    data: Data


def _stat_key(st: os.stat_result) -> tuple[int, int, int]:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _read_token(head: bytes) -> str | None:
    m = _TOKEN.match(head)
    return m.group(1).decode("ascii") if m else None


def _pop_token(data: Data) -> str | None:
    """Remove the generation table from parsed data; its token, if well-formed."""
    gen = data.pop(GENERATION_TABLE, None) or {}
    token = gen.get("1", {}).get("token")
    return token if isinstance(token, str) and re.fullmatch("[0-9a-f]{16}", token) else None


class CorruptStoreError(JixiaoError):
    """The store file could not be read; it has been moved to ``backup``."""

    def __init__(self, message: str, *, backup: Path | None) -> None:
        super().__init__(message)
        self.backup = backup


def _parse(raw: bytes) -> Data | None:
    """The TinyDB data in ``raw``, or None when it is not a well-formed store."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    for table in data.values():
        if not isinstance(table, dict) or not all(isinstance(d, dict) for d in table.values()):
            return None
    return data


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@contextmanager
def hold(lock: FileLock) -> Iterator[None]:
    """Hold the store's cross-process lock; a timeout or an unwritable folder is an EnvError."""
    folder = Path(lock.lock_file).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except Timeout:
        raise EnvError(
            f"草稿库正被另一个 jixiao 进程占用，等待 {lock.timeout:g} 秒仍未释放"
            f"（锁文件：{lock.lock_file}）。请关闭其他 jixiao 窗口后重试。"
        ) from None
    except OSError as exc:
        raise env_error(exc, "打开草稿库", folder) from None
    try:
        yield
    finally:
        lock.release()


def _timestamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def unique_sibling(path: Path, label: str) -> Path:
    """``drafts.json`` → ``drafts.<label>-<UTC time>.json`` that does not exist yet."""
    stamp = _timestamp()
    candidate = path.with_name(f"{path.stem}.{label}-{stamp}{path.suffix}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}.{label}-{stamp}-{n}{path.suffix}")
    return candidate


class AtomicJSONStorage(Storage):
    """TinyDB storage over one JSON file; use only inside :meth:`transaction`."""

    def __init__(
        self,
        path: Path,
        *,
        lock_timeout: float | None = None,
        immutable_tables: tuple[str, ...] = (),
        lock: FileLock | None = None,
        sweep: bool = True,
        durable: bool = True,
        what: str = "草稿库文件",
        after: str = "将从空草稿库重新开始；如需找回内容，请保留该备份文件。",
    ) -> None:
        self.path = Path(path)
        self.what, self.after = what, after  # how a damaged file is named and what follows
        # Documents in these tables are never changed once inserted, so the JSON text of
        # each one is kept (by object identity) and reused on every later write.
        self.immutable_tables = frozenset(immutable_tables)
        self._doc_text: dict[int, tuple[dict, str, bytes]] = {}
        if lock is None:  # a file of its own; a store of many files shares one lock
            timeout = LOCK_TIMEOUT_S if lock_timeout is None else lock_timeout
            lock = FileLock(str(self.path.with_name(self.path.name + ".lock")), timeout=timeout)
        self._file_lock = lock
        self.lock_path = Path(lock.lock_file)
        self._swept = not sweep  # a store of many files sweeps its folder itself
        self.durable = durable  # False for a cache that can be rebuilt (no fsync)
        self._thread_lock = threading.RLock()
        self._cache: _Cached | None = None
        self._data: Data | None = None
        self._dirty = False

    # --- TinyDB's interface -------------------------------------------------------

    def read(self) -> Data | None:
        if self._data is None:
            raise RuntimeError("AtomicJSONStorage.read outside a transaction")
        return self._data

    def write(self, data: Data) -> None:
        if self._data is None:
            raise RuntimeError("AtomicJSONStorage.write outside a transaction")
        self._data = data
        self._dirty = True

    # --- transactions ---------------------------------------------------------------

    @contextmanager
    def transaction(self, *, write: bool) -> Iterator[Data]:
        """Load the file (under the cross-process lock when ``write``), commit once on exit.

        Read transactions take no file lock: writers replace the file atomically, so a
        reader always sees one complete version. Nested transactions join the outer one.
        """
        with self._thread_lock:
            if self._data is not None:  # nested: join the outer transaction
                yield self._data
                return
            if write:
                with self._locked():
                    self._sweep_temp_files()
                    yield from self._run(write=True)
            else:
                yield from self._run(write=False)

    def _sweep_temp_files(self) -> None:
        """Delete temp files left by a writer that was killed mid-save (once, under the lock:
        no live writer has a temp file while we hold it). They never held a completed save."""
        if self._swept:
            return
        self._swept = True
        for tmp in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            tmp.unlink(missing_ok=True)

    def _run(self, *, write: bool) -> Iterator[Data]:
        # The cached dict is handed out as is: readers never mutate it, and a write
        # transaction that fails drops the cache because TinyDB edits documents in place.
        self._data = self._load()
        self._dirty = False
        try:
            yield self._data
            if write and self._dirty:
                self._commit(self._data)
        except BaseException:
            if write:
                self._cache = None  # the in-memory copy may be half-modified
                self._doc_text = {}
            raise
        finally:
            self._data = None
            self._dirty = False

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with hold(self._file_lock):
            yield

    def _load(self) -> Data:
        """The file's data; a missing file is an empty store.

        Fast path: when the file has the same inode, size and mtime as the one last read or
        written here, and its first bytes carry the same random generation token, the parsed
        data in memory is still current and the file is not read again.
        """
        cached = self._cache
        if cached is not None and cached.token is not None:
            try:
                st = os.stat(self.path)
                if _stat_key(st) == cached.stat_key:
                    with open(self.path, "rb") as fh:
                        if _read_token(fh.read(_HEAD_BYTES)) == cached.token:
                            return cached.data
            except FileNotFoundError:
                pass
            except OSError:
                pass  # read it properly below, which reports the error
        try:
            with open(self.path, "rb") as fh:
                st = os.fstat(fh.fileno())
                raw = fh.read()
        except FileNotFoundError:
            self._cache = None
            return {}
        except OSError as exc:
            raise JixiaoError(f"无法读取草稿库 {self.path}：{os_reason(exc)}") from None
        data = _parse(raw)
        if data is None:
            self._cache = None
            self._quarantine(raw)
        token = _pop_token(data)
        self._cache = _Cached(_stat_key(st), token, data)
        self._doc_text = {}  # new objects: identities from the old data no longer apply
        return data

    def _quarantine(self, raw: bytes) -> NoReturn:
        """Move an unreadable store aside (under the lock) and raise the Chinese error."""
        with self._locked():
            try:
                current = self.path.read_bytes()
            except FileNotFoundError:
                current = None
            backup = None
            if current == raw:  # nobody has moved or replaced it meanwhile
                backup = unique_sibling(self.path, "corrupt")
                os.replace(self.path, backup)
                fsync_dir(self.path.parent)
        where = f"已原样保存为 {backup}" if backup else "已由另一个 jixiao 进程移到一旁"
        raise CorruptStoreError(
            f"{self.what} {self.path} 已损坏或不完整，无法读取；{where}，"
            f"未做任何覆盖。{self.after}",
            backup=backup,
        )

    def quarantine_current(self, reason: str) -> NoReturn:
        """Move the current file aside because ``reason`` (a parsed but unusable store)."""
        with self._locked():
            backup = unique_sibling(self.path, "corrupt")
            os.replace(self.path, backup)
            fsync_dir(self.path.parent)
        self._cache = None
        raise CorruptStoreError(
            f"{self.what} {self.path} 无法使用（{reason}）；已原样保存为 {backup}，未做任何覆盖。",
            backup=backup,
        )

    def _chunks(self, data: Data, token: str) -> list[bytes]:
        """``json.dumps`` of the generation token and ``data`` (compact, UTF-8) as byte
        pieces, reusing the bytes of documents in immutable tables from earlier writes."""
        out = [_GEN_PREFIX + token.encode("ascii") + _GEN_SUFFIX]
        cache: dict[int, tuple[dict, str, bytes]] = {}
        for name, table in data.items():
            reuse = name in self.immutable_tables
            if not reuse:  # one C-encoder call for the whole table beats one per document
                out.append(f",{_dumps(name)}:{_dumps(table)}".encode())
                continue
            items = []
            for doc_id, doc in table.items():
                hit = self._doc_text.get(id(doc)) if reuse else None
                if hit is not None and hit[0] is doc and hit[1] == doc_id:
                    item = hit[2]
                else:
                    item = f"{_dumps(doc_id)}:{_dumps(doc)}".encode()
                if reuse:
                    cache[id(doc)] = (doc, doc_id, item)
                items.append(item)
            out += [f",{_dumps(name)}:{{".encode(), b",".join(items), b"}"]
        out.append(b"}")
        self._doc_text = cache
        return out

    def _commit(self, data: Data) -> None:
        token = secrets.token_hex(8)
        try:
            write_atomic(self.path, self._chunks(data, token), durable=self.durable)
        except OSError as exc:
            raise env_error(exc, "保存草稿", self.path) from None
        # We hold the lock, so the file at the path is the one just written.
        st = os.stat(self.path)
        self._cache = _Cached(_stat_key(st), token, data)

    def snapshot_bytes(self) -> bytes | None:
        """The file's current bytes (None when missing): for backups before an upgrade."""
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            return None
