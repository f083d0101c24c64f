"""The activity tokenizer: one phrase → named tokens (money, counts with units, per-unit prices,
lump sums), each a single left-to-right regex pass, so parsing is linear in the text's size.

"10期培训，每期100人2天，450元/人/天" → counts 10期, 每期100人, 2天 and money 450元/人/天 (a
rate); "共159万元" is a lump sum; "每台9400元" a per-unit price. Numbers go through the value
grammar, so 十期, 两台, 一千零一十 work; 万 multiplies (2万平方米 = 20000平方米).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal

from assistant.value_text import WAN
from assistant.values import parse_number

_CN_DIGITS = "零〇一二两三四五六七八九十百千万"
NUM = rf"(?:\d+(?:\.\d+)?|[{_CN_DIGITS}]+)"
_NO_NUM_BEFORE = rf"(?<![第\d{_CN_DIGITS}.])"
# units a price can be "per" (元/台, 每人每天) and a count can carry (10期, 5台, 5500吨);
# longer units first so 平方米 is not read as 米
PER = (
    "人次|人|天|期|批次|班次|场次|次|台|套|件|部|辆|项|份|个月|个|篇|册|本|场|批|年|月|班|张|把|组|块|轮|趟"
    "|户|名|栋|幢|公里|平方米|立方米|米|座|处|所|间|条|亩|口|村|吨|千克|公斤|株|棵|盏|箱|袋|头|只|门|课时"
)
TOTAL_WORDS = ("共计", "合计", "总计", "总共", "总额", "共", "计")
PRICE_WORDS = ("单价", "标准", "定额")

_MONEY = re.compile(
    _NO_NUM_BEFORE
    + r"(?P<kw>单价|标准|定额|共计|合计|总计|总共|总额|共|计)?(?:为|是|约)?"
    + rf"(?P<num>{NUM})(?P<wan>万)?元"
    + rf"(?P<post>/(?:{PER})(?:[/·]?(?:{PER})){{0,2}}|(?:每(?:{PER})){{1,3}}|(?:一|1)(?:{PER}))?"
)
_PRE_PER = re.compile(
    rf"((?:每(?:{PER}))+)(?:的)?(?:补助|补贴|津贴|资助|奖补|发放)?(?:单价|标准|定额|费用|价格|花费)?"
    r"(?:为|是|约)?$"
)
_COUNT = re.compile(
    _NO_NUM_BEFORE
    + rf"(?P<pre>每(?:{PER}))?(?P<tot>共计|合计|总计|共|计|约)?"
    + rf"(?P<num>{NUM})(?P<wan>(?<=\d)万)?(?P<unit>{PER})"
    + rf"(?P<post>(?:/(?:{PER}))*)"
)
_TOTAL_BEFORE = re.compile(r"(?:共|合计|总计)[^\d,，;；每]{0,4}$")  # "共培训1000人"
# how many months a monthly standard is paid: "12个月", "发12个月", "全年12月"; never 每月 or the
# month of a date (2024年3月)
_MONTHS = re.compile(
    rf"(?<![年每\d{_CN_DIGITS}.])(?:(?:发放?|共|全年|按)?(?P<n>{NUM})个月|(?:发放?|共|全年)(?P<k>{NUM})月)"
)
_UNIT_ALIASES = {"名": "人", "个月": "月", "公斤": "千克"}


def normalize_text(text: str) -> str:
    """Full-width → half-width, unify slashes and dots, drop spaces inside numbers."""
    text = unicodedata.normalize("NFKC", text or "")
    text = text.replace("／", "/").replace("每人/天", "/人/天").replace("人·天", "人/天")
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    text = re.sub(rf"每生(?=每|\d|[{_CN_DIGITS}])", "每人", text)  # 每生每年3000元 (per student)
    return re.sub(r"[ \t]+", "", text)  # "5000 元" → "5000元"; lines still separate activities


def to_number(token: str) -> Decimal | None:
    """A numeral token (``10``, ``1480.75``, ``十``, ``两``, ``一千零一十``) → Decimal."""
    token = token.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", token):
        return Decimal(token)
    return parse_number(token)


def unit_of(word: str) -> str:
    """The canonical unit: 名 → 人, 个月 → 月."""
    return _UNIT_ALIASES.get(word, word)


def per_units(text: str) -> tuple[str, ...]:
    """ "/人/天" or "每人每天" or "一台" → (人, 天) / (台,); 每人每次 → (人次,)."""
    text = text.replace("每", "/").replace("·", "/")
    if text[:1] in ("一", "1"):
        text = "/" + text[1:]
    units = tuple(unit_of(u) for u in re.findall(PER, text))
    if sorted(units) == ["人", "次"]:
        return ("人次",)
    return units


@dataclass(frozen=True)
class Money:
    """An amount in 元: a rate (元/人/天), a per-unit price (每台9400元), a lump sum (共159万元)."""

    start: int
    end: int
    raw: str
    value: Decimal
    per: tuple[str, ...]
    keyword: str  # 单价, 标准, 共计 … as written before the number
    # a monthly standard made yearly (每人每月200元 × 12个月): the months and where they were said
    months: Decimal | None = None
    months_span: tuple[int, int] | None = None

    @property
    def is_rate(self) -> bool:
        return "人" in self.per and ("天" in self.per or "日" in self.per)

    @property
    def is_priced(self) -> bool:
        """ "单价9400元": a price per unit whose unit is not said."""
        return not self.per and self.keyword in PRICE_WORDS

    @property
    def is_total(self) -> bool:
        return not self.per and self.keyword in TOTAL_WORDS

    @property
    def is_lump(self) -> bool:
        """A total, said as one (共90万元) or bare (3000元)."""
        return not self.per and self.keyword not in PRICE_WORDS


@dataclass(frozen=True)
class Count:
    """A number with its unit: 10期, 每期100人 (``each``), 共培训1000人 (``total``)."""

    start: int
    end: int
    raw: str
    value: Decimal
    unit: str
    each: bool
    total: bool


@dataclass(frozen=True)
class Tokens:
    """A phrase's tokens, in the order written."""

    text: str
    money: tuple[Money, ...]
    counts: tuple[Count, ...]

    @property
    def rate(self) -> Decimal | None:
        return next((m.value for m in self.money if m.is_rate), None)

    @property
    def unit_price(self) -> Money | None:
        """The first price per one unit (每台9400元, 2600元/台)."""
        return next((m for m in self.money if len(m.per) == 1), None)

    @property
    def priced(self) -> Decimal | None:
        return next((m.value for m in self.money if m.is_priced), None)

    @property
    def total(self) -> Decimal | None:
        """The lump sum: one said as a total first, else a bare amount."""
        said = next((m.value for m in self.money if m.is_total), None)
        return said if said is not None else next((m.value for m in self.money if m.is_lump), None)

    def spans(self) -> list[tuple[int, int]]:
        months = [m.months_span for m in self.money if m.months_span is not None]
        return sorted(
            [(m.start, m.end) for m in self.money]
            + [(c.start, c.end) for c in self.counts]
            + months
        )


