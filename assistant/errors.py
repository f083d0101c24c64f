"""User-facing errors: one clear Chinese line, exit code 2, no traceback."""

from __future__ import annotations


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
