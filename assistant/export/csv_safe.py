"""CSV formula neutralisation (CSV injection): a cell a spreadsheet would run as a formula
is written with a leading apostrophe, and jixiao's own CSV import takes it off again.

A cell is guarded when it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
(OWASP's list) — except a plain number such as ``-5`` or ``+0.5%``, which no spreadsheet
runs. Excel and WPS show the apostrophe-prefixed text as it was written.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?%?")


def guard(cell: str) -> str:
    """The cell as written to CSV: formula starts neutralised with a leading apostrophe."""
    if cell.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(cell):
        return GUARD + cell
    return cell


def unguard(cell: str) -> str:
    """The inverse of :func:`guard`, for reading a CSV jixiao (or a careful user) wrote."""
    if cell.startswith(GUARD) and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell
