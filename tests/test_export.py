"""Exports, each checked by reading the written file back."""

from __future__ import annotations

import csv
import io
import json
import os
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from assistant.errors import JixiaoError
from assistant.export import FORMATS, default_filename, export_table, output_path
from assistant.export.names import MAX_NAME_BYTES, safe_stem
from assistant.export.rows import SPLIT_NOTE
from assistant.flat_table import FLAT_COLUMNS, FORMAL_COLUMNS
from assistant.importers import load_file
from assistant.model import Amount, FundSources, Header, Indicator, TargetTable

SEED = Path(__file__).resolve().parents[1] / "corpus" / "seed_ningxia_2024.json"


def seed_tables() -> list[TargetTable]:
    doc = json.loads(SEED.read_text(encoding="utf-8"))
    return [TargetTable.model_validate(t) for t in doc["tables"]]


def largest_seed_table() -> TargetTable:
    return max(seed_tables(), key=lambda t: len(t.indicators))  # 电子政务, 45 rows


def carryover_table() -> TargetTable:
    """A small table with six-decimal money, a compound value and a pipe in a name."""
    money = Amount.parse("10.015119")
    return TargetTable(
        header=Header(
            project_name="2023年基本账户结转",
            department="自治区乡村振兴局",
            unit="宁夏回族自治区乡村振兴监测评估中心",
            attribute="0101-一年期项目",
            period="1年",
            year=2024,
            total=money,
            annual_total=money,
            funds=FundSources(fiscal=money, local_level=money),
        ),
        goal="支付2023年结转的办公经费。\n按时完成支付。",
        indicators=[
            Indicator(
                level1="产出指标", level2="数量指标", name="1.调研", value="5次, 5天/次, 5人/次"
            ),
            Indicator(level1="产出指标", level2="数量指标", name="2.办公设备|打印机", value="1台"),
            Indicator(level1="产出指标", level2="成本指标", name="1.调研", value="430元/天/人"),
            Indicator(level1="效益指标", level2="社会效益", name="保障运转", value="有效保障"),
            Indicator(
                level1="满意度指标",
                level2="服务对象满意度",
                name="参与调研人员满意度",
                value="≥95%",
            ),
        ],
    )


def indicator_rows(table: TargetTable) -> list[tuple[str, str, str, str]]:
    return [(i.level1, i.level2, i.name, i.value) for i in table.indicators]


def header_fields(table: TargetTable) -> tuple:
    h = table.header
    return (h.project_name, h.department, h.unit, h.year, h.total, table.goal)


# --- official xlsx --------------------------------------------------------------------


def test_official_xlsx_layout_read_back_with_openpyxl(tmp_path):
    table = largest_seed_table()
    path = export_table(table, "xlsx", tmp_path / "out.xlsx")
    ws = openpyxl.load_workbook(path).active
    merged = {str(r) for r in ws.merged_cells.ranges}

    assert ws["A1"].value == "2024年项目支出绩效目标表" and "A1:H1" in merged
    assert ws["A2"].value == "(2024年度)" and ws["A3"].value == "单位：万元"
    assert ws["A4"].value == "项目名称" and "A4:B4" in merged and "C4:H4" in merged
    assert ws["C4"].value == table.header.project_name
    assert (ws["D5"].value, ws["E5"].value) == ("实施单位", table.header.unit)
    assert (ws["C6"].value, ws["E6"].value) == ("0101-一年期项目", "1年")
    assert ws["C7"].value == 161 and ws["D7"].value == "其中：年度资金总额"
    assert ws["A8"].value == "其中：本级资金" and "A8:A11" in merged
    assert (ws["B9"].value, ws["C9"].value) == ("其中：财政拨款", 161)
    assert ws["A12"].value == "年度总体绩效目标" and ws["C12"].value == table.goal
    header = [c.value for c in ws[13]]
    assert header == ["一级指标", "二级指标", "三级指标", "指标值", *FORMAL_COLUMNS, "备注"]

    # Every indicator in tree order; 一级 and 二级 merged over exactly their rows.
    r = 14
    for level1, level2s in table.tree().items():
        l1_start = r
        for level2, rows in level2s.items():
            l2_start = r
            for ind in rows:
                assert (ws.cell(r, 3).value, ws.cell(r, 4).value) == (ind.name, ind.value)
                r += 1
            assert ws.cell(l2_start, 2).value == level2
            if r - 1 > l2_start:
                assert f"B{l2_start}:B{r - 1}" in merged
        assert ws.cell(l1_start, 1).value == level1
        assert f"A{l1_start}:A{r - 1}" in merged
    assert r - 14 == len(table.indicators) == 45
    assert ws.max_row == r - 1

    # Look and print set-up.
    assert ws["C14"].font.name == "宋体" and ws["C14"].alignment.wrap_text
    assert ws["A1"].font.bold and ws["A13"].font.bold
    assert ws["B20"].border.left.style == "thin" and ws.cell(r - 1, 8).border.bottom.style == "thin"
    assert ws.column_dimensions["C"].width >= 40
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$13:$13"
    assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"


