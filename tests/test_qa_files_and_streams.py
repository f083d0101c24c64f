"""Hostile paths and streams: output folders that cannot be written, names too long for the
file system, devices, damaged store entries, CSV the csv module chokes on, stdin junk."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from clirun import one_line, run_cli

from assistant.errors import os_reason
from assistant.export import output_path
from assistant.model import Header, TargetTable
from assistant.store import DraftStore

LONG = "长" * 300  # 900 bytes in UTF-8: too long for one file name anywhere


def saved_draft() -> str:
    table = TargetTable(header=Header(project_name="测试项目"), goal="完成测试。")
    return DraftStore().create(table).draft_id


def test_os_reasons_are_chinese():
    assert os_reason(PermissionError(13, "Permission denied")).startswith("没有权限")
    assert os_reason(OSError(36, "File name too long")) == "文件名太长"
    assert "系统错误" in os_reason(OSError(9999, "odd"))


def test_export_into_a_folder_that_cannot_be_written(capsys, tmp_path, monkeypatch):
    draft_id = saved_draft()

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    out_dir = tmp_path / "out"
    out_dir.mkdir()
    monkeypatch.setattr("assistant.export.files.os.open", refuse)
    code, out, err = run_cli(capsys, "export", draft_id, "-o", out_dir / "a.md", "-f", "md")
    assert code == 3 and out == ""  # the environment failed, not the input
    one_line(err, str(out_dir / "a.md"), "没有权限")
    assert list(out_dir.iterdir()) == []


def test_export_over_a_device_is_refused_even_with_force(capsys, tmp_path):
    draft_id = saved_draft()
    code, _, err = run_cli(capsys, "export", draft_id, "-o", os.devnull, "-f", "csv", "--force")
    assert code == 2
    one_line(err, "不是普通文件")
    assert Path(os.devnull).is_char_device()


def test_names_too_long_for_the_file_system(capsys, tmp_path):
    draft_id = saved_draft()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, _, err = run_cli(capsys, "export", draft_id, "-o", out_dir / f"{LONG}.md", "-f", "md")
    assert code == 2
    one_line(err, "文件名太长")
    for args in (("export", LONG), ("validate", out_dir / f"{LONG}.json")):
        code, _, err = run_cli(capsys, *args)
        assert code == 2
        one_line(err, "文件名太长")
    assert list(out_dir.iterdir()) == []


def test_output_path_checks_each_name():
    table = TargetTable(header=Header(project_name="x"))
    assert output_path(table, "md", Path("/tmp/ok.md")) == Path("/tmp/ok.md")
    with pytest.raises(Exception, match="文件名太长"):
        output_path(table, "md", Path("/tmp") / LONG / "x.md")


def test_a_damaged_draft_entry_is_rebuilt_and_named_not_a_traceback(capsys):
    draft_id = saved_draft()
    store = DraftStore()
    path = store.index.shard(draft_id).path
    doc = json.loads(path.read_text(encoding="utf-8"))
    for entry in doc["drafts"].values():
        entry["count"] = "x"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, out, err = run_cli(capsys, "drafts")
    assert code == 0 and draft_id in out and "测试项目" in out
    one_line(err, draft_id, "目录条目已损坏", "重建")


def test_a_csv_cell_too_big_for_the_csv_module(capsys, tmp_path):
    header = "项目名称,年度,一级指标,二级指标,三级指标,指标值\n"
    path = tmp_path / "big.csv"
    path.write_text(header + "测试,2024,产出指标,数量指标," + "人" * 200_000 + ",1次\n", "utf-8")
    code, _, err = run_cli(capsys, "validate", path)
    assert code == 2
    line = one_line(err, str(path), "第2行", "过长")
    assert "field" not in line


class _Stdin(io.TextIOWrapper):
    """A console stdin: text on top of raw bytes."""


def test_parse_value_stdin_reads_gbk_and_refuses_binary(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", _Stdin(io.BytesIO("≥95%\n".encode("gbk")), "utf-8"))
    code, out, err = run_cli(capsys, "parse-value", "--stdin", "--json")
    assert code == 0, err
    assert json.loads(out)["comparator"] == "≥"
    monkeypatch.setattr("sys.stdin", _Stdin(io.BytesIO(b"\x00\x9f\xff junk\n"), "utf-8"))
    code, _, err = run_cli(capsys, "parse-value", "--stdin")
    assert code == 2
    one_line(err, "标准输入第1行")


def test_parse_value_takes_a_negative_value_but_not_a_mistyped_option(capsys):
    code, out, err = run_cli(capsys, "parse-value", "-5%", "--json")
    assert code == 0, err
    assert json.loads(out)[0]["raw"] == "-5%"
    code, _, err = run_cli(capsys, "parse-value", "≥95%", "--jsn")
    assert code == 2
    one_line(err, "没有选项 '--jsn'")


def test_a_broken_xlsx_names_no_python_exception(capsys, tmp_path):
    path = tmp_path / "坏.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 64)  # a zip header and nothing else
    code, _, err = run_cli(capsys, "validate", path)
    assert code == 2
    line = one_line(err, str(path), "xlsx")
    assert "Error" not in line and "BadZip" not in line


def test_text_starting_with_equals_stays_text_in_the_official_xlsx(tmp_path):
    from openpyxl import load_workbook

    from assistant.export import export_table
    from assistant.model import Indicator

    table = TargetTable(
        header=Header(project_name="=HYPERLINK(1)项目"),
        goal="=1+1",
        indicators=[
            Indicator(level1="产出指标", level2="数量指标", name="=SUM(A1)", value='=cmd|" /C"!A0')
        ],
    )
    path = export_table(table, "xlsx", tmp_path / "t.xlsx")
    cells = [c for row in load_workbook(path).active.iter_rows() for c in row if c.value]
    formulas = [c.coordinate for c in cells if c.data_type == "f"]
    assert formulas == []
    assert any(c.value == '=cmd|" /C"!A0' for c in cells)


def test_a_utf8_file_cut_off_mid_character_is_still_read(capsys, tmp_path):
    header = (
        "项目名称,年度,一级指标,二级指标,三级指标,指标值\n"
        "测试项目,2024,产出指标,数量指标,培训人次,100人次\n"
    )
    path = tmp_path / "cut.csv"
    path.write_bytes((header + "测试").encode("utf-8")[:-1])  # the last 试 loses a byte
    code, _, err = run_cli(capsys, "import", path)
    assert code == 0, err


def test_a_bom_that_lies_is_named_not_a_traceback(capsys, tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf\xff\xfe\xfd abc")
    code, _, err = run_cli(capsys, "validate", path)
    assert code == 2
    one_line(err, str(path), "UTF-8", "损坏")
