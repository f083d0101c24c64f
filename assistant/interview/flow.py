"""Which question comes next: the script's questions, the follow-ups the activities still lack,
then one question per indicator slot of the chosen framework.

Recomputed from the state after every step, so a follow-up appears as soon as an activity lacks
a detail, and a reopened draft resumes at the first unanswered question.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from assistant.interview.activity import Activity
from assistant.interview.money import activities_total
from assistant.interview.schema import FollowUp, Prompts, Question, QuestionSpec
from assistant.interview.state import InterviewState
from assistant.model import FRAMEWORKS, L1_COST, L1_OUTPUT, L2_COST, L2_ECON_COST, TargetTable
from assistant.value_text import WAN, decimal_text

Slot = tuple[str, str]


def slot_id(level1: str, level2: str) -> str:
    """Question id of a slot: ``slot:产出指标/数量指标``."""
    return f"slot:{level1}/{level2}"


def slots(framework: str) -> list[Slot]:
    """(level1, level2) of every slot question, in the framework's order."""
    return [(l1, l2) for l1, l2s in FRAMEWORKS[framework].items() for l2 in l2s]


def cost_slot(framework: str) -> Slot:
    return (L1_COST, L2_ECON_COST) if framework == "2021" else (L1_OUTPUT, L2_COST)


def with_year(text: str, year: int | None) -> str:
    """An example written for 2024 said in the draft's own budget year."""
    return re.sub(r"20\d{2}(?=年)", str(year), text) if year else text


def difference(state: InterviewState, table: TargetTable) -> Decimal | None:
    """Σ activities − annual total, in 元 (None until both are known)."""
    h = table.header
    budget = h.annual_total or h.total
    acts = state.activities
    # from the end: activities are completed in order, so an unfinished one is found at once
    if not acts or budget is None or not all(a.complete for a in reversed(acts)):
        return None
    return activities_total(acts) - budget.value * WAN


def needs_reconcile(state: InterviewState, table: TargetTable) -> bool:
    if "reconcile" in state.answers:
        return True
    diff = difference(state, table)
    return diff is not None and diff != 0


@dataclass(frozen=True)
class Entry:
    """One question of the flow, built only when asked for (a long list of activities makes
    hundreds of follow-ups; only the current one is needed at each step)."""

    id: str
    slot: bool
    make: Callable[[], Question]


def entries(
    prompts: Prompts,
    state: InterviewState,
    table: TargetTable,
    kind_question: Callable[[QuestionSpec], Question] | None = None,
) -> list[Entry]:
    """The flow as it stands now, in order; the project-kind question (``choices_from:
    kinds``) only when the interview was given the kinds (``kind_question`` builds it)."""
    out: list[Entry] = []
    year = table.header.year
    for spec in prompts.questions:
        if spec.choices_from == "kinds":
            if kind_question is not None:
                out.append(Entry(spec.id, False, partial(kind_question, spec)))
            continue
        if spec.id == "reconcile" and not needs_reconcile(state, table):
            continue
        if spec.id == "activities_more" and not state.adding_more:
            continue
        if spec.when is not None and not (
            "activities" in state.answers and any(a.kind == spec.when for a in state.activities)
        ):
            continue
        out.append(Entry(spec.id, False, partial(_question, spec, state, year)))
        if spec.kind == "activities" and spec.id == "activities":
            out.extend(_follow_ups(prompts, state))
    for l1, l2 in slots(state.framework):
        out.append(
            Entry(slot_id(l1, l2), True, partial(slot_question, prompts, state, l1, l2, year))
        )
    return out


def build(prompts: Prompts, state: InterviewState, table: TargetTable) -> list[Question]:
    """Every question of the flow as it stands now (answered ones carry their answer)."""
    return [e.make() for e in entries(prompts, state, table)]


def answered(e: Entry | Question, state: InterviewState) -> bool:
    slot = e.slot if isinstance(e, Entry) else e.kind == "slot"
    return e.id in (state.slots_done if slot else state.answers)


def current(flow: list[Entry], state: InterviewState) -> Question | None:
    """The question gone back to, else the first unanswered one; None when all are done."""
    if state.pointer is not None:
        for e in flow:
            if e.id == state.pointer:
                return e.make()
        state.pointer = None
    return next((e.make() for e in flow if not answered(e, state)), None)


def _question(spec: QuestionSpec, state: InterviewState, year: int | None) -> Question:
    default = spec.default
    if spec.default_from:
        default = state.answers.get(spec.default_from) or default
    return Question(
        id=spec.id,
        text=spec.text,
        help=spec.help,
        example=with_year(spec.example, year) if spec.id != "year" else spec.example,
        kind=spec.kind,
        choices=[c.label for c in spec.choices],
        optional=spec.optional,
        default=default,
        answer=state.answers.get(spec.id),
    )


def _follow_ups(prompts: Prompts, state: InterviewState) -> list[Entry]:
    out = []
    by_kind: dict[str, dict[str, FollowUp]] = {
        k: {f.field: f for f in t.follow_ups} for k, t in prompts.activity_types.items()
    }
    answers = state.answers
    for i, act in enumerate(state.activities):
        fus = by_kind.get(act.kind)
        if not act.asked or fus is None:
            continue
        for field in act.asked:
            qid = f"activity.{i + 1}.{field}"
            if qid not in answers and getattr(act, field, None) is not None:
                continue  # worked out from another answer (a rate from a stated total)
            fu = fus.get(field)
            if fu is not None:
                out.append(Entry(qid, False, partial(_follow_up, state, act, fu, qid)))
    return out


def _follow_up(state: InterviewState, act: Activity, fu: FollowUp, qid: str) -> Question:
    default = _periods_default(state.activities, act, fu.field)
    help_text = fu.help
    if act.shared_total is not None and fu.field == "price":
        help_text += f"（描述中与同列的几项共{decimal_text(act.shared_total / WAN)}万元）"
    return Question(
        id=qid,
        text=fu.text.format(name=act.name),
        help=help_text,
        example=fu.example,
        kind=fu.kind,
        optional=default is not None,
        default=default,
        answer=state.answers.get(qid),
    )


def _periods_default(activities: list[Activity], act: Activity, field: str) -> str | None:
    """A fee priced per 期 ("师资费每期9000元") is usually paid for every training period,
    so its count defaults to the trainings' 期数 (the user can still type another)."""
    if field != "count" or act.unit != "期":
        return None
    periods = sum((a.periods for a in activities if a.kind == "training" and a.periods), Decimal(0))
    return f"{decimal_text(periods)}期" if periods else None


def slot_question(
    prompts: Prompts, state: InterviewState, level1: str, level2: str, year: int | None
) -> Question:
    sq = prompts.slot_question
    sp = prompts.slots.get(level2)
    ask = sp.ask if sp else "请填写这一项指标。"
    text = (sq.text if sq else "「{level1} → {level2}」：{ask}").format(
        level1=level1, level2=level2, ask=ask
    )
    qid = slot_id(level1, level2)
    return Question(
        id=qid,
        text=text,
        help=sq.help if sq else "",
        example=with_year(sp.example, year) if sp else "",
        kind="slot",
        slot=(level1, level2),
        optional=True,
        default="完成",
        answer="完成" if qid in state.slots_done else None,
    )
