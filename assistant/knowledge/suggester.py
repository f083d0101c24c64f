"""The gate as the interview's suggester: ``Interview(suggester=KindSuggester(engine))``.

The interview asks a ``Suggester`` (``assistant.interview.suggestions``) for each slot's rows;
this one answers from ``Advisor.advise`` so the interview, the TUI, ``jixiao draft`` and
``jixiao suggest`` show the same gated lists. Each row keeps its reason (同类项目 / 共有词 /
共性指标 / 类别模板) at the head of its provenance note; values pass the interview's own
``reviewable`` check and years move to the project's year, as for its built-in suggester.
``last_advice[level2]`` keeps the slot's whole advice (kind, "没有相近的先例", templates).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from assistant.knowledge.gate import Advisor, Facts, SlotAdvice
from assistant.model import split_number

if TYPE_CHECKING:
    from assistant.interview.schema import Suggestion as RowSuggestion
    from assistant.interview.suggestions import ProjectFacts
    from assistant.search.engine import SearchEngine

TOP = 5
Origin = Literal["drafted", "precedent", "library", "not_applicable"]


class KindSuggester:
    """Implements the interview's ``Suggester`` protocol with the relevance gate."""

    def __init__(self, engine: SearchEngine | None = None, *, top: int = TOP):
        self.advisor = Advisor(engine)
        self.top = top
        self.last_advice: dict[str, SlotAdvice] = {}

    @staticmethod
    def facts(project: ProjectFacts) -> Facts:
        return Facts(
            name=project.header.project_name,
            goal=project.goal,
            activities=tuple(project.activity_names),
            kind=project.kind_code,
        )

    def suggest(self, facts: ProjectFacts, level1: str, level2: str) -> list[RowSuggestion]:
        from assistant.interview.rows import sid
        from assistant.interview.schema import Suggestion as RowSuggestion
        from assistant.interview.suggestions import reviewable, to_year

        advice = self.advisor.advise(self.facts(facts), level1, level2, top=self.top)
        self.last_advice[level2] = advice
        out: list[RowSuggestion] = []
        if advice.usually_not_applicable:
            out.append(
                RowSuggestion(
                    id=sid("na", level2),
                    level1=level1,
                    level2=level2,
                    name="不适用",
                    value="0",
                    origin="not_applicable",
                )
            )
        for sug in advice.suggestions:
            ind = sug.indicator
            prov = ind.provenance
            library = prov is not None and prov.kind == "library"
            origin: Origin = "library" if library or sug.origin == "template" else "precedent"
            name, value, prov = to_year(
                split_number(ind.name)[1], ind.value, prov, facts.header.year
            )
            if prov is not None:
                why = "理由：" + "；".join(sug.reasons)
                prov = prov.model_copy(update={"note": f"{why}；{prov.note}" if prov.note else why})
            row = reviewable(
                RowSuggestion(
                    id=sid(origin, level2, name, value),
                    level1=level1,
                    level2=level2,
                    name=name,
                    value=value,
                    provenance=prov,
                    typical_values=advice.typical_values,
                    used_in=max(1, sug.table_count),
                    origin=origin,
                ),
                facts.header,
            )
            if row is not None and all((o.name, o.value) != (row.name, row.value) for o in out):
                out.append(row)
        return out
