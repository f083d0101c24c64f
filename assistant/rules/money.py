"""Rule 3: the money must add up (成本测算, MONEY-…).

Each cost row is paired with a quantity row (same row number first, then similar name),
its unit cost is multiplied by the quantity factors its unit asks for
(``430元/天/人`` × ``5次, 5天/次, 5人/次``), and the products are summed against the
annual total. A bare ``元`` amount may be a price per item or a total: both readings are
tried and the combination that balances (or comes closest) is reported.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from assistant.rules.context import Row, TableContext, split_unit
from assistant.rules.report import CostLine, Finding, Location, MoneyBreakdown, finding
from assistant.rules.similarity import name_similarity
from assistant.value_text import WAN, decimal_text

SESSION_UNITS = frozenset(
    {"期", "次", "批", "班", "场", "轮", "届", "趟", "批次", "班次", "场次", "年"}
)
_ALIASES = {"名": "人", "位": "人", "人次": "人", "日": "天", "个月": "月"}
_MAX_COMBINATIONS = 4096
_PAIR_THRESHOLD = 0.4


_PERIOD_COUNT = {"月": 12, "季度": 4, "季": 4, "年": 1, "半年": 2}


def _periods(denoms: list[str], years: int) -> int:
    """How many 月/季度/年 a per-period cost runs over in the budget period."""
    n = 1
    for d in denoms:
        n *= _PERIOD_COUNT[canon(d)]
    return n * years


def canon(token: str) -> str:
    return _ALIASES.get(token, token)


@dataclass(frozen=True)
class Part:
    """One factor of a quantity value: ``5天/次`` → number 5, head 天, per (次,)."""

    number: Decimal
    raw: str
    head: str
    per: tuple[str, ...]
    row: int


@dataclass
class Candidate:
    product: Decimal
    factors: list[str]
    reading: str
    note: str = ""


@dataclass
class Line:
    cost: Row
    quantity: Row | None
    unit_cost: str
    candidates: list[Candidate]
    notes: list[str] = field(default_factory=list)
    unit_mismatch: bool = False
    no_quantity: bool = False
    periods: int = 0  # a cost per 月/季度/年 with no quantity row: times the periods of the year
    ceiling: bool = False  # written as an upper bound (≤2万元/月)


_NOT_COUNTS = {"%", "‰", "％"}


def parts_of(row: Row) -> list[Part]:
    """The factors of a quantity value; rates (100%) and dates are not counts."""
    if row.value.kind not in ("quantity", "money"):
        return []
    out = []
    for q in row.value.quantities:
        head, per = split_unit(q.unit)
        if head in _NOT_COUNTS:
            continue
        out.append(
            Part(
                q.number, q.raw or f"{decimal_text(q.number)}{q.unit}", head, tuple(per), row.index
            )
        )
    return out


_EMBEDDED = re.compile(
    r"(?<![第\d.])(\d+(?:\.\d+)?)\s*(项|个|份|套|台|次|期|人|天|年|辆|批|场|篇|册|本|门|户|所|块|件|处)"
)


def _embedded_parts(row: Row) -> list[Part]:
    """A count written inside the cost row's own name: ``…内容11项``, ``（13份）``."""
    hits = _EMBEDDED.findall(row.bare)
    if len(hits) != 1:
        return []
    number, unit = hits[0]
    return [Part(Decimal(number), f"{number}{unit}", unit, (), row.index)]


