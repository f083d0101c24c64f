"""The table model: level-name variants, row numbers, amounts, frameworks."""

from decimal import Decimal

import pytest

from assistant.model import (
    Amount,
    Header,
    Indicator,
    TargetTable,
    normalize_levels,
    split_number,
)


@pytest.mark.parametrize(
    ("l1", "l2", "expected"),
    [
        ("效益指标", "经济效益指标", ("效益指标", "经济效益")),
        ("满意度指标", "服务对象满意度指标", ("满意度指标", "服务对象满意度")),
        ("产出指标", "产出数量", ("产出指标", "数量指标")),
        ("效益指标", "满意度", ("满意度指标", "服务对象满意度")),
        ("项目完成指标", "成本指标", ("产出指标", "成本指标")),
        ("成本指标", "经济成本指标", ("成本指标", "经济成本指标")),
        ("成本指标", "成本指标", ("成本指标", "成本指标")),
        ("效 益 指 标", "社会效益", ("效益指标", "社会效益")),
    ],
)
def test_level_variants_normalise(l1, l2, expected):
    assert normalize_levels(l1, l2) == expected


@pytest.mark.parametrize(
    ("name", "number", "rest"),
    [
        ("1.对脱贫人口稳岗就业进行调研", 1, "对脱贫人口稳岗就业进行调研"),
        ("10.师资费", 10, "师资费"),
        ("4.2024年涉农资金统筹整合培训班", 4, "2024年涉农资金统筹整合培训班"),
        ("（3）测评报告通过率", 3, "测评报告通过率"),
        ("2、服务达标率", 2, "服务达标率"),
        ("1.5万元以上设备", None, "1.5万元以上设备"),
        ("信创非密打印机", None, "信创非密打印机"),
    ],
)
def test_split_number(name, number, rest):
    assert split_number(name) == (number, rest)


def test_amount_keeps_raw_and_decimal():
    a = Amount.parse("10.015119")
    assert a.value == Decimal("10.015119") and a.raw == "10.015119"
    assert Amount.parse("1,590,000元").value == Decimal("1590000")
    assert Amount.parse("") is None and Amount.parse("约二十") is None


def test_framework_follows_first_level_cost():
    old = TargetTable(
        header=Header(project_name="x"),
        indicators=[Indicator(level1="产出指标", level2="成本指标", name="a", value="1元")],
    )
    new = TargetTable(
        header=Header(project_name="x"),
        indicators=[Indicator(level1="成本指标", level2="经济成本指标", name="a", value="1元")],
    )
    assert old.framework == "pre2021" and new.framework == "2021"
    assert list(new.tree()) == ["成本指标"]


def test_content_key_ignores_provenance():
    a = TargetTable(header=Header(project_name="x"), goal="g")
    b = a.model_copy(update={"provenance": None, "notes": ["imported"]})
    assert a.content_key() == b.content_key()
    c = a.model_copy(update={"goal": "other"})
    assert a.content_key() != c.content_key()
