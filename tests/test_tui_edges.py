"""Pilot tests of the rough edges a new user hit (issue 12): focus after editing a
suggestion, editing an accepted row, the chat following, no stale pre-fill, select-all in
the activities editor, resuming the unfinished draft on relaunch, the 100×30 layout."""

from __future__ import annotations

from test_tui import HEADER_ANSWERS, SIZE, _draft, app_for, current_id, settle
from test_tui import lexical as lexical  # the module's shared lexical search fixture
from textual.widgets import Input, Static, Tree

from assistant.store import DraftStore
from assistant.tui.screens.dialogs import ConfirmDialog, EditDialog
from assistant.tui.screens.interview import ActivitiesEditor, InterviewScreen
from assistant.tui.widgets.chat import ChatLog
from assistant.tui.widgets.draft_tree import DraftTree


def row_nodes(app) -> list:
    """The tree's indicator-row nodes, in screen order."""
    tree = app.screen.query_one("#draft-tree", Tree)
    found = []

    def walk(node) -> None:
        if node.data and node.data[0] == "row":
            found.append(node)
        for child in node.children:
            walk(child)

    walk(tree.root)
    return found


async def at_quantity_slot(pilot) -> None:
    await settle(pilot)
    if isinstance(pilot.app.screen, ConfirmDialog):
        await pilot.press("n")


