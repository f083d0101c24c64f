"""``jixiao export ID --format … [-o PATH] [--force]``."""

from __future__ import annotations

import json

import openpyxl
import pytest
from clirun import run_cli

from assistant.export import default_filename
from assistant.model import Amount, Header, Indicator, TargetTable
from assistant.store import DraftStore

TABLE = TargetTable(
    header=Header(project_name="2024年监测/评估工作经费", year=2024, total=Amount.parse("20")),
    goal="完成调研。",
    indicators=[
        Indicator(level1="产出指标", level2="数量指标", name="1.调研", value="5次"),
        Indicator(
            level1="满意度指标", level2="服务对象满意度", name="调研对象满意度", value="≥95%"
        ),
    ],
)


@pytest.fixture
def draft_id() -> str:
    store = DraftStore()
    rev = store.create(TABLE)
    store.save(rev.draft_id, TABLE.model_copy(update={"goal": "第二版目标。"}))
    return rev.draft_id


@pytest.mark.parametrize("fmt", ["xlsx", "flat-xlsx", "csv", "md", "json"])
def test_export_a_draft_into_a_folder_with_its_safe_default_name(capsys, tmp_path, draft_id, fmt):
    code, out, _ = run_cli(capsys, "export", draft_id, "--format", fmt, "-o", str(tmp_path))
    assert code == 0
    expected = tmp_path / default_filename(TABLE, fmt)
    assert expected.name.startswith("2024年监测_评估工作经费_")
    assert expected.is_file() and str(expected) in out


def test_export_to_a_file_path_with_json_output(capsys, tmp_path, draft_id):
    target = tmp_path / "表.xlsx"
    code, out, _ = run_cli(capsys, "export", draft_id, "-o", str(target), "--json")
    assert code == 0 and json.loads(out)["files"] == [str(target)]
    ws = openpyxl.load_workbook(target).active
    assert ws["C12"].value == "第二版目标。"  # the latest revision


def test_export_an_older_revision(capsys, tmp_path, draft_id):
    target = tmp_path / "v1.json"
    code, _, _ = run_cli(
        capsys, "export", draft_id, "-f", "json", "-o", str(target), "--revision", "1"
    )
    assert code == 0 and TargetTable.model_validate_json(target.read_text()).goal == "完成调研。"


def test_existing_file_needs_force(capsys, tmp_path, draft_id):
    target = tmp_path / "out.csv"
    target.write_text("旧内容", encoding="utf-8")
    code, out, err = run_cli(capsys, "export", draft_id, "-f", "csv", "-o", str(target))
    assert code == 2 and out == "" and str(target) in err and "--force" in err
    assert target.read_text(encoding="utf-8") == "旧内容"
    code, _, _ = run_cli(capsys, "export", draft_id, "-f", "csv", "-o", str(target), "--force")
    assert code == 0 and target.read_bytes().startswith(b"\xef\xbb\xbf")


def test_export_a_table_file_instead_of_a_draft(capsys, tmp_path, draft_id):
    flat = tmp_path / "flat.csv"
    assert run_cli(capsys, "export", draft_id, "-f", "csv", "-o", str(flat))[0] == 0
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, _, _ = run_cli(capsys, "export", str(flat), "-f", "md", "-o", str(out_dir))
    assert code == 0
    (md,) = out_dir.iterdir()
    assert "| 产出指标 | 数量指标 | 1.调研 | 5次 |" in md.read_text(encoding="utf-8")


def test_unknown_id_or_missing_file_is_a_clear_error(capsys, tmp_path):
    code, _, err = run_cli(capsys, "export", "deadbeef")
    assert code == 2 and "找不到草稿" in err
    code, _, err = run_cli(capsys, "export", str(tmp_path / "无.csv"))
    assert code == 2 and "文件不存在" in err
    code, _, err = run_cli(capsys, "export", "deadbeef", "-f", "pdf")
    assert code == 2 and "pdf" in err


def test_a_file_with_several_tables_exports_one_file_each_into_a_folder(capsys, tmp_path):
    from pathlib import Path

    seed = Path(__file__).resolve().parents[1] / "corpus" / "seed_ningxia_2024.json"
    code, out, _ = run_cli(capsys, "export", str(seed), "-f", "md", "-o", str(tmp_path))
    assert code == 0 and out.count("已导出") == 6
    assert len(list(tmp_path.glob("*_绩效目标表.md"))) == 6
    # Again: every target exists, so nothing is written and the first clash is named.
    code, _, err = run_cli(capsys, "export", str(seed), "-f", "md", "-o", str(tmp_path))
    assert code == 2 and "已存在" in err
    code, _, err = run_cli(capsys, "export", str(seed), "-o", str(tmp_path / "one.xlsx"))
    assert code == 2 and "6 张表" in err and not (tmp_path / "one.xlsx").exists()


@pytest.mark.parametrize("fmt", ["csv", "flat-xlsx"])
def test_round_trip_export_flat_then_jixiao_import(capsys, tmp_path, draft_id, fmt):
    from assistant.corpus import imported_tables

    target = tmp_path / f"flat.{'csv' if fmt == 'csv' else 'xlsx'}"
    assert run_cli(capsys, "export", draft_id, "-f", fmt, "-o", str(target))[0] == 0
    code, _, err = run_cli(capsys, "import", str(target))
    assert code == 0, err
    (imported,) = [ct.table for ct in imported_tables()]
    original = DraftStore().get(draft_id).table
    assert imported.header.project_name == original.header.project_name
    assert (imported.header.year, imported.header.total) == (2024, original.header.total)
    assert imported.goal == original.goal == "第二版目标。"
    assert [(i.level1, i.level2, i.name, i.value) for i in imported.indicators] == [
        (i.level1, i.level2, i.name, i.value) for i in original.indicators
    ]
