"""The ``Interview`` front: one conversation about one project, over the small modules beside it.

UI-free (no Textual): the TUI and ``jixiao draft --answers`` drive the same object. State is
typed (``state.py``), the next question is worked out by ``flow.py``, answers are written by
``answering.py``, rows by ``rows.py``, suggestions come from ``suggestions.py`` and the draft is
saved by ``persistence.py``. Inside, an answer not understood is a ``Reask``; here it becomes
``Turn(ok=False, reask=…)``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.interview import answering, flow, persistence, review, rows
from assistant.interview import answers as A
from assistant.interview.activity import Activity
from assistant.interview.goal import compose_goal
from assistant.interview.schema import (
    Question,
    QuestionSpec,
    Reask,
    Suggestion,
    Turn,
    load_prompts,
)
from assistant.interview.state import Draft, InterviewState
from assistant.interview.suggestions import (
    KindCatalog,
    PrecedentSuggester,
    ProjectFacts,
    SlotNotices,
    Suggester,
    facts_of,
    reviewable,
    to_year,
)
from assistant.model import Header, Indicator, Provenance, TargetTable, split_number

if TYPE_CHECKING:
    from assistant.rules import Finding, PrecedentStats, Report
    from assistant.search import SearchEngine
    from assistant.store import DraftStore

slot_id = flow.slot_id


class Interview:
    """One conversation about one project; see the package docstring for the interface."""

    def __init__(
        self,
        *,
        store: DraftStore | None = None,
        searcher: SearchEngine | None = None,
        prompts_path: Path | None = None,
        draft_id: str | None = None,
        autosave: bool = True,
        review: bool = True,
        suggester: Suggester | None = None,
        kinds: KindCatalog | None = None,
    ) -> None:
        self.prompts = load_prompts(prompts_path)
        self._store = store
        self._searcher = searcher
        self.autosave = autosave
        self.review_each_step = review
        self.draft_id: str | None = None
        self.last_report: Report | None = None
        self._stats: PrecedentStats | None = None
        self._version = 0  # bumped by every change; the flow is cached per version
        self._flow: tuple[tuple[int, int | None], list[flow.Entry]] | None = None
        self._draft = Draft(
            self.prompts, TargetTable(header=Header(project_name="")), InterviewState()
        )
        self.suggester: Suggester = suggester or PrecedentSuggester(
            lambda: self.searcher, self.prompts.slots, self.prompts.activity_types
        )
        if draft_id is not None:
            self.draft_id, self._draft = persistence.load(self.store, draft_id, self.prompts)
        # the project-kind question is asked only when someone offers the kinds; a suggester
        # that knows them (the knowledge layer's) offers them by itself
        if kinds is None and isinstance(self.suggester, KindCatalog):
            kinds = self.suggester
        self.kinds = kinds
        self._draft.kinds = kinds.kind_choices() if kinds is not None else []

    @classmethod
    def resume(cls, draft_id: str, **kw: object) -> Interview:
        """Reopen a saved draft; the conversation goes on at the next unanswered question."""
        return cls(draft_id=draft_id, **kw)  # type: ignore[arg-type]

    # --- collaborators and read-only views --------------------------------------------

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

    @property
    def table(self) -> TargetTable:
        return self._draft.table

    @property
    def state_model(self) -> InterviewState:
        return self._draft.state

    @property
    def activities(self) -> list[Activity]:
        return self._draft.state.activities

    @property
    def framework(self) -> str:
        return self._draft.state.framework

    def slots(self) -> list[tuple[str, str]]:
        """(level1, level2) of every slot question, in the chosen framework's order."""
        return flow.slots(self.framework)

    def empty_slots(self) -> list[tuple[str, str]]:
        """The slots with no row yet (not even 不适用's 0 / 0): they would be missing from
        the table and the export."""
        return [slot for slot in self.slots() if not self._draft.rows_in(slot)]

    def _entries(self) -> list[flow.Entry]:
        key = (self._version, self.table.header.year)
        if self._flow is None or self._flow[0] != key:
            ask_kind = self._kind_question if self.kinds is not None else None
            self._flow = (key, flow.entries(self.prompts, self._draft.state, self.table, ask_kind))
        return self._flow[1]

    def _kind_question(self, spec: QuestionSpec) -> Question:
        """The project kind as inferred from what was said so far, offered for change."""
        from assistant.interview.answering import UNCLASSIFIED

        assert self.kinds is not None
        code, words = self.kinds.infer_kind(self.facts())
        labels = dict(self._draft.kinds)
        inferred = labels.get(code or "", UNCLASSIFIED)
        why = "、".join(words) if words else "没有可判断类别的词"
        return Question(
            id=spec.id,
            text=spec.text.format(label=inferred, words=why),
            help=spec.help,
            example=spec.example,
            kind="choice",
            choices=[*labels.values(), UNCLASSIFIED],
            optional=True,
            default=inferred,
            answer=self._draft.state.answers.get(spec.id),
        )

    def questions(self) -> list[Question]:
        """Every question of the flow as it stands now (answered ones carry their answer)."""
        return [e.make() for e in self._entries()]

    def current(self) -> Question | None:
        """The question being asked; None when the interview is complete."""
        return flow.current(self._entries(), self._draft.state)

    @property
    def done(self) -> bool:
        return self.current() is None

    def difference(self) -> Decimal | None:
        """Σ activities − annual total, in 元 (None until both are known)."""
        return flow.difference(self._draft.state, self.table)

    def state(self) -> dict[str, object]:
        """What the store keeps to resume (see ``InterviewState.dump``)."""
        cur = self.current()
        return self._draft.state.dump(cur.id if cur else None)

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

    def pass_over(self) -> Question | None:
        """Leave the current (non-slot) question unanswered and go on: only for reading what
        an incomplete answers file says (``headless.answers_facts``), never for a draft."""
        q = self.current()
        if q is not None and q.slot is None:
            self._draft.state.answers[q.id] = ""
            self._version += 1
        return self.current()

    def back(self) -> Question | None:
        """Go to the previous question; its earlier answer is kept until a new one is given."""
        ids = [e.id for e in self._entries()]
        cur = self.current()
        idx = len(ids) if cur is None else ids.index(cur.id)
        if idx > 0:
            self._draft.state.pointer = ids[idx - 1]
            self._version += 1
        return self.current()

    def _reask(self, q: Question | None, reason: str) -> str:
        if q is None:
            return reason
        example = f"例如：{q.example}" if q.example else ""
        return f"{reason}。请再说一次，{example}".rstrip("，")

    def _refused(self, reason: str) -> Turn:
        q = self.current()
        return Turn(ok=False, reask=self._reask(q, reason), next=q)

    def _apply(self, q: Question, text: str, *, skipped: bool = False) -> Turn:
        try:
            messages = answering.apply(self._draft, q, text)
        except Reask as r:
            return Turn(ok=False, reask=self._reask(q, r.reason), next=q)
        st = self._draft.state
        st.answers[q.id] = text
        if st.pointer == q.id:
            st.pointer = None
        if skipped:
            # one line, "项目属性：0101-一年期项目（默认）", rather than the default said twice
            if messages and "：" in messages[0]:
                messages[0] += "（默认）"
            elif not (messages and text in messages[0]):
                messages.insert(0, f"已采用默认：{text}")
        return self._after_change(messages, f"回答：{q.id}")

    # --- slots --------------------------------------------------------------------------

    def _answer_slot(self, q: Question, text: str) -> Turn:
        sq = self.prompts.slot_question
        t = A.clean(text)
        slot = q.slot
        assert slot is not None  # a slot question always names its slot
        if t in A.SKIP_WORDS or (sq and t in sq.done_words):
            if not self._draft.rows_in(slot):  # never silently dropped from the table
                said = rows.empty_slot_reason(self._draft, slot, q.example)
                return Turn(ok=False, reask=said, next=q)
            return self._finish_slot(q)
        if sq and t in sq.not_applicable_words:
            return self._rows_changed(
                rows.mark_not_applicable(self._draft, *slot), f"不适用：{slot[1]}"
            )
        if sq and t in sq.accept_all_words:
            return self.accept_all()
        pick = A.parse_pick(t)
        if pick is not None:
            reject, picks = pick
            shown = self.suggestions()
            bad = [n for n in picks if not 1 <= n <= len(shown)]
            if bad:
                return self._refused(f"没有第{bad[0]}条建议（现有{len(shown)}条）")
            chosen = [shown[n - 1] for n in picks]
            if reject:
                messages = [line for s in chosen for line in self._reject(s)]
                return self._rows_changed(messages, f"不采纳建议：{q.id}")
            return self._accept_many(chosen)
        row, reason = A.parse_row(text)
        if row is None:
            return self._refused(f"{reason}。可以回答建议的序号、“三级指标：指标值”，或“完成”")
        return self.add_row(*slot, *row)

    def _finish_slot(self, q: Question) -> Turn:
        """Close the slot. A typed answer cannot close an empty one (see ``_answer_slot``);
        ``skip`` can, for an answers file that leaves a slot to the reviewer to flag."""
        rows.finish(self._draft, q.id)
        assert q.slot is not None
        found = self._draft.rows_in(q.slot)
        if found:
            messages = [f"「{q.slot[1]}」共{len(found)}行。"]
        else:
            messages = [f"「{q.slot[1]}」还没有指标；如果不适用，可以退回来回答“不适用”。"]
        return self._rows_changed(messages, f"完成：{q.slot[1]}")

    def suggestions(self) -> list[Suggestion]:
        """Candidates for the current slot: drafted rows first, then precedents with provenance
        (values the reviewer would flag are fixed or left out)."""
        q = self.current()
        if q is None or q.slot is None:
            return []
        d = self._draft
        if q.id not in d.cache:
            found = self.suggester.suggest(self.facts(), *q.slot)
            passed = [r for s in found if (r := reviewable(s, d.table.header)) is not None]
            d.cache[q.id] = rows.drafted(d, *q.slot) + passed
        return rows.still_open(d, q.slot, d.cache[q.id])

    def slot_notice(self) -> str | None:
        """What the suggester said about the current slot's suggestions ("「生态效益」没有相近
        的先例…"), or None; never searches (None until ``suggestions()`` looked it up), so a
        UI may ask from its own thread."""
        q = self.current()
        if q is None or q.slot is None or not isinstance(self.suggester, SlotNotices):
            return None
        if q.id not in self._draft.cache:
            return None
        return self.suggester.notice(q.slot[1])

    def facts(self) -> ProjectFacts:
        """What the draft says about the project, as a suggester sees it."""
        d = self._draft
        return facts_of(d.table, d.state, d.types)

    def refresh_suggestions(self) -> None:
        """Forget the suggestions of questions not finished yet, so they are looked up again
        (e.g. once the semantic model is loaded); accepted and rejected rows stay as they are."""
        d = self._draft
        for qid in [q for q in d.cache if q not in d.state.slots_done]:
            del d.cache[qid]

    def _find(self, suggestion_id: str) -> Suggestion | None:
        q = self.current()
        if q is not None and q.kind == "slot":
            self.suggestions()
        for group in self._draft.cache.values():
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
        if value is not None:
            reason = rows.unmeasurable(value)
            if reason:
                return Turn(
                    ok=False, reask=f"{reason}。{rows.examples(self._draft)}", next=self.current()
                )
        return self._rows_changed(rows.accept(self._draft, s, value, name), f"采纳建议：{s.level2}")

    def accept_all(self) -> Turn:
        """The current slot's drafted rows; where none were drafted, every suggestion shown."""
        q = self.current()
        shown = [s for s in self.suggestions() if s.origin != "not_applicable"]
        chosen = [s for s in shown if s.origin == "drafted"] or shown
        if q is None or not chosen:
            return self._refused("这一项没有可采纳的建议，可以自己写一行“三级指标：指标值”")
        return self._accept_many(chosen)

    def accept_many(self, suggestion_ids: list[str]) -> Turn:
        """Several suggestions of the current slot at once (one save, one review)."""
        self.suggestions()  # the current slot's, looked up once
        known = {s.id: s for group in self._draft.cache.values() for s in group}
        chosen = [known[i] for i in suggestion_ids if i in known]
        if len(chosen) != len(suggestion_ids):
            return self._refused("没有找到这条建议，请从当前列出的建议中选择")
        return self._accept_many(chosen)

    def _accept_many(self, chosen: list[Suggestion]) -> Turn:
        messages = [line for s in chosen for line in rows.accept(self._draft, s, None, None)]
        return self._rows_changed(messages, "采纳建议")

    def reject(self, suggestion_id: str) -> Turn:
        """Do not suggest this row again in this draft."""
        s = self._find(suggestion_id)
        if s is None:
            return Turn(ok=False, reask="没有找到这条建议。", next=self.current())
        return self._rows_changed(self._reject(s), "不采纳建议")

    def _reject(self, s: Suggestion) -> list[str]:
        self._draft.state.rejected.add(s.id)
        return [f"不再建议：{s.name}：{s.value}"]

    def remove_row(self, index: int) -> Turn:
        """Delete ``table.indicators[index]``; a suggestion it came from may be offered again."""
        try:
            ind = rows.remove(self._draft, index)
        except Reask as r:
            return Turn(ok=False, reask=r.reason, next=self.current())
        return self._rows_changed([f"已删除：{ind.name}：{ind.value}"], f"删除指标：{ind.level2}")

    def edit_row(self, index: int, *, name: str | None = None, value: str | None = None) -> Turn:
        """Change the name and/or value of ``table.indicators[index]`` (an accepted row too;
        provenance kept, the edit noted)."""
        try:
            ind = rows.edit(self._draft, index, name, value)
        except Reask as r:
            return Turn(ok=False, reask=r.reason, next=self.current())
        return self._rows_changed([f"已修改：{ind.name}：{ind.value}"], f"修改指标：{ind.level2}")

    def add_row(
        self, level1: str, level2: str, name: str, value: str, provenance: Provenance | None = None
    ) -> Turn:
        """Add one row to the table. ``provenance`` says where it came from (a precedent taken
        from the search screen keeps its source); without it the row is the user's own."""
        try:
            messages = rows.add(self._draft, level1, level2, name, value, provenance)
        except Reask as r:
            return self._refused(r.reason)
        return self._rows_changed(messages, f"添加指标：{level2}")

    def from_precedent(self, indicator: Indicator) -> tuple[str, str, Provenance | None]:
        """A precedent row as this draft would take it: its numbering (“3.”) dropped, its own
        budget year moved to this project's year (noted in the provenance)."""
        name = split_number(indicator.name)[1]
        return to_year(name, indicator.value, indicator.provenance, self.table.header.year)

    # --- review, saving -------------------------------------------------------------------

    def report(self) -> Report:
        """The reviewer's full report (findings and the money breakdown) on the draft."""
        from assistant.rules import PrecedentStats, validate

        if self._stats is None:
            self._stats = PrecedentStats.from_indicators(self.searcher.precedents)
        self.last_report = validate(self.table, precedents=self._stats)
        return self.last_report

    def findings(self) -> list[Finding]:
        """The reviewer's findings on the draft as it stands."""
        return list(self.report().findings)

    def _review_messages(self, finished: bool) -> list[str]:
        """New findings since the last turn, in plain words; parts not reached yet stay quiet."""
        st = self._draft.state
        if "activities" not in st.answers or not self.review_each_step:
            return []
        return review.chat_lines(self.report(), st, finished)

    def _rows_changed(self, messages: list[str], save_message: str) -> Turn:
        """A change to the indicator rows only: the drafted goal cannot have changed."""
        return self._after_change(messages, save_message, goal=False)

    def _after_change(self, messages: list[str], save_message: str, *, goal: bool = True) -> Turn:
        """After every change: the drafted goal follows (unless only rows changed), the flow
        moves on, the draft is saved and new review findings are said."""
        d = self._draft
        self._version += 1
        # headless (review=False) drafts the goal once, when saved, not after every answer
        redraft = goal and self.review_each_step and d.state.goal_auto
        if redraft and any(a.complete for a in d.activities):
            d.table.goal = compose_goal(d.table.header, d.activities)
        nxt = self.current()
        self._save(save_message, nxt)
        messages = messages + self._review_messages(nxt is None)
        if nxt is None:
            messages.append(f"所有问题都已回答，草稿已保存（编号 {self.draft_id}）。")
        return Turn(ok=True, messages=messages, next=nxt)

    def _save(self, message: str, position: Question | None) -> None:
        if self.autosave:
            self.draft_id = persistence.save(
                self.store, self.draft_id, self._draft, position.id if position else None, message
            )

    def save(self, message: str = "保存") -> str:
        """Save now (autosave does this after every change); returns the draft id."""
        d = self._draft
        if d.state.goal_auto and any(a.complete for a in d.activities):
            d.table.goal = compose_goal(d.table.header, d.activities)
        cur = self.current()
        self.draft_id = persistence.save(
            self.store, self.draft_id, self._draft, cur.id if cur else None, message
        )
        return self.draft_id
