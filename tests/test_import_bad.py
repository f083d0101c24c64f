"""Bad input: exit code 2, one Chinese line naming the file (and line), no traceback,
and nothing added to the corpus — even when good files are imported in the same call."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from clirun import run_cli

from assistant import config

DATA = Path(__file__).resolve().parent / "data"
BAD = DATA / "bad"
GOOD = DATA / "seed" / "variant_drift_gbk.txt"


def corpus_files() -> list[Path]:
    return sorted(config.user_corpus_dir().glob("*"))


CASES = [
    ("empty.txt", None, "文件是空的"),
    ("binary.dat", None, "不是文本文件"),
    ("truncated.xlsx", None, "已损坏或不完整"),
    ("wrong_columns.csv", 1, "表头缺少必需的列"),
    ("no_table.txt", None, "没有找到可识别的绩效目标表"),
    ("missing_value.csv", 3, "缺少三级指标"),
    ("broken.json", 4, "JSON 格式有误"),
    ("old_format.xls", None, "无法打开 .xls 文件，文件可能已损坏或不完整"),
]


@pytest.mark.parametrize(("name", "line", "phrase"), CASES)
def test_bad_file_exits_2_with_one_chinese_line(capsys, name, line, phrase):
    path = BAD / name
    code, out, err = run_cli(capsys, "import", str(GOOD), str(path))
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"错误：{path}")
    assert phrase in lines[0]
    if line is not None:
        assert f"第{line}行" in lines[0]
    assert corpus_files() == []  # the good file beside it was not written either


def test_missing_file_and_folder(capsys, tmp_path):
    code, _, err = run_cli(capsys, "import", str(tmp_path / "nope.txt"))
    assert code == 2 and "文件不存在" in err
    code, _, err = run_cli(capsys, "import", str(tmp_path))
    assert code == 2 and "文件夹" in err


def test_bad_xlsx_extension_on_a_text_file(capsys, tmp_path):
    fake = tmp_path / "table.xlsx"
    shutil.copyfile(GOOD, fake)
    code, _, err = run_cli(capsys, "import", str(fake))
    assert code == 2 and "不是有效的 xlsx 文件" in err


def test_json_with_wrong_fields_names_the_field(capsys, tmp_path):
    doc = tmp_path / "t.json"
    doc.write_text('{"header": {"project_name": "x"}, "indicators": [{"level1": "产出指标"}]}')
    code, _, err = run_cli(capsys, "import", str(doc))
    assert code == 2
    assert "indicators[0].level2" in err and "Traceback" not in err


def test_flat_row_with_a_bad_total_names_its_line(capsys, tmp_path):
    csv = tmp_path / "t.csv"
    csv.write_text(
        "项目名称,项目总额,二级指标,三级指标,指标值\n甲项目,二十万,数量指标,培训期数,10期\n",
        encoding="utf-8",
    )
    code, _, err = run_cli(capsys, "import", str(csv))
    assert code == 2 and "第2行" in err and "项目总额" in err


def test_xlsx_without_any_table(capsys, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["会议纪要"])
    wb.active.append(["今天讨论了预算安排"])
    path = tmp_path / "prose.xlsx"
    wb.save(path)
    code, _, err = run_cli(capsys, "import", str(path))
    assert code == 2 and "没有找到可识别的表格" in err and str(path) in err


def test_xlsx_row_with_an_unknown_level_names_sheet_and_row(capsys, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "目标表"
    ws.append(["项目名称", "二级指标", "三级指标", "指标值"])
    ws.append(["甲", "数量指标", "培训期数", "10期"])
    ws.append(["甲", "培训指标", "培训合格率", "100%"])
    path = tmp_path / "flat.xlsx"
    wb.save(path)
    code, _, err = run_cli(capsys, "import", str(path))
    assert code == 2
    assert err.strip().startswith(
        f"错误：{path}（工作表“目标表”） 第3行：二级指标“培训指标”不是指标框架中的名称"
    )
    assert corpus_files() == []


def test_csv_row_with_more_cells_than_the_header(capsys, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "项目名称,二级指标,三级指标,指标值\n甲,数量指标,培训期数,10期,多出来\n", encoding="utf-8"
    )
    code, _, err = run_cli(capsys, "import", str(path))
    assert code == 2 and "第2行" in err and "比表头的 4 列多" in err
