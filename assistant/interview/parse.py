"""Free-text activities → ``Activity`` objects, from the tokens of ``tokens.py``.

"10期培训，每期100人2天，450元/人/天" → a training (10期 × 100人 × 2天 × 450元);
"补助脱贫户120户，每户3000元" → a subsidy; "道路硬化3公里，每公里50万元" → a work;
"畅通工程：村内道路硬化100公里、供水设施20座，共159万元" → two works whose prices are asked
(the 159万元 they share is kept to check the answers against).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from assistant.interview.activity import Activity
from assistant.interview.kinds import KINDS, ActivityKind
from assistant.interview.schema import ActivityType
from assistant.interview.tokens import PER, Tokens, normalize_text, tokenize

EQUIPMENT_UNITS = {"台", "套", "件", "部", "辆", "张", "把", "组", "块"}
PERIOD_UNITS = {"期", "班", "轮"}
TIMES_UNITS = {"次", "趟"}
_SPLIT = re.compile(r"[\n;；。]+")
_LEAD_NUMBER = re.compile(
    r"^\s*(?:[（(]?\d{1,2}[)）.、]|[（(]?[一二三四五六七八九十]{1,2}[)）、.]"
    r"|第[一二三四五六七八九十\d]+项[:：,，]?)\s*"
)
_LEAD_FILLER = re.compile(
    r"^(?:的|另外|另|还要|还有|以及|并|共计|共|拟|计划|准备|需要|要|举办|开展|组织|召开|实施|购买"
    r"|采购|购置|买|添置|更新|更换|配置|进行|完成|委托|支付)+"
)
_TAIL_FILLER = re.compile(r"(?:共计|合计|总计|共|计|各|约|为|是|的|等)+$")
_PUNCT = re.compile(r"[,，:：\s]+")
# a clause that only qualifies the item (合同价…, 服务面积…) never names it
_QUALIFIER = re.compile(r"^(?:合同价|合同金额|预算|服务面积|面积|规模|标准|单价|投资|总投资|其中)")
_SOFT_WORKS = re.compile(r"系统|平台|软件|网站|信息化|数据库|APP|小程序", re.IGNORECASE)
_SUBSIDY_VERB = re.compile(r"^(?:对|向|为|给)?(补助|资助|补贴|津贴|奖补|救助)(?!金|资金|款)")
_SUBSIDY_WORD = re.compile(r"助学金|奖学金|救助金|慰问金|津贴|补助|补贴|资助|奖补|救助")
_HEAD = re.compile(r"^([^:：，,]{2,20})[:：]")  # "畅通工程：" heads a list of items
_NAME_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z]")


def _has(text: str, words: list[str]) -> bool:
    return any(w in text for w in words)


def split_activities(text: str) -> list[str]:
    """Lines, semicolons and full stops separate activities."""
    return [p.strip() for p in _SPLIT.split(text or "") if p.strip()]


def parse_activities(text: str, types: Mapping[str, ActivityType]) -> list[Activity]:
    """Every activity in an answer, in order; a phrase listing items (A 100公里、B 20座) gives one
    activity per item."""
    out: list[Activity] = []
    for phrase in split_activities(text):
        items = _list_items(phrase)
        if items is not None:
            out.extend(_parse_items(phrase, *items, types))
            continue
        act = parse_activity(phrase, types)
        if act is not None:
            out.append(act)
    return out


def _list_items(phrase: str) -> tuple[str, list[str], Tokens] | None:
    """ "畅通工程：村内道路硬化100公里、供水设施20座，共159万元" → ("畅通工程", [the two items],
    the phrase's tokens) when a clause lists several named items, each with its own count and
    none with its own price; None otherwise (10期、每期100人、2天 is one training)."""
    text = normalize_text(_LEAD_NUMBER.sub("", phrase))
    head_m = _HEAD.match(text)
    body = text[head_m.end() :] if head_m else text
    for clause in re.split(r"[,，]", body):
        parts = [p for p in clause.split("、") if p]
        if len(parts) < 2:
            continue
        tokens = [tokenize(p) for p in parts]
        if any(t.money or len(t.counts) != 1 for t in tokens):
            return None
        if any(len(_leftover_name(p, t)) < 2 for p, t in zip(parts, tokens, strict=True)):
            return None
        rest = tokenize(text)
        if any(m.per for m in rest.money):
            return None  # a price per unit: which item is it for?
        return (head_m.group(1) if head_m else ""), parts, rest
    return None


def _leftover_name(text: str, tokens: Tokens) -> str:
    """The item's words once its numbers are taken out (每期, 共 are not names)."""
    keep, last = [], 0
    for a, b in tokens.spans():
        keep.append(text[last:a])
        last = max(last, b)
    keep.append(text[last:])
    words = "".join(keep)
    words = re.sub(rf"(?:每(?:{PER}))+", "", words)
    return "".join(_NAME_CHARS.findall(_TAIL_FILLER.sub("", _LEAD_FILLER.sub("", words))))


def _parse_items(
    phrase: str, head: str, parts: list[str], rest: Tokens, types: Mapping[str, ActivityType]
) -> list[Activity]:
    """Each listed item as its own activity; the head (畅通工程) tells the kind, a total said
    once for all (共159万元) is kept on each so the follow-ups can say it."""
    shared = rest.total
    out = []
    for part in parts:
        act = parse_activity(part, types, context=head)
        if act is None:
            continue
        act.raw = f"{head}：{part}" if head else part
        if shared is not None:
            act.shared_total = shared
        out.append(act)
    if len(out) == 1 and shared is not None:  # nothing to share it with after all
        out[0].shared_total = None
        out[0].set_total(shared)
    return out


def parse_activity(
    raw: str, types: Mapping[str, ActivityType], *, context: str = ""
) -> Activity | None:
    """One activity phrase → Activity (details it lacks stay None); None for empty text.
    ``context`` (a list's head, 畅通工程) helps tell the kind but never names the item."""
    text = normalize_text(_LEAD_NUMBER.sub("", raw.strip()))
    if not _NAME_CHARS.search(text):
        return None
    tokens = tokenize(text)
    facts = _Facts.read(tokens)
    kind_text = text + "，" + context if context else text
    kind, counted = _kind(kind_text, types, tokens, facts)
    act = Activity(kind=kind, name="", raw=raw.strip())
    _fill(act, kind, counted, tokens, facts, text)
    act.infer_rate()
    act.name = _name(text, tokens, kind)
    return act


class _Facts:
    """What the counts say, by role: 期数, 每期人数, 天数, 次数, the item count."""

    def __init__(self) -> None:
        self.periods: Decimal | None = None
        self.people: Decimal | None = None
        self.days: Decimal | None = None
        self.times: Decimal | None = None
        self.count: Decimal | None = None
        self.unit: str | None = None
        self.people_total: Decimal | None = None

    @classmethod
    def read(cls, tokens: Tokens) -> _Facts:
        f = cls()
        for c in tokens.counts:
            u = c.unit
            if u == "人" and c.total:  # "共培训1010人": all periods together
                f.people_total = f.people_total if f.people_total is not None else c.value
            elif u in PERIOD_UNITS:
                f.periods = f.periods if f.periods is not None else c.value
                if f.count is None:
                    f.count, f.unit = c.value, u
            elif u == "人":
                f.people = f.people if f.people is not None else c.value
            elif u == "天":
                f.days = f.days if f.days is not None else c.value
            elif u in TIMES_UNITS:
                f.times = f.times if f.times is not None else c.value
                if f.count is None:
                    f.count, f.unit = c.value, u
            elif f.count is None or f.unit in PERIOD_UNITS or f.unit in TIMES_UNITS:
                f.count, f.unit = c.value, u
        price = tokens.unit_price
        if price is not None and f.unit != price.per[0]:
            # "1.2米办公桌10张，每张800元": the count is the one in the unit the price is per
            same = next((c for c in tokens.counts if c.unit == price.per[0] and not c.each), None)
            if same is not None:
                f.count, f.unit = same.value, same.unit
        return f


_Counted = tuple[ActivityKind, tuple[Decimal, str] | None, tuple[Decimal, str] | None]


def _kind(
    text: str, types: Mapping[str, ActivityType], tokens: Tokens, f: _Facts
) -> tuple[ActivityKind, _Counted | None]:
    """Which kind of activity the phrase describes (and, for subsidies and works, the count and
    unit price that fit the kind's units)."""

    def kw(kind: str, t: str = text) -> bool:
        return kind in types and _has(t, types[kind].keywords)

    training_kw, field_kw, equip_kw = kw("training"), kw("fieldwork"), kw("equipment")
    service_kw = kw("service", text.replace("服务器", ""))
    is_fee = "费" in text
    price, priced, total = tokens.unit_price, tokens.priced, tokens.total
    counted = _counted_kind(text, types, tokens, f, training_kw, is_fee)
    if tokens.rate is not None or (f.people is not None and f.days is not None and not is_fee):
        if (
            training_kw
            or (f.periods is not None and not field_kw)
            or (f.times is None and not field_kw)
        ):
            return "training", None
        return "fieldwork", None
    if training_kw and not is_fee and price is None and priced is None:
        return "training", None  # "培训10期，共90万元": the missing details are asked
    if counted is not None:
        return counted[0], counted
    if price is not None or (f.count is not None and (priced is not None or total is not None)):
        u = price.per[0] if price else f.unit
        goods = equip_kw and not is_fee and not service_kw
        return ("equipment" if (u in EQUIPMENT_UNITS or goods) else "service"), None
    if training_kw and not is_fee:
        return "training", None
    if field_kw and not is_fee and (f.times is not None or f.count is None):
        return "fieldwork", None
    if (f.count is not None and f.unit in EQUIPMENT_UNITS) or (
        equip_kw and not is_fee and f.count is None and total is None
    ):
        return "equipment", None
    if f.count is not None or (service_kw and total is None):
        return "service", None
    return "other", None


def _counted_kind(
    text: str,
    types: Mapping[str, ActivityType],
    tokens: Tokens,
    f: _Facts,
    training_kw: bool,
    is_fee: bool,
) -> _Counted | None:
    """A subsidy (补助300人，每人2000元) or a construction/repair work (道路硬化3公里，
    每公里50万元) when the units fit the kind: a 补助 priced 每期 stays a per-period expense and a
    维修 of 10台 stays a purchase."""
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
        per_unit = None
        priced = [m for m in tokens.money if m.per]
        if priced:
            per = priced[0].per
            if kind == "subsidy" and len(per) == 2 and per[1] in ("年", "月"):
                if per[1] == "月":  # 每人每月500元: the yearly standard is asked
                    per = ()
                else:
                    per = per[:1]  # 每人每年2000元 → 2000元/人
            if per and (len(per) != 1 or per[0] not in units):
                continue
            if per:
                per_unit = (priced[0].value, per[0])
        fits = [(c.value, c.unit) for c in tokens.counts if c.unit in units]
        found = next((x for x in fits if per_unit and x[1] == per_unit[1]), None) or next(
            iter(fits), None
        )
        if (
            found
            and per_unit
            and found[1] != per_unit[1]
            and {found[1], per_unit[1]} != {"人", "人次"}
        ):
            found = None  # "补助120户，每人1000元": the number of people is still to be asked
        elif found is None and f.count is not None and f.unit not in units:
            continue  # counted in units of another kind (10期, 5台)
        if kind == "works" and found is None and per_unit is None and f.count is None:
            if "fieldwork" in types and _has(text, types["fieldwork"].keywords):
                continue  # 巡查、监测 with no work units is field work
        return kind, found, per_unit  # type: ignore[return-value]
    return None


def _fill(
    act: Activity,
    kind: ActivityKind,
    counted: _Counted | None,
    tokens: Tokens,
    f: _Facts,
    text: str,
) -> None:
    """Put the facts where the kind keeps them."""
    rate, total, priced = tokens.rate, tokens.total, tokens.priced
    if kind == "training":
        periods, people = f.periods, f.people
        if periods is None and re.search(r"第\s*[0-9一二三四五六七八九十]+\s*期", text):
            periods = Decimal(1)  # "乡村建设示范培训班第1期" is one period
        if people is None and f.people_total is not None and periods:
            each = f.people_total / periods
            people = each if each == each.to_integral_value() else None
        act.periods, act.people, act.days, act.rate = periods, people, f.days, rate
        act.amount = total if rate is None else None
    elif kind == "fieldwork":
        act.times = f.times if f.times is not None else f.count
        act.people, act.days, act.rate = f.people, f.days, rate
        act.amount = total if rate is None else None
    elif counted is not None:
        _, found, per_unit = counted
        act.count, act.unit = found if found is not None else (None, None)
        _price(act, per_unit, priced, total)
    elif KINDS[kind].counted:
        act.count, act.unit = f.count, f.unit
        price = tokens.unit_price
        _price(act, (price.value, price.per[0]) if price else None, priced, total)
        if act.unit is None and kind == "equipment":
            act.unit = "台"
        _per_year(act, tokens)
    else:
        act.amount = (
            total if total is not None else (tokens.money[0].value if tokens.money else None)
        )


def _price(
    act: Activity,
    per_unit: tuple[Decimal, str] | None,
    priced: Decimal | None,
    total: Decimal | None,
) -> None:
    if per_unit is not None:
        act.price = per_unit[0]
        act.unit = act.unit or per_unit[1]
    elif priced is not None:
        act.price = priced
    elif total is not None:
        act.set_total(total)


def _per_year(act: Activity, tokens: Tokens) -> None:
    """ "物业服务，合同价100万元/年，服务面积2万平方米": a yearly price with no count in years is
    one year of service (the 平方米 only say its size)."""
    price = tokens.unit_price
    if price is None or price.per != ("年",) or act.unit == "年":
        return
    if not any(c.unit == "年" for c in tokens.counts):
        act.count, act.unit, act.price = Decimal(1), "年", price.value


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


def _name(text: str, tokens: Tokens, kind: ActivityKind) -> str:
    """What is left once numbers, units and filler words are taken out: the first clause that
    names something (not a qualifier such as 合同价 or 服务面积), else the longest part."""
    keep, last = [], 0
    for a, b in tokens.spans():
        if a >= last:
            keep.append(text[last:a])
            last = b
    keep.append(text[last:])
    parts: list[tuple[str, bool]] = []
    for seg in _PUNCT.split(" ".join(keep)):
        qualifier = bool(_QUALIFIER.match(seg))
        seg = re.sub(rf"(?:每(?:{PER}))+(?:的)?(?:单价|标准|定额)?", "", seg)
        seg = re.sub(r"(?:单价|标准|定额|预算)$", "", seg)
        seg = re.sub(r"[(（]\s*[)）]", "", seg)
        seg = _TAIL_FILLER.sub("", _LEAD_FILLER.sub("", seg)).strip("/·.-、 ")
        if seg and _NAME_CHARS.search(seg):
            parts.append((seg, qualifier))
    named = [p for p, q in parts if not q] or [p for p, _ in parts]
    name = max(named, key=len) if named else ""  # the longest part (first on a tie)
    generic = KINDS[kind].generic_name
    if not name:
        return generic
    if kind == "training" and name in ("培训", "轮训", "研修"):
        return "培训班"
    if kind == "subsidy":
        return _subsidy_name(name, text) or generic
    return name
