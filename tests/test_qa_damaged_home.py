"""A damaged or unusable JIXIAO_HOME: every command says which file or folder, in Chinese."""

from __future__ import annotations

import json

import pytest
from clirun import one_line, run_cli

from assistant import config
from assistant.corpus import add_tables
from assistant.model import Header, Indicator, TargetTable


def imported_file():
    table = TargetTable(
        header=Header(project_name="自建先例项目", year=2024),
        indicators=[Indicator(level1="产出指标", level2="数量指标", name="巡查次数", value="12次")],
    )
    add_tables([table])
    (path,) = config.user_corpus_dir().glob("*.json")
    return path


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"junk{", "不是有效的 JSON"),
        (b"", "不是有效的 JSON"),
        (b"\xff\xfe\x00", "不是有效的 JSON"),
        (b"[]", "内容 应是对象"),
        (
            json.dumps(
                {"header": {"project_name": "x", "total": {"value": "abc", "raw": "x"}}}
            ).encode(),
            "header.total.value",
        ),
    ],
)
def test_a_damaged_imported_table_is_named(capsys, content, words):
    path = imported_file()
    path.write_bytes(content)
    for args in (("corpus",), ("search", "巡查", "--lexical")):
        code, out, err = run_cli(capsys, *args)
        assert code == 2 and out == ""
        one_line(err, str(path), "已损坏", words)


def test_a_home_that_is_a_file(capsys, tmp_path, monkeypatch):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("JIXIAO_HOME", str(blocker))
    code, _, err = run_cli(capsys, "drafts")
    assert code == 2
    one_line(err, str(blocker), "JIXIAO_HOME")
    assert blocker.read_text(encoding="utf-8") == "x"


def test_a_model_that_cannot_load_is_said_in_chinese(tmp_path):
    from assistant.search.semantic import Encoder, ModelUnavailable

    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.json").write_text("junk", encoding="utf-8")
    with pytest.raises(ModelUnavailable) as info:
        Encoder(folder)
    assert str(folder) in str(info.value)
    assert "looks like" not in str(info.value) and "Error" not in str(info.value)