async def test_after_editing_a_suggestion_the_next_enter_does_not_take_more_rows(lexical):
    draft_id = _draft(lexical, HEADER_ANSWERS[0], HEADER_ANSWERS[1:])
    app = app_for(lexical, draft_id=draft_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert current_id(app) == "slot:产出指标/数量指标"
        await pilot.press("tab", "e")
        await settle(pilot)
        assert isinstance(app.screen, EditDialog)
        value = app.screen.query_one("#edit-value", Input)
        value.value = "6台"
        await pilot.press("enter")
        await settle(pilot)
        rows = app.screen.interview.table.indicators
        assert [r.value for r in rows] == ["6台"]
        assert app.screen.query_one("#answer", Input).has_focus  # not the suggestion list
        await pilot.press("enter")  # the empty Enter the hint promises: this slot is done
        await settle(pilot)
        assert len(app.screen.interview.table.indicators) == 1
        assert current_id(app) == "slot:产出指标/质量指标"


async def test_an_accepted_row_is_edited_from_the_table(lexical):
    draft_id = _draft(lexical, HEADER_ANSWERS[0], HEADER_ANSWERS[1:] + ["全部采纳"])
    app = app_for(lexical, draft_id=draft_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = app.screen.interview.table.indicators[0]
        tree = app.screen.query_one("#draft-tree", Tree)
        tree.focus()
        tree.move_cursor(row_nodes(app)[0])
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EditDialog)
        app.screen.query_one("#edit-value", Input).value = "8台"
        await pilot.press("enter")
        await settle(pilot)
        after = app.screen.interview.table.indicators[0]
        assert (after.name, after.value) == (before.name, "8台")
        assert "已修改" in app.screen.query_one(ChatLog).transcript()
        assert DraftStore().get(draft_id).table.indicators[0].value == "8台"  # saved


async def test_the_row_detail_line_shows_the_row_as_edited(lexical):
    """The line under the table describes the highlighted row as it is now, not as it was
    before an edit from the table."""
    draft_id = _draft(lexical, HEADER_ANSWERS[0], HEADER_ANSWERS[1:] + ["全部采纳"])
    app = app_for(lexical, draft_id=draft_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tree = app.screen.query_one("#draft-tree", Tree)
        tree.focus()
        tree.move_cursor(row_nodes(app)[0])
        await settle(pilot)
        detail = app.screen.query_one("#tree-detail", Static)
        assert "：5台" in str(detail.render())
        await pilot.press("enter")
        await settle(pilot)
        app.screen.query_one("#edit-value", Input).value = "8台"
        await pilot.press("enter")
        await settle(pilot)
        shown = str(detail.render())
        assert "：8台" in shown and "5台" not in shown


async def test_the_chat_follows_the_newest_message_after_a_row_is_deleted(lexical):
    draft_id = _draft(lexical, HEADER_ANSWERS[0], HEADER_ANSWERS[1:] + ["全部采纳"])
    app = app_for(lexical, draft_id=draft_id)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        chat = app.screen.query_one(ChatLog)
        chat.scroll_home(animate=False)  # the user scrolled up to look at something
        tree = app.screen.query_one("#draft-tree", Tree)
        tree.focus()
        tree.move_cursor(row_nodes(app)[0])
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert len(app.screen.interview.table.indicators) == 1
        await pilot.press("ctrl+r")  # the review's explanation must be seen
        await settle(pilot)
        await pilot.pause(0.2)
        assert chat.max_scroll_y > 0 and chat.scroll_y == chat.max_scroll_y


async def test_after_going_back_and_answering_again_the_next_box_is_empty(lexical):
    answers = HEADER_ANSWERS[1:11] + ["调研督导5次，每次5天5人"]
    draft_id = _draft(lexical, HEADER_ANSWERS[0], answers)
    app = app_for(lexical, draft_id=draft_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        answer = app.screen.query_one("#answer", Input)
        assert current_id(app) == "activity.1.rate" and answer.value == ""
        await pilot.press("ctrl+z")  # back to the activities, their text to edit
        await settle(pilot)
        assert app.screen.query_one(ActivitiesEditor).text == answers[-1]
        await pilot.press("ctrl+d")  # sent again as it was
        await settle(pilot)
        assert current_id(app) == "activity.1.rate"
        assert answer.value == ""  # not the activities' text under the price question


async def test_the_activities_editor_selects_all_and_clears(lexical):
    draft_id = _draft(lexical, HEADER_ANSWERS[0], HEADER_ANSWERS[1:-1])
    app = app_for(lexical, draft_id=draft_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert current_id(app) == "activities"
        editor = app.screen.query_one(ActivitiesEditor)
        assert editor.has_focus
        await pilot.press(*"abc", "enter", *"def")
        await pilot.press("ctrl+a")
        assert editor.selected_text == "abc\ndef"
        await pilot.press("ctrl+l")
        assert editor.text == ""


async def test_relaunching_offers_the_unfinished_draft_and_yes_opens_it(lexical):
    draft_id = _draft(lexical, "2024年没填完的项目", ["自治区乡村振兴局"])
    app = app_for(lexical)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "2024年没填完的项目" in app.screen.question
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        assert app.screen.interview.draft_id == draft_id
        assert current_id(app) == "unit"


async def test_relaunching_and_declining_starts_a_new_draft(lexical):
    _draft(lexical, "2024年没填完的项目", [])
    app = app_for(lexical)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        assert app.screen.interview.draft_id is None
        assert app.screen.query_one("#answer", Input).has_focus
        assert current_id(app) == "project_name"


async def test_no_offer_when_every_draft_is_finished(lexical):
    app = app_for(lexical)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)


async def test_at_100_by_30_the_table_is_whole_and_reachable(lexical):
    long_row = "采购设备合格率达到国家标准要求的比例：100%"
    answers = HEADER_ANSWERS[1:] + ["全部采纳", "", long_row, ""]
    draft_id = _draft(lexical, HEADER_ANSWERS[0], answers)
    app = app_for(lexical, draft_id=draft_id)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(DraftTree)
        assert panel.display
        tree = panel.tree
        footer = app.screen.query_one("Footer")
        assert footer.region.bottom == 30 and footer.region.height == 1
        assert panel.region.bottom <= footer.region.y  # nothing under the footer
        keys = [key.region for key in footer.query("FooterKey")]
        assert all(r.right <= 100 for r in keys)  # no key cut off at the right
        rows = row_nodes(app)
        width = tree.scrollable_content_region.width
        assert all(tree.get_label_width(n) + 2 * 4 <= width for n in rows)  # no row cut
        assert str(rows[-1].label).endswith("：100%")  # a long name gives way, not the value
        tree.root.expand_all()
        tree.focus()
        await pilot.pause()
        tree.move_cursor_to_line(tree.last_line)
        await pilot.pause()
        assert tree.scroll_y == tree.max_scroll_y  # the last line scrolled into view
        assert tree.cursor_node is not None


async def test_an_echoed_answer_has_no_cursor_like_glyph(lexical):
    """The user's answer in the chat is set off by its tint, not by a right-hand bar that
    reads as a stray cursor (▊) after the text."""
    app = app_for(lexical)
    async with app.run_test(size=SIZE) as pilot:
        await at_quantity_slot(pilot)
        answer = app.screen.query_one("#answer", Input)
        answer.value = "2024年测试项目"
        await pilot.press("enter")
        await settle(pilot)
        (echo,) = [m for m in app.screen.query_one(ChatLog).messages() if m.role == "user"]
        lines = [strip.text for strip in echo.render_lines(echo.outer_size.region)]
        assert any("2024年测试项目" in line for line in lines)
        assert not any(glyph in line for line in lines for glyph in "▊▐▌█▎")
