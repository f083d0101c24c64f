"""Files in and out. Atomic writes: a reader, or a process killed mid-write, sees the old
file or the new one, never half of one (the corpus, the draft store, the search caches).
Limits on reads: special files, sizes, xlsx zip bombs and YAML alias bombs are refused in
one Chinese line before any work is done."""

from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


def fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX); a no-op where folders cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def atomic_open(path: Path, mode: str = "wb", *, durable: bool = True) -> Iterator[IO[Any]]:
    """Open a temp file beside ``path``; on a clean exit fsync it (``durable``) and rename it
    over ``path``; on any error remove it and leave ``path`` untouched."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding) as fh:
            yield fh
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if durable:
        fsync_dir(path.parent)


def write_atomic(path: Path, data: str | bytes | Iterable[bytes], *, durable: bool = True) -> None:
    """Write text (UTF-8), bytes, or a sequence of byte chunks to ``path`` atomically
    (``durable``: fsynced, so it survives a power cut, not only a killed process)."""
    if isinstance(data, str):
        with atomic_open(path, "w", durable=durable) as fh:
            fh.write(data)
    else:
        with atomic_open(path, "wb", durable=durable) as fh:
            fh.writelines([data] if isinstance(data, bytes) else data)


# --- limits on what we read -------------------------------------------------------------

MAX_IMPORT_BYTES = 50_000_000  # a unit's whole year of tables is a few MB
MAX_XLSX_UNPACKED = 200_000_000  # all parts of a workbook, decompressed
MAX_XLSX_RATIO = 200  # decompressed / compressed for one big part (a zip bomb is ~1000)
MAX_XLSX_PARTS = 10_000
MAX_YAML_ALIASES = 100  # an answers file needs none; a "billion laughs" needs many


def _limit_error(message: str, shown: str) -> Exception:
    from assistant.errors import JixiaoError

    return JixiaoError(message, path=shown)


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


@contextmanager
def reading(shown: str, noun: str = "文件") -> Iterator[None]:
    """OS errors while reading a user's file as one Chinese JixiaoError naming it: the one
    wording for a missing file, a folder given for a file, and an unreadable file."""
    from assistant.errors import JixiaoError, os_reason

    try:
        yield
    except FileNotFoundError:
        raise JixiaoError(f"{noun}不存在", path=shown) from None
    except IsADirectoryError:
        raise JixiaoError(f"这是一个文件夹，不是{noun}", path=shown) from None
    except OSError as exc:
        raise JixiaoError(f"无法读取{noun}（{os_reason(exc)}）", path=shown) from None


def check_input_file(path: Path, shown: str, limit: int | None = None) -> None:
    """Refuse, before opening, a pipe, device or socket (reading one hangs or never ends)
    and a file over ``limit`` bytes. A path that cannot be stat'ed is left to the caller's
    own open, which says why."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return
    if stat.S_ISDIR(st.st_mode):
        return
    if not stat.S_ISREG(st.st_mode):
        raise _limit_error("不是普通文件（是管道、设备或套接字），不会读取", shown)
    limit = MAX_IMPORT_BYTES if limit is None else limit
    if st.st_size > limit:
        raise _limit_error(f"文件过大（{_mb(st.st_size)}，上限 {_mb(limit)}）", shown)


def read_limited(path: Path, limit: int, shown: str | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; special files and bigger
    files are a JixiaoError naming ``shown``; OSErrors of the open are the caller's."""
    shown = shown or str(path)
    check_input_file(path, shown, limit)
    with open(path, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:  # it grew, or the system reports no size (/proc)
        raise _limit_error(f"文件过大（超过上限 {_mb(limit)}）", shown)
    return data


def check_xlsx(path: Path, shown: str) -> None:
    """Refuse a workbook that would unpack to more than MAX_XLSX_UNPACKED bytes, has an
    implausible compression ratio (a zip bomb) or too many parts; a file that is not a
    readable zip is left to the xlsx reader, which says so."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    if len(infos) > MAX_XLSX_PARTS:
        raise _limit_error(f"xlsx 文件含 {len(infos)} 个部件，超过上限 {MAX_XLSX_PARTS}", shown)
    total = sum(i.file_size for i in infos)
    if total > MAX_XLSX_UNPACKED:
        raise _limit_error(
            f"xlsx 文件解压后有 {_mb(total)}，超过上限 {_mb(MAX_XLSX_UNPACKED)}（可能是压缩炸弹）",
            shown,
        )
    for i in infos:
        if i.file_size > 1_000_000 and i.file_size > MAX_XLSX_RATIO * max(i.compress_size, 1):
            raise _limit_error(
                f"xlsx 文件中的 {i.filename} 压缩比异常（{_mb(i.compress_size)} 解压为 "
                f"{_mb(i.file_size)}），疑似压缩炸弹，不会读取",
                shown,
            )


_ALIAS = re.compile(r"(?:^|[\s\[{,:-])\*[^\s,\[\]{}]+")


def check_yaml_aliases(text: str, shown: str) -> None:
    """Refuse YAML with more than MAX_YAML_ALIASES aliases (``*name``): nested aliases
    multiply the work of loading ("billion laughs")."""
    if "&" not in text or len(_ALIAS.findall(text)) <= MAX_YAML_ALIASES:
        return
    import yaml

    try:
        count = sum(isinstance(t, yaml.AliasToken) for t in yaml.scan(text))
    except yaml.YAMLError:
        return  # the parser reports the syntax error with its line
    if count > MAX_YAML_ALIASES:
        raise _limit_error(
            f"YAML 中的别名引用（*名称）过多（{count} 个，上限 {MAX_YAML_ALIASES}）", shown
        )
