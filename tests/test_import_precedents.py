"""The precedents' raw page texts (other provinces, varied layouts): what the text-layout
importer recovers is checked against the hand-made records; what it cannot read is refused
with a clear message rather than guessed."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.errors import JixiaoError
from assistant.importers import load_file
from assistant.importers.text_layout import L2_NAMES, SINGLE_CHILD
from assistant.model import normalize_levels

RAW = Path(__file__).resolve().parents[1] / "corpus" / "raw" / "precedents"

READABLE = {  # file prefix → project whose rows must all match the record
    "001": "主体班",
    "002": "雾炮车降尘抑尘服务",
    "013": "食品监管补助资金",
    "015": "古昌镇大青冈村乡村振兴绿化美化项目",
    "027": "2025金安国际网球公开赛(国际系列赛事)",
    "033": "校园维修改造及设备购置",
    "003": "特困家庭再扶助(独生子女死亡再扶助)",
    "009": "2018年南岳镇资产收益扶贫项目",
    "021": "办案业务费(陪审员及互联网专线)",
    "025": "南华县乡村振兴示范园罗家屯社区野生菌加工车间建设项目(续建)",
    "029": "物业管理",
    "023": "业务装备经费",
}
UNREADABLE = ["005", "007", "011", "017", "019", "031"]


def _levels(rec: dict) -> tuple[str, str]:
    level1, level2 = normalize_levels(rec["level1"], rec["level2"])
    return level1, (level2 if level2 in L2_NAMES else SINGLE_CHILD.get(level1, level2))


def _files(prefix: str) -> tuple[Path, dict]:
    (txt,) = RAW.glob(f"{prefix}_*.txt")
    return txt, json.loads(txt.with_suffix(".json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("prefix", sorted(READABLE))
def test_readable_layouts_match_the_records(prefix):
    txt, rec = _files(prefix)
    tables = load_file(txt)
    (table,) = [t for t in tables if t.header.project_name == READABLE[prefix]]
    got = {(i.level1, i.level2, i.name, i.value, i.actual) for i in table.indicators}
    want = {(*_levels(r), r["level3"], r["value"], r.get("actual")) for r in rec["indicators"]}
    assert got == want
    assert len(table.indicators) == len(rec["indicators"])
    for ind in table.indicators:
        assert ind.provenance.source == str(txt) and ind.provenance.line


def test_one_cell_per_line_pages_are_regrouped():
    txt, _ = _files("015")  # pipes, one cell per line, formal 计量单位/指标性质/指标值 columns
    (table,) = load_file(txt)
    assert [(i.name, i.value) for i in table.indicators] == [
        ("绿化美化公路", "=3500米"),
        ("购买发放李子苗", "=15000株"),
        ("树木成活率", "≥85%"),
    ]
    assert table.header.total.value == Decimal("153.5184")
    txt, _ = _files("033")  # no separators at all, a blank line between cells, self-evaluation
    (table,) = load_file(txt)
    assert table.table_type == "self_evaluation" and table.goal == ""
    assert table.header.total.raw == "800万元"
    lines = txt.read_text(encoding="utf-8").splitlines()
    assert all(lines[i.provenance.line - 1].strip() == i.name for i in table.indicators)


def test_pipe_table_with_repeated_levels():
    txt, _ = _files("001")
    (table,) = load_file(txt)
    assert table.header.unit == "中共黄石市委党校"
    assert table.header.year == 2022
    levels = [(i.level2, i.name) for i in table.indicators]
    assert ("数量指标", "开设课程数量") in levels  # "产出指标" printed beside it, mid-group
    assert table.indicators[-1].level1 == "满意度指标"


@pytest.mark.parametrize("prefix", UNREADABLE)
def test_unreadable_layouts_are_refused_clearly(prefix):
    txt, _ = _files(prefix)
    with pytest.raises(JixiaoError) as err:
        load_file(txt)
    assert str(err.value).startswith(f"{txt}：没有找到可识别的绩效目标表")


def test_refusals_say_why():
    with pytest.raises(JixiaoError, match="第3行有指标表头，但没有单独成格的“项目名称”"):
        load_file(_files("019")[0])
    with pytest.raises(JixiaoError, match="第22行.*单元格之间没有分隔符"):
        load_file(_files("031")[0])
    with pytest.raises(JixiaoError, match="第3行把整张表印成了一行"):
        load_file(_files("005")[0])


def test_one_row_per_project_layout_with_formal_columns():
    txt, _ = _files("023")  # 项目名称 … 一级指标 … 指标性质 指标方向 目标值 计量单位 分值, 单位:元
    first, second = load_file(txt)
    assert first.header.unit == "776001-扎赉特旗人民检察院"
    assert first.header.total.value == Decimal("103.07")  # 1,030,700.00 元
    assert first.goal.startswith("保障我院日常办公办案装备需要")
    assert [(i.value, i.weight) for i in first.indicators[:2]] == [
        ("正向 大于等于 98 %", "10"),
        ("定性 长期", "15"),  # 定性 / 长期 / 15 printed on three lines
    ]
    assert second.header.project_name == "办案(业务)经费" and len(second.indicators) == 4
    assert any("一审案件改" in n for n in second.notes)  # the cut-off row is named, not taken
