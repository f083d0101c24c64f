"""Safe export file names: no path separators, nothing Windows forbids, bounded length."""

from __future__ import annotations

import re
import unicodedata

# Characters Windows forbids in names, plus control characters; both separators included.
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10)}
_SPACES = re.compile(r"\s+")
_REPEATS = re.compile(r"_{2,}")

# Most file systems allow 255 bytes per name; stay well below to leave room for
# a folder path on Windows and for "(2)"-style suffixes other tools add.
MAX_NAME_BYTES = 180
FALLBACK_STEM = "未命名项目"


def safe_stem(text: str, *, max_bytes: int = MAX_NAME_BYTES) -> str:
    """``text`` made usable as a file name stem on Linux, macOS and Windows."""
    stem = unicodedata.normalize("NFC", text or "")
    # Invisible format characters (zero-width, right-to-left override) could disguise a name.
    stem = "".join(c for c in stem if unicodedata.category(c) != "Cf")
    stem = _SPACES.sub(" ", stem)
    stem = _FORBIDDEN.sub("_", stem)
    stem = _REPEATS.sub("_", stem).strip(" ._")
    encoded = stem.encode("utf-8")
    if len(encoded) > max_bytes:
        stem = encoded[:max_bytes].decode("utf-8", errors="ignore").rstrip(" ._")
    if not stem:
        stem = FALLBACK_STEM
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    return stem


def safe_filename(stem: str, suffix: str, *, max_bytes: int = MAX_NAME_BYTES) -> str:
    """``<safe stem><suffix>`` whose whole name stays within ``max_bytes`` UTF-8 bytes."""
    room = max_bytes - len(suffix.encode("utf-8"))
    return safe_stem(stem, max_bytes=room) + suffix