def _select(denoms: list[str], parts: list[Part]) -> tuple[list[Part], list[str], bool]:
    """The quantity factors a per-unit cost multiplies, notes, and whether units disagreed."""
    wanted = {canon(d) for d in denoms}
    chosen = [p for p in parts if canon(p.head) in wanted]
    if not chosen:
        if len(parts) == 1:
            p = parts[0]
            return parts, [f"单位不一致：数量为“{p.raw}”，单价按“{'/'.join(denoms)}”计"], True
        return parts, [f"单位不一致：单价按“{'/'.join(denoms)}”计，数量各项全部相乘"], True
    # a per-session count (人/期, 天/次) needs its sessions multiplied in
    for p in list(chosen):
        for per in p.per:
            if per in SESSION_UNITS:
                chosen += [s for s in parts if s.head == per and s not in chosen]
    # per person/day costs run over every session the quantity names
    if not wanted & SESSION_UNITS:
        chosen += [s for s in parts if s.head in SESSION_UNITS and s not in chosen]
    chosen.sort(key=parts.index)
    notes: list[str] = []
    covered = {canon(p.head) for p in chosen}
    missing = [d for d in denoms if canon(d) not in covered]
    if missing:
        notes.append(f"数量中没有“{'、'.join(missing)}”，按1计")
    unused = [p.raw for p in parts if p not in chosen]
    if unused:
        notes.append(f"“{'、'.join(unused)}”未参与计算")
    return chosen, notes, bool(missing)


def _product(parts: list[Part]) -> Decimal:
    result = Decimal(1)
    for p in parts:
        result *= p.number
    return result


def _candidates(
    amount: Decimal, denoms: list[str], parts: list[Part], line: Line
) -> list[Candidate]:
    if denoms:
        if not parts:
            line.no_quantity = True
            return [Candidate(amount, [], "单价（未找到数量，按1计）")]
        chosen, notes, mismatch = _select(denoms, parts)
        line.notes += notes
        line.unit_mismatch = mismatch
        return [Candidate(amount * _product(chosen), [p.raw for p in chosen], "单价")]
    counts = [p for p in parts if p.head not in ("元", "万元")]
    if not parts or len(counts) < len(parts):
        if parts:
            line.notes.append("数量行本身是金额，按总额计")
        return [Candidate(amount, [], "总额")]
    count = _product(counts)
    if count == 1:
        return [Candidate(amount, [p.raw for p in counts], "单价")]
    return [
        Candidate(amount * count, [p.raw for p in counts], "单价", "只写金额单位，按单价×数量理解"),
        Candidate(amount, [], "总额", "只写金额单位，按总额理解"),
    ]


