"""The precedents' raw page texts (other provinces, varied layouts): what the text-layout
importer recovers is checked against the hand-made records; what it cannot read is refused
with a clear message rather than guessed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.errors import JixiaoError
from assistant.importers import load_file

RAW = Path(__file__).resolve().parents[1] / "corpus" / "raw" / "precedents"

READABLE = {  # file prefix → project whose rows must all match the record
    "001": "主体班",
    "003": "特困家庭再扶助(独生子女死亡再扶助)",
    "009": "2018年南岳镇资产收益扶贫项目",
    "021": "办案业务费(陪审员及互联网专线)",
    "025": "南华县乡村振兴示范园罗家屯社区野生菌加工车间建设项目(续建)",
    "029": "物业管理",
}
UNREADABLE = ["002", "005", "007", "011", "013", "015", "017", "019", "023", "027", "031", "033"]


def _files(prefix: str) -> tuple[Path, dict]:
    (txt,) = RAW.glob(f"{prefix}_*.txt")
    return txt, json.loads(txt.with_suffix(".json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("prefix", sorted(READABLE))
def test_readable_layouts_match_the_records(prefix):
    txt, rec = _files(prefix)
    tables = load_file(txt)
    (table,) = [t for t in tables if t.header.project_name == READABLE[prefix]]
    got = {(i.name, i.value) for i in table.indicators}
    want = {(r["level3"], r["value"]) for r in rec["indicators"]}
    assert got == want
    assert len(table.indicators) == len(rec["indicators"])
    for ind in table.indicators:
        assert ind.provenance.source == str(txt) and ind.provenance.line


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
