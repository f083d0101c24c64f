"""Understand activities described in free text, and draft the quantity and cost rows.

"10期培训，每期100人2天，450元/人/天" → a training activity (10期 × 100人 × 2天 × 450元),
which drafts the quantity row ``10期、100人/期/天、2天`` and the cost row ``450元/人/天``;
"补助脱贫户120户，每户3000元" → a subsidy (``脱贫户补助发放户数 120户`` / ``3000元/户``);
"道路硬化3公里，每公里50万元" → a construction/repair work (``3公里`` / ``500000元/公里``);
Σ(quantity × unit cost) over all activities is compared with the money asked for.
Numbers go through the value grammar (``assistant.values``), so 十期, 两台, 一千零一十 work.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel

from assistant.interview.schema import ActivityType, FollowUp
from assistant.model import Indicator, Provenance
from assistant.values import parse_number

ActivityKind = Literal["training", "fieldwork", "equipment", "service", "subsidy", "works", "other"]

WAN = Decimal(10000)

_CN_DIGITS = "零〇一二两三四五六七八九十百千万"
NUM = rf"(?:\d+(?:\.\d+)?|[{_CN_DIGITS}]+)"
_NO_NUM_BEFORE = rf"(?<![第\d{_CN_DIGITS}.])"
# units a price can be "per" (元/台, 每人每天)
PER = (
    "人次|人|天|期|次|台|套|件|部|辆|项|份|个|篇|册|本|场|批|年|班|张|把|组|块|轮|趟"
    "|户|名|栋|幢|公里|平方米|立方米|米|座|处|所|间|条|亩|口|村"
)
# units a count can carry (10期, 5台, 13份)
COUNT_UNITS = PER
EQUIPMENT_UNITS = {"台", "套", "件", "部", "辆", "张", "把", "组", "块"}
PERIOD_UNITS = {"期", "班", "轮"}
TIMES_UNITS = {"次", "趟"}
# kinds counted in a unit and priced per unit: quantity row "N<unit>", cost row "元/<unit>"
COUNTED_KINDS = ("equipment", "service", "subsidy", "works")
# a subsidy phrase's unit price may be stated per year too (每人每年2000元 → 2000元/人)
_YEAR = "年"

_MONEY = re.compile(
    _NO_NUM_BEFORE
    + r"(?P<kw>单价|标准|定额|共计|合计|总计|总共|总额|共|计)?(?:为|是|约)?"
    + rf"(?P<num>{NUM})(?P<wan>万)?元"
    + rf"(?P<post>/(?:{PER})(?:[/·]?(?:{PER})){{0,2}}|(?:每(?:{PER})){{1,3}}|(?:一|1)(?:{PER}))?"
)
_PRE_PER = re.compile(
    rf"((?:每(?:{PER}))+)(?:的)?(?:补助|补贴|资助|奖补|发放)?(?:单价|标准|定额|费用|价格|花费)?"
    r"(?:为|是|约)?$"
)
_COUNT = re.compile(
    _NO_NUM_BEFORE
    + rf"(?P<pre>每(?:{PER}))?(?P<tot>共计|合计|总计|共|计|约)?"
    + rf"(?P<num>{NUM})(?P<unit>{COUNT_UNITS})"
    + rf"(?P<post>(?:/(?:{PER}))*)"
)
_TOTAL_BEFORE = re.compile(r"(?:共|合计|总计)[^\d,，;；每]{0,4}$")  # "共培训1000人"
_SPLIT = re.compile(r"[\n;；。]+")
_LEAD_NUMBER = re.compile(
    r"^\s*(?:[（(]?\d{1,2}[)）.、]|[（(]?[一二三四五六七八九十]{1,2}[)）、.]|第[一二三四五六七八九十\d]+项[:：,，]?)\s*"
)
_LEAD_FILLER = re.compile(
    r"^(?:的|另外|另|还要|还有|以及|并|共计|共|拟|计划|准备|需要|要|举办|开展|组织|召开|实施|购买|采购|购置|买|添置|更新|更换|配置|进行|完成|委托|支付)+"
)
_TAIL_FILLER = re.compile(r"(?:共计|合计|总计|共|计|各|约|为|是|的|等)+$")
_PUNCT = re.compile(r"[,，:：\s]+")


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


def fmt(number: Decimal) -> str:
    """Decimal → plain text, no exponent or trailing zeros (1480.750 → "1480.75")."""
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


class Activity(BaseModel):
    """One activity with what is known so far; missing details become follow-up questions."""

    kind: ActivityKind
    name: str
    raw: str
    periods: Decimal | None = None  # training: 期数
    people: Decimal | None = None  # training: 每期人数; field work: 每次人数
    days: Decimal | None = None  # training: 每期天数; field work: 每次天数
    rate: Decimal | None = None  # 元/人/天 (training) or 元/天/人 (field work)
    times: Decimal | None = None  # field work: 次数
    count: Decimal | None = None  # equipment / service: 数量
    unit: str | None = None  # its unit (台, 套, 项, 份, 期 …)
    price: Decimal | None = None  # 元 per unit
    amount: Decimal | None = None  # 元 in total (other; or an item given only as a total)
    asked: list[str] = []  # details that were missing from the description (follow-up fields)
    source: str = "activities"  # the question that described it (activities, extras, …)

    # -- what is still missing ---------------------------------------------------
    def missing(self, types: dict[str, ActivityType]) -> list[FollowUp]:
        """Follow-ups still to ask, in script order."""
        out = []
        for fu in types[self.kind].follow_ups if self.kind in types else []:
            if fu.field == "price" and self.amount is not None:
                continue
            if getattr(self, fu.field, None) is None:
                out.append(fu)
        return out

    def set_field(self, field: str, text: str) -> str | None:
        """Fill one detail from a follow-up answer; a Chinese reason when it does not parse."""
        text = normalize_text(text)
        if field in ("rate", "price", "amount"):
            money = _first_money(text)
            if money is None:
                bare = _bare_number(text)
                if bare is None:
                    return "没有看出金额"
                money = (bare, [], False)
            value, per, is_total = money
            if value <= 0:
                return "金额应大于0"
            if field == "price" and is_total:
                self._set_total(value)
            elif field == "amount":
                self.amount = value
            else:
                setattr(self, field, value)
                if field == "price" and per and not self.unit:
                    self.unit = per[0]
            return None
        found = _first_count(text)
        number, unit = found if found else (_bare_number(text), None)
        if number is None:
            return "没有看出数字"
        if number <= 0:
            return "数量应大于0"
        setattr(self, field, number)
        if field == "count" and unit:
            self.unit = unit
        if field == "count" and self.kind in ("subsidy", "works") and self.price is None:
            if self.amount is not None:  # "共60万元" given first, the count now divides it
                total, self.amount = self.amount, None
                self._set_total(total)
        self.infer_rate()
        return None

    def infer_rate(self) -> None:
        """The per-person-day standard from a stated total ("共90万元"), once the other factors
        are known and the division comes out to the 分."""
        if self.kind not in ("training", "fieldwork") or self.rate is not None:
            return
        factors = (
            [self.periods, self.people, self.days]
            if self.kind == "training"
            else [self.times, self.days, self.people]
        )
        if self.amount is None or any(not f for f in factors):
            return
        rate = self.amount / (factors[0] * factors[1] * factors[2])
        if rate == rate.quantize(Decimal("0.01")):
            self.rate = rate

    def _set_total(self, total: Decimal) -> None:
        """A total for counted items: unit price if it divides evenly to the 分, else the total."""
        if self.count:
            each = total / self.count
            if each == each.quantize(Decimal("0.01")):
                self.price = each
                return
        self.amount = total

    # -- arithmetic and rows -----------------------------------------------------------
    @property
    def complete(self) -> bool:
        return self.subtotal() is not None

    def subtotal(self) -> Decimal | None:
        """元 this activity costs: the product of its quantity and unit cost."""
        if self.kind == "training":
            parts = [self.periods, self.people, self.days, self.rate]
        elif self.kind == "fieldwork":
            parts = [self.times, self.days, self.people, self.rate]
        elif self.kind in COUNTED_KINDS:
            if self.amount is not None and self.count is not None:
                return self.amount
            parts = [self.count, self.price]
        else:
            return self.amount
        if any(p is None for p in parts):
            return None
        total = Decimal(1)
        for p in parts:
            total *= p
        return total

    def quantity_value(self) -> str:
        """The 数量指标 value, in the seed's wording."""
        if self.kind == "training":
            per_day = "人/天" if self.periods == 1 else "人/期/天"
            return f"{fmt(self.periods)}期、{fmt(self.people)}{per_day}、{fmt(self.days)}天"
        if self.kind == "fieldwork":
            return f"{fmt(self.times)}次, {fmt(self.days)}天/次, {fmt(self.people)}人/次"
        if self.kind in COUNTED_KINDS:
            return f"{fmt(self.count)}{self.unit or '项'}"
        return "1项"

    def quantity_name(self, name: str) -> str:
        """The 数量指标 name: a subsidy counts the people (households) it reaches."""
        if self.kind != "subsidy" or re.search(r"(?:人数|户数|人次|数量)$", name):
            return name
        suffixes = {"人": "发放人数", "人次": "发放人次", "户": "发放户数"}
        return name + suffixes.get(self.unit or "", "数量")

    def cost_value(self) -> str:
        """The 成本指标 value: the unit cost the quantity row multiplies."""
        if self.kind == "training":
            return f"{fmt(self.rate)}元/人/天"
        if self.kind == "fieldwork":
            return f"{fmt(self.rate)}元/天/人"
        if self.kind in COUNTED_KINDS:
            if self.price is not None:
                return f"{fmt(self.price)}元/{self.unit or '项'}"
            return f"{fmt(self.amount)}元"
        return f"{fmt(self.amount)}元"

    def people_total(self) -> Decimal | None:
        """People trained (期 × 每期人数), for the goal sentence."""
        if self.kind == "training" and self.periods is not None and self.people is not None:
            return self.periods * self.people
        return None

    def describe(self) -> str:
        """A short Chinese restatement: what was understood."""
        sub = self.subtotal()
        tail = f"，小计{fmt(sub)}元" if sub is not None else "（信息还不全）"
        if self.kind == "training":
            bits = [
                f"{fmt(self.periods)}期" if self.periods is not None else "期数待定",
                f"每期{fmt(self.people)}人" if self.people is not None else "人数待定",
                f"{fmt(self.days)}天" if self.days is not None else "天数待定",
                f"{fmt(self.rate)}元/人/天" if self.rate is not None else "标准待定",
            ]
        elif self.kind == "fieldwork":
            bits = [
                f"{fmt(self.times)}次" if self.times is not None else "次数待定",
                f"每次{fmt(self.days)}天" if self.days is not None else "天数待定",
                f"{fmt(self.people)}人" if self.people is not None else "人数待定",
                f"{fmt(self.rate)}元/天/人" if self.rate is not None else "标准待定",
            ]
        elif self.kind in COUNTED_KINDS:
            bits = [
                f"{fmt(self.count)}{self.unit or '项'}" if self.count is not None else "数量待定"
            ]
            each = "标准" if self.kind == "subsidy" else "单价"
            if self.price is not None:
                bits.append(f"{each}{fmt(self.price)}元")
            elif self.amount is not None:
                bits.append(f"共{fmt(self.amount)}元")
            else:
                bits.append(f"{each}待定")
        else:
            bits = [f"{fmt(self.amount)}元" if self.amount is not None else "金额待定"]
        label = {
            "training": "培训",
            "fieldwork": "调研督导",
            "equipment": "设备购置",
            "service": "服务",
            "subsidy": "补助发放",
            "works": "工程建设维修",
            "other": "其他",
        }[self.kind]
        return f"「{self.name}」（{label}）：" + "、".join(bits) + tail


