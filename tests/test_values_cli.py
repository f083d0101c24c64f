"""``jixiao parse-value``: the Chinese explanation and the JSON document."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from assistant.cli.parse_value_cmd import command


def run(*args: str):
    return CliRunner().invoke(command, list(args))


def test_explains_each_value_in_chinese():
    result = run("5次, 5天/次, 5人/次", "≥95%", "2024年12月15日前", "有效提高", "0", "见附件")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "原文：5次, 5天/次, 5人/次" in out
    assert "类型：数量（复合，3 项）" in out
    assert "数值与单位：5 次；5 天/次；5 人/次" in out
    assert "比较符：≥（不低于）" in out
    assert "日期：2024年12月15日" in out
    assert "类型：等级" in out and "类型：占位" in out and "类型：文本" in out
    assert "需拆分为多行" in out


def test_money_shows_the_amount_in_yuan():
    out = run("20万元").output
    assert "类型：金额" in out and "折合：200000 元" in out


def test_json_is_one_document_with_decimals_as_strings():
    result = run("--json", "430元/天/人", "１２月底前", "--year", "2024")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert [d["raw"] for d in doc] == ["430元/天/人", "１２月底前"]
    money, deadline = doc
    assert money["kind"] == "money" and money["kind_name"] == "金额"
    assert money["quantities"] == [
        {
            "number": "430",
            "unit": "元/天/人",
            "raw": "430元/天/人",
            "upper": None,
            "comparator": None,
            "label": None,
            "tolerance": False,
        }
    ]
    assert money["formal"] == {
        "symbol": "＝",
        "measure": "430",
        "unit": "元/天/人",
        "needs_split": False,
    }
    assert deadline["kind"] == "date" and deadline["date"] == "2024-12-31"
    assert "\\u" not in result.output  # not escaped


def test_no_text_is_a_usage_error():
    assert run().exit_code == 2


def test_runs_as_jixiao_subcommand():
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", "parse-value", "--json", "不少于10次"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    (doc,) = json.loads(proc.stdout)
    got = (doc["kind"], doc["comparator"], doc["quantities"][0]["number"])
    assert got == ("quantity", "≥", "10")


def test_change_is_explained():
    out = run("较上年提高5%").output
    assert "变化：提高" in out and "类型：比率" in out


def test_stdin_gives_one_json_line_per_input_line():
    result = CliRunner().invoke(command, ["--stdin", "--json"], input="16次\n≥95%\n有效提高\n")
    assert result.exit_code == 0, result.output
    docs = [json.loads(line) for line in result.output.splitlines()]
    assert [(d["raw"], d["kind"]) for d in docs] == [
        ("16次", "quantity"),
        ("≥95%", "rate"),
        ("有效提高", "grade"),
    ]


def test_stdin_and_arguments_together_is_a_usage_error():
    result = CliRunner().invoke(command, ["--stdin", "16次"], input="")
    assert result.exit_code == 2
    assert "不能同时使用" in result.output
