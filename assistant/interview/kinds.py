"""The activity kinds as one data table: how each kind multiplies, drafts rows and is described.

Recognising a kind (its keywords, units, follow-ups and the ``label`` the chat shows) lives in
``prompts/40_activities.yaml``; what the code does with a kind lives here, once, so no module
switches on kind names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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


_COUNTED_DETAILS = (Detail("count", "{count}{unit}", "数量待定"),)

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
        rate_fields=("times", "days", "people"),
    ),
    "equipment": KindSpec(
        factors=("count", "price"),
        counted=True,
        quantity="{count}{unit}",
        cost="{price}元/{unit}",
        details=_COUNTED_DETAILS,
        generic_name="设备购置",
        goal_verb="购置",
        default_unit="台",
    ),
    "subsidy": KindSpec(
        factors=("count", "price"),
        counted=True,
        quantity="{count}{unit}",
        cost="{price}元/{unit}",
        details=_COUNTED_DETAILS,
        generic_name="补助资金",
        goal_verb="发放",
        default_unit="人",
        price_word="标准",
    ),
    "works": KindSpec(
        factors=("count", "price"),
        counted=True,
        quantity="{count}{unit}",
        cost="{price}元/{unit}",
        details=_COUNTED_DETAILS,
        generic_name="工程项目",
        goal_verb="完成",
    ),
    "service": KindSpec(
        factors=("count", "price"),
        counted=True,
        quantity="{count}{unit}",
        cost="{price}元/{unit}",
        details=_COUNTED_DETAILS,
        generic_name="服务",
        goal_verb="完成",
    ),
    "other": KindSpec(
        factors=(),
        counted=False,
        quantity="1项",
        cost="{amount}元",
        details=(Detail("amount", "{amount}元", "金额待定"),),
        generic_name="其他支出",
        goal_verb="",  # the name alone ("办公用品")
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
