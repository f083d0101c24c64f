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


def test_output_cut_by_a_closed_pipe_is_not_exit_code_1(tmp_path):
    """`jixiao search … | head -1`: the reader goes away; jixiao ends like any Unix tool
    (killed by SIGPIPE, 141 in a shell), never with 1 (= "the table has errors")."""
    import os
    import signal
    import subprocess
    import sys

    if not hasattr(signal, "SIGPIPE"):
        return
    env = {**os.environ, "JIXIAO_HOME": str(tmp_path)}
    proc = subprocess.Popen(
        # ~300 KB of output: far more than a pipe holds, so the write after close must fail
        [sys.executable, "-m", "assistant", "search", "完成率", "--lexical", "--top", "200"]
        + ["--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=60) == -signal.SIGPIPE
    assert "Traceback" not in err
