"""Chat lines break between words, never inside a number (issue 12: "12" / "0万元" at 100
columns)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from test_tui import app_for, settle
from test_tui import lexical as lexical  # the module's shared lexical search fixture

from assistant.tui.widgets.chat import ChatLog
from assistant.tui.widgets.wrap import wrap_text

SENTENCE = "按活动测算合计1200000元（120万元），比年度资金总额100万元多200000元（20万元）。"


def _split_numbers(lines: list[str]) -> list[tuple[str, str]]:
    """Adjacent lines where one ends and the next begins inside a number."""
    return [
        (a, b)
        for a, b in zip(lines, lines[1:], strict=False)
        if a[-1:].isdigit() and b[:1].isdigit()
    ]


@pytest.mark.parametrize("width", range(14, 41))  # 13 cells: （120万元），
def test_numbers_and_their_units_are_never_split(width):
    lines = wrap_text(SENTENCE, width).split("\n")
    assert "".join(lines) == SENTENCE  # nothing lost, nothing added
    assert all(cell_len(line) <= width for line in lines)
    assert not _split_numbers(lines)
    assert not any(line.startswith(("，", "。", "）")) for line in lines)
    for number in ("1200000元", "120万元", "100万元", "20万元"):
        assert any(number in line for line in lines), (width, lines)


def test_spaces_and_newlines_still_break_and_a_too_long_word_is_cut():
    assert wrap_text("第一行\n第二 行", 20) == "第一行\n第二 行"
    assert wrap_text("1234567890", 4) == "1234\n5678\n90"


async def test_a_chat_message_at_100_columns_keeps_numbers_whole(lexical):
    app = app_for(lexical)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        chat = app.screen.query_one(ChatLog)
        said = [chat.say("测" * k + SENTENCE, "assistant") for k in range(0, 40, 3)]
        await settle(pilot)
        for message in said:
            lines = [s.text.strip() for s in message.render_lines(message.outer_size.region)]
            lines = [line for line in lines if line]
            assert len(lines) > 1
            assert not _split_numbers(lines), lines
            text = "".join(lines)
            assert re.search("120万元", text) and "1200000元" in text


def test_a_space_next_to_chinese_breaks_cleanly_and_is_kept_inside_a_line():
    """ "按 ctrl+s 导出文件": spaces stay between words; a line never starts with one."""
    text = "右侧目标表已按审核要求整表校验。按 ctrl+s 导出文件，ctrl+z 回去修改。"
    for width in range(10, 40):
        lines = wrap_text(text, width).split("\n")
        assert not any(line.startswith(" ") or line.endswith(" ") for line in lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert "按 ctrl+s 导出文件" in wrap_text(text, 60)


def test_a_list_number_stays_with_its_item():
    text = "9. 监测评估、调研与咨询　10. 造林绿化与林业保护　11. 人员经费与机构运转"
    for width in range(12, 40):
        lines = wrap_text(text, width).split("\n")
        assert not any(re.search(r"\d+\.$", line) for line in lines), (width, lines)


@given(st.text(alphabet="测试项目12０.万元（）「」，。 a%", max_size=60), st.integers(2, 30))
def test_wrapping_never_loses_or_widens_text(text, width):
    lines = wrap_text(text, width).split("\n")
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(cell_len(line) <= width for line in lines)