# --- parsing --------------------------------------------------------------------


def _per_units(text: str) -> list[str]:
    """ "/人/天" or "每人每天" or "一台" → ["人", "天"] / ["台"]."""
    text = text.replace("每", "/").replace("·", "/")
    if text[:1] in ("一", "1"):
        text = "/" + text[1:]
    units = ["人" if u == "名" else u for u in re.findall(PER, text)]
    if sorted(units) == ["人", "次"]:  # 每人每次 → 人次
        return ["人次"]
    return units


def _money_tokens(text: str) -> list[tuple[re.Match, Decimal, list[str], bool]]:
    """Every money amount: (match, 元, per-units, is_total)."""
    out = []
    for m in _MONEY.finditer(text):
        value = to_number(m.group("num"))
        if value is None:
            continue
        if m.group("wan"):
            value *= WAN
        per = _per_units(m.group("post") or "")
        if not per:
            pre = _PRE_PER.search(text[max(0, m.start() - 12) : m.start()])
            if pre:
                per = _per_units(pre.group(1))
        kw = m.group("kw") or ""
        is_total = not per and kw in ("共计", "合计", "总计", "总共", "总额", "共", "计")
        out.append((m, value, per, is_total))
    return out


def _first_money(text: str) -> tuple[Decimal, list[str], bool] | None:
    tokens = _money_tokens(text)
    if not tokens:
        return None
    _, value, per, is_total = tokens[0]
    return value, per, is_total or bool(re.search(r"共|合计|总计|总额", text) and not per)


