"""Every input format and encoding gives the same tables; load_file never writes."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from assistant import config
from assistant.flat_table import FLAT_COLUMNS, FORMAL_COLUMNS
from assistant.importers import load_file, read_file
from assistant.importers.flat import HEADER_ALIASES, header_key
from assistant.model import TargetTable

CHECKOUT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
SEED = CHECKOUT / "corpus" / "raw" / "000_4da5520f21e577ee.txt"
VARIANT = DATA / "seed" / "variant_drift_gbk.txt"

HEADER = ",".join(FLAT_COLUMNS)
ROWS = [
    "信创项目,自治区乡村振兴局,监测评估中心,2024,6,采购信创设备,产出指标,数量指标,信创非密打印机,5台",
    "信创项目,自治区乡村振兴局,监测评估中心,2024,6,采购信创设备,产出指标,质量指标,采购设备合格率,100%",
    "信创项目,自治区乡村振兴局,监测评估中心,2024,6,采购信创设备,效益指标,生态效益,0,0",
    "信创项目,自治区乡村振兴局,监测评估中心,2024,6,采购信创设备,满意度指标,满意度,使用人员满意度,≥95%",
    "培训项目,自治区乡村振兴局,监测评估中心,2024,159,举办培训,产出指标,产出数量,1.培训班,10期",
]
CSV_TEXT = "\n".join([HEADER, *ROWS]) + "\n"


def _summary(tables: list[TargetTable]) -> list[tuple]:
    return [
        (
            t.header.project_name,
            t.header.total.value,
            t.header.year,
            [(i.level1, i.level2, i.name, i.value, i.provenance.line) for i in t.indicators],
        )
        for t in tables
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_flat_csv_in_every_office_encoding(tmp_path, encoding):
    path = tmp_path / "flat.csv"
    path.write_bytes(CSV_TEXT.replace("\n", "\r\n").encode(encoding))
    tables = load_file(path)
    assert _summary(tables) == [
        (
            "信创项目",
            Decimal("6"),
            2024,
            [
                ("产出指标", "数量指标", "信创非密打印机", "5台", 2),
                ("产出指标", "质量指标", "采购设备合格率", "100%", 3),
                ("满意度指标", "服务对象满意度", "使用人员满意度", "≥95%", 5),
            ],
        ),
        ("培训项目", Decimal("159"), 2024, [("产出指标", "数量指标", "1.培训班", "10期", 6)]),
    ]
    first = tables[0]
    assert first.indicators[0].provenance.source == str(path)
    assert first.indicators[0].provenance.unit == "监测评估中心"
    assert any("生态效益" in n and "不适用" in n for n in first.notes)


def test_header_variants_and_formal_columns(tmp_path):
    path = tmp_path / "variants.csv"
    path.write_text(
        "项目名称,年份,项目总额(万元),一级,二级,指标名称,目标值,计算符号,度量值,计量单位\n"
        "甲,2024年,10.015119,产出指标,数量指标,缴纳社会保险金额,100151.19元,＝,100151.19,元\n"
        "甲,2024年,10.015119,,质量指标,足额缴纳率,,≥,95,%\n"
        "甲,2024年,10.015119,,社会效益指标,足额缴纳,,定性,有利于,\n",
        encoding="gb18030",
    )
    (table,) = load_file(path)
    assert table.header.total.value == Decimal("10.015119")
    assert [(i.level1, i.level2, i.value) for i in table.indicators] == [
        ("产出指标", "数量指标", "100151.19元"),
        ("产出指标", "质量指标", "≥95%"),
        ("效益指标", "社会效益", "有利于"),
    ]


def test_header_aliases_cover_the_canonical_names():
    for col in FLAT_COLUMNS + FORMAL_COLUMNS:
        assert HEADER_ALIASES[header_key(col)] == col
    assert HEADER_ALIASES[header_key("项目总额（万元）")] == "项目总额（万元）"
    assert HEADER_ALIASES[header_key("总额(万元)")] == "项目总额（万元）"
    assert HEADER_ALIASES[header_key("三级指标名称")] == "三级指标"


def test_tab_separated_flat_text(tmp_path):
    path = tmp_path / "flat.txt"
    path.write_text(CSV_TEXT.replace(",", "\t"), encoding="utf-8")
    result = read_file(path)
    assert result.format == "csv"
    assert sum(len(t.indicators) for t in result.tables) == 4


def test_flat_xlsx_with_numbers_and_percent_cells(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["说明：由单位填报"])  # a note above the header is skipped
    ws.append(FLAT_COLUMNS)
    ws.append(
        ["信创项目", "局", "中心", 2024, 6.0, "采购", "产出指标", "数量指标", "打印机", "5台"]
    )
    ws.append(["信创项目", "局", "中心", 2024, 6.0, "采购", "产出指标", "质量指标", "合格率", 1])
    ws.cell(row=4, column=10).number_format = "0%"
    path = tmp_path / "flat.xlsx"
    wb.save(path)
    (table,) = load_file(path)
    assert table.header.total.raw == "6" and table.header.year == 2024
    assert [(i.value, i.provenance.line) for i in table.indicators] == [("5台", 3), ("100%", 4)]


def test_xlsx_laid_out_like_the_published_form(tmp_path):
    """A sheet holding the seed's cells row by row goes through the text-layout parser."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for line in SEED.read_text(encoding="utf-8").splitlines():
        ws.append(line.split("\t") if line else [""])
    path = tmp_path / "official.xlsx"
    wb.save(path)
    tables = load_file(path)
    assert len(tables) == 6
    assert sum(len(t.indicators) for t in tables) == 131
    assert tables[5].header.total.value == Decimal("10.015119")
    assert tables[2].indicators[0].provenance.line == 116


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "utf-16"])
def test_seed_in_other_encodings(tmp_path, encoding):
    path = tmp_path / "seed.txt"
    path.write_bytes(SEED.read_text(encoding="utf-8").encode(encoding))
    tables = load_file(path)
    assert sum(len(t.indicators) for t in tables) == 131


