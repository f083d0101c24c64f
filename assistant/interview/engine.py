"""The interview: asks the script's questions, understands answers, drafts the table, saves.

UI-free (no Textual): the TUI and ``jixiao draft --answers`` drive the same ``Interview``.
The flow is recomputed from the state after every step, so follow-ups appear as soon as an
activity lacks a detail, and a reopened draft resumes at the first unanswered question.
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import JixiaoError
from assistant.interview import answers as A
from assistant.interview.activities import (
    WAN,
    Activity,
    activities_total,
    draft_rows,
    fmt,
    parse_activities,
    reconcile_message,
)
from assistant.interview.goal import compose_goal
from assistant.interview.schema import Question, QuestionSpec, Suggestion, Turn, load_prompts
from assistant.model import (
    FRAMEWORKS,
    L1_COST,
    L1_OUTPUT,
    L2_COST,
    L2_ECON_COST,
    L2_QUANTITY,
    L2_TIME,
    Amount,
    Header,
    Indicator,
    Provenance,
    TargetTable,
    split_number,
)

if TYPE_CHECKING:
    from assistant.rules import Finding, PrecedentStats, Report
    from assistant.search import Hit, SearchEngine
    from assistant.store import DraftStore

STATE_VERSION = 1
FRAMEWORK_CHOICES = {"产出下设成本指标": "pre2021", "成本指标为一级指标": "2021"}
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
RECONCILE_ADJUST, RECONCILE_MORE, RECONCILE_KEEP = "按测算合计修改总额", "继续补充活动", "保持不变"
# findings about parts of the table not reached yet are noise while the interview goes on
_LATE_CODES = ("STRUCT-", "MONEY-", "GOAL-", "TIME-002")
_ACTIVITY_SOURCES = ("activities", "extras", "activities_more")  # order they are asked in
_USER_ROW = Provenance(source="对话：用户填写", kind="user")
PRECEDENT_POOL = 10  # hits looked at per query
PRECEDENT_TOP = 5  # precedent rows shown per slot
KEEP_RATIO = 0.55  # rows scoring below this share of the best are dropped as noise
MIN_SCORE = 0.1  # and rows this weak even when nothing better was found
LIBRARY_ONLY = "\x00library:"  # marks a query whose hits count only when from the library
LIBRARY_BONUS = 0.3  # a library entry naming the project's kind of work outranks weak precedents


def _sid(prefix: str, *parts: str) -> str:
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:10]
    return f"{prefix}:{digest}"


def slot_id(level1: str, level2: str) -> str:
    """Question id of a slot: ``slot:产出指标/数量指标``."""
    return f"slot:{level1}/{level2}"


class Interview:
    """One conversation about one project; see the module docstring."""

    def __init__(
        self,
        *,
        store: DraftStore | None = None,
        searcher: SearchEngine | None = None,
        prompts_path: Path | None = None,
        draft_id: str | None = None,
        autosave: bool = True,
    ) -> None:
        self.prompts = load_prompts(prompts_path)
        self._types = self.prompts.activity_types
        self._store = store
        self._searcher = searcher
        self.autosave = autosave
        self.draft_id: str | None = None
        self.table = TargetTable(header=Header(project_name=""))
        self.activities: list[Activity] = []
        self.framework = "pre2021"
        self._answers: dict[str, str] = {}
        self._accepted: dict[str, list[str]] = {}  # suggestion id → [level1, level2, name, value]
        self._rejected: set[str] = set()
        self._slots_done: set[str] = set()
        self._drafted_slots: set[str] = set()  # slots whose rows follow the activities
        self._goal_auto = False
        self._adding_more = False
        self._pointer: str | None = None
        self._shown: set[str] = set()
        self._suggestions: dict[str, list[Suggestion]] = {}
        self._stats: PrecedentStats | None = None
        if draft_id is not None:
            self._load(draft_id)

    @classmethod
    def resume(cls, draft_id: str, **kw: Any) -> Interview:
        """Reopen a saved draft; the conversation goes on at the next unanswered question."""
        return cls(draft_id=draft_id, **kw)

    # --- collaborators ------------------------------------------------------------------

    @property
    def store(self) -> DraftStore:
        if self._store is None:
            from assistant.store import DraftStore

            self._store = DraftStore()
        return self._store

    @property
    def searcher(self) -> SearchEngine:
        """The precedent search; lexical only unless the caller passed a semantic one."""
        if self._searcher is None:
            from assistant.search import SearchEngine

            self._searcher = SearchEngine(semantic=False)
        return self._searcher

    # --- the flow -----------------------------------------------------------------------

    def slots(self) -> list[tuple[str, str]]:
        """(level1, level2) of every slot question, in the chosen framework's order."""
        return [(l1, l2) for l1, l2s in FRAMEWORKS[self.framework].items() for l2 in l2s]

    def _cost_slot(self) -> tuple[str, str]:
        return (L1_COST, L2_ECON_COST) if self.framework == "2021" else (L1_OUTPUT, L2_COST)

    def _flow(self) -> list[Question]:
        out: list[Question] = []
        for spec in self.prompts.questions:
            if spec.id == "reconcile" and not self._needs_reconcile():
                continue
            if spec.id == "activities_more" and not self._adding_more:
                continue
            if spec.when == "training" and not (
                "activities" in self._answers and any(a.kind == "training" for a in self.activities)
            ):
                continue
            out.append(self._question(spec))
            if spec.kind == "activities" and spec.id == "activities":
                out.extend(self._follow_ups())
        for l1, l2 in self.slots():
            out.append(self._slot_question(l1, l2))
        return out

    def _question(self, spec: QuestionSpec) -> Question:
        default = spec.default
        if spec.default_from:
            src = self._answers.get(spec.default_from)
            default = src if src else default
        return Question(
            id=spec.id,
            text=spec.text,
            help=spec.help,
            example=spec.example,
            kind=spec.kind,
            choices=list(spec.choices),
            optional=spec.optional,
            default=default,
            answer=self._answers.get(spec.id),
        )

    def _follow_ups(self) -> list[Question]:
        out = []
        for i, act in enumerate(self.activities):
            fus = {fu.field: fu for fu in self._types[act.kind].follow_ups}
            for field in act.asked:
                fu = fus.get(field)
                if fu is None:
                    continue
                qid = f"activity.{i + 1}.{field}"
                if qid not in self._answers and getattr(act, field, None) is not None:
                    continue  # worked out from another answer (a rate from a stated total)
                default = self._periods_default(act, field)
                out.append(
                    Question(
                        id=qid,
                        text=fu.text.format(name=act.name),
                        help=fu.help,
                        example=fu.example,
                        kind=fu.kind,
                        optional=default is not None,
                        default=default,
                        answer=self._answers.get(qid),
                    )
                )
        return out

    def _periods_default(self, act: Activity, field: str) -> str | None:
        """A fee priced per 期 ("师资费每期9000元") is usually paid for every training period,
        so its count defaults to the trainings' 期数 (the user can still type another)."""
        if field != "count" or act.unit != "期":
            return None
        periods = sum(
            (a.periods for a in self.activities if a.kind == "training" and a.periods),
            Decimal(0),
        )
        return f"{fmt(periods)}期" if periods else None

    def _slot_question(self, level1: str, level2: str) -> Question:
        sq = self.prompts.slot_question
        sp = self.prompts.slots.get(level2)
        ask = sp.ask if sp else "请填写这一项指标。"
        text = (sq.text if sq else "「{level1} → {level2}」：{ask}").format(
            level1=level1, level2=level2, ask=ask
        )
        qid = slot_id(level1, level2)
        return Question(
            id=qid,
            text=text,
            help=sq.help if sq else "",
            example=sp.example if sp else "",
            kind="slot",
            slot=(level1, level2),
            optional=True,
            default="完成",
            answer="完成" if qid in self._slots_done else None,
        )

    def _answered(self, q: Question) -> bool:
        if q.kind == "slot":
            return q.id in self._slots_done
        return q.id in self._answers

    def current(self) -> Question | None:
        """The question being asked; None when the interview is complete."""
        flow = self._flow()
        if self._pointer is not None:
            for q in flow:
                if q.id == self._pointer:
                    return q
            self._pointer = None
        return next((q for q in flow if not self._answered(q)), None)

    @property
    def done(self) -> bool:
        return self.current() is None

    def questions(self) -> list[Question]:
        """Every question of the flow as it stands now (answered ones carry their answer)."""
        return self._flow()

    # --- answering ----------------------------------------------------------------------

    def answer(self, text: str) -> Turn:
        """Understand one answer to the current question, update the draft, save, move on."""
        q = self.current()
        if q is None:
            return Turn(ok=False, messages=["所有问题都已回答，草稿已保存。"], next=None)
        text = "" if text is None else str(text)
        if q.kind == "slot":
            return self._answer_slot(q, text)
        if A.clean(text) in A.SKIP_WORDS:
            return self.skip()
        return self._apply(q, text)

    def skip(self) -> Turn:
        """Skip an optional question (its default applies); a required one is asked again."""
        q = self.current()
        if q is None:
            return Turn(ok=False, messages=["所有问题都已回答。"], next=None)
        if q.kind == "slot":
            return self._finish_slot(q)
        if not q.optional or q.default is None:
            return Turn(ok=False, reask=self._reask(q, "这个问题不能跳过"), next=q)
        return self._apply(q, q.default, skipped=True)

    def back(self) -> Question | None:
        """Go to the previous question; its earlier answer is kept until a new one is given."""
        flow = self._flow()
        cur = self.current()
        idx = len(flow) if cur is None else next(i for i, q in enumerate(flow) if q.id == cur.id)
        if idx > 0:
            self._pointer = flow[idx - 1].id
        return self.current()

    def _reask(self, q: Question, reason: str) -> str:
        example = f"例如：{q.example}" if q.example else ""
        return f"{reason}。请再说一次，{example}".rstrip("，")

    def _apply(self, q: Question, text: str, *, skipped: bool = False) -> Turn:
        spec_target = self._target(q)
        try:
            messages = self._set(q, spec_target, text)
        except _Reask as r:
            return Turn(ok=False, reask=self._reask(q, r.reason), next=q)
        self._answers[q.id] = text
        if self._pointer == q.id:
            self._pointer = None
        if skipped:
            # one line, "项目属性：0101-一年期项目（默认）", rather than the default said twice
            if messages and "：" in messages[0]:
                messages[0] += "（默认）"
            elif not (messages and text in messages[0]):
                messages.insert(0, f"已采用默认：{text}")
        return self._after_change(messages, f"回答：{q.id}")

    def _target(self, q: Question) -> str:
        if q.id.startswith("activity."):
            return "follow_up"
        try:
            return self.prompts.question(q.id).target or q.id
        except KeyError:
            return q.id

    def _set(self, q: Question, target: str, text: str) -> list[str]:
        """Write one understood answer into the draft; raise _Reask when it does not parse."""
        h = self.table.header
        spec = self.prompts.question(q.id) if target != "follow_up" else None
        if target == "follow_up":
            return self._set_follow_up(q, text)
        if q.kind == "year":
            year, reason = A.parse_year(text)
            _check(reason)
            h.year = year
            return [f"年度：{year}年"]
        if q.kind == "money":
            amount, note, reason = A.parse_money_wan(text)
            _check(reason)
            field = target.removeprefix("header.")
            setattr(h, field, amount)
            label = "项目总额" if field == "total" else "年度资金总额"
            out = [f"{label}：{fmt(amount.value)}万元（{fmt(amount.value * WAN)}元）"]
            if note:
                out.append(note)
            if field == "total" and "annual_total" not in self._answers:
                h.annual_total = amount  # until the annual total is answered
            return out
        if q.kind == "funds":
            annual = h.annual_total or h.total
            funds, reason = A.parse_funds(text, annual.value if annual else None)
            _check(reason)
            h.funds = funds
            parts = [
                f"{label}{fmt(getattr(funds, f).value)}万元"
                for f, label in (
                    ("fiscal", "财政拨款"),
                    ("other", "其他资金"),
                    ("carryover", "结余结转资金"),
                )
                if getattr(funds, f)
            ]
            return ["资金来源：" + "，".join(parts)]
        if q.kind == "choice":
            choice, reason = A.parse_choice(text, q.choices, spec.allow_other if spec else False)
            _check(reason)
            if target == "framework":
                return self._set_framework(FRAMEWORK_CHOICES.get(choice, "pre2021"))
            if target == "reconcile":
                return self._set_reconcile(choice)
            setattr(h, target.removeprefix("header."), choice)
            return [f"{_LABELS.get(target, '')}：{choice}".lstrip("：")]
        if q.kind == "goal":
            if A.clean(text) in GOAL_DRAFT_WORDS:
                self._goal_auto = True
                if any(a.complete for a in self.activities):
                    self.table.goal = compose_goal(h, self.activities)
                    return [f"已起草年度总体绩效目标：{self.table.goal}"]
                return ["好的，描述完活动后我来起草年度总体绩效目标，活动变了目标也跟着变。"]
            value, reason = self._text(spec, text)
            _check(reason)
            self._goal_auto = False
            self.table.goal = value
            return ["已记下年度总体绩效目标。"]
        if q.kind == "activities":
            return self._set_activities(text, source=target)
        value, reason = self._text(spec, text)
        _check(reason)
        setattr(h, target.removeprefix("header."), value)
        return [f"{_LABELS.get(target, '')}：{value}".lstrip("：")]

    @staticmethod
    def _text(spec: QuestionSpec | None, text: str) -> tuple[str | None, str | None]:
        v = spec.validation if spec else None
        return A.parse_text(
            text,
            v.min_length if v else None,
            v.max_length if v else None,
            v.pattern if v else None,
            v.pattern_hint if v else None,
        )

    # --- activities -----------------------------------------------------------------------

    def _set_activities(self, text: str, *, source: str) -> list[str]:
        """Activities from one of the activity questions (main, extras, more).

        Answering a question again replaces what it (and any later activity question) added,
        with their follow-up answers, so going back never duplicates activities.
        """
        if source != "activities" and A.clean(text) in A.NONE_WORDS:
            found = []
        else:
            found = parse_activities(text, self._types)
            if not found:
                raise _Reask("没有看出要做哪些事")
        for act in found:
            act.asked = [fu.field for fu in act.missing(self._types)]
            act.source = source
        rank = _ACTIVITY_SOURCES.index(source)
        if source == "activities_more":
            keep = list(self.activities)
            self._adding_more = False
            self._answers.pop("activities_more", None)  # may be asked again in a later round
        else:
            keep = [a for a in self.activities if _ACTIVITY_SOURCES.index(a.source) < rank]
            for later in _ACTIVITY_SOURCES[rank + 1 :]:
                self._answers.pop(later, None)
            for key in [k for k in self._answers if k.startswith("activity.")]:
                if int(key.split(".")[1]) > len(keep):
                    del self._answers[key]
        self._answers.pop("reconcile", None)
        self.activities = keep + found
        self._suggestions.clear()
        synced = self._sync_drafted()
        if not found:
            return ["好的，没有其他费用。"] + self._money_summary() + synced
        out = ["我理解的活动："] + [
            f"{i + 1}. {a.describe()}" for i, a in enumerate(self.activities)
        ]
        missing = sum(len(a.missing(self._types)) for a in self.activities)
        if missing:
            out.append(f"还有{missing}处信息需要补充，我逐一来问。")
        else:
            out.extend(self._money_summary())
        return out + synced

    def _set_follow_up(self, q: Question, text: str) -> list[str]:
        _, index, field = q.id.split(".")
        act = self.activities[int(index) - 1]
        reason = act.set_field(field, text)
        _check(reason)
        self._suggestions.clear()
        out = []
        if act.complete:
            out.append(f"好的，{act.describe()}")
            if all(a.complete for a in self.activities):
                out.extend(self._money_summary())
        return out + self._sync_drafted()

    def _sync_drafted(self) -> list[str]:
        """Slots whose drafted rows were accepted follow the activities when these change."""
        out = []
        for slot in ((L1_OUTPUT, L2_QUANTITY), self._cost_slot()):
            if slot_id(*slot) not in self._drafted_slots:
                continue
            fresh = self._drafted(*slot)
            fresh_ids = {d.id for d in fresh}
            stale = [
                sid
                for sid, row in self._accepted.items()
                if sid.startswith("drafted:") and tuple(row[:2]) == slot and sid not in fresh_ids
            ]
            for sid in stale:
                row = self._accepted.pop(sid)
                for i, ind in enumerate(self.table.indicators):
                    if [ind.level1, ind.level2, ind.name, ind.value] == row:
                        del self.table.indicators[i]
                        break
            added = [d for d in fresh if d.id not in self._accepted and d.id not in self._rejected]
            for d in added:
                self._accept(d, None, None)
            if stale or added:
                out.append(
                    f"活动有变化，已按新的测算更新「{slot[1]}」：去掉{len(stale)}行，加入{len(added)}行。"
                )
        return out

    def _money_summary(self) -> list[str]:
        h = self.table.header
        budget = h.annual_total or h.total
        sentence, _ = reconcile_message(
            activities_total(self.activities), budget.value if budget else None
        )
        out = [sentence]
        if self._goal_auto:
            self.table.goal = compose_goal(h, self.activities)
            out.append(f"已据此起草年度总体绩效目标：{self.table.goal}")
        return out

    def difference(self) -> Decimal | None:
        """Σ activities − annual total, in 元 (None until both are known)."""
        h = self.table.header
        budget = h.annual_total or h.total
        if not self.activities or budget is None or not all(a.complete for a in self.activities):
            return None
        return activities_total(self.activities) - budget.value * WAN

    def _needs_reconcile(self) -> bool:
        if "reconcile" in self._answers:
            return True
        diff = self.difference()
        return diff is not None and diff != 0

    def _set_reconcile(self, choice: str) -> list[str]:
        h = self.table.header
        if choice == RECONCILE_ADJUST:
            total_wan = activities_total(self.activities) / WAN
            amount = Amount(value=total_wan, raw=fmt(total_wan))
            one_year = (
                h.total is not None
                and h.annual_total is not None
                and (h.total.value == h.annual_total.value)
            )
            old_annual = h.annual_total.value if h.annual_total else None
            h.annual_total = amount
            if h.total is None or one_year:
                h.total = amount
            present = [f for f in ("fiscal", "other", "carryover") if getattr(h.funds, f)]
            if len(present) == 1 and getattr(h.funds, present[0]).value == old_annual:
                setattr(h.funds, present[0], amount)
            if self._goal_auto:
                self.table.goal = compose_goal(h, self.activities)
            return [f"已把年度资金总额改为{fmt(total_wan)}万元，与测算合计一致。"]
        if choice == RECONCILE_MORE:
            self._adding_more = True
            return ["好的，请补充遗漏的活动。"]
        return ["好的，先保持不变；审核会提示这个差额。"]

    def _set_framework(self, framework: str) -> list[str]:
        if framework != self.framework:
            old = self._cost_slot()
            self.framework = framework
            new = self._cost_slot()
            for ind in self.table.indicators:
                if (ind.level1, ind.level2) == old:
                    ind.level1, ind.level2 = new
            for row in self._accepted.values():
                if tuple(row[:2]) == old:
                    row[:2] = list(new)
            for ids in (self._drafted_slots, self._slots_done):
                if slot_id(*old) in ids:
                    ids.discard(slot_id(*old))
                    ids.add(slot_id(*new))
            self._suggestions.clear()
        label = (
            "成本指标为一级指标（2021年起的新体系）"
            if framework == "2021"
            else "成本指标放在产出指标下"
        )
        return [f"指标体系：{label}"]

    # --- slots --------------------------------------------------------------------------

    def _answer_slot(self, q: Question, text: str) -> Turn:
        sq = self.prompts.slot_question
        t = A.clean(text)
        if t in A.SKIP_WORDS or (sq and t in sq.done_words):
            return self._finish_slot(q)
        if sq and t in sq.not_applicable_words:
            return self._not_applicable(q)
        if sq and t in sq.accept_all_words:
            drafted = [s for s in self.suggestions() if s.origin == "drafted"]
            if not drafted:
                return Turn(
                    ok=False,
                    reask=self._reask(q, "这一项没有起草的行，可以回答序号采纳建议"),
                    next=q,
                )
            return self._accept_many([s.id for s in drafted])
        m = re.fullmatch(
            r"(采纳|接受|选|要|用|拒绝|不要|去掉)?\s*第?(\d{1,2}(?:\s*[,，、和\s]\s*\d{1,2})*)(?:条|个|项)?",
            t,
        )
        if m:
            shown = self.suggestions()
            picks = [int(n) for n in re.findall(r"\d+", m.group(2))]
            bad = [n for n in picks if not 1 <= n <= len(shown)]
            if bad:
                return Turn(
                    ok=False,
                    next=q,
                    reask=self._reask(q, f"没有第{bad[0]}条建议（现有{len(shown)}条）"),
                )
            ids = [shown[n - 1].id for n in picks]
            if m.group(1) in ("拒绝", "不要", "去掉"):
                messages: list[str] = []
                for sid in ids:
                    messages.extend(self._reject(sid))
                return self._after_change(messages, f"不采纳建议：{q.id}")
            return self._accept_many(ids)
        row, reason = A.parse_row(text)
        if row is None:
            return Turn(
                ok=False,
                next=q,
                reask=self._reask(q, f"{reason}。可以回答建议的序号、“三级指标：指标值”，或“完成”"),
            )
        return self._add_row(q, *row)

    def _finish_slot(self, q: Question) -> Turn:
        self._slots_done.add(q.id)
        if self._pointer == q.id:
            self._pointer = None
        rows = self._rows_in(q.slot)
        if rows:
            messages = [f"「{q.slot[1]}」共{len(rows)}行。"]
        else:
            messages = [f"「{q.slot[1]}」还没有指标；如果不适用，可以退回来回答“不适用”。"]
        return self._after_change(messages, f"完成：{q.slot[1]}")

    def _not_applicable(self, q: Question) -> Turn:
        return self._after_change(self._mark_not_applicable(*q.slot), f"不适用：{q.slot[1]}")

    def _mark_not_applicable(self, l1: str, l2: str) -> list[str]:
        """Write the 0 / 0 row and finish the slot."""
        if not any(ind.name == "0" and ind.value == "0" for ind in self._rows_in((l1, l2))):
            self.table.indicators.append(
                Indicator(level1=l1, level2=l2, name="0", value="0", provenance=_USER_ROW)
            )
        qid = slot_id(l1, l2)
        self._slots_done.add(qid)
        if self._pointer == qid:
            self._pointer = None
        return [f"「{l2}」不适用，按惯例写作 0 / 0。"]

    def _add_row(self, q: Question, name: str, value: str) -> Turn:
        return self.add_row(*q.slot, name, value)

    def add_row(
        self,
        level1: str,
        level2: str,
        name: str,
        value: str,
        provenance: Provenance | None = None,
    ) -> Turn:
        """Add one row to the table. ``provenance`` says where it came from (a precedent taken
        from the search screen keeps its source); without it the row is the user's own."""
        name, value = (name or "").strip(), (value or "").strip()
        q = self.current()
        reason = unmeasurable(value) if value else None
        if not name or not value:
            reason = "三级指标和指标值都要写，例如：采购设备合格率：100%"
        if reason:
            return Turn(ok=False, next=q, reask=self._reask(q, reason) if q else reason)
        self.table.indicators.append(
            Indicator(
                level1=level1,
                level2=level2,
                name=name,
                value=value,
                provenance=provenance or _USER_ROW,
            )
        )
        source = _where(provenance) if provenance is not None and provenance.kind != "user" else ""
        return self._after_change([f"已添加：{name}：{value}{source}"], f"添加指标：{level2}")

    def from_precedent(self, indicator: Indicator) -> tuple[str, str, Provenance | None]:
        """A precedent row as this draft would take it: its numbering (“3.”) dropped, its own
        budget year moved to this project's year (noted in the provenance)."""
        name = split_number(indicator.name)[1]
        return _to_year(name, indicator.value, indicator.provenance, self.table.header.year)

    def _rows_in(self, slot: tuple[str, str] | None) -> list[Indicator]:
        return [i for i in self.table.indicators if (i.level1, i.level2) == slot]

    def suggestions(self) -> list[Suggestion]:
        """Candidates for the current slot: drafted rows first, then precedents with provenance."""
        q = self.current()
        if q is None or q.kind != "slot":
            return []
        if q.id not in self._suggestions:
            self._suggestions[q.id] = self._drafted(*q.slot) + self._precedents(*q.slot)
        present = {(i.name, i.value) for i in self._rows_in(q.slot)}
        present_names = {split_number(i.name)[1] for i in self._rows_in(q.slot)}
        return [
            s
            for s in self._suggestions[q.id]
            if s.id not in self._accepted
            and s.id not in self._rejected
            and (s.name, s.value) not in present
            and (s.origin == "drafted" or s.name not in present_names)
            and not (s.origin == "not_applicable" and ("0", "0") in present)
        ]

    def _drafted(self, level1: str, level2: str) -> list[Suggestion]:
        out: list[Indicator] = []
        quantity, cost = draft_rows(self.activities, *self._cost_slot())
        if (level1, level2) == (L1_OUTPUT, L2_QUANTITY):
            out = quantity
        elif (level1, level2) == self._cost_slot():
            out = cost
        elif (level1, level2) == (L1_OUTPUT, L2_TIME) and self.table.header.year:
            out = [
                Indicator(
                    level1=level1,
                    level2=level2,
                    name=f"{self.table.header.year}年12月31日前完成率",
                    value="100%",
                    provenance=Provenance(
                        source="对话：按预算年度起草", kind="user", note="按预算年度年底完成起草"
                    ),
                )
            ]
        return [
            Suggestion(
                id=_sid("drafted", level2, i.name, i.value),
                level1=level1,
                level2=level2,
                name=i.name,
                value=i.value,
                provenance=i.provenance,
                origin="drafted",
            )
            for i in out
        ]

    def _queries(self, level2: str) -> list[str]:
        """What to look up for a slot (``query`` in prompts/50_slots.yaml): each activity's
        name for 数量/成本; each kind of work's topic words + the slot's words for
        质量/时效/满意度; the project's purpose (name, goal) + the slot's words for 效益, with the
        kinds' topic words bringing in matching library entries."""
        sp = self.prompts.slots.get(level2)
        mode, words = (sp.query, sp.words) if sp else ("purpose", "")
        types = self._types
        if mode == "activities" and self.activities:
            return [
                " ".join([a.name, *(types[a.kind].topic if a.kind in types else [])])
                for a in dict((a.name, a) for a in self.activities).values()
            ]
        topics = [" ".join(t) for t in self._topics() if t]
        # a goal drafted from the activities only restates them; one the user wrote says
        # what the project is for
        goal = "" if self._goal_auto else self.table.goal.strip()
        purpose = "；".join(p for p in (_purpose(self.table.header.project_name), goal) if p)
        by_purpose = f"{purpose} {words}".strip() or level2
        if mode == "kinds" and topics:
            return [f"{t} {words}".strip() for t in topics] + [by_purpose]
        # the kinds of work only bring library entries here (设备利用率 for a purchase)
        return [by_purpose] + [LIBRARY_ONLY + t for t in topics]

    def _topics(self) -> list[list[str]]:
        """Each distinct kind of work's topic words, in the order the activities were given."""
        kinds = dict.fromkeys(a.kind for a in self.activities)
        return [self._types[k].topic for k in kinds if k in self._types]

    def _topics_words(self) -> list[str]:
        return [w for t in self._topics() for w in t]

    def _not_applicable_first(self, level2: str) -> bool:
        """A slot most projects leave out (生态效益 …) and nothing in this project touches."""
        sp = self.prompts.slots.get(level2)
        if sp is None or not sp.not_applicable_unless:
            return False
        h = self.table.header
        text = " ".join(
            [h.project_name, self.table.goal] + [a.raw or a.name for a in self.activities]
        )
        return not any(word in text for word in sp.not_applicable_unless)

    def _precedents(self, level1: str, level2: str) -> list[Suggestion]:
        """Precedent and library rows for a slot, best first.

        Each query's hits are pooled (best score per row); library entries that name one of
        the project's kinds of work (设备验收合格率 for a purchase) count as strong; rows far
        below the best are dropped rather than shown as noise; "不适用" leads where it fits.
        """
        h = self.table.header
        search_l2 = L2_COST if level2 == L2_ECON_COST else level2
        pooled: dict[tuple[int, str], tuple[float, Hit]] = {}
        topic_words = self._topics_words()
        try:
            for query in self._queries(level2):
                library_only = query.startswith(LIBRARY_ONLY)
                query = query.removeprefix(LIBRARY_ONLY)
                for hit in self.searcher.search(query, level2=search_l2, top=PRECEDENT_POOL):
                    if library_only and not _kind_library_entry(hit, topic_words):
                        continue
                    key = (id(hit.group[0]), hit.indicator.name)
                    if key not in pooled or pooled[key][0] < hit.score:
                        pooled[key] = (hit.score, hit)
        except JixiaoError:
            pooled = {}
        own = set(self._topics_words())
        others = {w for t in self._types.values() for w in t.topic} - own
        na_first = self._not_applicable_first(level2)
        ranked = [
            (score + (LIBRARY_BONUS if _kind_library_entry(hit, topic_words) else 0.0), hit)
            for score, hit in pooled.values()
            if not _other_kinds_library_entry(hit, own, others)
            # where the slot does not apply, another project's own row is about that project
            and not (na_first and _origin(hit.indicator) != "library")
        ]
        ranked.sort(key=lambda sh: -sh[0])
        best = ranked[0][0] if ranked else 0.0
        floor = max(best * KEEP_RATIO, MIN_SCORE)
        kept = [hit for score, hit in ranked if score >= floor][:PRECEDENT_TOP]
        typical = typical_values([hit for _, hit in ranked])
        out: list[Suggestion] = []
        if na_first:
            out.append(
                Suggestion(
                    id=_sid("na", level2),
                    level1=level1,
                    level2=level2,
                    name="不适用",
                    value="0",
                    origin="not_applicable",
                )
            )
        for hit in kept:
            ind = hit.indicator
            prov = ind.provenance
            name, value, prov = _to_year(split_number(ind.name)[1], ind.value, prov, h.year)
            origin = _origin(ind)
            out.append(
                Suggestion(
                    id=_sid(origin, level2, name, value),
                    level1=level1,
                    level2=level2,
                    name=name,
                    value=value,
                    provenance=prov,
                    typical_values=typical,
                    used_in=max(1, hit.table_count),
                    origin=origin,
                )
            )
        seen: set[str] = set()
        return [s for s in out if not (s.id in seen or seen.add(s.id))]

    def refresh_suggestions(self) -> None:
        """Forget the suggestions of questions not finished yet, so they are looked up again
        (e.g. once the semantic model is loaded); accepted and rejected rows stay as they are."""
        for qid in [q for q in self._suggestions if q not in self._slots_done]:
            del self._suggestions[qid]

    def _find(self, suggestion_id: str) -> Suggestion | None:
        q = self.current()
        if q is not None and q.kind == "slot":
            self.suggestions()
        for group in self._suggestions.values():
            for s in group:
                if s.id == suggestion_id:
                    return s
        return None

    def accept(self, suggestion_id: str, value: str | None = None, name: str | None = None) -> Turn:
        """Put a suggestion into the table, optionally edited (new value and/or name)."""
        s = self._find(suggestion_id)
        if s is None:
            return Turn(
                ok=False, reask="没有找到这条建议，请从当前列出的建议中选择。", next=self.current()
            )
        reason = unmeasurable(value) if value is not None else None
        if reason:
            return Turn(
                ok=False,
                reask=f"{reason}。例如：≥95%、5台、2024年12月31日前、有效提升",
                next=self.current(),
            )
        return self._after_change(self._accept(s, value, name), f"采纳建议：{s.level2}")

    def _accept_many(self, ids: list[str]) -> Turn:
        messages: list[str] = []
        for sid in ids:
            s = self._find(sid)
            if s is not None:
                messages.extend(self._accept(s, None, None))
        return self._after_change(messages, "采纳建议")

    def _accept(self, s: Suggestion, value: str | None, name: str | None) -> list[str]:
        if s.origin == "not_applicable":
            return self._mark_not_applicable(s.level1, s.level2)
        new_name = (name or s.name).strip()
        new_value = (value or s.value).strip()
        prov = s.provenance
        if prov is not None and (new_name != s.name or new_value != s.value):
            prov = prov.model_copy(update={"note": ((prov.note or "") + " 采纳后已修改").strip()})
        self.table.indicators.append(
            Indicator(
                level1=s.level1, level2=s.level2, name=new_name, value=new_value, provenance=prov
            )
        )
        self._accepted[s.id] = [s.level1, s.level2, new_name, new_value]
        if s.origin == "drafted" and (s.level1, s.level2) in (
            (L1_OUTPUT, L2_QUANTITY),
            self._cost_slot(),
        ):
            self._drafted_slots.add(slot_id(s.level1, s.level2))
        return [f"已采纳：{new_name}：{new_value}" + _source(s)]

    def reject(self, suggestion_id: str) -> Turn:
        """Do not suggest this row again in this draft."""
        if self._find(suggestion_id) is None:
            return Turn(ok=False, reask="没有找到这条建议。", next=self.current())
        return self._after_change(self._reject(suggestion_id), "不采纳建议")

    def _reject(self, suggestion_id: str) -> list[str]:
        s = self._find(suggestion_id)
        self._rejected.add(suggestion_id)
        return [f"不再建议：{s.name}：{s.value}"] if s else []

    def remove_row(self, index: int) -> Turn:
        """Delete ``table.indicators[index]``; a suggestion it came from may be offered again."""
        if not 0 <= index < len(self.table.indicators):
            return Turn(ok=False, reask=f"没有第{index + 1}行指标。", next=self.current())
        ind = self.table.indicators.pop(index)
        key = [ind.level1, ind.level2, ind.name, ind.value]
        for sid, row in list(self._accepted.items()):
            if row == key:
                del self._accepted[sid]
                break
        return self._after_change([f"已删除：{ind.name}：{ind.value}"], f"删除指标：{ind.level2}")

    def edit_row(self, index: int, *, name: str | None = None, value: str | None = None) -> Turn:
        """Change the name and/or value of ``table.indicators[index]`` (provenance kept, noted)."""
        if not 0 <= index < len(self.table.indicators):
            return Turn(ok=False, reask=f"没有第{index + 1}行指标。", next=self.current())
        ind = self.table.indicators[index]
        new_name = (name if name is not None else ind.name).strip()
        new_value = (value if value is not None else ind.value).strip()
        reason = unmeasurable(new_value) if new_value else None
        if reason:
            return Turn(
                ok=False,
                reask=f"{reason}。例如：≥95%、5台、2024年12月31日前、有效提升",
                next=self.current(),
            )
        if not new_name or not new_value:
            return Turn(
                ok=False,
                reask="三级指标和指标值都要写，例如：采购设备合格率：100%",
                next=self.current(),
            )
        key = [ind.level1, ind.level2, ind.name, ind.value]
        for sid, row in self._accepted.items():
            if row == key:
                self._accepted[sid] = [ind.level1, ind.level2, new_name, new_value]
                break
        prov = ind.provenance
        if prov is not None and prov.kind != "user" and "已修改" not in (prov.note or ""):
            prov = prov.model_copy(update={"note": ((prov.note or "") + " 采纳后已修改").strip()})
        self.table.indicators[index] = ind.model_copy(
            update={"name": new_name, "value": new_value, "provenance": prov}
        )
        return self._after_change([f"已修改：{new_name}：{new_value}"], f"修改指标：{ind.level2}")

    # --- review, saving, resuming -------------------------------------------------------------

    def report(self) -> Report:
        """The reviewer's full report (findings and the money breakdown) on the draft."""
        from assistant.rules import PrecedentStats, validate

        if self._stats is None:
            self._stats = PrecedentStats.from_indicators(self.searcher.precedents)
        return validate(self.table, precedents=self._stats)

    def findings(self) -> list[Finding]:
        """The reviewer's findings on the draft as it stands."""
        return list(self.report().findings)

    def _review_messages(self) -> list[str]:
        """New findings since the last turn, in plain words; parts not reached yet stay quiet."""
        from assistant.rules import Report, explain

        if "activities" not in self._answers:
            return []
        finished = self.done
        cost_done = slot_id(*self._cost_slot()) in self._slots_done
        report = self.report()
        new = []
        for f in report.findings:
            if not finished and f.code.startswith(_LATE_CODES):
                if not (cost_done and f.code.startswith(("MONEY-", "GOAL-"))):
                    continue
            key = f"{f.code}|{f.location.level2}|{f.location.name}|{f.location.field}|{f.message}"
            if key not in self._shown:
                self._shown.add(key)
                new.append(f)
        if finished:
            return ["审核结果："] + explain(report)
        if not new:
            return []
        return [
            line for line in explain(Report(findings=new, breakdown=None)) if line.startswith("【")
        ]

    def _after_change(self, messages: list[str], save_message: str) -> Turn:
        if self._goal_auto and any(a.complete for a in self.activities):
            self.table.goal = compose_goal(self.table.header, self.activities)
        self._save(save_message)
        messages = messages + self._review_messages()
        nxt = self.current()
        if nxt is None:
            messages.append(f"所有问题都已回答，草稿已保存（编号 {self.draft_id}）。")
        return Turn(ok=True, messages=messages, next=nxt)

    def state(self) -> dict:
        """What the store keeps to resume: answers, position, activities, accepted/rejected."""
        cur = self.current()
        return {
            "version": STATE_VERSION,
            "framework": self.framework,
            "answers": dict(self._answers),
            "activities": [a.model_dump(mode="json") for a in self.activities],
            "accepted": {k: list(v) for k, v in self._accepted.items()},
            "rejected": sorted(self._rejected),
            "slots_done": sorted(self._slots_done),
            "drafted_slots": sorted(self._drafted_slots),
            "goal_auto": self._goal_auto,
            "adding_more": self._adding_more,
            "pointer": self._pointer,
            "shown": sorted(self._shown),
            "position": cur.id if cur else None,
            "done": cur is None,
        }

    def _save(self, message: str) -> None:
        if not self.autosave:
            return
        if self.draft_id is None:
            rev = self.store.create(self.table, state=self.state(), message=message)
            self.draft_id = rev.draft_id
        else:
            self.store.save(self.draft_id, self.table, state=self.state(), message=message)

    def save(self, message: str = "保存") -> str:
        """Save now (autosave does this after every change); returns the draft id."""
        autosave, self.autosave = self.autosave, True
        try:
            self._save(message)
        finally:
            self.autosave = autosave
        return self.draft_id

    def _load(self, draft_id: str) -> None:
        rev = self.store.get(draft_id)
        st = rev.state or {}
        self.draft_id = rev.draft_id
        self.table = rev.table
        try:
            self.framework = st.get("framework", self.table.framework)
            self._answers = {str(k): str(v) for k, v in (st.get("answers") or {}).items()}
            self.activities = [Activity.model_validate(a) for a in st.get("activities") or []]
            self._accepted = {k: list(v) for k, v in (st.get("accepted") or {}).items()}
            self._rejected = set(st.get("rejected") or [])
            self._slots_done = set(st.get("slots_done") or [])
            self._drafted_slots = set(st.get("drafted_slots") or [])
            self._goal_auto = bool(st.get("goal_auto"))
            self._adding_more = bool(st.get("adding_more"))
            self._pointer = st.get("pointer")
            self._shown = set(st.get("shown") or [])
        except (TypeError, ValueError, AttributeError):
            raise JixiaoError(f"草稿 {draft_id} 的对话进度已损坏，无法继续。") from None