def _pair(ctx: TableContext, costs: list[Row]) -> dict[int, Row]:
    """cost row index → quantity row: same number first, then the most similar name."""
    quantities = ctx.quantity_rows
    by_number: dict[int, Row] = {}
    for q in quantities:
        if q.number is not None:
            by_number.setdefault(q.number, q)
    pairs: dict[int, Row] = {}
    used: set[int] = set()
    for c in costs:
        same = by_number.get(c.number) if c.number is not None else None
        if same is not None and same.index not in used:
            pairs[c.index] = same
            used.add(same.index)
    scored = sorted(
        (
            (name_similarity(c.bare, q.bare), c.index, q.index)
            for c in costs
            if c.index not in pairs
            for q in quantities
            if q.index not in used
        ),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    rows = {q.index: q for q in quantities}
    for score, ci, qi in scored:
        if score < _PAIR_THRESHOLD:
            break
        if ci in pairs or qi in used:
            continue
        pairs[ci] = rows[qi]
        used.add(qi)
    return pairs


def _compose(denoms: list[str], ctx: TableContext, used: set[int]) -> tuple[list[Part], Row | None]:
    """For an unpaired per-unit cost, take each wanted unit from the one quantity row giving it
    (``培训人数 200人`` and ``培训天数 3天`` for ``450元/人/天``)."""
    parts: list[Part] = []
    first: Row | None = None
    for d in denoms:
        givers = [
            (q, p)
            for q in ctx.quantity_rows
            if q.index not in used
            for p in parts_of(q)
            if canon(p.head) == canon(d) and not p.per
        ]
        if len(givers) == 1:
            q, p = givers[0]
            parts.append(p)
            first = first or q
    return parts, first


def _choose(lines: list[Line], total: Decimal | None) -> list[int]:
    """Index of the chosen candidate per line: balance exactly if any combination does,
    else come closest; among equals keep the first (default) readings."""
    sizes = [len(ln.candidates) for ln in lines]
    n_combos = 1
    for s in sizes:
        n_combos *= s
    default = [0] * len(lines)
    if total is None or n_combos == 1 or n_combos > _MAX_COMBINATIONS:
        return default
    best: tuple[Decimal, int] | None = None
    best_combo = default
    for combo in itertools.product(*(range(s) for s in sizes)):
        summed = sum(
            (ln.candidates[k].product for ln, k in zip(lines, combo, strict=True)), Decimal(0)
        )
        key = (abs(summed - total), sum(combo))
        if best is None or key < best:
            best, best_combo = key, list(combo)
    return best_combo


@dataclass
class MoneyResult:
    findings: list[Finding]
    breakdown: MoneyBreakdown | None
    products: dict[int, Decimal]  # cost row index → product in 元


def check_money(ctx: TableContext) -> MoneyResult:
    reads = [(r, m) for r in ctx.cost_rows if (m := r.money_read()) is not None]
    costs = [r for r, _ in reads]
    out: list[Finding] = []
    if not costs:
        # no amount to work with: each such cost row already says so (VALUE-005 / VALUE-001),
        # so MONEY-004 is not repeated (one finding per cause)
        return MoneyResult(out, None, {})

    pairs = _pair(ctx, costs)
    used = {q.index for q in pairs.values()}
    lines: list[Line] = []
    for c, (money_q, amount, denoms, unit) in reads:
        unit_cost = money_q.raw or f"{decimal_text(money_q.number)}{unit}"
        q_row = pairs.get(c.index)
        line = Line(c, q_row, unit_cost, [])
        if q_row is not None:
            parts = parts_of(q_row)
            have = {canon(p.head) for p in parts}
            missing = [d for d in denoms if canon(d) not in have]
            if missing and len(missing) < len(denoms):  # partly covered: 200人 for 元/人/天
                extra, _ = _compose(missing, ctx, {q_row.index})
                if extra:
                    parts = parts + extra
                    line.notes.append("另取" + "、".join(p.raw for p in extra))
        else:
            parts = _embedded_parts(c)
            if parts:
                line.notes.append(f"数量取自成本行名称中的“{parts[0].raw}”")
            elif denoms:
                parts, line.quantity = _compose(denoms, ctx, used)
                if parts:
                    line.notes.append("数量由" + "、".join(p.raw for p in parts) + "组合")
                elif all(canon(d) in _PERIOD_COUNT for d in denoms):
                    line.periods = _periods(denoms, ctx.period_years or 1)
                    line.ceiling = c.value.comparator in ("≤", "<")
                    line.notes.append(f"按{'/'.join(denoms)}计，乘以全期{line.periods}期")
                    line.candidates = [
                        Candidate(amount * line.periods, [f"{line.periods}期"], "单价×期数")
                    ]
                    lines.append(line)
                    continue
        line.candidates = _candidates(amount, denoms, parts, line)
        lines.append(line)

    total = ctx.annual_total_yuan
    choice = _choose(lines, total)
    cost_lines: list[CostLine] = []
    products: dict[int, Decimal] = {}
    sum_yuan = Decimal(0)
    for ln, k in zip(lines, choice, strict=True):
        cand = ln.candidates[k]
        notes = [*ln.notes, cand.note] if cand.note else ln.notes
        cost_lines.append(
            CostLine(
                cost_row=ln.cost.index,
                quantity_row=ln.quantity.index if ln.quantity else None,
                factors=cand.factors,
                unit_cost=ln.unit_cost,
                product=decimal_text(cand.product),
                reading=cand.reading,
                note="；".join(notes),
            )
        )
        products[ln.cost.index] = cand.product
        sum_yuan += cand.product
        if ln.no_quantity:
            out.append(
                finding(
                    "MONEY-002",
                    f"成本行“{ln.cost.ind.name}”（{ln.unit_cost}）找不到对应的数量行，暂按数量1计算；"
                    "请在数量指标中填写同编号或同名称的数量。",
                    ln.cost.location,
                    unit_cost=ln.unit_cost,
                )
            )
        elif ln.unit_mismatch:
            out.append(
                finding(
                    "MONEY-003",
                    f"{'；'.join(ln.notes)}，小计{decimal_text(cand.product)}元；请确认单位。",
                    ln.cost.location,
                    product=cand.product,
                )
            )

    ambiguous = [(ln, k) for ln, k in zip(lines, choice, strict=True) if len(ln.candidates) > 1]
    if ambiguous and total is not None:  # without a total no reading "fits" better
        per_item = [ln.cost.index + 1 for ln, k in ambiguous if ln.candidates[k].reading == "单价"]
        as_total = [ln.cost.index + 1 for ln, k in ambiguous if ln.candidates[k].reading == "总额"]
        said = []
        if per_item:
            said.append("第" + "、".join(map(str, per_item)) + "行按单价×数量")
        if as_total:
            said.append("第" + "、".join(map(str, as_total)) + "行按总额")
        out.append(
            finding(
                "MONEY-005",
                "部分成本金额只写了“元”或“万元”，未写“元/项”等单位："
                + "，".join(said)
                + "理解，这样与年度资金总额最吻合；建议写明单位。",
                Location(level2="成本指标"),
            )
        )

    numbered = any(c.number is not None for c in costs)
    if numbered:
        for q in ctx.quantity_rows:
            if (
                q.number is not None
                and q.index not in used
                and not any(ln.quantity is q for ln in lines)
            ):
                out.append(
                    finding(
                        "MONEY-006",
                        f"数量指标“{q.ind.name}”没有同编号的成本指标，未计入成本测算。",
                        q.location,
                    )
                )

    if total is None:
        breakdown = MoneyBreakdown(
            lines=cost_lines,
            total_yuan="",
            sum_yuan=decimal_text(sum_yuan),
            gap_yuan="",
            gap_wan="",
            balanced=False,
        )
        return MoneyResult(out, breakdown, products)

    gap = sum_yuan - total
    breakdown = MoneyBreakdown(
        lines=cost_lines,
        total_yuan=decimal_text(total),
        sum_yuan=decimal_text(sum_yuan),
        gap_yuan=decimal_text(gap),
        gap_wan=decimal_text(gap / WAN),
        balanced=gap == 0,
    )
    ceilings = [ln for ln in lines if ln.periods and ln.ceiling]
    if gap != 0 and ceilings:
        out.append(_ceiling_finding(ceilings, sum_yuan, total, gap))
    elif gap != 0:
        direction = "多出" if gap > 0 else "少了"
        out.append(
            finding(
                "MONEY-001",
                f"成本测算合计{decimal_text(sum_yuan)}元，"
                f"年度资金总额{decimal_text(total / WAN)}万元（{decimal_text(total)}元），"
                f"{direction}{decimal_text(abs(gap))}元（{decimal_text(abs(gap) / WAN)}万元）。"
                "请核对各成本行的单价与数量。",
                Location(level2="成本指标", field="年度资金总额"),
                sum_yuan=sum_yuan,
                total_yuan=total,
                gap_yuan=gap,
                gap_wan=gap / WAN,
            )
        )
    return MoneyResult(out, breakdown, products)


def _ceiling_finding(
    ceilings: list[Line], sum_yuan: Decimal, total: Decimal, gap: Decimal
) -> Finding:
    """A per-period ceiling × periods below the total cannot hold (MONEY-008); above it, the
    ceiling does not bind anything (MONEY-009, advice)."""
    said = "、".join(f"“{ln.cost.ind.value}”×{ln.periods}期" for ln in ceilings)
    loc = ceilings[0].cost.location
    if gap < 0:
        return finding(
            "MONEY-008",
            f"成本上限{said}，合计最多{decimal_text(sum_yuan)}元，少于年度资金总额{decimal_text(total)}元"
            f"（差{decimal_text(-gap)}元）：按上限执行，预算用不完；请核对上限或总额。",
            loc,
            sum_yuan=sum_yuan,
            total_yuan=total,
            gap_yuan=gap,
        )
    return finding(
        "MONEY-009",
        f"成本上限{said}，合计{decimal_text(sum_yuan)}元，高于年度资金总额{decimal_text(total)}元"
        f"（多{decimal_text(gap)}元）：这个上限不起约束作用，建议按实际测算写明。",
        loc,
        sum_yuan=sum_yuan,
        total_yuan=total,
        gap_yuan=gap,
    )
