"""Writing one understood answer into the draft: header fields, money, funds, the goal, the
activities and their follow-ups, the framework and the money reconciliation.

Each handler returns the chat lines saying what was understood, or raises ``Reask``.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.interview import answers as A
from assistant.interview.flow import cost_slot, slot_id
from assistant.interview.goal import compose_goal
from assistant.interview.money import activities_total, reconcile_message, shared_total_notes
from assistant.interview.parse import parse_activities
from assistant.interview.rows import sync_drafted
from assistant.interview.schema import Question, QuestionSpec, Reask, check
from assistant.interview.state import Draft
from assistant.model import Amount
from assistant.value_text import WAN, decimal_text

GOAL_DRAFT_WORDS = {
    "起草",
    "自动",
    "自动起草",
    "帮我写",
    "帮我起草",
    "你来写",
    "替我写",
    "草拟",
    "拟写",
}
ACTIVITY_SOURCES = ("activities", "extras", "activities_more")  # the order they are asked in
LABELS = {
    "header.project_name": "项目名称",
    "header.department": "主管部门",
    "header.unit": "实施单位",
    "header.attribute": "项目属性",
    "header.period": "项目期",
}
Handler = Callable[[Draft, Question, QuestionSpec, str], list[str]]


def apply(d: Draft, q: Question, text: str) -> list[str]:
    """Understand ``text`` as the answer to ``q`` and write it into the draft."""
    if q.id.startswith("activity."):
        return set_follow_up(d, q, text)
    spec = d.prompts.question(q.id)
    return HANDLERS[spec.kind](d, q, spec, text)


def _target(spec: QuestionSpec) -> str:
    return spec.target or spec.id


def _year(d: Draft, q: Question, spec: QuestionSpec, text: str) -> list[str]:
    year, reason = A.parse_year(text)
    check(reason)
    d.table.header.year = year
    return [f"年度：{year}年"]


def _money(d: Draft, q: Question, spec: QuestionSpec, text: str) -> list[str]:
    amount, note, reason = A.parse_money_wan(text)
    check(reason)
    assert amount is not None
    h = d.table.header
    field = _target(spec).removeprefix("header.")
    setattr(h, field, amount)
    label = "项目总额" if field == "total" else "年度资金总额"
    out = [f"{label}：{decimal_text(amount.value)}万元（{decimal_text(amount.value * WAN)}元）"]
    if note:
        out.append(note)
    if field == "total" and "annual_total" not in d.state.answers:
        h.annual_total = amount  # until the annual total is answered
    return out


def _funds(d: Draft, q: Question, spec: QuestionSpec, text: str) -> list[str]:
    h = d.table.header
    annual = h.annual_total or h.total
    funds, reason = A.parse_funds(text, annual.value if annual else None)
    check(reason)
    assert funds is not None
    own = A.own_level(funds, text, f"{h.department or ''}{h.unit or ''}")
    if own is not None:
        funds.local_level = own
    h.funds = funds
    parts = [
        f"{label}{decimal_text(amount.value)}万元"
        for amount, label in (
            (funds.fiscal, "财政拨款"),
            (funds.other, "其他资金"),
            (funds.carryover, "结余结转资金"),
        )
        if amount is not None
    ]
    out = "资金来源：" + "，".join(parts)
    if own is not None:
        out += "，均为本级资金"  # none said to be transferred from another level
    return [out]


UNSURE_WORDS = {"不确定", "不知道", "不清楚", "不好说", "随便"}
UNCLASSIFIED = "未分类"


def _kind(d: Draft, q: Question, text: str) -> list[str]:
    """The project kind, by label, number or code (``kind: training`` in an answers file);
    "不确定" keeps the inferred one. A new kind means new precedents for every open slot."""
    t = A.clean(text)
    by_code = {code: label for code, label in d.kinds}
    if t in UNSURE_WORDS and q.default:
        t = q.default
    label, reason = A.parse_choice(by_code.get(t, t), q.choices, False)
    check(reason)
    codes = {lbl: code for code, lbl in d.kinds}
    d.table.kind = codes.get(label or "")
    d.cache.clear()
    return [f"项目类别：{label}"]


def _choice(d: Draft, q: Question, spec: QuestionSpec, text: str) -> list[str]:
    if spec.choices_from == "kinds":
        return _kind(d, q, text)
    label, reason = A.parse_choice(text, q.choices, spec.allow_other)
    check(reason)
    assert label is not None
    value = spec.value_of(label)
    target = _target(spec)
    if target == "framework":
        return set_framework(d, value)
    if target == "reconcile":
        return set_reconcile(d, value)
    setattr(d.table.header, target.removeprefix("header."), value)
    return [f"{LABELS.get(target, '')}：{value}".lstrip("：")]


def _text_answer(spec: QuestionSpec, text: str) -> str:
    v = spec.validation
    value, reason = A.parse_text(text, v.min_length, v.max_length, v.pattern, v.pattern_hint)
    check(reason)
    assert value is not None
    return value


def _text(d: Draft, q: Question, spec: QuestionSpec, text: str) -> list[str]:
    value = _text_answer(spec, text)
    target = _target(spec)
    setattr(d.table.header, target.removeprefix("header."), value)
    return [f"{LABELS.get(target, '')}：{value}".lstrip("：")]


def _goal(d: Draft, q: Question, spec: QuestionSpec, text: str) -> list[str]:
    if A.clean(text) in GOAL_DRAFT_WORDS:
        d.state.goal_auto = True
        if any(a.complete for a in d.activities):
            d.table.goal = compose_goal(d.table.header, d.activities)
            return [f"已起草年度总体绩效目标：{d.table.goal}"]
        return ["好的，描述完活动后我来起草年度总体绩效目标，活动变了目标也跟着变。"]
    value = _text_answer(spec, text)
    d.state.goal_auto = False
    d.table.goal = value
    return ["已记下年度总体绩效目标。"]


def _activities(d: Draft, q: Question, spec: QuestionSpec, text: str) -> list[str]:
    return set_activities(d, text, source=_target(spec))


HANDLERS: dict[str, Handler] = {
    "year": _year,
    "money": _money,
    "funds": _funds,
    "choice": _choice,
    "text": _text,
    "goal": _goal,
    "activities": _activities,
}


def set_activities(d: Draft, text: str, *, source: str) -> list[str]:
    """Activities from one of the activity questions (main, extras, more).

    Answering a question again replaces what it (and any later activity question) added,
    with their follow-up answers, so going back never duplicates activities.
    """
    st = d.state
    if source != "activities" and A.clean(text) in A.NONE_WORDS:
        found = []
    else:
        found = parse_activities(text, d.types)
        if not found:
            raise Reask("没有看出要做哪些事")
    for act in found:
        act.asked = [fu.field for fu in act.missing(d.types)]
        act.source = source
    rank = ACTIVITY_SOURCES.index(source)
    if source == "activities_more":
        keep = list(st.activities)
        st.adding_more = False
        st.answers.pop("activities_more", None)  # may be asked again in a later round
    else:
        keep = [a for a in st.activities if ACTIVITY_SOURCES.index(a.source) < rank]
        for later in ACTIVITY_SOURCES[rank + 1 :]:
            st.answers.pop(later, None)
        for key in [k for k in st.answers if k.startswith("activity.")]:
            if int(key.split(".")[1]) > len(keep):
                del st.answers[key]
    st.answers.pop("reconcile", None)
    st.activities = keep + found
    d.cache.clear()
    synced = sync_drafted(d)
    if not found:
        return ["好的，没有其他费用。", *money_summary(d), *synced]
    out = ["我理解的活动："] + [
        f"{i + 1}. {a.describe(d.types)}" for i, a in enumerate(st.activities)
    ]
    out.extend(shared_total_notes(found))
    missing = sum(len(a.missing(d.types)) for a in st.activities)
    if missing:
        out.append(f"还有{missing}处信息需要补充，我逐一来问。")
    else:
        out.extend(money_summary(d))
    return out + synced


def set_follow_up(d: Draft, q: Question, text: str) -> list[str]:
    _, index, field = q.id.split(".")
    act = d.activities[int(index) - 1]
    check(act.set_field(field, text))
    d.cache.clear()
    out = []
    if act.complete:
        out.append(f"好的，{act.describe(d.types)}")
        group = (
            [a for a in d.activities if a.shared_total == act.shared_total]
            if act.shared_total is not None
            else []
        )
        # (when the items are all there is, the money check below says the same)
        if group and len(group) < len(d.activities) and all(a.complete for a in group):
            out.extend(shared_total_notes(group))
        if all(a.complete for a in reversed(d.activities)):  # the last ones are asked last
            out.extend(money_summary(d))
    return out + sync_drafted(d)


def money_summary(d: Draft) -> list[str]:
    h = d.table.header
    budget = h.annual_total or h.total
    sentence, _ = reconcile_message(
        activities_total(d.activities), budget.value if budget else None
    )
    out = [sentence]
    if d.state.goal_auto:
        d.table.goal = compose_goal(h, d.activities)
        out.append(f"已据此起草年度总体绩效目标：{d.table.goal}")
    return out


def set_reconcile(d: Draft, choice: str) -> list[str]:
    h = d.table.header
    if choice == "adjust":
        total_wan = activities_total(d.activities) / WAN
        amount = Amount(value=total_wan, raw=decimal_text(total_wan))
        one_year = (
            h.total is not None
            and h.annual_total is not None
            and h.total.value == h.annual_total.value
        )
        old_annual = h.annual_total.value if h.annual_total else None
        h.annual_total = amount
        if h.total is None or one_year:
            h.total = amount
        present = [f for f in ("fiscal", "other", "carryover") if getattr(h.funds, f)]
        if len(present) == 1 and getattr(h.funds, present[0]).value == old_annual:
            setattr(h.funds, present[0], amount)
            if h.funds.local_level is not None and h.funds.local_level.value == old_annual:
                h.funds.local_level = amount  # all of it 本级, as before
        if d.state.goal_auto:
            d.table.goal = compose_goal(h, d.activities)
        return [f"已把年度资金总额改为{decimal_text(total_wan)}万元，与测算合计一致。"]
    if choice == "more":
        d.state.adding_more = True
        return ["好的，请补充遗漏的活动。"]
    return ["好的，先保持不变；审核会提示这个差额。"]


def set_framework(d: Draft, framework: str) -> list[str]:
    st = d.state
    if framework != st.framework and framework in ("pre2021", "2021"):
        old = cost_slot(st.framework)
        st.framework = "2021" if framework == "2021" else "pre2021"
        new = cost_slot(st.framework)
        for ind in d.table.indicators:
            if (ind.level1, ind.level2) == old:
                ind.level1, ind.level2 = new
        for s_id, row in list(st.accepted.items()):
            if (row.level1, row.level2) == old:
                st.accepted[s_id] = row._replace(level1=new[0], level2=new[1])
        for ids in (st.drafted_slots, st.slots_done):
            if slot_id(*old) in ids:
                ids.discard(slot_id(*old))
                ids.add(slot_id(*new))
        d.cache.clear()
    label = (
        "成本指标为一级指标（2021年起的新体系）"
        if st.framework == "2021"
        else "成本指标放在产出指标下"
    )
    return [f"指标体系：{label}"]
