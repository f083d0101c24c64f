"""Drafting the 年度总体绩效目标 from the activities, so its numbers agree with the rows."""

from __future__ import annotations

from decimal import Decimal

from assistant.interview.activities import Activity, activities_total, fmt
from assistant.model import Header


def _is_fee(act: Activity) -> bool:
    """师资费, 租车费 …: money that supports other activities, not an output of its own."""
    return act.name.endswith("费")


def _clauses(done: list[Activity]) -> list[str]:
    clauses: list[str] = []
    trainings = [a for a in done if a.kind == "training"]
    if len(trainings) == 1:
        t = trainings[0]
        clauses.append(f"举办{fmt(t.periods)}期{t.name}、共培训{fmt(t.people_total())}人")
    elif trainings:
        periods = sum((a.periods for a in trainings), Decimal(0))
        people = sum((a.people_total() for a in trainings), Decimal(0))
        names = "、".join(a.name for a in trainings[:2])
        more = f"等{len(trainings)}个培训班" if len(trainings) > 2 else ""
        clauses.append(f"举办{names}{more}共{fmt(periods)}期培训、共培训{fmt(people)}人")
    field = [f"{a.name}{fmt(a.times)}次" for a in done if a.kind == "fieldwork"]
    if field:
        clauses.append("开展" + "、".join(field))
    equipment = [f"{a.name}{fmt(a.count)}{a.unit or '台'}" for a in done if a.kind == "equipment"]
    if equipment:
        clauses.append("购置" + "、".join(equipment))
    subsidies = [f"{a.name}{fmt(a.count)}{a.unit or '人'}" for a in done if a.kind == "subsidy"]
    if subsidies:
        clauses.append("发放" + "、".join(subsidies))
    works = [f"{a.name}{fmt(a.count)}{a.unit or '项'}" for a in done if a.kind == "works"]
    if works:
        clauses.append("完成" + "、".join(works))
    services = [
        f"{a.name}{fmt(a.count)}{a.unit or '项'}"
        for a in done
        if a.kind == "service" and not _is_fee(a)
    ]
    if services:
        clauses.append("完成" + "、".join(services))
    others = [a.name for a in done if a.kind == "other" and not _is_fee(a)]
    if others:
        clauses.append("、".join(others))
    return clauses


def compose_goal(header: Header, activities: list[Activity]) -> str:
    """ "2024年XX中心拟举办10期…培训、共培训1110人，购置…，共计1590000元。" (complete ones only)."""
    done = [a for a in activities if a.complete]
    if not done:
        return ""
    who = (f"{header.year}年" if header.year else "") + (header.unit or "")
    clauses = _clauses(done) or ["实施本项目"]
    text = f"{who}拟{'；'.join(clauses)}，共计{fmt(activities_total(done))}元。"
    if header.project_name:
        text += f"通过项目实施，保障{header.project_name}按期保质完成。"
    return text
