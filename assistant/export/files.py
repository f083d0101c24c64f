"""Writing an export so that a failure leaves nothing half-written and nothing is clobbered."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path

from assistant.errors import JixiaoError, os_reason


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
    if path.exists() and not path.is_file():
        raise JixiaoError(f"输出路径不是普通文件，不能写入：{path}")
    if path.exists() and not force:
        raise exists_error(path)
    tmp = _new_temp(path)
    try:
        write(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        if force:
            os.replace(tmp, path)
        else:
            _link_new(tmp, path)
    except OSError as exc:
        raise JixiaoError(f"无法写入 {path}：{os_reason(exc)}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _new_temp(path: Path) -> Path:
    """An empty, new temp file beside ``path``, created with the user's umask (unlike
    ``mkstemp``'s 0600), so the export gets the permissions a normal file would."""
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return tmp
        except FileExistsError:
            continue
        except OSError as exc:  # a read-only folder, a name too long, a full disk
            raise JixiaoError(f"无法写入 {path}：{os_reason(exc)}") from None
    raise JixiaoError(f"无法在 {path.parent} 创建临时文件")


def _link_new(tmp: Path, path: Path) -> None:
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise exists_error(path) from None
    except OSError:  # no hard links here: check, then rename
        if path.exists():
            raise exists_error(path) from None
        os.replace(tmp, path)