def _bare_number(text: str) -> Decimal | None:
    m = re.search(NUM, text)
    if not m:
        return None
    value = to_number(m.group(0))
    if value is not None and text[m.end() : m.end() + 1] == "万":
        value *= WAN
    return value


def _count_tokens(text: str, covered: list[tuple[int, int]]):
    out = []
    for m in _COUNT.finditer(text):
        if any(a <= m.start() < b or a < m.end() <= b for a, b in covered):
            continue
        unit = "人" if m.group("unit") == "名" else m.group("unit")
        value = to_number(m.group("num"))
        if value is None:
            continue
        if unit == "年" and value >= 100:  # a year such as 2024年, not a duration
            continue
        total = (m.group("tot") or "") not in ("", "约") or bool(
            _TOTAL_BEFORE.search(text[max(0, m.start() - 6) : m.start()])
        )
        out.append(
            (m, value, unit, "共" if total else (m.group("pre") or ""), m.group("post") or "")
        )
    return out


def _first_count(text: str) -> tuple[Decimal, str] | None:
    tokens = _count_tokens(text, [])
    return (tokens[0][1], tokens[0][2]) if tokens else None


def _has(text: str, words: list[str]) -> bool:
    return any(w in text for w in words)


def parse_activity(raw: str, types: dict[str, ActivityType]) -> Activity | None:
    """One activity phrase → Activity (details it lacks stay None); None for empty text."""
    text = normalize_text(_LEAD_NUMBER.sub("", raw.strip()))
    if not re.search(r"[\u4e00-\u9fffA-Za-z]", text):
        return None
    monies = _money_tokens(text)
    covered = [(m.start(), m.end()) for m, *_ in monies]
    counts = _count_tokens(text, covered)

    rate = next(
        (v for _, v, per, _ in monies if "人" in per and ("天" in per or "日" in per)), None
    )
    unit_price = next(((v, per) for _, v, per, _ in monies if len(per) == 1), None)
    priced_kw = next(
        (
            v
            for m, v, per, tot in monies
            if not per and (m.group("kw") or "") in ("单价", "标准", "定额")
        ),
        None,
    )
    total = next((v for _, v, per, tot in monies if not per and tot), None)
    if total is None:  # a bare amount ("3000元") is a total too
        total = next(
            (
                v
                for m, v, per, _ in monies
                if not per and (m.group("kw") or "") not in ("单价", "标准", "定额")
            ),
            None,
        )

    periods = people = days = times = None
    count = unit = None
    people_total = None
    for _, value, cu, pre, _post in counts:
        if cu == "人" and pre == "共":  # "共培训1010人": all periods together
            people_total = people_total if people_total is not None else value
        elif cu in PERIOD_UNITS:
            periods = periods if periods is not None else value
            if count is None:
                count, unit = value, cu
        elif cu == "人":
            people = people if people is not None else value
        elif cu == "天":
            days = days if days is not None else value
        elif cu in TIMES_UNITS:
            times = times if times is not None else value
            if count is None:
                count, unit = value, cu
        elif count is None or unit in PERIOD_UNITS or unit in TIMES_UNITS:
            count, unit = value, cu

    if unit_price is not None and unit != unit_price[1][0]:
        # "1.2米办公桌10张，每张800元": the count is the one in the unit the price is per
        same = next((t for t in counts if t[2] == unit_price[1][0] and t[3] != "每"), None)
        if same is not None:
            count, unit = same[1], same[2]

    training_kw = _has(text, types["training"].keywords) if "training" in types else False
    field_kw = _has(text, types["fieldwork"].keywords) if "fieldwork" in types else False
    equip_kw = _has(text, types["equipment"].keywords) if "equipment" in types else False
    service_kw = (
        _has(text.replace("服务器", ""), types["service"].keywords) if "service" in types else False
    )
    is_fee = "费" in text
    counted = _counted_kind(text, types, monies, counts, count, unit, training_kw, is_fee)

    kind: ActivityKind
    if rate is not None or (people is not None and days is not None and not is_fee):
        if (
            training_kw
            or (periods is not None and not field_kw)
            or (times is None and not field_kw)
        ):
            kind = "training"
        else:
            kind = "fieldwork"
    elif training_kw and not is_fee and unit_price is None and priced_kw is None:
        kind = "training"  # "培训10期，共90万元": the missing details are asked
    elif counted is not None:
        kind = counted[0]
    elif unit_price is not None or (
        count is not None and (priced_kw is not None or total is not None)
    ):
        u = unit_price[1][0] if unit_price else unit
        goods = equip_kw and not is_fee and not service_kw
        kind = "equipment" if (u in EQUIPMENT_UNITS or goods) else "service"
    elif training_kw and not is_fee:
        kind = "training"
    elif field_kw and not is_fee and (times is not None or count is None):
        kind = "fieldwork"
    elif (
        count is not None
        and unit in EQUIPMENT_UNITS
        or (equip_kw and not is_fee and count is None and total is None)
    ):
        kind = "equipment"
    elif count is not None or (service_kw and total is None):
        kind = "service"
    else:
        kind = "other"

    act = Activity(kind=kind, name="", raw=raw.strip())
    if kind == "training":
        if periods is None and re.search(r"第\s*[0-9一二三四五六七八九十]+\s*期", text):
            periods = Decimal(1)  # "乡村建设示范培训班第1期" is one period
        if people is None and people_total is not None and periods:
            each = people_total / periods
            people = each if each == each.to_integral_value() else None
        act.periods, act.people, act.days, act.rate = periods, people, days, rate
        act.amount = total if rate is None else None
    elif kind == "fieldwork":
        act.times, act.people, act.days, act.rate = (
            times if times is not None else count,
            people,
            days,
            rate,
        )
        act.amount = total if rate is None else None
    elif kind in ("equipment", "service"):
        act.count, act.unit = count, unit
        if unit_price is not None:
            act.price = unit_price[0]
            act.unit = act.unit or unit_price[1][0]
        elif priced_kw is not None:
            act.price = priced_kw
        elif total is not None:
            act._set_total(total)
        if act.unit is None and kind == "equipment":
            act.unit = "台"
    elif counted is not None:
        _, found, per_unit = counted
        act.count, act.unit = found if found is not None else (None, None)
        if per_unit is not None:
            act.price = per_unit[0]
            act.unit = act.unit or per_unit[1]
        elif priced_kw is not None:
            act.price = priced_kw
        elif total is not None:
            act._set_total(total)
    else:
        act.amount = total if total is not None else (monies[0][1] if monies else None)
    act.infer_rate()
    act.name = _name(text, monies, counts, kind)
    return act


