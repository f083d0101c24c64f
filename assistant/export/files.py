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


def default_export_dir() -> Path:
    """Where the TUI offers to export: ``$JIXIAO_HOME/exports`` when JIXIAO_HOME is set, else
    ``jixiao导出`` in the user's Documents folder (platformdirs) — never the checkout."""
    env = os.environ.get("JIXIAO_HOME")
    if env:
        return Path(env).expanduser() / "exports"
    from platformdirs import user_documents_dir

    return Path(user_documents_dir()) / "jixiao导出"


def means_folder(raw: str) -> bool:
    """Whether an output path names a folder: an existing one, one written with a trailing
    slash, or a new name without an extension ("报表" → a folder, never a file "报表")."""
    path = Path(raw).expanduser()
    if raw.endswith(("/", "\\")) or path.is_dir():
        return True
    return not path.exists() and not path.suffix


def make_folder(folder: Path) -> Path:
    """Create ``folder`` (and its parents) for an export; one Chinese line if it cannot be."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise JixiaoError(f"无法创建文件夹 {folder}：路径中有同名的文件") from None
    except OSError as exc:
        raise JixiaoError(f"无法创建文件夹 {folder}：{os_reason(exc)}") from None
    return folder


def resolve_output(raw: str, filename: str) -> Path:
    """The file an export writes for the path the user gave: a folder (created if missing)
    gets ``filename`` inside it; a file path gets its missing parent folders created."""
    path = Path(raw).expanduser()
    if means_folder(raw):
        return make_folder(path) / filename
    if not path.parent.is_dir():
        make_folder(path.parent)
    return path
