"""How a precedent's origin reads: every field once, in Chinese, nothing repeated."""

from __future__ import annotations

from assistant.model import Provenance
from assistant.provenance_text import full_source, labelled_line, line_source

SAME = Provenance(
    source="http://qjzhf.gov.cn/x",
    project="寨山石坪果园路",
    unit="清涧县交通运输局",
    department="清涧县交通运输局",
    year=2021,
)
CODED = Provenance(
    source="https://wlt.huaibei.gov.cn/y",
    project="农村文化建设配套补助经费",
    unit="淮北市文化旅游体育局",
    department="[077]淮北市文化旅游体育局",
    year=2025,
)
OTHER = Provenance(source="s", project="p", unit="县公路段", department="县交通局", year=2020)


def test_a_department_that_is_the_unit_is_not_said_twice():
    for prov in (SAME, CODED):
        assert line_source(prov).count(prov.unit) == 1
        assert "主管部门" not in full_source(prov)
        assert f"单位：{prov.unit}；部门：同单位" in labelled_line(prov)


def test_a_different_department_is_shown():
    assert "县公路段，县交通局" in line_source(OTHER)
    assert "主管部门：县交通局" in full_source(OTHER)
    assert "部门：县交通局" in labelled_line(OTHER)
    assert "部门：—" in labelled_line(Provenance(source="s", unit="某局"))
