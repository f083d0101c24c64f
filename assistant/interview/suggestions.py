"""Precedent lookup for one indicator slot: the seam where the suggestion ranking plugs in.

``PrecedentSuggester.suggest(facts, level1, level2)`` takes what the project is (``ProjectFacts``)
and a slot, and returns precedent and 共性指标库 rows best first, each with its provenance.
Any ``Suggester`` can replace it (``Interview(suggester=…)``, e.g. a ranking by project kind).
Whatever the source, the interview passes every suggestion through ``reviewable`` so the tool
never offers a value its own reviewer flags: "90%" becomes "≥90%", "显著提升" is left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

from assistant.errors import JixiaoError
from assistant.interview.rows import sid
from assistant.interview.schema import ActivityType, SlotPrompt, Suggestion
from assistant.interview.state import InterviewState
from assistant.model import (
    L2_COST,
    L2_ECON_COST,
    Header,
    Indicator,
    Provenance,
    TargetTable,
    split_number,
)

if TYPE_CHECKING:
    from assistant.search import Hit, SearchEngine

PRECEDENT_POOL = 10  # hits looked at per query
PRECEDENT_TOP = 5  # precedent rows shown per slot
KEEP_RATIO = 0.55  # rows scoring below this share of the best are dropped as noise
MIN_SCORE = 0.1  # and rows this weak even when nothing better was found
LIBRARY_BONUS = 0.3  # a library entry naming the project's kind of work outranks weak precedents
_GENERIC_NAME_WORDS = ("项目", "专项", "资金", "经费", "工作")


@dataclass(frozen=True)
class ProjectFacts:
    """What a suggester may know about the project."""

    header: Header
    goal: str  # the user's own goal; "" when it was drafted from the activities
    activity_names: tuple[str, ...]  # distinct, in order
    activity_topics: tuple[tuple[str, ...], ...]  # each activity's kind's topic words
    kinds: tuple[str, ...]  # distinct kinds of work, in order
    text: str  # name, goal and activities, for "does anything here touch 生态 …"
    kind_code: str | None = None  # TargetTable.kind, the spending-kind code


def facts_of(
    table: TargetTable, state: InterviewState, types: Mapping[str, ActivityType]
) -> ProjectFacts:
    """What the draft says about the project, for a suggester."""
    h = table.header
    named = list(dict((a.name, a) for a in state.activities).values())
    return ProjectFacts(
        header=h,
        # a goal drafted from the activities only restates them; one the user wrote says what
        # the project is for
        goal="" if state.goal_auto else table.goal.strip(),
        activity_names=tuple(a.name for a in named),
        activity_topics=tuple(tuple(types[a.kind].topic) if a.kind in types else () for a in named),
        kinds=tuple(dict.fromkeys(a.kind for a in state.activities)),
        text=" ".join([h.project_name, table.goal] + [a.raw or a.name for a in state.activities]),
        kind_code=table.kind,
    )


class Suggester(Protocol):
    def suggest(self, facts: ProjectFacts, level1: str, level2: str) -> list[Suggestion]: ...


@runtime_checkable
class SlotNotices(Protocol):
    """A suggester that can say something about a slot it looked up ("没有相近的先例")."""

    def notice(self, level2: str) -> str | None: ...


@runtime_checkable
class KindCatalog(Protocol):
    """The project kinds the interview offers (``choices_from: kinds``) and the one it infers;
    given by the caller (``Interview(kinds=…)``) so the interview stays free of the knowledge
    layer that builds on it."""

    def kind_choices(self) -> list[tuple[str, str]]: ...  # (code, label), in the data's order

    def infer_kind(self, facts: ProjectFacts) -> tuple[str | None, tuple[str, ...]]:
        """The likely kind's code (None: no word points anywhere) and the words it rests on."""
        ...


def purpose(project_name: str) -> str:
    """The project's name without its year and generic words (项目, 资金 …): what the project
    is for, as a search query."""
    name = re.sub(r"(19|20)\d{2}\s*年度?", "", project_name or "")
    return re.sub("|".join(_GENERIC_NAME_WORDS), " ", name).strip()