def test_official_xlsx_keeps_money_digits_and_flags_compound_values(tmp_path):
    path = export_table(carryover_table(), "xlsx", tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(path).active
    total = ws["C7"]
    assert Decimal(repr(total.value)) == Decimal("10.015119")
    assert total.number_format == "0.000000"
    rows = [[c.value for c in ws[r]][2:] for r in range(14, ws.max_row + 1)]
    compound = ["1.调研", "5次, 5天/次, 5人/次", "定性", "5次, 5天/次, 5人/次", None, SPLIT_NOTE]
    assert rows[0] == compound
    assert rows[-1] == ["参与调研人员满意度", "≥95%", "≥", "95", "%", None]


def test_official_xlsx_reads_back_through_the_importer(tmp_path):
    table = carryover_table()
    (back,) = load_file(export_table(table, "xlsx", tmp_path / "t.xlsx"))
    assert indicator_rows(back) == indicator_rows(table)
    assert back.header.funds == table.header.funds
    assert back.header.total.raw == "10.015119"


def test_an_amount_beyond_excels_precision_is_written_as_text(tmp_path):
    table = carryover_table()
    table.header.total = Amount.parse("1234567890.123456789")
    ws = openpyxl.load_workbook(export_table(table, "xlsx", tmp_path / "t.xlsx")).active
    assert ws["C7"].value == "1234567890.123456789"


# --- flat xlsx and CSV ------------------------------------------------------------------


def test_csv_is_utf8_with_bom_in_the_interchange_layout(tmp_path):
    table = carryover_table()
    raw = export_table(table, "csv", tmp_path / "t.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == [*FLAT_COLUMNS, *FORMAL_COLUMNS, "备注"]
    assert len(rows) == 1 + len(table.indicators)
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["项目总额（万元）"] == "10.015119" and first["年度"] == "2024"
    assert first["年度总体绩效目标"] == table.goal
    assert first["备注"] == SPLIT_NOTE and first["计算符号"] == "定性"
    cost = dict(zip(rows[0], rows[3], strict=True))
    assert (cost["计算符号"], cost["度量值"], cost["计量单位"]) == ("＝", "430", "元/天/人")


def test_flat_xlsx_cells_are_exact_text(tmp_path):
    table = carryover_table()
    ws = openpyxl.load_workbook(export_table(table, "flat-xlsx", tmp_path / "t.xlsx")).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0][: len(FLAT_COLUMNS)] == FLAT_COLUMNS
    assert [r[6:10] for r in rows[1:]] == [list(x) for x in indicator_rows(table)]
    assert rows[1][3:5] == ["2024", "10.015119"]


def test_self_evaluation_tables_carry_the_actual_column(tmp_path):
    table = carryover_table()
    table.indicators[0].actual = "5次"
    table.table_type = "self_evaluation"
    rows = list(
        csv.reader(export_table(table, "csv", tmp_path / "t.csv").open(encoding="utf-8-sig"))
    )
    assert "实际完成值" in rows[0]
    (back,) = load_file(tmp_path / "t.csv")
    assert back.indicators[0].actual == "5次" and back.table_type == "self_evaluation"


@pytest.mark.parametrize("fmt", ["csv", "flat-xlsx", "json"])
def test_round_trip_flat_export_then_import_gives_the_same_table(tmp_path, fmt):
    for table in [largest_seed_table(), carryover_table()]:
        path = export_table(table, fmt, tmp_path / default_filename(table, fmt))
        (back,) = load_file(path)
        assert indicator_rows(back) == indicator_rows(table)
        assert header_fields(back) == header_fields(table)
        if fmt == "json":  # the model's own schema loses nothing at all
            assert back.header == table.header


# --- Markdown and JSON -------------------------------------------------------------------


def test_markdown_has_header_goal_and_indicator_table(tmp_path):
    table = carryover_table()
    text = export_table(table, "md", tmp_path / "t.md").read_text(encoding="utf-8")
    assert text.startswith("# 2024年项目支出绩效目标表\n")
    assert "| 项目总额 | 10.015119 万元 |" in text
    assert "| 产出指标 | 数量指标 | 1.调研 | 5次, 5天/次, 5人/次 |" in text
    assert "|  |  | 2.办公设备\\|打印机 | 1台 |" in text  # pipe escaped, levels not repeated
    assert "|  | 成本指标 | 1.调研 | 430元/天/人 |" in text
    assert "按时完成支付。" in text
    indicator_part = text.split("## 绩效指标", 1)[1]
    table_lines = [ln for ln in indicator_part.splitlines() if ln.startswith("|")]
    assert len(table_lines) == 2 + len(table.indicators)


def test_json_is_the_models_schema(tmp_path):
    table = largest_seed_table()
    text = export_table(table, "json", tmp_path / "t.json").read_text(encoding="utf-8")
    assert "电子政务" in text  # not \\u-escaped
    assert TargetTable.model_validate_json(text) == table


# --- file names and writing --------------------------------------------------------------


def test_default_filenames_come_from_the_project_name():
    table = carryover_table()
    assert default_filename(table, "xlsx") == "2023年基本账户结转_绩效目标表.xlsx"
    assert default_filename(table, "flat-xlsx") == "2023年基本账户结转_绩效目标平表.xlsx"
    assert default_filename(table, "csv").endswith("平表.csv")
    assert {default_filename(table, f).rsplit(".", 1)[1] for f in FORMATS} == {
        "xlsx",
        "csv",
        "md",
        "json",
    }


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a/b\\c", "a_b_c"),
        ('项目:<名称>|"甲"?*', "项目_名称_甲"),
        ("  ..项目\t名称.. ", "项目 名称"),
        ("CON", "_CON"),
        ("lpt1.项目", "_lpt1.项目"),
        ("", "未命名项目"),
        ("///", "未命名项目"),
        ("../../etc/passwd", "etc_passwd"),
        ("项目\u202egpj.exe", "项目gpj.exe"),
        ("零\u200b宽", "零宽"),
    ],
)
def test_unsafe_characters_are_replaced(name, expected):
    assert safe_stem(name) == expected