def _months(text: str) -> tuple[Decimal, tuple[int, int]] | None:
    """How many months (1 to 12) the text says a monthly standard is paid, and where."""
    m = _MONTHS.search(text)
    if m is None:
        return None
    value = to_number(m.group("n") or m.group("k"))
    return (value, m.span()) if value is not None and 0 < value <= 12 else None


def _yearly(money: Money, text: str) -> Money:
    """ "每人每月200元" with "12个月" in the same text → 2400元 per 人: a standard per unit per
    month times the months said; a price per month alone (每月2万元, a rent) is left as it is,
    and so is one whose months are not said (the yearly standard is then asked)."""
    if "月" not in money.per or len(money.per) != 2 or money.per.count("月") != 1:
        return money
    months = _months(text)
    if months is None:
        return money
    per = tuple(p for p in money.per if p != "月")
    return replace(
        money, value=money.value * months[0], per=per, months=months[0], months_span=months[1]
    )


def money_tokens(text: str, *, yearly: bool = True) -> tuple[Money, ...]:
    """Every amount of money in ``text`` (already normalized); ``yearly``: a monthly standard
    whose months are said is multiplied into the yearly one."""
    out = []
    for m in _MONEY.finditer(text):
        value = to_number(m.group("num"))
        if value is None:
            continue
        if m.group("wan"):
            value *= WAN
        per = per_units(m.group("post") or "")
        if not per:
            pre = _PRE_PER.search(text[max(0, m.start() - 12) : m.start()])
            if pre:
                per = per_units(pre.group(1))
        if len(per) == 2 and per[1] == "年":  # 每人每年2000元: the budget year's price per 人
            per = per[:1]
        money = Money(m.start(), m.end(), m.group(0), value, per, m.group("kw") or "")
        out.append(_yearly(money, text) if yearly else money)
    return tuple(out)


def count_tokens(text: str, money: tuple[Money, ...] = ()) -> tuple[Count, ...]:
    """Every count in ``text`` outside the money tokens; a year (2024年) is not a count, nor
    the months a monthly standard was multiplied by."""
    starts = [m.start for m in money]
    used = [m.months_span for m in money if m.months_span is not None]
    out = []
    for m in _COUNT.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in used):
            continue
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and money[i].end > m.start():
            continue
        j = bisect.bisect_left(starts, m.start())
        if j < len(money) and money[j].start < m.end():
            continue
        value = to_number(m.group("num"))
        if value is None:
            continue
        if m.group("wan"):
            value *= WAN
        unit = unit_of(m.group("unit"))
        if unit == "年" and value >= 100:
            continue
        total = (m.group("tot") or "") not in ("", "约") or bool(
            _TOTAL_BEFORE.search(text[max(0, m.start() - 6) : m.start()])
        )
        out.append(Count(m.start(), m.end(), m.group(0), value, unit, bool(m.group("pre")), total))
    return tuple(out)


def tokenize(text: str) -> Tokens:
    """Money first, then the counts the money does not cover."""
    money = money_tokens(text)
    return Tokens(text, money, count_tokens(text, money))


def first_money(text: str, *, yearly: bool = True) -> tuple[Decimal, tuple[str, ...], bool] | None:
    """The first amount in a follow-up answer: (元, per-units, said as a total)."""
    tokens = money_tokens(text, yearly=yearly)
    if not tokens:
        return None
    m = tokens[0]
    return m.value, m.per, m.is_total or bool(re.search(r"共|合计|总计|总额", text) and not m.per)


def first_count(text: str) -> tuple[Decimal, str] | None:
    """The first number with a unit (5500吨, 两台) in a follow-up answer."""
    counts = count_tokens(text)
    if counts:
        return counts[0].value, counts[0].unit
    m = re.search(rf"({NUM})(万)?([\u4e00-\u9fff]{{1,2}})", text)  # 3辆车, 12头牛: any measure word
    if m and (value := to_number(m.group(1))) is not None:
        return value * (WAN if m.group(2) else 1), m.group(3)[:1]
    return None


def bare_number(text: str) -> Decimal | None:
    """A number without unit ("300", "3万")."""
    m = re.search(NUM, text)
    if not m:
        return None
    value = to_number(m.group(0))
    if value is not None and text[m.end() : m.end() + 1] == "万":
        value *= WAN
    return value