_YEAR = re.compile(r"((?:19|20)\d{2})(\s*年)")


def not_applicable(level1: str, level2: str) -> Suggestion:
    """The 不适用 choice offered first for a slot the project usually leaves out (0 / 0)."""
    return Suggestion(
        id=sid("na", level2),
        level1=level1,
        level2=level2,
        name="不适用",
        value="0",
        origin="not_applicable",
    )


def to_year(
    name: str, value: str, prov: Provenance | None, year: int | None
) -> tuple[str, str, Provenance | None]:
    """A precedent's years moved to this project's budget year. A target table is annual:
    a deadline in the precedent's own year or later becomes this budget year (a 2022 table's
    "2022年12月31日前" and "2023年底" become "2025年12月31日前" and "2025年底" for 2025); an
    earlier year (a baseline) keeps its distance."""
    old = prov.year if prov is not None else None
    if not year or not old or old == year or prov is None:
        return name, value, prov

    def moved(y: int) -> int:
        return year if y >= old else y + year - old

    def move(text: str) -> str:
        return _YEAR.sub(lambda m: f"{moved(int(m.group(1)))}{m.group(2)}", text)

    new_name, new_value = move(name), move(value)
    if (new_name, new_value) == (name, value):
        return name, value, prov
    note = ((prov.note or "") + f" 年份已由{old}年改为{year}年").strip()
    return new_name, new_value, prov.model_copy(update={"note": note})


def passable(level1: str, level2: str, name: str, value: str, header: Header) -> str | None:
    """The value as the reviewer would pass it: a rate without comparator gets "≥" (the fix the
    reviewer proposes); None for a value it flags otherwise (vague, unitless, qualitative where
    a number is needed)."""
    from assistant.rules.context import TableContext
    from assistant.rules.measurable import check_values

    def flags(text: str) -> list[str]:
        ind = Indicator(level1=level1, level2=level2, name=name, value=text)
        table = TargetTable(header=header, indicators=[ind])
        return [f.code for f in check_values(TableContext.build(table))]

    codes = flags(value)
    if not codes:
        return value
    if codes == ["VALUE-003"] and not flags(fixed := "≥" + value.strip()):
        return fixed
    return None


def reviewable(s: Suggestion, header: Header) -> Suggestion | None:
    """A suggestion (and its common values) as the reviewer would pass it, or None: the tool
    never offers a value its own reviewer flags, whichever suggester found it."""
    if s.origin == "not_applicable":
        return s
    if not s.value.strip():  # the completeness check flags an empty value
        return None
    value = passable(s.level1, s.level2, s.name, s.value, header)
    if value is None:
        return None
    typical: dict[str, int] = {}
    for text, count in s.typical_values:
        fixed = passable(s.level1, s.level2, s.name, text, header)
        if fixed is not None:
            typical[fixed] = typical.get(fixed, 0) + count
    update: dict[str, object] = {"typical_values": sorted(typical.items(), key=lambda t: -t[1])}
    if value != s.value:
        update["value"] = value
        if s.provenance is not None:
            note = ((s.provenance.note or "") + f" 原值“{s.value}”已补“≥”").strip()
            update["provenance"] = s.provenance.model_copy(update={"note": note})
    return s.model_copy(update=update)


