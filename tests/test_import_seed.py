"""The seed (six real 2024 tables from 宁夏) read by the text-layout importer, table by table."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from assistant.importers import load_file
from assistant.model import L1_BENEFIT, L1_OUTPUT, L1_SATISFACTION

CHECKOUT = Path(__file__).resolve().parents[1]
SEED = CHECKOUT / "corpus" / "raw" / "000_4da5520f21e577ee.txt"

# project name, total (万元), indicators, {level2: count}
EXPECTED = [
    ("2024年乡村振兴监测评估工作经费", "20", 18,
     {"数量指标": 6, "质量指标": 1, "时效指标": 1, "成本指标": 6, "经济效益": 1, "社会效益": 1,
      "可持续影响": 1, "服务对象满意度": 1}),
    ("2024年巩固拓展脱贫攻坚成果同乡村振兴有效衔接培训项目", "159", 28,
     {"数量指标": 11, "质量指标": 1, "时效指标": 1, "成本指标": 11, "经济效益": 1, "社会效益": 1,
      "可持续影响": 1, "服务对象满意度": 1}),
    ("2024年监测评估中心电子政务运行维护和网络安全服务费", "161", 45,
     {"数量指标": 5, "质量指标": 5, "时效指标": 5, "成本指标": 5, "经济效益": 5, "社会效益": 5,
      "生态效益": 5, "可持续影响": 5, "服务对象满意度": 5}),
    ("2024年度巩固脱贫攻坚成果数据挖掘分析咨询服务项目", "30", 24,
     {"数量指标": 5, "质量指标": 5, "时效指标": 5, "成本指标": 5, "经济效益": 1, "社会效益": 1,
      "可持续影响": 1, "服务对象满意度": 1}),
    ("2024年监测评估中心信创项目", "6", 9,
     {"数量指标": 2, "质量指标": 1, "时效指标": 1, "成本指标": 2, "社会效益": 1,
      "可持续影响": 1, "服务对象满意度": 1}),
    ("2023年基本账户结转", "10.015119", 7,
     {"数量指标": 1, "质量指标": 1, "时效指标": 1, "成本指标": 1, "社会效益": 1,
      "可持续影响": 1, "服务对象满意度": 1}),
]  # fmt: skip


@pytest.fixture(scope="module")
def tables():
    return load_file(SEED)


def _counts(table) -> dict[str, int]:
    out: dict[str, int] = {}
    for ind in table.indicators:
        out[ind.level2] = out.get(ind.level2, 0) + 1
    return out


def test_six_projects_131_indicators(tables):
    assert len(tables) == 6
    assert sum(len(t.indicators) for t in tables) == 131


@pytest.mark.parametrize("index", range(6))
def test_each_table(tables, index):
    name, total, count, per_level2 = EXPECTED[index]
    table = tables[index]
    h = table.header
    assert h.project_name == name
    assert h.total.value == Decimal(total) and h.total.raw == total
    assert h.annual_total.value == Decimal(total)
    assert h.funds.fiscal.value == Decimal(total)
    assert h.year == 2024
    assert h.department == "自治区乡村振兴局"
    assert h.unit == "宁夏回族自治区乡村振兴监测评估中心"
    assert h.attribute == "0101-一年期项目" and h.period == "1年"
    assert table.goal
    assert len(table.indicators) == count
    assert _counts(table) == per_level2
    for ind in table.indicators:
        prov = ind.provenance
        assert prov.source == str(SEED) and prov.line and prov.project == name
        assert prov.year == 2024 and prov.unit == h.unit and prov.department == h.department


def test_totals_are_decimal_exactly(tables):
    totals = [t.header.total.value for t in tables]
    assert totals == [Decimal(x) for x in ("20", "159", "161", "30", "6", "10.015119")]
    assert sum(totals) == Decimal("386.015119")


def test_source_lines_point_at_the_row():
    tables = load_file(SEED)
    lines = SEED.read_text(encoding="utf-8").splitlines()
    for table in tables:
        for ind in table.indicators:
            text = lines[ind.provenance.line - 1]
            assert ind.name in text and ind.value in text


def test_placeholders_are_not_indicators(tables):
    assert all(i.name != "0" and i.value != "0" for t in tables for i in t.indicators)
    assert any("生态效益：0 / 0" in n for n in tables[0].notes)
    assert sum("经济效益：0 / 0" in n for t in tables for n in t.notes) == 2


def test_drifting_labels_of_the_third_project(tables):
    """效益指标 printed in the 二级 column; two 生态效益 rows printed before their label."""
    rows = {i.provenance.line: i for i in tables[2].indicators}
    assert (rows[137].level1, rows[137].level2) == (L1_BENEFIT, "经济效益")
    assert rows[140].level2 == "经济效益" and rows[140].value == "优"
    assert rows[142].level2 == "社会效益" and rows[142].value == "良"
    assert [rows[n].level2 for n in (147, 148, 150)] == ["生态效益"] * 3
    assert rows[147].name.startswith("1.减少纸质印刷")
    assert (rows[130].level2, rows[130].value) == ("时效指标", "100%")


def test_first_level_label_in_the_second_level_column_of_the_fourth(tables):
    """产出指标 repeated on the first 时效 rows; the 时效指标 label comes on row 3."""
    rows = {i.provenance.line: i for i in tables[3].indicators}
    assert (rows[190].level1, rows[190].level2) == (L1_OUTPUT, "时效指标")
    assert rows[191].level2 == "时效指标" and rows[193].level2 == "时效指标"
    assert rows[190].name == "1.按期完成率（每季度末提交）"


def test_shifted_rows_of_the_training_project(tables):
    rows = {i.provenance.line: i for i in tables[1].indicators}
    assert (rows[81].level2, rows[81].name, rows[81].value) == (
        "时效指标",
        "资金使用时间",
        "2024年12月15日前",
    )
    assert rows[87].level2 == "成本指标" and rows[87].value == "550元/人/天"
    assert rows[98].level1 == L1_SATISFACTION


def test_names_keep_their_number_prefix(tables):
    first = tables[0].indicators[0]
    assert first.name == "1.对脱贫人口稳岗就业进行调研, 督导和检查及数据采集监测"
    assert first.number == 1
    assert tables[4].indicators[5].name.startswith("信创非密计算机")  # unnumbered, row 228


def test_sixth_project_rows(tables):
    last = tables[5]
    assert [i.provenance.line for i in last.indicators] == [251, 252, 253, 254, 256, 258, 259]