def _counted_kind(
    text: str,
    types: dict[str, ActivityType],
    monies,
    counts,
    count: Decimal | None,
    unit: str | None,
    training_kw: bool,
    is_fee: bool,
) -> tuple[ActivityKind, tuple[Decimal, str] | None, tuple[Decimal, str] | None] | None:
    """A subsidy (补助300人，每人2000元) or a construction/repair work (道路硬化3公里，
    每公里50万元): (kind, (count, unit), (unit price, its unit)) when the units fit the kind.

    The units configured for the type decide: a 补助 priced 每期 stays a per-period expense and a
    维修 of 10台 stays a purchase, as before these kinds existed."""
    for kind in ("subsidy", "works"):
        spec = types.get(kind)
        if spec is None or not _has(text, spec.keywords):
            continue
        units = set(spec.units)
        if kind == "works" and (
            training_kw
            or is_fee
            or _SOFT_WORKS.search(text)
            or ("service" in types and _has(text, types["service"].keywords))
        ):
            continue
        priced = [(v, per) for _, v, per, _ in monies if per]
        per_unit = None
        if priced:
            v, per = priced[0]
            if kind == "subsidy" and len(per) == 2 and _YEAR in per:
                per = [u for u in per if u != _YEAR]  # 每人每年2000元 → 2000元/人
            if len(per) != 1 or per[0] not in units:
                continue
            per_unit = (v, per[0])
        fits = [(v, u) for _, v, u, _, _ in counts if u in units]
        found = next((f for f in fits if per_unit and f[1] == per_unit[1]), None) or next(
            iter(fits), None
        )
        if (
            found
            and per_unit
            and found[1] != per_unit[1]
            and {found[1], per_unit[1]}
            != {
                "人",
                "人次",
            }
        ):
            found = None  # "补助120户，每人1000元": the number of people is still to be asked
        elif found is None and count is not None and unit not in units:
            continue  # counted in units of another kind (10期, 5台)
        if kind == "works" and found is None and per_unit is None and count is None:
            fw = types.get("fieldwork")
            if fw is not None and _has(text, fw.keywords):
                continue  # 巡查、监测 with no work units is field work
        return kind, found, per_unit
    return None


