"""Pilot tests: names from drafts and precedents are shown as text, never as markup (issue 14).

A name holding ``[/]`` used to crash every screen that showed it, and one holding
``[@click=app.screenshot(…)]`` ran the action on a click. Here such names are in a draft and
in an imported precedent; every place that shows them is rendered and clicked.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from test_tui import HEADER_ANSWERS, SIZE, app_for, settle
from textual.widgets import DataTable, Input, Tree

from assistant.interview import Interview
from assistant.knowledge.suggester import KindSuggester
from assistant.model import Header, Indicator, Provenance, TargetTable
from assistant.search import SearchEngine
from assistant.store import DraftStore
from assistant.tui.screens.dialogs import ConfirmDialog
from assistant.tui.screens.drafts import DraftsScreen
from assistant.tui.screens.interview import InterviewScreen
from assistant.tui.screens.search import SearchScreen
from assistant.tui.widgets.suggestions import SuggestionsPanel


def evil_name(folder: Path) -> str:
    return f"[@click=app.screenshot('x.txt','{folder}')]点我[/]项目[b]粗\x1b]0;标题\x07"


def shown(app) -> str:
    """Everything on screen as plain text."""
    return html.unescape(app.export_screenshot()).replace("\xa0", " ")


@pytest.fixture
def clicks(monkeypatch) -> list[tuple]:
    """Any screenshot action run (it must never be)."""
    from assistant.tui.app import JixiaoApp

    ran: list[tuple] = []
    monkeypatch.setattr(
        JixiaoApp, "action_screenshot", lambda self, *a: ran.append(a), raising=False
    )
    return ran


def hostile_precedents(name: str) -> list[Indicator]:
    prov = Provenance(source="seeds/evil.txt", line=1, project=name, year=2024, unit=name)
    return [
        Indicator(
            level1="产出指标", level2="数量指标", name=name, value=f"5台{name}", provenance=prov
        ),
        Indicator(
            level1="产出指标", level2="数量指标", name="打印机数量", value="[/]5台", provenance=prov
        ),
        Indicator(
            level1="产出指标",
            level2="数量指标",
            name="信创非密打印机[/]",
            value="5台",
            provenance=prov,
        ),
    ]


async def click_everywhere(pilot, selector: str) -> None:
    """Click the widget's first lines every few columns (until a click leaves the screen)."""
    screen = pilot.app.screen
    widget = screen.query_one(selector)
    for y in range(min(widget.region.height, 4)):
        for x in range(0, widget.region.width, 8):
            if pilot.app.screen is not screen:
                return
            await pilot.click(selector, offset=(x, y))
    await pilot.pause()


async def test_a_hostile_draft_name_is_shown_literally_everywhere(tmp_path, clicks):
    name = evil_name(tmp_path)
    searcher = SearchEngine(hostile_precedents("x"), semantic=False)
    table = TargetTable(header=Header(project_name=name, unit=name), goal=name)
    table.indicators.append(
        Indicator(level1="产出指标", level2="数量指标", name=name, value="[/]5台")
    )
    DraftStore().create(table, state={})  # e.g. written by an older version, or imported
    app = app_for(searcher)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)  # the resume offer names it
        assert "点我[/]项目[b]粗" in shown(app)
        await pilot.press("n")
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, DraftsScreen)
        screen_text = shown(app)
        assert "[@click=app.screenshot(" in screen_text and "\x1b" not in screen_text
        await click_everywhere(pilot, "#drafts")  # a click on the row opens it
        await settle(pilot)
        if isinstance(app.screen, DraftsScreen):
            app.screen.query_one("#drafts", DataTable).focus()
            await pilot.press("enter")  # open it: title, chat, table all carry the name
            await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        screen_text = shown(app)
        assert "点我[/]项目[b]粗" in screen_text and "\x1b" not in screen_text
        tree = app.screen.query_one("#draft-tree", Tree)
        tree.root.expand_all()
        await pilot.pause()
        await click_everywhere(pilot, "#draft-tree")
        await click_everywhere(pilot, "#title")
    assert clicks == []
    assert not (tmp_path / "x.txt").exists()


async def test_hostile_precedent_names_in_search_and_suggestions(tmp_path, clicks, monkeypatch):
    name = evil_name(tmp_path)
    searcher = SearchEngine(hostile_precedents(name), semantic=False)
    # these three rows belong to no kind of project, so the relevance gate would keep them
    # back; the plain precedent lookup shows them, which is what this test is about
    monkeypatch.setattr(KindSuggester, "share", lambda self: None)
    iv = Interview(searcher=searcher)
    for text in HEADER_ANSWERS:
        iv.answer(text)
    app = app_for(searcher, draft_id=iv.draft_id)  # at 数量指标, the precedents suggested
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        query = app.screen.query_one("#query", Input)
        query.value = "打印机数量"
        await pilot.press("enter")
        await settle(pilot)
        screen_text = shown(app)
        assert "[/]5台" in screen_text and "点我[/]项目" in screen_text
        await click_everywhere(pilot, "#detail")
        await click_everywhere(pilot, "#results")  # a click on a row takes it back
        await settle(pilot)
        if isinstance(app.screen, SearchScreen):
            await pilot.press("escape")
        await settle(pilot)
        app.screen.query_one("#answer", Input).value = ""
        panel = app.screen.query_one(SuggestionsPanel)
        assert any("[/]" in s.name for s in panel.suggestions)
        panel.table.focus()
        panel.table.move_cursor(row=[s.origin for s in panel.suggestions].index("precedent"))
        await pilot.pause()
        screen_text = shown(app)
        assert "信创非密打印机[/]" in screen_text and "点我[/]项目" in screen_text
        await click_everywhere(pilot, "#sugg-table")
        await click_everywhere(pilot, "#sugg-detail")
        await pilot.press("a")  # taken into the table: shown there literally too
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
    assert clicks == []
    assert not (tmp_path / "x.txt").exists()
