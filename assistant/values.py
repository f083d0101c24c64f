"""The 指标值 grammar: raw indicator-value text → kind, comparator, numbers with units, date.

Published tables write values as a small, loose language (see design/domain.md):
``5次, 5天/次, 5人/次``, ``≥95%``, ``95%以上``, ``430元/天/人``, ``2024年12月15日前``,
``有效提高``, ``0``, ``正向 大于等于 90 %``, ``<=475元/亩``, ``18—54周岁``, ``十期``.
``parse_value`` understands them without ever raising and keeps the raw text exactly;
what it cannot read comes back as kind ``text``.

Choices (documented here because other parts rely on them):

- ``以上`` / ``以下`` / ``以内`` are read as inclusive (≥ / ≤), as in Chinese official usage
  (《民法典》第一千二百五十九条: "以上、以下、以内、届满，包括本数").
- A value with no stated comparator has ``comparator=None``; ``formal_fields`` exports it as ``＝``.
- ``百分比`` is normalised to ``%``; every other unit is kept as written after the number
  (``人/期/天`` stays ``人/期/天``).
- Kind ``money`` when every unit starts with 元/千元/万元/亿元. A bare ``万`` (``250万``) is
  left as a quantity with unit ``万``: it may mean 万元 or 万人, and the grammar does not guess.
- A month without a day (``12月底``, ``2024.01``) resolves to the last day of that month,
  ``年底``/``全年``/``年内`` to 31 December: these are deadlines.
- A recurring schedule (``每季度末提交``, ``每年12月底前``) is kind ``date``; its ``date`` is
  None unless a year is known (``default_year``), since it names no single day.
- A value whose whole text is a year (``2024年``) is a date: 31 December of that year.
- A change (``较上年提高5%``, ``同比下降10%以上``) parses like the number it states, with the
  verb in ``change``: the number is the size of the change, not a level.
- Placeholders: empty, ``0``, ``无``, ``/``, ``—``, ``-``, ``不适用``, ``不涉及``, ``暂无``.
- Qualitative text with no digits is kind ``grade`` when it uses the vocabulary of grades and
  judgements (优, 良, 有效提高, 有利于, 符合规定, 效果明显 …); anything else is ``text``.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.value_parts import (  # Comparator and Quantity: callers import them from here
    Comparator,
    Quantity,
    _money_factor,
    _quantities,
)
from assistant.value_text import (  # noqa: F401 - re-exported: callers import them from here
    _ARABIC,
    _CN,
    _CN_DIGITS,
    MAGNITUDE,
    _arabic_to_decimal,
    _clean,
    _cn_to_decimal,
    _month_end,
    _Norm,
    _norm_text,
    _normalize,
    _scan_dates,
    find_dates,
    parse_amount_yuan,
    parse_number,
)
from assistant.value_words import (
    _CHANGE_RE,
    _DATE_GLUE,
    _GRADE_EXACT,
    _GRADE_RE,
    _PLACEHOLDERS,
    _RECURRING,
)

Kind = Literal["quantity", "rate", "money", "date", "grade", "placeholder", "text"]

KIND_NAMES: dict[str, str] = {
    "quantity": "数量",
    "rate": "比率",
    "money": "金额",
    "date": "日期",
    "grade": "等级",
    "placeholder": "占位",
    "text": "文本",
}

# comparator as the formal system (预算管理一体化) writes it
FORMAL_SYMBOLS: dict[str, str] = {"≥": "≥", "≤": "≤", ">": "＞", "<": "＜", "=": "＝"}
QUALITATIVE = "定性"


class ParsedValue(BaseModel):
    """How a 指标值 was understood. ``raw`` is the input exactly as given."""

    model_config = ConfigDict(frozen=True)

    raw: str
    kind: Kind
    comparator: Comparator | None = None
    quantities: list[Quantity] = Field(default_factory=list)
    date: datetime.date | None = None
    start: datetime.date | None = None  # first day of a period (2024年3月--2024年11月, 1-12月)
    grade: str | None = None
    direction: str | None = None
    change: str | None = None  # 提高/下降 … when the value is a change (较上年提高5%)

    @property
    def number(self) -> Decimal | None:
        return self.quantities[0].number if self.quantities else None

    @property
    def unit(self) -> str | None:
        return self.quantities[0].unit if self.quantities else None

    @property
    def is_compound(self) -> bool:
        return len(self.quantities) > 1

    def money_yuan(self) -> Decimal | None:
        """The (first) amount in 元 for kind money: ``20万元`` → 200000, ``430元/天/人`` → 430."""
        if self.kind != "money" or not self.quantities:
            return None
        q = self.quantities[0]
        factor = _money_factor(q.unit)
        if factor is None:
            return None
        return _clean(q.number * factor)

    @property
    def kind_name(self) -> str:
        """The kind in Chinese (数量, 比率, 金额 …)."""
        return KIND_NAMES[self.kind]


class FormalFields(BaseModel):
    """The three fields the 预算管理一体化 system asks per indicator: 计算符号, 度量值, 计量单位."""

    model_config = ConfigDict(frozen=True)

    symbol: str  # one of ≥ ＞ ＝ ＜ ≤ 定性
    measure: str
    unit: str
    needs_split: bool = False


# --- grades and placeholders ------------------------------------------------------


_SPAN_GLUE = re.compile(r"-|~|至|到")


def _date_kind(
    s: str, default_year: int | None
) -> tuple[bool, datetime.date | None, datetime.date | None]:
    """Whether the whole value is a date/deadline (or recurring schedule), its date, and the
    start of the period when the value names one (``2024年3月--2024年11月``, ``1-12月``)."""
    hits = _scan_dates(s, default_year)
    recurring = bool(_RECURRING.match(s))
    if not hits and not recurring:
        return False, None, None
    rest = []
    last = 0
    for h in hits:
        rest.append(s[last : h.start])
        last = h.end
    rest.append(s[last:])
    remainder = _DATE_GLUE.sub("", "".join(rest))
    if remainder:
        return False, None, None
    dated = [h for h in hits if h.date is not None]
    if not dated:
        return True, None, None
    start: datetime.date | None = None
    if len(dated) > 1 and _SPAN_GLUE.search(s[dated[0].end : dated[-1].start]):
        start = dated[0].first
    elif (
        len(dated) == 1
        and dated[0].first is not None
        and _SPAN_GLUE.search(s[dated[0].start : dated[0].end])
    ):
        start = dated[0].first  # one expression naming a span: 1-12月, 2023-2024年
    return True, dated[-1].date, start


# --- the grammar ------------------------------------------------------------------


def parse_value(
    raw: str, default_year: int | None = None, *, real_zero: bool = False
) -> ParsedValue:
    """Understand one 指标值. Never raises; ``raw`` is kept exactly.

    ``default_year`` resolves dates that name no year (``12月15日前``). ``real_zero``: the row
    has a real name (安全事故发生次数), so a bare ``0`` is a target of zero, not the
    "does not apply" placeholder of a ``0 / 0`` row.
    """
    try:
        pv = _parse(raw, default_year)
    except Exception:  # noqa: BLE001 - unknown forms are text, never an exception
        return ParsedValue(raw=raw, kind="text")
    if real_zero and pv.kind == "placeholder" and _norm_text(raw).endswith("0"):
        zero = Quantity(number=Decimal(0), unit="", raw=raw.strip(), comparator="=")
        return pv.model_copy(update={"kind": "quantity", "quantities": [zero], "comparator": "="})
    return pv


def implied_money(q: Quantity) -> tuple[Decimal, str] | None:
    """A money amount written without 元 (``≤2万/月``, ``3千/人``): (元 per unit, the unit read
    as money). Only callers that know the row is a cost row should use it."""
    head, sep, rest = q.unit.partition("/")
    factor = MAGNITUDE.get(head)
    if factor is None:
        return None
    return _clean(q.number * factor), f"{head}元{sep}{rest}"


_RATE_LABEL = re.compile(r"[\u4e00-\u9fff]{0,10}?(?:率|度|比例|占比)(?=[\d.≥≤<>=]|不)")


def _parse(raw: str, default_year: int | None) -> ParsedValue:
    raw = raw if isinstance(raw, str) else str(raw)
    norm = _normalize(raw)
    s = norm.text
    start = 0
    direction: str | None = None
    qualitative = False
    while True:
        head = s[start:]
        if head.startswith(("正向", "反向")):
            direction = head[:2]
            start += 2
        elif head.startswith("定性"):
            qualitative = True
            start += 2
        elif head.startswith(("定量", ":")):
            start += 2 if head.startswith("定量") else 1
        else:
            break
    body = s[start:]

    if body in _PLACEHOLDERS or body.lower() in _PLACEHOLDERS:
        if not qualitative or body == "":
            return ParsedValue(raw=raw, kind="placeholder", direction=direction)

    is_date, when, since = _date_kind(body, default_year)
    if is_date:
        return ParsedValue(raw=raw, kind="date", date=when, start=since, direction=direction)

    change: str | None = None
    qstart = start
    cm = _CHANGE_RE.match(body)
    if cm:
        change = cm.group("verb")
        qstart = start + cm.end()
    if not qualitative:
        quantities = _quantities(norm, qstart)
        label = None if quantities else _RATE_LABEL.match(body)
        if label:  # 满意度≥90%: the indicator's name typed into the value
            quantities = _quantities(norm, start + label.end())
            if not all(q.unit in ("%", "‰") for q in quantities):
                quantities = []
        if quantities:
            units = [q.unit for q in quantities]
            if all(_money_factor(u) is not None for u in units):
                kind: Kind = "money"
            elif all(u in ("%", "‰") for u in units):
                kind = "rate"
            else:
                kind = "quantity"
            comparator = next((q.comparator for q in quantities if q.comparator), None)
            return ParsedValue(
                raw=raw,
                kind=kind,
                comparator=comparator,
                quantities=quantities,
                direction=direction,
                change=change,
            )

    if not re.search(r"\d", body) and (body in _GRADE_EXACT or _GRADE_RE.search(body)):
        grade = norm.raw_of(start, len(s)).strip()
        return ParsedValue(raw=raw, kind="grade", grade=grade, direction=direction)
    return ParsedValue(raw=raw, kind="text", direction=direction)


# --- export to the formal system --------------------------------------------------


_PREFIX_WORDS = re.compile(r"^(?:\s*(?:正向|反向|定性|定量)\s*)+")


def _measure_text(d: Decimal) -> str:
    return format(d, "f")


def formal_fields(pv: ParsedValue) -> FormalFields:
    """计算符号 / 度量值 / 计量单位 for the 预算管理一体化 system.

    - one quantity, rate or amount: the comparator in full-width form (no comparator → ＝),
      the number as written, the unit (``%`` for rates);
    - compound values (``5次, 5天/次, 5人/次``) and ranges (``18—54周岁``): the system takes one
      comparator, number and unit per row, so they go out as written (定性 + the text, unit
      empty) with ``needs_split=True``: staff split them into several rows;
    - grades: 定性 + the grade text; dates and recurring schedules: 定性 + the text as written
      (``2024年12月15日前``), which is how published formal tables enter 时效指标;
    - placeholders (``0``) and unreadable text: 定性 + the text as written. A placeholder row
      means "does not apply"; exporters usually leave such rows out.
    """
    text = _PREFIX_WORDS.sub("", pv.raw.strip()).strip()
    if pv.kind in ("quantity", "rate", "money") and pv.quantities:
        if pv.is_compound or pv.quantities[0].upper is not None:
            return FormalFields(symbol=QUALITATIVE, measure=text, unit="", needs_split=True)
        q = pv.quantities[0]
        symbol = FORMAL_SYMBOLS[pv.comparator] if pv.comparator else FORMAL_SYMBOLS["="]
        return FormalFields(symbol=symbol, measure=_measure_text(q.number), unit=q.unit)
    if pv.kind == "grade":
        return FormalFields(symbol=QUALITATIVE, measure=pv.grade or text, unit="")
    return FormalFields(symbol=QUALITATIVE, measure=text, unit="")
