"""The activity kinds as one data table: how each kind multiplies, drafts rows and is described.

Recognising a kind (its keywords, units, follow-ups and the ``label`` the chat shows) lives in
``prompts/40_activities.yaml``; what the code does with a kind lives here, once, so no module
switches on kind names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

ActivityKind = Literal["training", "fieldwork", "equipment", "service", "subsidy", "works", "other"]
KIND_NAMES: tuple[ActivityKind, ...] = (
    "training",
    "fieldwork",
    "equipment",
    "service",
    "subsidy",
    "works",
    "other",
)


@dataclass(frozen=True)
class Detail:
    """One detail of an activity as the restatement shows it: ``每期{}人`` or ``人数待定``."""

    field: str
    shown: str
    missing: str


@dataclass(frozen=True)
class KindSpec:
    """What one kind of activity means for the arithmetic, the rows and the goal sentence.

    ``factors`` multiply to the subtotal (empty: the activity is a lump ``amount``);
    ``counted`` kinds are "N<unit>" priced per unit (a stated total may stand instead);
    ``quantity``/``cost`` are the drafted row values (``{per_day}`` is 人/天 for one period);
    ``goal_verb`` opens the activity's clause in the drafted goal (None: said another way).
    """

    factors: tuple[str, ...]
    counted: bool
    quantity: str
    cost: str
    details: tuple[Detail, ...]
    generic_name: str
    goal_verb: str | None
    default_unit: str = "项"
    price_word: str = "单价"
    rate_fields: tuple[str, ...] = ()  # the factors that divide a stated total into a rate
    goal_item: str = "{name}{count}{unit}"  # the activity as its goal clause names it
    fees_in_goal: bool = True  # False: 师资费, 租车费 … support other work, not said as output
    # a 数量指标 name counting who is reached (助学金 → 助学金发放人数), by unit; "" elsewhere
    reached: tuple[tuple[str, str], ...] = ()


_COUNTED_DETAILS = (Detail("count", "{count}{unit}", "数量待定"),)


def _counted(generic_name: str, goal_verb: str, **rest: Any) -> KindSpec:
    """A kind counted as "N<unit>" and priced per unit (equipment, subsidies, works …)."""
    return KindSpec(
        factors=("count", "price"),
        counted=True,
        quantity="{count}{unit}",
        cost="{price}元/{unit}",
        details=_COUNTED_DETAILS,
        generic_name=generic_name,
        goal_verb=goal_verb,
        **rest,
    )


KINDS: dict[ActivityKind, KindSpec] = {
    "training": KindSpec(
        factors=("periods", "people", "days", "rate"),
        counted=False,
        quantity="{periods}期、{people}{per_day}、{days}天",
        cost="{rate}元/人/天",
        details=(
            Detail("periods", "{periods}期", "期数待定"),
            Detail("people", "每期{people}人", "人数待定"),
            Detail("days", "{days}天", "天数待定"),
            Detail("rate", "{rate}元/人/天", "标准待定"),
        ),
        generic_name="培训班",
        goal_verb=None,  # "举办N期…、共培训M人" (see goal.py)
        rate_fields=("periods", "people", "days"),
    ),
    "fieldwork": KindSpec(
        factors=("times", "days", "people", "rate"),
        counted=False,
        quantity="{times}次, {days}天/次, {people}人/次",
        cost="{rate}元/天/人",
        details=(
            Detail("times", "{times}次", "次数待定"),
            Detail("days", "每次{days}天", "天数待定"),
            Detail("people", "{people}人", "人数待定"),
            Detail("rate", "{rate}元/天/人", "标准待定"),
        ),
        generic_name="调研督导",
        goal_verb="开展",
        goal_item="{name}{times}次",
        rate_fields=("times", "days", "people"),
    ),
    "equipment": _counted(
        "设备购置",
        "购置",
        default_unit="台",
    ),
    "subsidy": _counted(
        "补助资金",
        "发放",
        default_unit="人",
        price_word="标准",
        reached=(("人", "发放人数"), ("人次", "发放人次"), ("户", "发放户数"), ("", "数量")),
    ),
    "works": _counted(
        "工程项目",
        "完成",
    ),
    "service": _counted(
        "服务",
        "完成",
        fees_in_goal=False,
    ),
    "other": KindSpec(
        factors=(),
        counted=False,
        quantity="1项",
        cost="{amount}元",
        details=(Detail("amount", "{amount}元", "金额待定"),),
        generic_name="其他支出",
        goal_verb="",  # the name alone ("办公用品")
        goal_item="{name}",
        fees_in_goal=False,
    ),
}
# the order clauses appear in the drafted goal
GOAL_ORDER: tuple[ActivityKind, ...] = (
    "training",
    "fieldwork",
    "equipment",
    "subsidy",
    "works",
    "service",
    "other",
)
