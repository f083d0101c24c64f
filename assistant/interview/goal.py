"""Drafting the 年度总体绩效目标 from the activities, so its numbers agree with the rows."""

from __future__ import annotations

from decimal import Decimal

from assistant.interview.activities import Activity, activities_total, fmt
from assistant.model import Header


def _phrase(act: Activity) -> str:
    if act.kind == "training":
        return f"举办{fmt(act.periods)}期{act.name}、培训{fmt(act.people_total())}人"
    if act.kind == "fieldwork":
        return f"开展{act.name}{fmt(act.times)}次"
    if act.kind == "equipment":
        return f"购置{act.name}{fmt(act.count)}{act.unit or '台'}"
    if act.kind == "service":
        return f"{act.name}{fmt(act.count)}{act.unit or '项'}"
    return act.name


def compose_goal(header: Header, activities: list[Activity]) -> str:
    """"2024年XX中心拟举办10期…、培训1000人，购置…，共计1590000元。" (complete activities only)."""
    done = [a for a in activities if a.complete]
    if not done:
        return ""
    who = f"{header.year}年" if header.year else ""
    who += header.unit or ""
    trained = sum((a.people_total() or Decimal(0) for a in done), Decimal(0))
    phrases = "；".join(_phrase(a) for a in done)
    summary = ""
    trainings = [a for a in done if a.kind == "training"]
    if len(trainings) > 1:
        periods = sum((a.periods for a in trainings), Decimal(0))
        summary = f"，共举办{fmt(periods)}期培训、共培训{fmt(trained)}人"
    total = activities_total(done)
    text = f"{who}拟{phrases}{summary}，共计{fmt(total)}元。"
    if header.project_name:
        text += f"通过项目实施，保障{header.project_name}按期保质完成。"
    return text