def test_json_roundtrip_of_the_models_own_schema(tmp_path):
    tables = load_file(SEED)
    single = tmp_path / "one.json"
    single.write_text(tables[4].model_dump_json(), encoding="utf-8")
    assert load_file(single) == [tables[4]]
    many = tmp_path / "many.json"
    many.write_text(json.dumps([t.model_dump(mode="json") for t in tables]), encoding="utf-8")
    assert load_file(many) == tables
    shipped = CHECKOUT / "corpus" / "seed_ningxia_2024.json"
    assert [t.content_key() for t in load_file(shipped)] == [t.content_key() for t in tables]


def test_json_without_provenance_gets_the_file(tmp_path):
    path = tmp_path / "bare.json"
    path.write_text(
        json.dumps(
            {
                "header": {"project_name": "甲", "year": 2024, "total": {"value": "6", "raw": "6"}},
                "indicators": [
                    {"level1": "产出指标", "level2": "数量指标", "name": "打印机", "value": "5台"}
                ],
            },
            ensure_ascii=False,
        ),
        encoding="gbk",
    )
    (table,) = load_file(path)
    assert table.indicators[0].provenance.source == str(path)
    assert table.indicators[0].provenance.year == 2024


def test_precedent_record_json_is_converted():
    path = (
        CHECKOUT
        / "corpus"
        / "raw"
        / "precedents"
        / "033_huangshi_sanzhong_xiaoyuanweixiu_2023.json"
    )
    (table,) = load_file(path)
    assert table.table_type == "self_evaluation"
    assert table.header.total.value == Decimal("800")
    assert table.provenance.source == "http://hssz.hssedu.cn/info/1230/4301.htm"
    satisfaction = [i for i in table.indicators if i.level1 == "满意度指标"]
    assert {i.level2 for i in satisfaction} == {"服务对象满意度"}  # 具体指标 mapped, with a note
    assert any("具体指标" in n for n in table.notes)
    assert all(i.actual for i in table.indicators)


def test_the_gbk_variant_with_other_drift():
    result = read_file(VARIANT)
    assert result.encoding in ("gb18030", "gbk")
    first, second = result.tables
    assert first.header.year == 2025 and first.header.total.value == Decimal("20.5")
    assert first.header.funds.fiscal.value == Decimal("20")
    assert first.header.funds.other.value == Decimal("0.5")
    assert first.goal == "拟对全区脱贫人口稳岗就业进行调研、督导、检查；购买办公设备。"
    rows = [(i.provenance.line, i.level2, i.name, i.value) for i in first.indicators]
    assert rows[:3] == [  # label printed on the third row of its group, first-level label on row 2
        (
            16,
            "数量指标",
            "1.对脱贫人口稳岗就业进行调研, 督导和检查及数据采集监测",
            "5次, 5天/次, 5人/次",
        ),
        (17, "数量指标", "2.对全区就业帮扶车间建设管理调研、检查", "5次, 5天/次, 4人/次"),
        (18, "数量指标", "3.防返贫监测督导、检查、调研", "6次, 5天/次, 5人/次"),
    ]
    by_line = {r[0]: r for r in rows}
    assert by_line[23][2:] == (
        "1.对脱贫人口稳岗就业进行调研, 督导和检查及数据采集监测",
        "430元/天/人",
    )
    assert by_line[25][2:] == ("2.对全区就业帮扶车间建设管理调研、检查", "430元/天/人")
    assert by_line[28][2:] == ("4.调研租车费（按实际发生结算）", "1480.75元/次")
    assert by_line[22][1] == "时效指标" and by_line[21][1] == "质量指标"
    assert by_line[34][1] == "可持续影响"  # restarted numbering, label on the next row
    assert first.indicators[-1].level2 == "服务对象满意度"
    assert len(first.indicators) == 16
    assert [i.level2 for i in second.indicators] == [
        "数量指标", "质量指标", "时效指标", "成本指标", "社会效益", "服务对象满意度",
    ]  # fmt: skip
    assert second.header.unit == "宁夏回族自治区乡村振兴监测评估中心"


def test_load_file_writes_nothing():
    load_file(SEED)
    load_file(VARIANT)
    assert list(config.user_corpus_dir().iterdir()) == []


def test_text_table_with_formal_columns_keeps_a_full_value(tmp_path):
    path = tmp_path / "formal.txt"
    path.write_text(
        "项目名称\t甲项目\n"
        "一级指标\t二级指标\t三级指标\t指标值\t计算符号\t度量值\t计量单位\n"
        "满意度指标\t服务对象满意度\t用户满意度\t≥95%\t≥\t95\t%\n"
        "产出指标\t数量指标\t打印机\t5\t＝\t5\t台\n",
        encoding="utf-8",
    )
    (table,) = load_file(path)
    assert [i.value for i in table.indicators] == ["≥95%", "5"]


def test_big5_text_is_not_mistaken_for_gb18030():
    from assistant.importers.encoding import decode_bytes

    text = "項目名稱\t普通高中國家助學金\n三級指標\t資助標準100%達標\n"
    assert decode_bytes(text.encode("big5"), "x.txt") == (text, "big5")
    assert decode_bytes(text.encode("gb18030"), "x.txt") == (text, "gb18030")
