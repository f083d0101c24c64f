"""The suggestions half of the conversation screen: looked up in a worker for the open slot,
shown in the panel, taken from it (a accept, e edit then accept, r reject), looked up again
when the semantic model is ready.

Kept apart from the asking and answering (``interview.py``), which builds on it: what it
needs from there is the current question's id and the answer box (``action_focus_answer``).
"""

from __future__ import annotations

from textual import work

from assistant.tui.screens.dialogs import EditDialog
from assistant.tui.screens.messages import SuggestionsReady
from assistant.tui.screens.saving import Change
from assistant.tui.screens.table_review import TableScreen
from assistant.tui.widgets.chat import ChatLog
from assistant.tui.widgets.suggestions import SuggestionsPanel


class SuggestingScreen(TableScreen):
    """Suggestions for the open slot (the conversation screen builds on this)."""

    _question_id: str | None  # the question on screen: late results for another are dropped
    _notice_for: str | None  # the slot whose "没有相近的先例" was said

    def action_focus_answer(self) -> None:
        """Focus the answer box (the conversation screen has it)."""

    def _model_state_changed(self, state: str) -> None:
        """The semantic model is loaded: look the open slot's suggestions up again (what was
        accepted or turned down stays so)."""
        if state == "ready":
            self._refresh_suggestions()

    @work(thread=True, exclusive=True, exit_on_error=False, group="suggest")
    def _refresh_suggestions(self) -> None:
        with self.session.lock:
            self.interview.refresh_suggestions()
            q = self.interview.current()
            if q is None or not q.slot:
                return
            found = list(self.interview.suggestions())
        self.post_message(SuggestionsReady(q.id, found, None))

    @work(thread=True, exclusive=True, exit_on_error=False, group="suggest")
    def _fetch_suggestions(self, question_id: str) -> None:
        try:
            with self.session.lock:
                found = list(self.interview.suggestions())
            self.post_message(SuggestionsReady(question_id, found, None))
        except Exception as err:  # the chat must keep going without suggestions
            self.post_message(SuggestionsReady(question_id, [], str(err)))

    def on_suggestions_ready(self, message: SuggestionsReady) -> None:
        if message.question_id != self._question_id:
            return
        q = self.interview.current()
        title = f"参考先例 · {q.slot[1]}" if q is not None and q.slot else "参考先例"
        panel = self.query_one(SuggestionsPanel)
        panel.show(message.suggestions, title=title)
        notice = self.interview.slot_notice()  # "没有相近的先例" when the gate kept none
        if notice and not message.error and self._notice_for != message.question_id:
            self._notice_for = message.question_id  # said once, not again on a refresh
            self.query_one(ChatLog).say(notice, "notice")
        if message.error:
            panel.set_title(f"参考先例：暂不可用（{message.error}）")

    def on_suggestions_panel_chosen(self, message: SuggestionsPanel.Chosen) -> None:
        s = message.suggestion
        if message.action == "accept" or s.origin == "not_applicable":
            said = "不适用" if s.origin == "not_applicable" else f"采用：{s.name}：{s.value}"
            self._take(lambda iv: iv.accept(s.id), said, f"采纳建议：{s.level2}")
        elif message.action == "reject":
            self.query_one(ChatLog).say(f"不要：{s.name}：{s.value}", "user")
            self._change(lambda iv: iv.reject(s.id), "不采纳建议")
        elif message.action == "edit":

            def done(result: tuple[str, str] | None) -> None:
                # Back to the answer box either way: the next Enter must not take a row.
                self.action_focus_answer()
                if result is not None:
                    name, value = result
                    self._take(
                        lambda iv: iv.accept(s.id, value=value, name=name),
                        f"采用（修改后）：{name}：{value}",
                        f"采纳建议：{s.level2}",
                    )

            self.app.push_screen(EditDialog(s.name, s.value, s.level2), done)

    def _take(self, change: Change, said: str, what: str) -> None:
        """A step whose user line (``said``) is shown only when the engine takes it: a
        suggestion accepted, a slot closed; then what the engine said."""
        turn = self.session.step(change)
        if turn.ok:
            self.query_one(ChatLog).say(said, "user")
            self.save_soon(what)
        self._apply(turn)
