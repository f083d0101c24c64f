"""The drafted quantity and cost rows, and the money check: Σ(quantity × unit cost) vs the budget.

The rows pair by number ("1.xx培训班" in 数量指标 and in 成本指标) so the reviewer multiplies
each cost row by its quantity row; the sum is compared with the annual total in 元 and 万元.
"""

from __future__ import annotations

from decimal import Decimal

from assistant.interview.activity import Activity
from assistant.model import L1_OUTPUT, L2_QUANTITY, Indicator, Provenance
from assistant.value_text import WAN, decimal_text


def row_name(activities: list[Activity], index: int) -> str:
    """Numbered ("1.xx培训班") when there are several, so cost rows pair with quantity rows."""
    name = activities[index].name
    return f"{index + 1}.{name}" if len(activities) > 1 else name


def draft_rows(
    activities: list[Activity], cost_level1: str, cost_level2: str
) -> tuple[list[Indicator], list[Indicator]]:
    """数量指标 rows and their matching 成本指标 rows, for the complete activities."""
    quantity: list[Indicator] = []
    cost: list[Indicator] = []
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
    return sum((s for a in activities if (s := a.subtotal()) is not None), Decimal(0))


def yuan_and_wan(yuan: Decimal) -> str:
    """ "1590000元（159万元）"."""
    return f"{decimal_text(yuan)}元（{decimal_text(yuan / WAN)}万元）"


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
        f"按活动测算合计{yuan_and_wan(total_yuan)}，比年度资金总额{decimal_text(budget_wan)}万元"
        f"{word}{yuan_and_wan(abs(diff))}。",
        diff,
    )


def shared_total_notes(activities: list[Activity]) -> list[str]:
    """For items listed with one total (共159万元): what their prices add up to against it."""
    groups: dict[Decimal, list[Activity]] = {}
    for a in activities:
        if a.shared_total is not None:
            groups.setdefault(a.shared_total, []).append(a)
    out = []
    for shared, acts in groups.items():
        names = "、".join(f"「{a.name}」" for a in acts)
        said = f"描述中的共{decimal_text(shared / WAN)}万元"
        if not all(a.complete for a in acts):
            out.append(f"{names}共{decimal_text(shared / WAN)}万元，我分项来问各自的单价。")
            continue
        got = activities_total(acts)
        verdict = "一致" if got == shared else "不一致，请核对"
        out.append(f"{names}合计{yuan_and_wan(got)}，与{said}{verdict}。")
    return out
