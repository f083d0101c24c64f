"""Atomic file writes: a reader, or a process killed mid-write, sees the old file or the new
one, never half of one. Used by the corpus, the draft store and the search caches."""

from __future__ import annotations

import os
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


def write_atomic(
    path: Path, data: str | bytes | Iterable[bytes], *, durable: bool = True
) -> None:
    """Write text (UTF-8), bytes, or a sequence of byte chunks to ``path`` atomically
    (``durable``: fsynced, so it survives a power cut, not only a killed process)."""
    if isinstance(data, str):
        with atomic_open(path, "w", durable=durable) as fh:
            fh.write(data)
    else:
        with atomic_open(path, "wb", durable=durable) as fh:
            fh.writelines([data] if isinstance(data, bytes) else data)
