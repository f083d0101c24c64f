"""Text normalisation, numbers and dates for the 指标值 grammar (``assistant.values``).

Split out of ``values.py`` so each module stays readable: this part knows nothing about
indicators, only how Chinese budget tables write numbers (十期, 1,590,000, 159万) and dates
(2024年12月底前, 1-12月, 2024年3月--2024年11月).
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# --- normalisation ----------------------------------------------------------------

_EXTRA = {
    "、": ";",
    "，": ",",
    "；": ";",
    "。": "",
    "～": "~",
    "〜": "~",
    "≧": "≥",
    "≦": "≤",
    "⩾": "≥",
    "⩽": "≤",
    "－": "-",
    "–": "-",
    "—": "-",
    "―": "-",
    "─": "-",
    "−": "-",
    "﹣": "-",
    "％": "%",
    "﹪": "%",
    "【": "(",
    "】": ")",
    "〔": "(",
    "〕": ")",
    "号": "日",
}


@dataclass
class _Norm:
    """Normalised text (NFKC, no whitespace) with the raw index of every character."""

    raw: str
    text: str
    pos: list[int]

    def raw_of(self, start: int, end: int) -> str:
        """The exact raw text behind ``text[start:end]``."""
        if end <= start:
            return ""
        return self.raw[self.pos[start] : self.pos[end - 1] + 1]


def _normalize(raw: str) -> _Norm:
    chars: list[str] = []
    pos: list[int] = []
    for i, ch in enumerate(raw):
        if ch.isspace():
            continue
        mapped = _EXTRA.get(ch)
        if mapped is None:
            mapped = unicodedata.normalize("NFKC", ch)
        for c in mapped:
            if c.isspace():
                continue
            chars.append(_EXTRA.get(c, c))
            pos.append(i)
    return _Norm(raw, "".join(chars), pos)


def _norm_text(text: str) -> str:
    return _normalize(text).text


def _clean(d: Decimal) -> Decimal:
    """A computed Decimal without exponent or needless trailing zeros."""
    if d == d.to_integral_value():
        return d.quantize(Decimal(1))
    return d.normalize()


# --- numbers ----------------------------------------------------------------------

_ARABIC = r"\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"
_CN = rf"[{_CN_DIGITS}]+(?:点[零〇一二三四五六七八九]+)?"
WAN = Decimal(10000)  # 1 万元 in 元: header amounts are 万元, cost values 元
MAGNITUDE = {"千": Decimal(1000), "万": WAN, "亿": Decimal(100000000)}  # 千/万/亿 as factors


def decimal_text(number: Decimal | int | None) -> str:
    """Decimal → plain text, no exponent or trailing zeros (1480.750 → "1480.75", 1E+6 →
    "1000000"); None → "". The one way money and counts are written back as text."""
    if number is None:
        return ""
    d = Decimal(number)
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


def _cn_to_decimal(text: str) -> Decimal | None:
    """Chinese numeral → Decimal via cn2an; None when it is not a well-formed numeral."""
    if not text:
        return None
    import cn2an  # light, but only needed for Chinese numerals

    whole, _, frac = text.partition("点")
    try:
        value = Decimal(int(cn2an.cn2an(whole, "normal"))) if whole else Decimal(0)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None
    if frac:
        digits = "".join(str("零一二三四五六七八九".find(c)) if c != "〇" else "0" for c in frac)
        if "-1" in digits:
            return None
        value = value + Decimal("0." + digits)
    return value


def _arabic_to_decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def parse_number(text: str) -> Decimal | None:
    """A number written any common way: ``12``, ``１２``, ``十``, ``两``, ``一千零一十``,
    ``1,590,000``, ``10.015119``, ``159万``; None when the text is not just a number."""
    s = _norm_text(str(text))
    if not s:
        return None
    if re.fullmatch(_ARABIC, s):
        return _arabic_to_decimal(s)
    m = re.fullmatch(rf"({_ARABIC})([万亿千])", s)
    if m:
        base = _arabic_to_decimal(m.group(1))
        return None if base is None else _clean(base * MAGNITUDE[m.group(2)])
    m = re.fullmatch(rf"百分之({_ARABIC}|{_CN})", s)
    if m:
        return parse_number(m.group(1))
    if re.fullmatch(_CN, s):
        return _cn_to_decimal(s)
    return None


def parse_amount_yuan(text: str) -> Decimal | None:
    """A money answer in 元: ``159万`` / ``159万元`` / ``一百五十九万元`` → 1590000,
    ``1590000元`` / ``1,590,000`` → 1590000 (a bare number is 元). None when unreadable."""
    s = _norm_text(str(text))
    s = re.sub(r"^(?:约|共|共计|合计|总计|计|¥|￥|人民币|RMB)+", "", s)
    s = re.sub(r"(?:元|人民币|RMB)?整?$", "", s)
    return parse_number(s)  # 159万 / 一百五十九万: parse_number applies the 万


# --- dates ------------------------------------------------------------------------


def _month_end(year: int, month: int) -> datetime.date | None:
    if not (1 <= month <= 12 and 1900 <= year <= 2100):
        return None
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        if not 1900 <= year <= 2100:
            return None
        return datetime.date(year, month, day)
    except ValueError:
        return None


_DATE_RE = re.compile(
    r"(?P<yy>(?<!\d)(?P<y0>\d{4})年?(?:-|~|至|到)(?P<y0b>\d{4})年(?:度)?(?![\d月]))|"
    r"(?P<ymd>(?<!\d)(?P<y1>\d{4})年(?P<m1>\d{1,2})月(?P<d1>\d{1,2})日)"
    r"|(?P<ymds>(?<![\d.])(?P<y2>\d{4})(?P<s2>[.\-/])(?P<m2>\d{1,2})(?P=s2)(?P<d2>\d{1,2})"
    r"(?![\d.万亿千元%]))"
    r"|(?P<yq>(?<!\d)(?P<y3>\d{4})年(?:度)?第?(?P<q3>[一二三四1-4])季度(?:末|底)?)"
    r"|(?P<yh>(?<!\d)(?P<y4>\d{4})年(?:度)?(?P<h4>上半年|下半年))"
    r"|(?P<ym>(?<!\d)(?P<y5>\d{4})年(?:度)?(?P<m5>\d{1,2})月(?:份)?(?:底|末)?)"
    r"|(?P<yms>(?<![\d.])(?P<y6>\d{4})[.\-/](?P<m6>\d{1,2})(?![\d万亿千元%]|\.\d))"
    r"|(?P<yend>(?<!\d)(?P<y7>\d{4})年(?:度)?(?:年底|年末|底|末|全年|年内|内))"
    r"|(?P<year>(?<!\d)(?P<y8>\d{4})年(?:度)?)"
    r"|(?P<mr>(?<![\d.])(?P<ma>\d{1,2})月?(?:-|~|至|到)(?P<mb>\d{1,2})月(?:份)?(?:底|末)?)"
    r"|(?P<md>(?<![\d.])(?P<m9>\d{1,2})月(?P<d9>\d{1,2})日)"
    r"|(?P<mds>(?<=[-~至到])(?P<m10>\d{1,2})[.\-/](?P<d10>\d{1,2})(?![\d.]))"
    r"|(?P<mcn>(?P<m11>[一二三四五六七八九十]{1,3})月(?:(?P<d11>[一二三四五六七八九十]{1,3})日|底|末))"
    r"|(?P<m>(?<![\d.])(?P<m12>\d{1,2})月(?:份)?(?:底|末)?)"
    r"|(?P<q>第?(?P<q13>[一二三四])季度(?:末|底)?)"
    r"|(?P<h>(?P<h14>上半年|下半年))"
    r"|(?P<end>年底|年末|年度内|年内|全年)"
    r"|(?P<rel>次年|翌年|下一年|下年|明年|当年|本年|今年)(?:度)?"
)
_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass
class _DateHit:
    start: int
    end: int
    date: datetime.date | None
    plain_year: bool = False
    first: datetime.date | None = None  # the first day the expression covers (2024年3月 → 3月1日)


def _scan_dates(s: str, default_year: int | None) -> list[_DateHit]:
    """Every date expression in normalised text, resolved where a year is known.

    A year stated earlier in the text (``2021年1月-12月``) is the context for later ones.
    """
    hits: list[_DateHit] = []
    year = default_year
    for m in _DATE_RE.finditer(s):
        g = m.groupdict()
        d: datetime.date | None = None
        first: datetime.date | None = None
        plain = False
        if g["yy"]:  # 2023-2024年: a span of years, like a plain year it is context
            year = int(g["y0b"])
            d = _month_end(year, 12)
            first = _safe_date(int(g["y0"]), 1, 1)
            plain = True
        elif g["ymd"]:
            year = int(g["y1"])
            d = _safe_date(year, int(g["m1"]), int(g["d1"]))
        elif g["ymds"]:
            year = int(g["y2"])
            d = _safe_date(year, int(g["m2"]), int(g["d2"]))
        elif g["yq"]:
            year = int(g["y3"])
            d = _month_end(year, _QUARTER[g["q3"]] * 3)
        elif g["yh"]:
            year = int(g["y4"])
            d = _month_end(year, 6 if g["h4"] == "上半年" else 12)
        elif g["ym"]:
            year = int(g["y5"])
            d = _month_end(year, int(g["m5"]))
        elif g["yms"]:
            year = int(g["y6"])
            d = _month_end(year, int(g["m6"]))
        elif g["yend"]:
            year = int(g["y7"])
            d = _month_end(year, 12)
        elif g["year"]:
            year = int(g["y8"])
            d = _month_end(year, 12)
            plain = True
        elif g["mr"]:  # 1-12月: a period of months in the (context) year
            d = _month_end(year, int(g["mb"])) if year else None
            first = _safe_date(year, int(g["ma"]), 1) if year and 1 <= int(g["ma"]) <= 12 else None
        elif g["md"]:
            d = _safe_date(year, int(g["m9"]), int(g["d9"])) if year else None
        elif g["mds"]:
            d = _safe_date(year, int(g["m10"]), int(g["d10"])) if year else None
        elif g["mcn"]:
            month = _cn_small(g["m11"])
            if year and month:
                if g["d11"]:
                    day = _cn_small(g["d11"])
                    d = _safe_date(year, month, day) if day else None
                else:
                    d = _month_end(year, month)
        elif g["m"]:
            d = _month_end(year, int(g["m12"])) if year else None
        elif g["q"]:
            d = _month_end(year, _QUARTER[g["q13"]] * 3) if year else None
        elif g["h"]:
            d = _month_end(year, 6 if g["h14"] == "上半年" else 12) if year else None
        elif g["end"]:
            d = _month_end(year, 12) if year else None
        elif g["rel"]:
            if year and g["rel"] in ("次年", "翌年", "下一年", "下年", "明年"):
                year += 1
        if first is None and d is not None:
            first = _first_day(g, d)
        hits.append(_DateHit(m.start(), m.end(), d, plain, first))
    return hits


def _first_day(g: dict[str, str | None], d: datetime.date) -> datetime.date:
    """The first day a resolved expression covers: a day is itself, a month starts on the
    1st, a quarter or half-year on its first month, a year on 1 January."""
    if g["ymd"] or g["ymds"] or g["md"] or g["mds"] or (g["mcn"] and g["d11"]):
        return d
    if g["yq"] or g["q"]:
        return datetime.date(d.year, d.month - 2, 1)
    if g["yh"] or g["h"]:
        return datetime.date(d.year, d.month - 5, 1)
    if g["yend"] or g["year"] or g["end"]:
        return datetime.date(d.year, 1, 1)
    return datetime.date(d.year, d.month, 1)


def _cn_small(text: str) -> int | None:
    value = _cn_to_decimal(text)
    return int(value) if value is not None else None


def find_dates(text: str, default_year: int | None = None) -> list[datetime.date]:
    """Dates named anywhere in a text (indicator names, goal text, values), in order.

    ``2024年12月底前`` → 2024-12-31, ``2024年6月底`` → 2024-06-30, ``2024年全年`` → 2024-12-31,
    ``12月15日前`` → needs ``default_year`` (or a year earlier in the text). A bare year
    (``2024年乡村振兴…``) is context, not a date. Never raises.
    """
    try:
        hits = _scan_dates(_norm_text(str(text)), default_year)
    except Exception:  # noqa: BLE001 - the grammar never raises on user text
        return []
    return [h.date for h in hits if h.date is not None and not h.plain_year]
