"""Rule 8: unit costs against precedents (PREC-…).

``PrecedentStats`` indexes every per-unit cost row of the corpus once, by its unit's
denominators (元/人/天 and 元/天/人 alike); a table's cost row is compared with the
precedents of the same unit whose names are alike, other projects only.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Context, Decimal
from statistics import median

from assistant.model import L2_COST, L2_ECON_COST, Indicator, normalize_levels
from assistant.rules.context import TableContext, is_money_unit, money_factor, parsed, split_unit
from assistant.rules.money import canon
from assistant.rules.report import Finding, finding
from assistant.rules.similarity import bigrams
from assistant.value_text import decimal_text

# words that name what a cost is for; two rows sharing one are the same kind of cost
KIND_WORDS = (
    "培训",
    "会议",
    "租车",
    "用车",
    "车辆",
    "差旅",
    "调研",
    "督导",
    "检查",
    "计算机",
    "电脑",
    "打印机",
    "复印",
    "师资",
    "讲课",
    "授课",
    "住宿",
    "伙食",
    "餐",
    "印刷",
    "测评",
    "运维",
    "咨询",
    "补助",
    "补贴",
    "保险",
    "服务器",
    "软件",
    "维修",
    "物业",
    "保洁",
    "宣传",
    "空调",
    "车",
)
_KIND = re.compile("|".join(KIND_WORDS))


@dataclass(frozen=True)
class Entry:
    amount: Decimal  # 元 per unit
    unit: str
    project: str
    label: str  # project (unit, year) for messages
    words: frozenset[str]
    grams: frozenset[str]


def _unit_key(unit: str) -> tuple[str, ...]:
    _, per = split_unit(unit)
    return tuple(sorted(canon(p) for p in per))


def _per_unit_cost(ind: Indicator) -> tuple[Decimal, str] | None:
    _, l2 = normalize_levels(ind.level1, ind.level2)
    if l2 not in (L2_COST, L2_ECON_COST):
        return None
    for q in parsed(ind.value).quantities:
        if is_money_unit(q.unit) and split_unit(q.unit)[1]:
            return q.number * money_factor(q.unit), q.unit
    return None


class PrecedentStats:
    """Per-unit cost rows of the precedents, grouped by unit; build once, query per table."""

    def __init__(
        self,
        groups: dict[tuple[str, ...], list[Entry]],
        *,
        min_count: int = 2,
        ratio: Decimal = Decimal(2),
    ) -> None:
        self.groups = groups
        self.min_count = min_count
        self.ratio = ratio

    @classmethod
    def from_indicators(
        cls, inds: Iterable[Indicator], *, min_count: int = 2, ratio: Decimal = Decimal(2)
    ) -> PrecedentStats:
        groups: dict[tuple[str, ...], list[Entry]] = defaultdict(list)
        for ind in inds:
            cost = _per_unit_cost(ind)
            if cost is None:
                continue
            amount, unit = cost
            prov = ind.provenance
            project = prov.project if prov else ""
            bits = [
                b
                for b in (
                    prov.unit if prov else None,
                    str(prov.year) if prov and prov.year else None,
                )
                if b
            ]
            label = f"{project or '未注明项目'}" + (f"（{'，'.join(bits)}）" if bits else "")
            groups[_unit_key(unit)].append(
                Entry(
                    amount,
                    unit,
                    project,
                    label,
                    frozenset(_KIND.findall(ind.name)),
                    bigrams(ind.name),
                )
            )
        return cls(dict(groups), min_count=min_count, ratio=ratio)

    def __len__(self) -> int:
        return sum(len(v) for v in self.groups.values())

    def similar(self, name: str, unit: str, project: str) -> list[Entry]:
        """Precedents of the same unit and kind of cost, from other projects."""
        words = frozenset(_KIND.findall(name))
        grams = bigrams(name)
        out = []
        for e in self.groups.get(_unit_key(unit), ()):
            if project and e.project == project:
                continue
            if words and e.words:
                alike = bool(words & e.words)  # 计算机 vs 打印机: different kinds
            else:
                alike = _jaccard(grams, e.grams) >= 0.5
            if alike:
                out.append(e)
        return out

    def check(self, ctx: TableContext) -> list[Finding]:
        out: list[Finding] = []
        project = ctx.table.header.project_name
        for r in ctx.cost_rows:
            cost = _per_unit_cost(r.ind)
            if cost is None:
                continue
            amount, unit = cost
            alike = self.similar(r.ind.name, unit, project)
            if len(alike) < self.min_count:
                continue
            mid = Decimal(median(e.amount for e in alike))
            if mid <= 0:
                continue
            ratio = amount / mid
            if ratio < self.ratio and ratio > 1 / self.ratio:
                continue
            nearest = sorted(alike, key=lambda e: abs(e.amount - mid))[:3]
            named = "；".join(
                f"{e.label} {decimal_text(e.amount)}元/{'/'.join(split_unit(e.unit)[1])}"
                for e in nearest
            )
            per = "/".join(split_unit(unit)[1])
            word = "高于" if ratio > 1 else "低于"
            out.append(
                finding(
                    "PREC-001",
                    f"单价{decimal_text(amount)}元/{per}明显{word}{len(alike)}条同类先例的中位数"
                    f"{decimal_text(mid)}元/{per}（约{decimal_text(_round(ratio, '0.1'))}倍），"
                    f"请核对标准。先例：{named}。",
                    r.location,
                    unit_cost=amount,
                    median=mid,
                    ratio=_round(ratio, "0.01"),
                    precedents=len(alike),
                )
            )
        return out


def _round(value: Decimal, step: str) -> Decimal:
    return value.quantize(Decimal(step), context=Context(prec=60))


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
