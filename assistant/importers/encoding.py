"""Reading text files in any encoding a Chinese office produces.

Order of attempts (first that fits wins):
1. a byte-order mark: UTF-8 (``utf-8-sig``), UTF-16 LE/BE (Excel's "Unicode 文本");
2. strict UTF-8;
3. GB18030 (a superset of GBK and GB2312, what Windows Chinese editions save) or Big5
   (traditional-character offices): strict GB18030 accepts most Big5 bytes too, so
   charset-normalizer, limited to these two, decides between them;
4. charset-normalizer's best guess over every code page.
Bytes that decode to mostly control characters are treated as a binary file.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from assistant.errors import JixiaoError
from assistant.fileio import reading

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BOM_NAMES = {"utf-8-sig": "UTF-8", "utf-16": "UTF-16"}
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f", "\v"}


def _binary_error(path: str) -> JixiaoError:
    return JixiaoError(
        "不是文本文件，也不是可识别的表格文件（支持 .txt/.csv/.xlsx/.json）", path=path
    )


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return False
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in _ALLOWED_CONTROLS)
    return "\x00" in sample or controls / len(sample) > 0.01


def _candidates(data: bytes):
    """UTF-8 first; only if that fails ask charset-normalizer whether it is GBK or Big5."""
    yield "utf-8"
    from charset_normalizer import from_bytes

    guess = from_bytes(data[:200_000], cp_isolation=["gb18030", "big5"]).best()
    if guess is not None and guess.encoding == "big5":
        yield "big5"
    yield "gb18030"


def _decode_cut_short(data: bytes, encoding: str) -> str | None:
    """``data`` in ``encoding``, forgiving only a last character cut in half (a download or
    copy that stopped early); None when the bytes are not in that encoding."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if exc.end < len(data) or exc.start < len(data) - 3:
            return None
        try:
            return data[: exc.start].decode(encoding)
        except UnicodeDecodeError:
            return None


def decode_bytes(data: bytes, path: str) -> tuple[str, str]:
    """Decode file bytes; returns (text, encoding name). Raises JixiaoError for binary data."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = _decode_cut_short(data, enc)
            if text is None:
                raise JixiaoError(
                    f"文件开头标明是 {_BOM_NAMES[enc]} 编码，但内容不是（文件可能已损坏）",
                    path=path,
                )
            if _looks_binary(text):
                raise _binary_error(path)
            return text, enc
    if b"\x00" in data[:20000]:
        raise _binary_error(path)
    text = _decode_cut_short(data, "utf-8")
    if text is not None:
        if _looks_binary(text):
            raise _binary_error(path)
        return text, "utf-8"
    for enc in _candidates(data):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            raise _binary_error(path)
        return text, enc
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or _looks_binary(str(best)):
        raise _binary_error(path)
    return str(best), best.encoding


def read_text(path: Path, shown: str | None = None) -> tuple[str, str]:
    """Read and decode a text file; the error names ``shown`` (the path as the user gave it)."""
    name = shown or str(path)
    with reading(name):
        data = path.read_bytes()
    if not data.strip():
        raise JixiaoError("文件是空的", path=name)
    text, enc = decode_bytes(data, name)
    if not text.strip():
        raise JixiaoError("文件是空的", path=name)
    return text, enc
