"""One activity and what is known of it: its arithmetic, its drafted row values, its follow-ups.

How each kind multiplies and reads is the table in ``kinds.py``; the wording of the follow-up
questions and each kind's ``label`` come from ``prompts/40_activities.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from pydantic import BaseModel

from assistant.interview.kinds import KINDS, ActivityKind, KindSpec
from assistant.interview.schema import ActivityType, FollowUp
from assistant.interview.tokens import bare_number, first_count, first_money
from assistant.value_text import decimal_text

_CENT = Decimal("0.01")
# "不需要经费", "不花钱", "无需资金", "没有费用": the activity costs nothing
_NO_COST = re.compile(
    r"(不需要|不用|无需|没有|不花|无)(任何)?(经费|钱|资金|费用|花费|成本)|^无$|^不需要$"
)

NO_COST_HINT = (
    "活动清单只列需要花钱的活动；这一项不需要经费的话，按 Ctrl+Z 回到活动清单删去这一行"
    "（它可以写进年度目标）"
)


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
    count: Decimal | None = None  # counted kinds: 数量
    unit: str | None = None  # its unit (台, 套, 项, 份, 期, 吨 …)
    price: Decimal | None = None  # 元 per unit
    amount: Decimal | None = None  # 元 in total (other; or an item given only as a total)
    shared_total: Decimal | None = None  # 元 said once for this and sibling items (共159万元)
    asked: list[str] = []  # details that were missing from the description (follow-up fields)
    source: str = "activities"  # the question that described it (activities, extras, …)

    @property
    def spec(self) -> KindSpec:
        return KINDS[self.kind]

    # -- what is still missing ---------------------------------------------------
    def missing(self, types: Mapping[str, ActivityType]) -> list[FollowUp]:
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
        from assistant.interview.tokens import normalize_text

        text = normalize_text(text)
        if field in ("rate", "price", "amount"):
            if _NO_COST.search(text):
                return NO_COST_HINT
            # 每人每月200元，发12个月 is 2400元 per 人, unless the item itself is counted in months
            money = first_money(text, yearly=self.unit != "月")
            if money is None:
                bare = bare_number(text)
                if bare is None:
                    return "没有看出金额"
                money = (bare, (), False)
            value, per, is_total = money
            if value <= 0:
                return f"金额应大于0。{NO_COST_HINT}"
            if field == "price" and "月" in per and (self.unit or "月") != "月":
                return (
                    f"这是每月的标准，请写每{self.unit}全年的标准"
                    f"（例如每月{decimal_text(value)}元、发12个月，写{decimal_text(value * 12)}元）"
                )
            if field == "price" and is_total:
                self.set_total(value)
            elif field == "amount":
                self.amount = value
            else:
                setattr(self, field, value)
                if field == "price" and per and not self.unit:
                    self.unit = per[0]
            return None
        found = first_count(text)
        number, unit = found if found else (bare_number(text), None)
        if number is None:
            return "没有看出数字"
        if number <= 0:
            return "数量应大于0"
        setattr(self, field, number)
        if field == "count" and unit:
            self.unit = unit
        if field == "count" and self.spec.counted and self.price is None and self.amount:
            total, self.amount = self.amount, None  # "共60万元" given first, the count divides it
            self.set_total(total)
        self.infer_rate()
        return None

    def infer_rate(self) -> None:
        """The per-person-day standard from a stated total ("共90万元"), once the other factors
        are known and the division comes out to the 分."""
        fields = self.spec.rate_fields
        if not fields or self.rate is not None or self.amount is None:
            return
        factors = [getattr(self, f) for f in fields]
        if any(not f for f in factors):
            return
        divisor = Decimal(1)
        for f in factors:
            divisor *= f
        rate = self.amount / divisor
        if rate == rate.quantize(_CENT):
            self.rate = rate

    def set_total(self, total: Decimal) -> None:
        """A total for counted items: a unit price when several items share it evenly (to the
        分); one item's total, or one that does not divide, stays a total (never 2950000元/处)."""
        if self.count and self.count > 1:
            each = total / self.count
            if each == each.quantize(_CENT):
                self.price = each
                return
        self.amount = total

    # -- arithmetic and rows -----------------------------------------------------------
    @property
    def complete(self) -> bool:
        return self.subtotal() is not None

    def subtotal(self) -> Decimal | None:
        """元 this activity costs: the product of its quantity and unit cost."""
        spec = self.spec
        if spec.counted and self.amount is not None and self.count is not None:
            return self.amount
        if not spec.factors:
            return self.amount
        total = Decimal(1)
        for field in spec.factors:
            part = getattr(self, field)
            if part is None:
                return None
            total *= part
        return total

    def _values(self) -> dict[str, str]:
        """Each detail as text; "?" while it is not known."""

        def text(number: Decimal | None) -> str:
            return "?" if number is None else decimal_text(number)

        return {
            "periods": text(self.periods),
            "people": text(self.people),
            "days": text(self.days),
            "rate": text(self.rate),
            "times": text(self.times),
            "count": text(self.count),
            "unit": self.unit or self.spec.default_unit,
            "price": text(self.price),
            "amount": text(self.amount),
            "per_day": "人/天" if self.periods == 1 else "人/期/天",
        }

    def quantity_value(self) -> str:
        """The 数量指标 value, in the seed's wording."""
        return self.spec.quantity.format(**self._values())

    def quantity_name(self, name: str) -> str:
        """The 数量指标 name: a subsidy counts the people (households) it reaches."""
        reached = dict(self.spec.reached)
        if not reached or re.search(r"(?:人数|户数|人次|数量)$", name):
            return name
        return name + reached.get(self.unit or "", reached[""])

    def cost_value(self) -> str:
        """The 成本指标 value: the unit cost the quantity row multiplies, or a lump sum."""
        values = self._values()
        if self.spec.counted and self.price is None:
            return "{amount}元".format(**values)
        return self.spec.cost.format(**values)

    def goal_item(self) -> str:
        """The activity as the drafted goal names it: 电脑5台, 调研5次, 办公用品."""
        return self.spec.goal_item.format(name=self.name, **self._values())

    def people_total(self) -> Decimal | None:
        """People trained (期 × 每期人数), for the goal sentence."""
        if self.periods is not None and self.people is not None:
            return self.periods * self.people
        return None

    def describe(self, types: Mapping[str, ActivityType]) -> str:
        """A short Chinese restatement of what was understood, with the kind's YAML label."""
        spec, values = self.spec, self._values()
        bits = [
            d.shown.format(**values) if getattr(self, d.field) is not None else d.missing
            for d in spec.details
        ]
        if spec.counted:
            if self.price is not None:
                bits.append(f"{spec.price_word}{decimal_text(self.price)}元")
            elif self.amount is not None:
                bits.append(f"共{decimal_text(self.amount)}元")
            else:
                bits.append(f"{spec.price_word}待定")
        sub = self.subtotal()
        tail = f"，小计{decimal_text(sub)}元" if sub is not None else "（信息还不全）"
        label = types[self.kind].label if self.kind in types else spec.generic_name
        return f"「{self.name}」（{label}）：" + "、".join(bits) + tail
