"""The interview (UI-free): questions from prompts/, answers → a drafted target table.

Public interface, used by the TUI and by ``jixiao draft --answers``; everything else in the
package is internal and may change::

    from assistant.interview import Interview, Question, Suggestion, Turn
    iv = Interview(store=DraftStore(), searcher=SearchEngine(semantic=False))
    iv = Interview.resume(draft_id, store=…, searcher=…)   # at the next unanswered question

    # reading (no side effects)
    iv.current() -> Question | None        # the question being asked; None when done
    iv.done -> bool; iv.questions() -> list[Question]; iv.slots() -> [(level1, level2)]
    iv.empty_slots() -> [(level1, level2)]   # slots without a row (not even 不适用)
    iv.table -> TargetTable; iv.draft_id -> str | None; iv.activities -> list[Activity]
    iv.suggestions() -> list[Suggestion]   # current slot: drafted rows, then precedents
    iv.facts() -> ProjectFacts             # what a suggester is told about the project
    iv.difference() -> Decimal | None      # Σ activities − annual total, 元
    iv.from_precedent(indicator) -> (name, value, provenance) as this draft would take it

    # acting (each returns a Turn(ok, messages, reask, next) and autosaves)
    iv.answer(text); iv.skip(); iv.back() -> Question | None
    iv.accept(suggestion_id, value=None, name=None); iv.reject(suggestion_id)
    iv.accept_many([ids]); iv.accept_all()  # all drafted rows; where none, all shown
    iv.add_row(level1, level2, name, value, provenance=None)
    iv.edit_row(index, name=None, value=None)    # any row of table.indicators, accepted too
    iv.remove_row(index)
    iv.refresh_suggestions()               # look the open slots up again (semantic model ready)

    # review and saving
    iv.report() -> Report                  # validates now and keeps it as iv.last_report
    iv.last_report -> Report | None        # the report the last Turn's review lines came from
    iv.findings() -> list[Finding]; iv.save(message) -> draft id; iv.state() -> dict

Errors: an answer not understood is ``Turn(ok=False, reask=…)`` (Chinese, with an example);
a broken prompt file, a missing or damaged draft is a ``JixiaoError`` (one Chinese line).
``Interview(review=False)`` skips the per-step review lines (the headless run reviews once).
``Interview(suggester=…)`` swaps the precedent lookup (see ``suggestions.Suggester``);
``Interview(kinds=…)`` (or a suggester that is also a ``suggestions.KindCatalog``) adds the
project-kind question (prompts/45_kind.yaml); ``iv.slot_notice()`` is what a suggester that is
a ``SlotNotices`` said about the current slot ("没有相近的先例"), once it was looked up.
"""

from assistant.interview.engine import Interview, slot_id
from assistant.interview.schema import Question, Suggestion, Turn

__all__ = ["Interview", "Question", "Suggestion", "Turn", "slot_id"]
