"""SVG snapshots of the TUI's main views (pytest-textual-snapshot).

Kept stable: fixed terminal size, a fixed precedent list (not the growing corpus), a fixed
draft id, no cursor blink, no clock times on screen. Update after a deliberate UI change
with ``pytest tests/test_tui_snapshots.py --snapshot-update`` and look at the pictures.
"""

from __future__ import annotations

import pytest
from test_tui import keep_kind
from textual.widgets import Input, TextArea

from assistant.interview import Interview
from assistant.knowledge.suggester import KindSuggester
from assistant.model import Indicator, Provenance
from assistant.search import SearchEngine
from assistant.tui.app import make_app

SIZE = (120, 40)
SEED = "seeds/000_4da5520f21e577ee.txt"
HEADER_ANSWERS = [
    "2024年监测评估中心信创项目",
    "自治区乡村振兴局",
    "宁夏回族自治区乡村振兴监测评估中心",
    "",
    "",
    "2024",
    "",
    "6",
    "",
    "",
    "起草",
    "采购信创非密打印机5台，每台2600元；采购信创非密计算机5套，每套9400元",
]


def _seed(level1: str, level2: str, name: str, value: str, line: int, project: str) -> Indicator:
    return Indicator(
        level1=level1,
        level2=level2,
        name=name,
        value=value,
        provenance=Provenance(
            source=SEED,
            line=line,
            project=project,
            year=2024,
            unit="宁夏回族自治区乡村振兴监测评估中心",
            department="自治区乡村振兴局",
        ),
    )


XC = "2024年监测评估中心信创项目"
PX = "2024年巩固拓展脱贫攻坚成果同乡村振兴有效衔接培训项目"
JC = "2024年乡村振兴监测评估工作经费"
PRECEDENTS = [
    _seed("产出指标", "数量指标", "信创非密打印机", "5台", 223, XC),
    _seed("产出指标", "数量指标", "信创非密计算机", "5套", 224, XC),
    _seed("产出指标", "数量指标", "11.租车费", "10期", 79, PX),
    _seed("产出指标", "数量指标", "4.调研租车费", "16次", 36, JC),
    _seed("产出指标", "质量指标", "采购设备合格率", "100%", 225, XC),
    _seed("产出指标", "时效指标", "2024年12月31日前采购完成率", "100%", 226, XC),
    _seed("产出指标", "成本指标", "信创非密打印机", "2600元/台", 227, XC),
    _seed("产出指标", "成本指标", "11.租车费", "2250元/期", 93, PX),
    _seed("产出指标", "成本指标", "4.调研租车费", "1480.75元/次", 44, JC),
    _seed("效益指标", "社会效益", "设备利用率", "≥90%", 230, XC),
    _seed("效益指标", "可持续影响", "设备寿命期内完好率", "≥90%", 232, XC),
    _seed("满意度指标", "服务对象满意度", "信创办公设备使用人员满意度", "≥95%", 233, XC),
    _seed("满意度指标", "服务对象满意度", "参与下乡调研、督导、检查人员满意度", "≥95%", 51, JC),
]


@pytest.fixture
def searcher() -> SearchEngine:
    return SearchEngine(PRECEDENTS, semantic=False)


@pytest.fixture(autouse=True)
def fixed_draft_id(monkeypatch):
    import secrets

    real = secrets.token_hex
    monkeypatch.setattr(secrets, "token_hex", lambda n=None: "5eed0001" if n == 4 else real(n))


def _draft(searcher, answers: list[str]) -> str:
    iv = Interview(searcher=searcher, suggester=KindSuggester(searcher))
    for text in answers:
        keep_kind(iv)
        assert iv.answer(text).ok, text
    keep_kind(iv)
    return iv.draft_id


async def _still(pilot) -> None:
    """Wait for workers and switch off the blinking cursor."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False


def test_first_question(snap_compare, searcher):
    """A new draft: greeting, the first question, the empty table skeleton."""
    app = make_app(searcher=searcher, semantic=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=_still)


def test_slot_with_suggestions(snap_compare, searcher):
    """数量指标: rows drafted from the activities first, then precedents with their source."""
    draft_id = _draft(searcher, HEADER_ANSWERS)
    app = make_app(searcher=searcher, semantic=False, draft_id=draft_id)
    assert snap_compare(app, terminal_size=SIZE, run_before=_still)


def test_finished_draft_with_review_marks(snap_compare, searcher):
    """A finished draft with a wrong unit price: ✗ on the cost row, findings in the chat."""
    answers = HEADER_ANSWERS + [
        "全部采纳",
        "完成",
        "采购设备合格率：100%",
        "完成",
        "全部采纳",
        "完成",
        "1.信创非密打印机：2600元/台",
        "2.信创非密计算机：9000元/套",
        "完成",
        "不适用",
        "设备利用率：较好",
        "完成",
        "不适用",
        "设备寿命期内完好率：≥90%",
        "完成",
        "信创办公设备使用人员满意度：≥95%",
        "完成",
    ]
    draft_id = _draft(searcher, answers)
    app = make_app(searcher=searcher, semantic=False, draft_id=draft_id)
    assert snap_compare(app, terminal_size=SIZE, run_before=_still)


def test_search_screen(snap_compare, searcher):
    """Precedent search for 租车: ranked rows, and the first row's full provenance."""

    async def search(pilot) -> None:
        await pilot.pause()
        await pilot.press("ctrl+f")
        await pilot.press(*"租车费")
        await pilot.press("enter")
        await _still(pilot)

    app = make_app(searcher=searcher, semantic=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=search)


def test_activities_editor(snap_compare, searcher):
    """The activities question: a several-line editor, one activity a line, ctrl+d to send."""
    draft_id = _draft(searcher, HEADER_ANSWERS[:-1])

    async def type_two_lines(pilot) -> None:
        await _still(pilot)
        editor = pilot.app.screen.query_one(TextArea)
        editor.insert("采购信创非密打印机5台，每台2600元")
        await pilot.press("enter")  # a new line in this box
        editor.insert("采购信创非密计算机5套，每套9400元")
        await _still(pilot)
        editor.cursor_blink = False

    app = make_app(searcher=searcher, semantic=False, draft_id=draft_id)
    assert snap_compare(app, terminal_size=SIZE, run_before=type_two_lines)
