"""Hostile text: control characters never reach a terminal, and never reach a saved table."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from clirun import run_cli

from assistant.cli import main
from assistant.cli.common import terminal_safe
from assistant.model import Header, Indicator, TargetTable
from assistant.store import DraftStore

HOSTILE = "项目\x1b[2J\x1b]0;被改的标题\x07\r覆盖\x00甲\u202e乙\x9b31m"


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run_on_terminal(monkeypatch, *args: str) -> tuple[int, str, str]:
    out, err = FakeTerminal(), FakeTerminal()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    return code, out.getvalue(), err.getvalue()


def test_terminal_safe_keeps_text_newlines_and_tabs_and_drops_controls():
    assert terminal_safe("甲\t乙\n丙") == "甲\t乙\n丙"
    assert terminal_safe(HOSTILE) == "项目[2J]0;被改的标题覆盖甲乙31m"


def test_names_are_cleaned_of_control_characters_at_the_model():
    table = TargetTable(
        header=Header(project_name="a\x00b\x1bc\r\nd"),
        indicators=[Indicator(level1="产出指标", level2="数量指标", name="x\x07y", value="1\r2")],
        notes=["说明\x00"],
    )
    assert table.header.project_name == "abc\nd"
    assert table.indicators[0].name == "xy" and table.indicators[0].value == "1\n2"
    assert table.notes == ["说明"]


def test_a_hostile_file_name_in_an_error_reaches_the_terminal_without_escapes(monkeypatch):
    code, _, err = run_on_terminal(monkeypatch, "import", "x\x1b]0;标题\x07\x1b[2J.txt")
    assert code == 2 and "\x1b" not in err and "\x07" not in err
    assert "文件不存在" in err and "x]0;标题[2J.txt" in err


def test_search_and_drafts_output_on_a_terminal_carries_no_controls(monkeypatch):
    DraftStore().create(TargetTable(header=Header(project_name="监测\u202e经费"), goal="目标"))
    code, out, _ = run_on_terminal(monkeypatch, "drafts")
    assert code == 0 and "监测经费" in out and "\u202e" not in out
    code, out, _ = run_on_terminal(monkeypatch, "search", "调研督导", "--lexical")
    assert code == 0 and out and not any(ord(c) < 32 and c not in "\n\t" for c in out)


def test_output_to_a_pipe_is_left_exactly_as_is(capsys):
    DraftStore().create(TargetTable(header=Header(project_name="监测\u202e经费")))
    code, out, _ = run_cli(capsys, "drafts")
    assert code == 0 and "监测\u202e经费" in out  # scripts get the stored text


@pytest.mark.skipif(os.name != "posix", reason="uses a pseudo-terminal")
def test_a_real_terminal_gets_no_escape_sequences(tmp_path, jixiao_home):
    DraftStore().create(TargetTable(header=Header(project_name="乙\u202e丙"), goal="目标"))
    bad = tmp_path / "\x1b]0;pwned\x07.txt"
    primary, secondary = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", "import", str(bad)],
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        env=env,
        timeout=60,
    )
    os.close(secondary)
    seen = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(primary)
    assert proc.returncode == 2 and "文件不存在".encode() in seen
    assert b"\x1b" not in seen and b"\x07" not in seen