def test_long_names_are_cut_on_a_character_boundary():
    table = carryover_table()
    table.header.project_name = "很长的项目名称" * 40
    name = default_filename(table, "xlsx")
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert name.endswith(".xlsx") and name.startswith("很长的项目名称")
    name.encode("utf-8").decode("utf-8")  # no broken character


def test_existing_file_is_never_overwritten_without_force(tmp_path):
    table = carryover_table()
    target = tmp_path / "t.md"
    target.write_text("我的笔记", encoding="utf-8")
    with pytest.raises(JixiaoError, match="已存在.*--force") as info:
        export_table(table, "md", target)
    assert str(target) in str(info.value)
    assert target.read_text(encoding="utf-8") == "我的笔记"
    export_table(table, "md", target, force=True)
    assert target.read_text(encoding="utf-8").startswith("# 2024年")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.md"]  # no temp files left


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_exports_get_ordinary_file_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        path = export_table(carryover_table(), "csv", tmp_path / "t.csv")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644


def test_a_failed_export_leaves_nothing_behind(tmp_path, monkeypatch):
    import assistant.export.official as official

    def broken_save(table, path):
        Path(path).write_bytes(b"PK half a workbook")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(official, "write_official_xlsx", broken_save)
    with pytest.raises(JixiaoError, match="无法写入"):
        export_table(carryover_table(), "xlsx", tmp_path / "t.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_output_path_accepts_a_folder_or_a_file(tmp_path):
    table = carryover_table()
    assert output_path(table, "csv", tmp_path) == tmp_path / default_filename(table, "csv")
    assert output_path(table, "csv", tmp_path / "x.csv") == tmp_path / "x.csv"
    missing = tmp_path / "nope" / "x.csv"
    with pytest.raises(JixiaoError, match="输出目录不存在"):
        export_table(table, "csv", missing)


def test_unknown_format_is_a_clear_error(tmp_path):
    with pytest.raises(JixiaoError, match="不支持的导出格式"):
        export_table(carryover_table(), "pdf", tmp_path / "t.pdf")
