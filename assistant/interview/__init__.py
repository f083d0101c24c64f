"""The interview engine (UI-free): questions from prompts/, answers → a drafted target table.

Public API, used by the TUI and by ``jixiao draft --answers``::

    from assistant.interview import Interview
    iv = Interview(store=DraftStore(), searcher=SearchEngine(semantic=False))
    turn = iv.answer("2024年监测评估中心信创项目")   # Turn(ok, messages, reask, next)
    iv.suggestions(); iv.accept(sid); iv.reject(sid); iv.back(); iv.skip()
    Interview.resume(iv.draft_id)                      # goes on at the next unanswered question
"""

from assistant.interview.engine import Interview, slot_id
from assistant.interview.schema import Question, Suggestion, Turn

__all__ = ["Interview", "Question", "Suggestion", "Turn", "slot_id"]
