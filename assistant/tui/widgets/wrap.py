"""Line breaking for Chinese text with numbers in it, for the chat.

Textual breaks lines only at spaces and folds a longer "word" at the edge; a Chinese sentence
has no spaces, so it was folded anywhere, numbers included ("12" / "0万元"). Here a line may
break between two Chinese characters or at a space, never inside a run of digits or Latin
letters (120, 10.015119, 2024-12-31, ≥95%), never between a number and the one or two
characters right after it (120万元, 12个月, a list's "10. 造林"), never before closing
punctuation (，。）) and never after opening punctuation (（「). A simplified form of the
Unicode line-breaking rules (UAX #14) for the text this tool writes; no library for those
rules is among the project's dependencies.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

_OPEN = "（([{「『“‘《〈【〔"
_CLOSE = "，。、；：！？）)]}」』”’》〉】〕…%％,.;:!?"
_ASCII = r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ.．:/\-+×·≥≤＞＜>=<~～_#@&%％]"
# one unbreakable unit: opening punctuation, then a number or word with up to two characters
# after it (120万元, 12个月, "10. 造林": a list number stays with its item) or one other
# character, then any closing punctuation
_UNIT = re.compile(
    rf"[{re.escape(_OPEN)}]*"
    rf"(?:{_ASCII}+(?: (?=[\u4e00-\u9fff]))?[\u4e00-\u9fff]{{0,2}}|[^\s{re.escape(_OPEN)}])"
    rf"[{re.escape(_CLOSE)}]*"
    rf"|\s+|[{re.escape(_OPEN)}]+"  # the last: opening punctuation with nothing after it
)


def _fold(unit: str, width: int) -> list[str]:
    """A unit wider than the line (a very long number or word): cut where it must be."""
    parts, line = [], ""
    for ch in unit:
        if line and cell_len(line + ch) > width:
            parts.append(line)
            line = ""
        line += ch
    return parts + ([line] if line else [])


def wrap_line(text: str, width: int) -> list[str]:
    """One paragraph (no newlines) as lines of at most ``width`` cells."""
    if width <= 0:
        return [text]
    lines: list[str] = []
    line = ""
    for unit in _UNIT.findall(text):
        if unit.isspace():
            if line and cell_len(line + unit) <= width:
                line += unit
            elif line:
                lines.append(line.rstrip())
                line = ""
            continue
        if cell_len(line + unit) <= width:
            line += unit
            continue
        if line.strip():
            lines.append(line.rstrip())
        pieces = _fold(unit, width)
        lines.extend(pieces[:-1])
        line = pieces[-1] if pieces else ""
    if line or not lines:
        lines.append(line.rstrip())
    return lines


def wrap_text(text: str, width: int) -> str:
    """``text`` with its lines broken to ``width`` cells at word and number boundaries."""
    return "\n".join(line for para in text.split("\n") for line in wrap_line(para, width))


class WordWrapped(Visual):
    """Plain text that breaks its lines with ``wrap_text`` at whatever width it is given."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._cache: tuple[int, Content] | None = None

    def __str__(self) -> str:
        """The text as written (like ``str`` of a Content), for copying and tests."""
        return self.text

    def _at(self, width: int) -> Content:
        if self._cache is None or self._cache[0] != width:
            self._cache = (width, Content(wrap_text(self.text, width)))
        return self._cache[1]

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return self._at(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max((cell_len(line) for line in self.text.split("\n")), default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self._at(width).get_height(rules, width)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return 1
