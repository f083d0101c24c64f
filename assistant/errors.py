"""User-facing errors: one clear Chinese line, no traceback.

Exit codes: 2 bad input or usage (:class:`JixiaoError`); 3 the environment failed — disk
full, permissions, read-only folder, lock held by another process (:class:`EnvError`).
Exit code 1 is reserved for "the checked table has errors".
"""

from __future__ import annotations

import errno
from collections.abc import Callable


class JixiaoError(Exception):
    """Bad input or usage. ``str(err)`` is the Chinese line the user sees.

    ``path`` and ``line`` name where the problem is, when that applies; they are
    already part of the message.
    """

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        where = ""
        if path is not None:
            where = f"{path}" + (f" 第{line}行" if line is not None else "") + "："
        super().__init__(where + message)
        self.path = path
        self.line = line


_OS_REASONS = {
    errno.EACCES: "没有权限（文件夹只读，或文件正被其他程序占用）",
    errno.EPERM: "没有权限",
    errno.EROFS: "所在磁盘是只读的",
    errno.ENOSPC: "磁盘空间不足",
    errno.ENAMETOOLONG: "文件名太长",
    errno.ENOENT: "文件或文件夹不存在",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EEXIST: "已有同名的文件或文件夹",
    errno.EBUSY: "文件正被占用",
    errno.EINVAL: "路径无效",
    errno.EIO: "磁盘读写出错",
    errno.EDQUOT: "磁盘配额已用完",
    errno.EFBIG: "文件太大",
    errno.EMFILE: "同时打开的文件太多",
    errno.ELOOP: "路径中的符号链接太多或成环",
}


def os_reason(exc: OSError) -> str:
    """Why a file operation failed, in Chinese (the system's own text is often English)."""
    return _OS_REASONS.get(exc.errno or 0, f"系统错误 {exc.errno}" if exc.errno else "系统错误")


class EnvError(JixiaoError):
    """The environment failed (disk, permissions, lock), not the user's input: exit code 3."""

    exit_code = 3


def env_error(exc: OSError, doing: str, path: object | None = None) -> EnvError:
    """One Chinese line for a failed file operation: what was being done, where and why."""
    where = path if path is not None else exc.filename
    at = f"（{where}）" if where else ""
    return EnvError(f"{doing}失败{at}：{os_reason(exc)}。之前的内容没有改动。")


# errno values that mean the machine failed, not that the user named a wrong path.
_ENVIRONMENT = {
    errno.EACCES,
    errno.EPERM,
    errno.EROFS,
    errno.ENOSPC,
    errno.EDQUOT,
    errno.EIO,
    errno.EFBIG,
    errno.EMFILE,
    errno.ENFILE,
    errno.EBUSY,
    errno.ENOMEM,
    errno.ETXTBSY,
}


def is_environment(exc: OSError) -> bool:
    """True for a disk, permission or resource failure (exit 3), False for a bad path (2)."""
    return exc.errno in _ENVIRONMENT


# Where notices go as they happen: something found and worked around that the user should
# know (a damaged revision skipped, an index entry rebuilt). The CLI prints them on stderr,
# so every command that reads a draft (show, export, validate) says so; None: kept silent.
NOTICE_SINK: Callable[[str], None] | None = None


def notify(line: str) -> None:
    """Pass a Chinese notice line to ``NOTICE_SINK`` (if any)."""
    if NOTICE_SINK is not None:
        NOTICE_SINK(line)