class PrecedentSuggester:
    """Precedent and library rows for a slot from the corpus search, best first.

    Each query's hits are pooled (best score per row); library entries that name one of the
    project's kinds of work (设备验收合格率 for a purchase) count as strong; rows far below the
    best are dropped rather than shown as noise; "不适用" leads where it fits.
    """

    def __init__(
        self,
        searcher: Callable[[], SearchEngine],
        slots: Mapping[str, SlotPrompt],
        types: Mapping[str, ActivityType],
    ) -> None:
        self._searcher = searcher
        self._slots = slots
        self._types = types

    def suggest(self, facts: ProjectFacts, level1: str, level2: str) -> list[Suggestion]:
        own = {w for t in facts.activity_topics for w in t}
        others = {w for t in self._types.values() for w in t.topic} - own
        na_first = self._not_applicable_first(facts, level2)
        pooled = self._pool(facts, level2, own)
        ranked = [
            (score + (LIBRARY_BONUS if _kind_library_entry(hit, own) else 0.0), hit)
            for score, hit in pooled.values()
            if not _other_kinds_library_entry(hit, own, others)
            # where the slot does not apply, another project's own row is about that project
            and not (na_first and _origin(hit.indicator) != "library")
        ]
        ranked.sort(key=lambda sh: -sh[0])
        best = ranked[0][0] if ranked else 0.0
        floor = max(best * KEEP_RATIO, MIN_SCORE)
        from assistant.search.engine import typical_values

        typical = typical_values([hit for _, hit in ranked])
        out: list[Suggestion] = []
        if na_first:
            out.append(not_applicable(level1, level2))
        for score, hit in ranked:
            if score < floor or len(out) >= PRECEDENT_TOP + int(na_first):
                break
            ind = hit.indicator
            name, value, prov = to_year(
                split_number(ind.name)[1], ind.value, ind.provenance, facts.header.year
            )
            origin = _origin(ind)
            s = reviewable(
                Suggestion(
                    id=sid(origin, level2, name, value),
                    level1=level1,
                    level2=level2,
                    name=name,
                    value=value,
                    provenance=prov,
                    typical_values=typical,
                    used_in=max(1, hit.table_count),
                    origin=origin,
                ),
                facts.header,
            )  # here too, so a flagged row does not take one of the top places
            if s is not None and all(
                o.id != s.id and (o.name, o.value) != (s.name, s.value) for o in out
            ):
                out.append(s)
        return out

    def _pool(
        self, facts: ProjectFacts, level2: str, own: set[str]
    ) -> dict[tuple[int, str], tuple[float, Hit]]:
        search_l2 = L2_COST if level2 == L2_ECON_COST else level2
        pooled: dict[tuple[int, str], tuple[float, Hit]] = {}
        try:
            for query, library_only in self._queries(facts, level2):
                for hit in self._searcher().search(query, level2=search_l2, top=PRECEDENT_POOL):
                    if library_only and not _kind_library_entry(hit, own):
                        continue
                    key = (id(hit.group[0]), hit.indicator.name)
                    if key not in pooled or pooled[key][0] < hit.score:
                        pooled[key] = (hit.score, hit)
        except JixiaoError:
            return {}
        return pooled

    def _queries(self, facts: ProjectFacts, level2: str) -> list[tuple[str, bool]]:
        """What to look up for a slot (``query`` in prompts/50_slots.yaml), and whether a
        query's hits count only as library entries: each activity's name for 数量/成本; each
        kind of work's topic words + the slot's words for 质量/时效/满意度; the project's
        purpose (name, goal) + the slot's words for 效益."""
        sp = self._slots.get(level2)
        mode, words = (sp.query, sp.words) if sp else ("purpose", "")
        if mode == "activities" and facts.activity_names:
            return [
                (" ".join([name, *topic]), False)
                for name, topic in zip(facts.activity_names, facts.activity_topics, strict=True)
            ]
        topics = [" ".join(self._types[k].topic) for k in facts.kinds if k in self._types]
        topics = [t for t in topics if t]
        aim = "；".join(p for p in (purpose(facts.header.project_name), facts.goal) if p)
        by_purpose = f"{aim} {words}".strip() or level2
        if mode == "kinds" and topics:
            return [(f"{t} {words}".strip(), False) for t in topics] + [(by_purpose, False)]
        # the kinds of work only bring library entries here (设备利用率 for a purchase)
        return [(by_purpose, False)] + [(t, True) for t in topics]

    def _not_applicable_first(self, facts: ProjectFacts, level2: str) -> bool:
        """A slot most projects leave out (生态效益 …) and nothing in this project touches."""
        sp = self._slots.get(level2)
        if sp is None or not sp.not_applicable_unless:
            return False
        return not any(word in facts.text for word in sp.not_applicable_unless)


def _kind_library_entry(hit: Hit, topic_words: set[str]) -> bool:
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


def _origin(ind: Indicator) -> Literal["library", "precedent"]:
    p = ind.provenance
    return "library" if p is not None and p.kind == "library" else "precedent"
