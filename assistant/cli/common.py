"""Helpers shared by the command modules."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from assistant.errors import JixiaoError


def echo_json(doc: Any) -> None:
    """One JSON document, UTF-8, not escaped (the CLI contract)."""
    click.echo(json.dumps(doc, ensure_ascii=False, indent=2, default=str))


def echo_jsonl(doc: Any) -> None:
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


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


def stdin_lines():
    """Lines of standard input without their line ends, whatever the console's encoding
    (UTF-8, or GBK from a Chinese Windows console); binary junk names its line."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text-only stdin (tests, embedding): already decoded
        for line in sys.stdin:
            yield line.rstrip("\r\n")
        return
    for number, raw in enumerate(stream, 1):
        yield _decode_line(raw, number)
