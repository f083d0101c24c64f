"""The reviewer's findings as the chat says them while the interview goes on: only new ones,
and none about parts of the table not reached yet; the whole report at the end."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.interview.flow import cost_slot, slot_id
from assistant.interview.state import InterviewState

if TYPE_CHECKING:
    from assistant.rules import Report

# findings about parts of the table not reached yet are noise while the interview goes on
LATE_CODES = ("STRUCT-", "MONEY-", "GOAL-", "TIME-002")


def chat_lines(report: Report, state: InterviewState, finished: bool) -> list[str]:
    """Lines for the chat; the findings said are remembered in ``state.shown``."""
    from assistant.rules import Report, explain

    cost_done = slot_id(*cost_slot(state.framework)) in state.slots_done
    new = []
    for f in report.findings:
        if not finished and f.code.startswith(LATE_CODES):
            if not (cost_done and f.code.startswith(("MONEY-", "GOAL-"))):
                continue
        key = f"{f.code}|{f.location.level2}|{f.location.name}|{f.location.field}|{f.message}"
        if key not in state.shown:
            state.shown.add(key)
            new.append(f)
    if finished:
        return ["审核结果：", *explain(report)]
    if not new:
        return []
    lines = explain(Report(findings=new, breakdown=None))
    return [line for line in lines if line.startswith("【")]