class _Reask(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _to_year(
    name: str, value: str, prov: Provenance | None, year: int | None
) -> tuple[str, str, Provenance | None]:
    """A precedent's own year ("2024年12月31日前") moved to this project's budget year."""
    old = prov.year if prov is not None else None
    if not year or not old or old == year:
        return name, value, prov
    new_name = name.replace(f"{old}年", f"{year}年")
    new_value = value.replace(f"{old}年", f"{year}年")
    if (new_name, new_value) == (name, value):
        return name, value, prov
    note = ((prov.note or "") + f" 年份已由{old}年改为{year}年").strip()
    return new_name, new_value, prov.model_copy(update={"note": note})


def _kind_library_entry(hit: Hit, topic_words: list[str]) -> bool:
    """A 共性指标库 entry (alone or among the hit's rows) naming one of the project's kinds of
    work, such as 设备验收合格率 for a purchase."""
    return any(w in hit.indicator.name for w in topic_words) and any(
        ind.provenance is not None and ind.provenance.kind == "library" for ind in hit.group
    )


def _other_kinds_library_entry(hit: Hit, own: set[str], others: set[str]) -> bool:
    """A library entry written for another kind of work (培训合格率 offered to a purchase)."""
    name = hit.indicator.name
    return (
        _origin(hit.indicator) == "library"
        and any(w in name for w in others)
        and not any(w in name for w in own)
    )


def _origin(ind: Indicator) -> str:
    p = ind.provenance
    return "library" if p is not None and p.kind == "library" else "precedent"


_GENERIC_NAME_WORDS = ("项目", "专项", "资金", "经费", "工作")


def _purpose(project_name: str) -> str:
    """The project's name without its year and generic words (项目, 资金 …): what the project
    is for, as a search query."""
    name = re.sub(r"(19|20)\d{2}\s*年度?", "", project_name or "")
    return re.sub("|".join(_GENERIC_NAME_WORDS), " ", name).strip()


def typical_values(hits: list[Hit]) -> list[tuple[str, int]]:
    from assistant.search.engine import typical_values as count

    return count(hits)


def unmeasurable(value: str) -> str | None:
    """Why a typed 指标值 is not a value at all (the value grammar reads it as plain text)."""
    from assistant.values import parse_value

    if parse_value(value).kind == "text":
        return f"“{value}”不像指标值（应是数量、比率、金额、日期或“有效提升”这类等级）"
    return None


def _check(reason: str | None) -> None:
    if reason:
        raise _Reask(reason)


def _source(s: Suggestion) -> str:
    p = s.provenance
    if s.origin == "drafted" or p is None:
        return "（按您描述的活动起草）" if s.origin == "drafted" else ""
    return _where(p)


def _where(p: Provenance) -> str:
    """Where a taken row comes from, as the chat says it: （先例：项目，单位，2024年）."""
    bits = [b for b in (p.project, p.unit, f"{p.year}年" if p.year else None) if b]
    label = "共性指标库" if p.kind == "library" else "先例"
    return f"（{label}：{'，'.join(bits) or p.source}）"


_LABELS = {
    "header.project_name": "项目名称",
    "header.department": "主管部门",
    "header.unit": "实施单位",
    "header.attribute": "项目属性",
    "header.period": "项目期",
}
