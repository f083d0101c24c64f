"""Writing an export so that a failure leaves nothing half-written and nothing is clobbered."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from assistant.errors import JixiaoError


def exists_error(path: Path) -> JixiaoError:
    return JixiaoError(f"文件已存在：{path}。未做任何改动；如需覆盖，请加 --force。")


def write_new(path: Path, write: Callable[[Path], None], *, force: bool = False) -> Path:
    """Let ``write`` fill a temporary file beside ``path``, then move it into place.

    Without ``force`` an existing ``path`` is never replaced: the final step is a hard
    link, which fails atomically if the name was taken meanwhile (falls back to a check
    and rename on file systems without hard links, such as FAT USB sticks).
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise JixiaoError(f"输出目录不存在：{path.parent}")
    if path.is_dir():
        raise JixiaoError(f"输出路径是一个目录：{path}")
    if path.exists() and not force:
        raise exists_error(path)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        if force:
            os.replace(tmp, path)
        else:
            _link_new(tmp, path)
    except OSError as exc:
        raise JixiaoError(f"无法写入 {path}：{exc.strerror or exc}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _link_new(tmp: Path, path: Path) -> None:
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise exists_error(path) from None
    except OSError:  # no hard links here: check, then rename
        if path.exists():
            raise exists_error(path) from None
        os.replace(tmp, path)
