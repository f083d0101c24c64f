"""Helpers shared by the command modules."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from typing import Any, TextIO

import click

from assistant.errors import JixiaoError


def echo_json(doc: Any) -> None:
    """One JSON document, UTF-8, not escaped (the CLI contract)."""
    click.echo(json.dumps(doc, ensure_ascii=False, indent=2, default=str))


def echo_jsonl(doc: Any) -> None:
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


# What never reaches a terminal from our output: C0 controls except newline and tab (ESC
# starts the sequences that clear the screen or retitle the window, CR overwrites the
# line), DEL, the C1 controls (U+009B is a one-character CSI) and the bidi overrides that
# make text display in another order than it reads.
_UNSAFE = {c: None for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))}
_UNSAFE.update({c: None for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})


def terminal_safe(text: str) -> str:
    """``text`` without control characters a terminal would act on (newline and tab kept)."""
    return text.translate(_UNSAFE)


class TerminalSafeStream(io.TextIOBase):
    """A text stream that strips control characters before they reach a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:  # type: ignore[override]
        if not isinstance(text, str):
            raise TypeError("text only")  # click then knows this is not a binary stream
        self._stream.write(terminal_safe(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._stream.encoding

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return self._stream.errors


def protect_terminal() -> None:
    """Route stdout/stderr through :class:`TerminalSafeStream` where they are terminals, so
    every command's printing (click.echo included) is safe without each one asking."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        try:
            tty = stream is not None and stream.isatty()
        except (ValueError, OSError):
            tty = False
        if tty and not isinstance(stream, TerminalSafeStream):
            setattr(sys, name, TerminalSafeStream(stream))


json_option = click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")


def _decode_line(data: bytes, number: int) -> str:
    """One line of standard input: UTF-8, else GB18030 (GBK); binary junk is a JixiaoError."""
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text):
            return text.rstrip("\r\n")
        break
    raise JixiaoError(f"标准输入第{number}行不是文本（应是 UTF-8 或 GBK 编码的文字，每行一条）")


def stdin_lines() -> Iterator[str]:
    """Lines of standard input without their line ends, whatever the console's encoding
    (UTF-8, or GBK from a Chinese Windows console); binary junk names its line."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text-only stdin (tests, embedding): already decoded
        for line in sys.stdin:
            yield line.rstrip("\r\n")
        return
    for number, raw in enumerate(stream, 1):
        yield _decode_line(raw, number)
