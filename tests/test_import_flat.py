"""The flat CSV/XLSX: a value-less row imports with a warning, template level names are
normalised, one second level keeps one first level, and 年度资金总额 round-trips."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.errors import JixiaoError
from assistant.export import export_table
from assistant.importers import load_file
from assistant.model import Amount, Header, Indicator, TargetTable

HEAD = "项目名称,实施单位,年度,项目总额（万元）,一级指标,二级指标,三级指标,指标值\n"


def _csv(tmp_path, body: str):
    path = tmp_path / "flat.csv"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def test_a_row_without_value_imports_with_a_warning(tmp_path):
    path = _csv(
        tmp_path,
        "道路养护,县公路段,2024,120,产出指标,数量指标,养护里程,≥50公里\n"
        "道路养护,县公路段,2024,120,产出指标,质量指标,养护合格率,\n",
    )
    (table,) = load_file(path)
    assert [(i.name, i.value) for i in table.indicators] == [
        ("养护里程", "≥50公里"),
        ("养护合格率", ""),
    ]
    assert table.notes == ["第3行“养护合格率”没有指标值，已导入为空值，审核时会提示补填"]


def test_template_level_names_are_normalised(tmp_path):
    rows = [
        ("产出指标", "数量指标(或建筑规模指标)", "新建道路", "10公里"),
        ("产出指标", "时效指标(工期指标、形象进度指标)", "完工时间", "2024年底前"),
        ("产出指标", "预算(或投资规模)控制指标", "总投资", "≤1200万元"),
        ("效果指标", "社会、经济、生态效益 指标", "通行条件", "明显改善"),
        ("效果指标", "可持续性发展影响指标", "使用年限", "≥15年"),
        ("满意度指标", "服务对象或受益者满意度指标", "群众满意度", "≥90%"),
        ("产出指标", "质量指标（必填）", "验收合格率", "100%"),
    ]
    body = "".join(f"道路,交通局,2024,1200,{','.join(r)}\n" for r in rows)
    (table,) = load_file(_csv(tmp_path, body))
    assert [(i.level1, i.level2) for i in table.indicators] == [
        ("产出指标", "数量指标"),
        ("产出指标", "时效指标"),
        ("产出指标", "成本指标"),
        ("效益指标", "社会效益"),
        ("效益指标", "可持续影响"),
        ("满意度指标", "服务对象满意度"),
        ("产出指标", "质量指标"),
    ]


def test_first_level_follows_the_second_for_every_sibling(tmp_path):
    path = _csv(
        tmp_path,
        "甲,乙,2024,10,成本指标,成本指标,设备购置成本,≤10万元\n"
        "甲,乙,2024,10,产出指标,成本指标,运维成本,≤2万元\n"
        "甲,乙,2024,10,,社会效益指标,服务能力,提升\n"
        "甲,乙,2024,10,效益,社会效益,覆盖人群,≥1000人\n",
    )
    (table,) = load_file(path)
    assert [(i.level1, i.level2) for i in table.indicators] == [
        ("成本指标", "成本指标"),
        ("成本指标", "成本指标"),
        ("效益指标", "社会效益"),
        ("效益指标", "社会效益"),
    ]


def test_an_unknown_second_level_is_refused_with_its_line(tmp_path):
    path = _csv(tmp_path, "甲,乙,2024,10,产出指标,培训指标,培训人次,100\n")
    with pytest.raises(JixiaoError, match="第2行：二级指标“培训指标”不是指标框架中的名称"):
        load_file(path)


def _multi_year() -> TargetTable:
    header = Header(
        project_name="三年道路改造",
        unit="县交通局",
        year=2024,
        total=Amount.parse("3000"),
        annual_total=Amount.parse("1000.5"),
    )
    rows = [
        Indicator(level1="产出指标", level2="数量指标", name="改造道路", value="≥10公里"),
        Indicator(level1="满意度指标", level2="服务对象满意度", name="群众满意度", value="≥90%"),
    ]
    return TargetTable(header=header, goal="完成年度改造任务", indicators=rows)


@pytest.mark.parametrize("fmt", ["csv", "flat-xlsx"])
def test_multi_year_draft_round_trips_through_the_flat_layout(tmp_path, fmt):
    table = _multi_year()
    path = export_table(table, fmt, tmp_path / f"out.{'csv' if fmt == 'csv' else 'xlsx'}")
    (back,) = load_file(path)
    assert back.header.total.value == Decimal("3000")
    assert back.header.annual_total.value == Decimal("1000.5")
    assert back.header.annual_total.raw == "1000.5"
    assert [(i.level2, i.name, i.value) for i in back.indicators] == [
        (i.level2, i.name, i.value) for i in table.indicators
    ]


def test_one_year_draft_keeps_the_plain_flat_columns(tmp_path):
    table = _multi_year()
    table.header.annual_total = Amount.parse("3000")
    path = export_table(table, "csv", tmp_path / "out.csv")
    assert "年度资金总额" not in path.read_text(encoding="utf-8-sig").splitlines()[0]


def test_a_flat_row_whose_value_is_a_level_name_is_refused_with_its_line(tmp_path):
    path = _csv(
        tmp_path,
        "甲,乙,2024,10,产出指标,数量指标,培训人次,100人次\n"
        "甲,乙,2024,10,产出指标,质量指标,结业率,质量指标\n",
    )
    with pytest.raises(
        JixiaoError, match="第3行：指标值“质量指标”是指标层级名称，这一行的各列可能错位"
    ):
        load_file(path)
