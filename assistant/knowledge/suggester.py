"""The gate as the interview's suggester: ``Interview(suggester=KindSuggester(engine))``.

The interview asks a ``Suggester`` (``assistant.interview.suggestions``) for each slot's rows;
this one answers from ``Advisor.advise`` so the interview, the TUI, ``jixiao draft`` and
``jixiao suggest`` show the same gated lists. Each row keeps its reason (同类项目 / 共有词 /
共性指标 / 类别模板) at the head of its provenance note; values pass the interview's own
``reviewable`` check and years move to the project's year, as for its built-in suggester.
``last_advice[level2]`` keeps the slot's whole advice (kind, "没有相近的先例", templates), and
``shown(level2)`` the same advice with each row as the interview offered it (what ``jixiao
suggest`` prints). It is also the interview's ``KindCatalog``: the kinds of corpus/kinds.yaml
and the one inferred from the project's name, goal and activities.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Literal

from assistant.knowledge.kinds import all_kinds, infer_kind
from assistant.model import Header, Indicator, split_number
from assistant.value_text import decimal_text

if TYPE_CHECKING:  # the gate imports the search engine (numpy, bm25s): loaded on first lookup
    from assistant.interview.schema import Suggestion as RowSuggestion
    from assistant.interview.suggestions import ProjectFacts
    from assistant.knowledge.gate import Advisor, Facts, SlotAdvice, Suggestion
    from assistant.search.engine import SearchEngine

TOP = 5
Origin = Literal["drafted", "precedent", "library", "not_applicable"]


class KindSuggester:
    """Implements the interview's ``Suggester``, ``SlotNotices`` and ``KindCatalog``.

    The advisor (which reads the corpus) is built on the first lookup, not here, so the TUI
    can hand one to the interview before the search index exists; ``share`` gives another
    draft a suggester of its own over the same advisor."""

    def __init__(
        self, engine: SearchEngine | None = None, *, top: int = TOP, advisor: Advisor | None = None
    ):
        self._engine = engine
        self._advisor = advisor
        self.top = top
        self.last_advice: dict[str, SlotAdvice] = {}
        self._shown: dict[str, list[tuple[Suggestion, RowSuggestion]]] = {}
        self._source: KindSuggester | None = None

    @property
    def advisor(self) -> Advisor:
        if self._advisor is None:
            from assistant.knowledge.gate import Advisor

            self._advisor = self._source.advisor if self._source else Advisor(self._engine)
        return self._advisor

    def share(self) -> KindSuggester:
        """A fresh suggester (its own last advice) over this one's advisor, built once."""
        twin = KindSuggester(self._engine, top=self.top, advisor=self._advisor)
        twin._source = self
        return twin

    @staticmethod
    def facts(project: ProjectFacts) -> Facts:
        from assistant.knowledge.gate import Facts

        return Facts(
            name=project.header.project_name,
            goal=project.goal,
            activities=tuple(project.activity_names),
            kind=project.kind_code,
        )

    # --- KindCatalog ----------------------------------------------------------------------

    def kind_choices(self) -> list[tuple[str, str]]:
        return [(k.code, k.label) for k in all_kinds()]

    def infer_kind(self, facts: ProjectFacts) -> tuple[str | None, tuple[str, ...]]:
        guess = infer_kind(facts.header.project_name, facts.goal, facts.activity_names)
        return guess.code, guess.words

    # --- SlotNotices ----------------------------------------------------------------------

    def notice(self, level2: str) -> str | None:
        advice = self.last_advice.get(level2)
        if advice is None or not advice.silent:
            return None
        from assistant.knowledge.gate import NO_PRECEDENT

        shown = [sug for sug, _ in self._shown.get(level2, [])]  # as the interview offers
        own = any(r.startswith("类别模板") for t in shown for r in t.reasons)
        offered = ""
        if shown:
            kind = advice.kind_label
            offered = f"，下面是按{kind}类先例归纳的模板" if own else "，下面是常见写法"
        return f"「{level2}」{NO_PRECEDENT}{offered}。"

    # --- Suggester ------------------------------------------------------------------------

    def suggest(self, facts: ProjectFacts, level1: str, level2: str) -> list[RowSuggestion]:
        from assistant.interview.suggestions import not_applicable

        advice = self.advisor.advise(self.facts(facts), level1, level2, top=self.top)
        self.last_advice[level2] = advice
        pairs = self._rows(advice, facts)
        self._shown[level2] = pairs
        rows = [row for _, row in pairs]
        return [not_applicable(level1, level2), *rows] if advice.usually_not_applicable else rows

    def shown(self, level2: str) -> SlotAdvice | None:
        """The slot's last advice with each suggestion as the interview offered it (clean
        name, year moved, value as the reviewer passes it); rows the reviewer would flag
        are left out, as in the interview."""
        advice = self.last_advice.get(level2)
        if advice is None:
            return None
        kept = [
            replace(
                sug,
                indicator=Indicator(
                    level1=row.level1,
                    level2=row.level2,
                    name=row.name,
                    value=row.value,
                    provenance=row.provenance,
                ),
            )
            for sug, row in self._shown.get(level2, [])
        ]
        return replace(advice, suggestions=kept)

    def _rows(
        self, advice: SlotAdvice, facts: ProjectFacts
    ) -> list[tuple[Suggestion, RowSuggestion]]:
        from assistant.interview.schema import Suggestion as RowSuggestion
        from assistant.interview.suggestions import reviewable, to_year
        from assistant.search.engine import typical_values

        out: list[tuple[Suggestion, RowSuggestion]] = []
        for sug in advice.suggestions:
            ind = sug.indicator
            prov = ind.provenance
            library = prov is not None and prov.kind == "library"
            origin: Origin = "library" if library or sug.origin == "template" else "precedent"
            name, value, prov = to_year(
                split_number(ind.name)[1], ind.value, prov, facts.header.year
            )
            value = own_total(advice.level2, name, tidy_value(value), facts.header)
            if prov is not None:
                why = "理由：" + "；".join(sug.reasons)
                prov = prov.model_copy(update={"note": f"{why}；{prov.note}" if prov.note else why})
            row = reviewable(
                RowSuggestion(
                    id=_sid(origin, advice.level2, name, value),
                    level1=advice.level1,
                    level2=advice.level2,
                    name=name,
                    value=value,
                    provenance=prov,
                    # the values this indicator's own precedents use, not the slot's mix
                    typical_values=typical_values([sug.hit]) if sug.hit is not None else [],
                    used_in=max(1, sug.table_count),
                    origin=origin,
                ),
                facts.header,
            )
            if row is not None and all((r.name, r.value) != (row.name, row.value) for _, r in out):
                out.append((sug, row))
        return out


_QUANTITY = re.compile(r"^[≥≤<>＝=]?\s*\d")
_TOTAL_NAME = re.compile(r"总成本|总投资|资金总额|预算总额|项目总额|项目成本$|预算成本")
_MONEY_VALUE = re.compile(r"\d\s*(?:万元|元|万)\s*$")


def tidy_value(value: str) -> str:
    """A precedent's quantity as a reviewer reads it, one way: ">=98%" and "正向 大于等于 98 %"
    are offered as "≥98%"; words ("持续提升", "定性 优良") stay as the table wrote them."""
    from assistant.search.engine import canonical_value

    tidy = canonical_value(value or "")
    return tidy if _QUANTITY.match(tidy) else value


def own_total(level2: str, name: str, value: str, header: Header) -> str:
    """A precedent's total-cost row ("项目总成本 ≤202.6万元", or its amount left out as
    another project's) is offered with this project's own annual total."""
    total = header.annual_total or header.total
    if level2 != "成本指标" or total is None or not _TOTAL_NAME.search(name):
        return value
    if value and not _MONEY_VALUE.search(value):
        return value
    return f"≤{decimal_text(total.value)}万元"


def _sid(*parts: str) -> str:
    from assistant.interview.rows import sid

    return sid(*parts)
