"""The command line speaks Chinese even for click's own usage errors and help text."""

import subprocess
import sys

import pytest


def jixiao(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args], capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["suggest"], "缺少必需的选项 '--name'"),
        (["import"], "缺少必需的参数 'PATH...'"),
        (["export", "x", "--format", "pdf"], "不是可选值之一"),
        (["no-such-command"], "没有命令 'no-such-command'"),
        (["parse-value", "--bogus", "1"], "没有选项 '--bogus'"),
    ],
)
def test_usage_errors_are_one_chinese_line_with_exit_2(args, expected):
    result = jixiao(*args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("用法错误：") and expected in lines[0]
    assert "Traceback" not in result.stderr


def test_help_headings_are_chinese():
    out = jixiao("--help").stdout
    assert "用法：" in out and "命令" in out and "显示本帮助并退出" in out
    assert "Show this message" not in out