_SOFT_WORKS = re.compile(r"系统|平台|软件|网站|信息化|数据库|APP|小程序", re.IGNORECASE)
_SUBSIDY_VERB = re.compile(r"^(?:对|向|为|给)?(补助|资助|补贴|奖补|救助)(?!金|资金|款)")


_SUBSIDY_WORD = re.compile(r"助学金|奖学金|救助金|慰问金|补助|补贴|资助|奖补|救助")


def _subsidy_name(name: str, text: str) -> str:
    """ "对困难学生发放助学金" → "困难学生助学金"; "补助脱贫户" → "脱贫户补助";
    "农村户厕改造…每户补助1500元" → "农村户厕改造补助" (the row says what is paid)."""
    name = re.sub(r"^(?:对|向|为|给)", "", name).replace("发放", "")
    m = _SUBSIDY_VERB.match(name)
    if m and len(name) > m.end():
        name = name[m.end() :] + m.group(1)
    word = _SUBSIDY_WORD.search(text)
    if name and word and not _SUBSIDY_WORD.search(name):
        name += word.group(0)
    return name


def _name(text: str, monies, counts, kind: ActivityKind) -> str:
    """What is left once numbers, units and filler words are taken out."""
    spans = [(m.start(), m.end()) for m, *_ in monies] + [(m.start(), m.end()) for m, *_ in counts]
    keep = []
    last = 0
    for a, b in sorted(spans):
        if a >= last:
            keep.append(text[last:a])
            last = b
    keep.append(text[last:])
    parts = []
    for seg in _PUNCT.split(" ".join(keep)):
        seg = re.sub(rf"(?:每(?:{PER}))+(?:的)?(?:单价|标准|定额)?", "", seg)
        seg = re.sub(r"(?:单价|标准|定额|预算)$", "", seg)
        seg = re.sub(r"[(（]\s*[)）]", "", seg)
        seg = _TAIL_FILLER.sub("", _LEAD_FILLER.sub("", seg)).strip("/·.-、 ")
        if seg and re.search(r"[\u4e00-\u9fffA-Za-z]", seg):
            parts.append(seg)
    name = max(parts, key=len) if parts else ""  # the longest part (first on a tie)
    generic = {
        "training": "培训班",
        "fieldwork": "调研督导",
        "equipment": "设备购置",
        "service": "服务",
        "subsidy": "补助资金",
        "works": "工程项目",
        "other": "其他支出",
    }
    if not name:
        return generic[kind]
    if kind == "training" and name in ("培训", "轮训", "研修"):
        return "培训班"
    if kind == "subsidy":
        return _subsidy_name(name, text) or generic[kind]
    return name


