"""Hostile and confused input, command by command: exit code 2, one Chinese line on stderr
naming the file (and field), no traceback, nothing half-written."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from clirun import one_line as one_chinese_line
from clirun import run_cli

from assistant.store import DraftStore

ANSWERS = Path(__file__).resolve().parent / "data" / "answers"
TRAINING = (ANSWERS / "training.yaml").read_text(encoding="utf-8")
ENGLISH = re.compile(r"[A-Za-z]{4,}")  # an English word in a message meant for the user


def table_doc() -> dict:
    return {
        "header": {"project_name": "测试项目", "year": 2024, "total": {"value": "10", "raw": "10"}},
        "goal": "完成测试。",
        "indicators": [
            {"level1": "产出指标", "level2": "数量指标", "name": "培训人次", "value": "100人次"}
        ],
    }


def precedent_doc() -> dict:
    return {
        "project_name": "测试先例",
        "year": 2023,
        "total_wan": 5,
        "indicators": [
            {"level1": "产出指标", "level2": "数量指标", "level3": "培训人次", "value": "100人次"}
        ],
    }


# --- table files that are valid JSON but the wrong shape --------------------------------


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda d: d["header"]["total"].update(value="abc"), "header.total.value", "应是数字"),
        (lambda d: d["header"].update(year="二〇二四"), "header.year", "应是整数"),
        (lambda d: d["header"].update(project_name=None), "header.project_name", "应是文字"),
        (lambda d: d.update(indicators="x"), "indicators", "应是列表"),
        (lambda d: d["header"]["total"].update(value="NaN"), "header.total.value", "有限"),
    ],
)
def test_a_target_table_with_a_wrong_field_is_named_in_chinese(
    capsys, tmp_path, change, field, words
):
    doc = table_doc()
    change(doc)
    path = tmp_path / "表.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, out, err = run_cli(capsys, "validate", path)
    assert code == 2 and out == ""
    line = one_chinese_line(err, str(path), field, words)
    assert not ENGLISH.search(line.replace(str(path), "").replace(field, "").replace("JSON", ""))


def test_json_nested_too_deep_is_bad_input_not_a_crash(capsys, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    code, _, err = run_cli(capsys, "validate", path)
    assert code == 2
    one_chinese_line(err, str(path), "嵌套")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["indicators"][0].update(level1={"a": 1}), "indicators[0].level1"),
        (lambda d: d.update(project_name=["甲"]), "project_name"),
        (lambda d: d["indicators"][0].update(value=[1, 2]), "indicators[0].value"),
        (lambda d: d.update(total_wan="abc"), "total_wan"),
        (lambda d: d.update(total_wan="NaN"), "total_wan"),
    ],
)
def test_a_precedent_record_with_junk_in_a_field_is_refused(capsys, tmp_path, change, field):
    doc = precedent_doc()
    change(doc)
    path = tmp_path / "先例.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, _, err = run_cli(capsys, "import", path)
    assert code == 2
    one_chinese_line(err, str(path), field)
    corpus = Path(__import__("os").environ["JIXIAO_HOME"]) / "corpus"
    assert not corpus.exists() or not any(corpus.iterdir())  # nothing imported


# --- search --stdin with junk --------------------------------------------------------


class _Stdin(io.TextIOWrapper):
    """A console stdin: text on top of raw bytes."""


def _stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr("sys.stdin", _Stdin(io.BytesIO(data), encoding="utf-8"))


def test_search_stdin_with_binary_junk_names_the_line(capsys, monkeypatch):
    _stdin(monkeypatch, "满意度\n".encode() + b"\x00\x01\xff\xfe\x80junk\n")
    code, out, err = run_cli(capsys, "search", "--stdin", "--lexical")
    assert code == 2
    one_chinese_line(err, "标准输入第2行")
    first = json.loads(out.splitlines()[0])  # the good line before it was answered
    assert first["query"] == "满意度"


def test_search_stdin_reads_gbk_and_skips_empty_lines(capsys, monkeypatch):
    _stdin(monkeypatch, b"\n   \n" + "培训满意度".encode("gbk") + b"\n\n")
    code, out, err = run_cli(capsys, "search", "--stdin", "--lexical")
    assert code == 0, err
    docs = [json.loads(line) for line in out.splitlines()]
    assert [d["query"] for d in docs] == ["培训满意度"]


# --- click's own messages ----------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [("search", "x", "--top", "abc"), ("export", "x", "--revision", "abc")],
)
def test_a_wrong_option_type_is_said_in_chinese(capsys, args):
    code, _, err = run_cli(capsys, *args)
    assert code == 2
    line = one_chinese_line(err, "不是有效的整数")
    assert "integer" not in line


def test_usage_lines_have_no_english_placeholders(capsys):
    run_cli(capsys, "--help")
    out = capsys.readouterr().out
    code, out, _ = run_cli(capsys, "--help")
    assert code == 0 and "[选项] [命令] [参数]..." in out and "OPTIONS" not in out
    code, out, _ = run_cli(capsys, "search", "--help")
    assert "[选项]" in out and "INTEGER" not in out and "TEXT" not in out


# --- draft --answers ---------------------------------------------------------------------


def _draft(capsys, path: Path) -> tuple[int, str, str]:
    return run_cli(capsys, "draft", "--answers", path)


def _write(tmp_path: Path, text: str, name: str = "answers.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_failed_answers_file_leaves_no_half_draft(capsys, tmp_path):
    bad = TRAINING.replace("  数量指标: 全部采纳", "  数量指标: 这不是一行指标")
    code, _, err = _draft(capsys, _write(tmp_path, bad))
    assert code == 2
    one_chinese_line(err, "slots.数量指标")
    assert DraftStore().list() == []


def test_a_good_answers_file_is_saved_once(capsys, tmp_path):
    code, out, err = _draft(capsys, _write(tmp_path, TRAINING))
    assert code in (0, 1), err
    draft_id = out.split("编号：")[1].split()[0]
    assert len(DraftStore().history(draft_id)) == 1


def test_a_gbk_answers_file_is_read(capsys, tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_bytes(TRAINING.encode("gbk"))
    code, out, err = _draft(capsys, path)
    assert code in (0, 1), err
    assert "项目名称：2024年巩固拓展脱贫攻坚成果同乡村振兴有效衔接培训项目" in out


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("project_name: 2024年", "project_name:\n  - 甲\n  - 乙\n#", "“project_name”应是一段文字"),
        ("project_name: 2024年", "project_name: {a: {b: [1, 2]}}\n#", "不能是映射"),
        ("total: 一百五十九万元", "total: [1, 2]", "“total”应是一段文字"),
        ("project_name: 2024年", "project_name: |\n  第一行\n  第二行\n#", "应写在一行"),
        ("      value: ≥90%", "      valeu: ≥90%", "未知的键“valeu”"),
        ("    - accept: top", "    - accept: [top]", "slots.服务对象满意度.accept"),
        ("  生态效益: 不适用", "  生态效益: {x: {y: [1, {z: 2}]}}", "slots.生态效益"),
        ("  生态效益: 不适用", "  生态效益: [[a, b]]", "不能是列表"),
        ("activities: |", "activities:\n  - [套娃, 列表]\nextras: |", "activities[1]"),
    ],
)
def test_wrong_types_in_an_answers_file_are_refused(capsys, tmp_path, old, new, words):
    assert old in TRAINING
    code, out, err = _draft(capsys, _write(tmp_path, TRAINING.replace(old, new, 1)))
    assert code == 2 and out == ""
    one_chinese_line(err, words)
    assert DraftStore().list() == []


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("bin.yaml", b"\x00\x01\xff\xfe junk", "不是文本文件"),
        ("broken.json", b'{"project_name": ', "不是有效的JSON（第18列附近：缺少值）"),
        ("syntax.yaml", b"project_name: [a\nyear: 2024\n", "不是有效的YAML（第"),
        ("deep.json", b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "嵌套层数过多"),
    ],
)
def test_unreadable_answers_files(capsys, tmp_path, name, data, words):
    path = tmp_path / name
    path.write_bytes(data)
    code, _, err = _draft(capsys, path)
    assert code == 2
    line = one_chinese_line(err, str(path), words)
    assert "Error" not in line and "Expecting" not in line


def test_a_folder_or_a_huge_file_as_answers(capsys, tmp_path):
    code, _, err = _draft(capsys, tmp_path)
    assert code == 2
    assert "IsADirectoryError" not in one_chinese_line(err, "文件夹")
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"# " + b"x" * 3_000_000)
    code, _, err = _draft(capsys, huge)
    assert code == 2
    one_chinese_line(err, "过大")


def test_a_long_answer_is_quoted_short_in_the_error(capsys, tmp_path):
    bad = TRAINING.replace("year: 2024", "year: " + "不是年份" * 500)
    code, _, err = _draft(capsys, _write(tmp_path, bad))
    assert code == 2
    assert len(one_chinese_line(err, "“year”")) < 400


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("twice.yaml", TRAINING + "total: 99万\n", "第38行：“total”写了不止一次"),
        ("slots.yaml", "slots:\n  数量指标: a\n  数量指标: b\n", "第3行：“数量指标”写了不止一次"),
        ("twice.json", '{"project_name": "甲项目", "project_name": "乙"}', "“project_name”写了"),
    ],
)
def test_a_key_written_twice_is_refused_not_overwritten(capsys, tmp_path, name, text, words):
    code, _, err = _draft(capsys, _write(tmp_path, text, name))
    assert code == 2
    one_chinese_line(err, words)
    assert DraftStore().list() == []


def test_help_marks_required_options_in_chinese(capsys):
    code, out, _ = run_cli(capsys, "suggest", "--help")
    assert code == 0 and "[必填]" in out and "required" not in out
