"""Drafting the 年度总体绩效目标 from the activities, so its numbers agree with the rows."""

from __future__ import annotations

from decimal import Decimal

from assistant.interview.activity import Activity
from assistant.interview.kinds import GOAL_ORDER, KINDS
from assistant.interview.money import activities_total
from assistant.model import Header
from assistant.value_text import WAN, decimal_text


def _is_fee(act: Activity) -> bool:
    """师资费, 租车费 …: money that supports other activities, not an output of its own."""
    return act.name.endswith("费")


def _training_clause(trainings: list[Activity]) -> str:
    if len(trainings) == 1:
        t = trainings[0]
        return f"举办{decimal_text(t.periods)}期{t.name}、共培训{decimal_text(t.people_total())}人"
    periods = sum((a.periods or Decimal(0) for a in trainings), Decimal(0))
    people = sum((a.people_total() or Decimal(0) for a in trainings), Decimal(0))
    names = "、".join(a.name for a in trainings[:2])
    more = f"等{len(trainings)}个培训班" if len(trainings) > 2 else ""
    return f"举办{names}{more}共{decimal_text(periods)}期培训、共培训{decimal_text(people)}人"


def _clauses(done: list[Activity]) -> list[str]:
    """One clause per kind, in GOAL_ORDER: 举办… / 开展… / 购置… / 发放… / 完成… / names."""
    clauses: list[str] = []
    for kind in GOAL_ORDER:
        spec = KINDS[kind]
        acts = [a for a in done if a.kind == kind and (spec.fees_in_goal or not _is_fee(a))]
        if not acts:
            continue
        if spec.goal_verb is None:
            clauses.append(_training_clause(acts))
        else:
            clauses.append(spec.goal_verb + "、".join(a.goal_item() for a in acts))
    return clauses


def compose_goal(header: Header, activities: list[Activity]) -> str:
    """ "2024年XX中心拟举办10期…培训、共培训1110人，购置…，共计159万元。" (complete ones only).

    The money is in 万元, the unit of the table's header; the sentence ends with the work
    and its cost (the project's name said once more would add nothing)."""
    done = [a for a in activities if a.complete]
    if not done:
        return ""
    who = (f"{header.year}年" if header.year else "") + (header.unit or "")
    clauses = _clauses(done) or ["实施本项目"]
    wan = decimal_text(activities_total(done) / WAN)
    return f"{who}拟{'；'.join(clauses)}，共计{wan}万元。"