def split_activities(text: str) -> list[str]:
    """Lines, semicolons and full stops separate activities."""
    return [p.strip() for p in _SPLIT.split(text or "") if p.strip()]


def parse_activities(text: str, types: dict[str, ActivityType]) -> list[Activity]:
    out = []
    for phrase in split_activities(text):
        act = parse_activity(phrase, types)
        if act is not None:
            out.append(act)
    return out


# --- rows and the money check ------------------------------------------------------


def row_name(activities: list[Activity], index: int) -> str:
    """Numbered ("1.xx培训班") when there are several, so cost rows pair with quantity rows."""
    name = activities[index].name
    return f"{index + 1}.{name}" if len(activities) > 1 else name


def draft_rows(
    activities: list[Activity], cost_level1: str, cost_level2: str
) -> tuple[list[Indicator], list[Indicator]]:
    """数量指标 rows and their matching 成本指标 rows, for the complete activities."""
    from assistant.model import L1_OUTPUT, L2_QUANTITY

    quantity, cost = [], []
    for i, act in enumerate(activities):
        if not act.complete:
            continue
        prov = Provenance(source="对话：项目活动", kind="user", note=f"根据您的描述测算：{act.raw}")
        name = row_name(activities, i)
        quantity.append(
            Indicator(
                level1=L1_OUTPUT,
                level2=L2_QUANTITY,
                name=act.quantity_name(name),
                value=act.quantity_value(),
                provenance=prov,
            )
        )
        cost.append(
            Indicator(
                level1=cost_level1,
                level2=cost_level2,
                name=name,
                value=act.cost_value(),
                provenance=prov,
            )
        )
    return quantity, cost


def activities_total(activities: list[Activity]) -> Decimal:
    """Σ subtotal in 元 over the complete activities."""
    return sum((a.subtotal() for a in activities if a.complete), Decimal(0))


def yuan_and_wan(yuan: Decimal) -> str:
    """ "1590000元（159万元）"."""
    return f"{fmt(yuan)}元（{fmt(yuan / WAN)}万元）"


def reconcile_message(
    total_yuan: Decimal, budget_wan: Decimal | None
) -> tuple[str, Decimal | None]:
    """A Chinese sentence comparing Σ with the budget, and the difference in 元 (or None)."""
    if budget_wan is None:
        return f"按活动测算合计{yuan_and_wan(total_yuan)}。", None
    budget_yuan = budget_wan * WAN
    diff = total_yuan - budget_yuan
    if diff == 0:
        return f"按活动测算合计{yuan_and_wan(total_yuan)}，与年度资金总额一致。", diff
    word = "多" if diff > 0 else "少"
    return (
        f"按活动测算合计{yuan_and_wan(total_yuan)}，比年度资金总额{fmt(budget_wan)}万元"
        f"{word}{yuan_and_wan(abs(diff))}。",
        diff,
    )
