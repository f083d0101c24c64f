"""User and corpus text made safe to show: never markup, never a terminal control sequence.

Names come from drafts, imported precedents and the shipped corpus; any of them may hold
``[/]``, ``[@click=…]`` or ESC/OSC bytes. Every widget that shows such text gets it through
``clean`` (a ``str`` for ``markup=False`` widgets) or ``plain`` (a ``rich.text.Text``, which
DataTable cells and Tree labels render as it is, where a ``str`` would be parsed as markup).
"""

from __future__ import annotations

import re

from rich.text import Text

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟: the control character made visible
    return "␡" if code == 0x7F else "\ufffd"


def clean(text: object) -> str:
    """``text`` with control characters (ESC, CR, NUL, C1 …) shown as symbols; newlines and
    tabs kept."""
    return _CONTROL.sub(_picture, "" if text is None else str(text))


def plain(text: object, style: str = "") -> Text:
    """``text`` as a Rich Text that is shown literally (no markup, no control characters)."""
    return Text(clean(text), style=style)
