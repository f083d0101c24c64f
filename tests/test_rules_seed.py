"""The reviewer on the six seed tables (corpus/seed_ningxia_2024.json): every table's money
reconciles exactly, the two real inconsistencies are caught, nothing is a false error; and
changing one unit cost or count gives an error with the exact gap."""

from __future__ import annotations

import json
import time
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.model import Amount, TargetTable
from assistant.rules import PrecedentStats, validate

SEED = Path(__file__).resolve().parents[1] / "corpus" / "seed_ningxia_2024.json"

MONITORING = "2024年乡村振兴监测评估工作经费"
TRAINING = "2024年巩固拓展脱贫攻坚成果同乡村振兴有效衔接培训项目"
EGOV = "2024年监测评估中心电子政务运行维护和网络安全服务费"
DATA = "2024年度巩固脱贫攻坚成果数据挖掘分析咨询服务项目"
XINCHUANG = "2024年监测评估中心信创项目"
CARRYOVER = "2023年基本账户结转"


@pytest.fixture(scope="module")
def seed() -> dict[str, TargetTable]:
    doc = json.loads(SEED.read_text(encoding="utf-8"))
    tables = [TargetTable.model_validate(t) for t in doc["tables"]]
    return {t.header.project_name: t for t in tables}


def fresh(seed: dict[str, TargetTable], project: str) -> TargetTable:
    return seed[project].model_copy(deep=True)


def row_index(table: TargetTable, level2: str, name_start: str) -> int:
    (i,) = [
        k
        for k, ind in enumerate(table.indicators)
        if ind.level2 == level2 and ind.name.startswith(name_start)
    ]
    return i


@pytest.mark.parametrize(
    ("project", "total", "lines"),
    [
        (MONITORING, "200000", 6),
        (TRAINING, "1590000", 11),
        (EGOV, "1610000", 5),
        (DATA, "300000", 5),
        (XINCHUANG, "60000", 2),
        (CARRYOVER, "100151.19", 1),
    ],
)
def test_each_seed_table_reconciles_exactly_with_no_error(seed, project, total, lines):
    report = validate(seed[project])
    assert not report.has_errors, [f.message for f in report.errors]
    b = report.breakdown
    assert b.balanced and b.sum_yuan == b.total_yuan == total
    assert b.gap_yuan == "0" and b.gap_wan == "0"
    assert len(b.lines) == lines and all(ln.quantity_row is not None for ln in b.lines)
    assert sum(Decimal(ln.product) for ln in b.lines) == Decimal(total)


def test_monitoring_multiplies_compound_quantities(seed):
    t = seed[MONITORING]
    b = validate(t).breakdown
    first = b.lines[0]
    assert first.factors == ["5次", "5天/次", "5人/次"] and first.unit_cost == "430元/天/人"
    assert first.product == str(5 * 5 * 5 * 430)
    rent = b.lines[3]
    assert rent.factors == ["16次"] and rent.product == "23692"  # 16 × 1480.75 exactly
    assert [ln.product for ln in b.lines] == ["53750", "43000", "64500", "23692", "12058", "3000"]


def test_training_goal_count_and_unequal_classes_are_warnings(seed):
    t = seed[TRAINING]
    report = validate(t)
    assert sorted(report.codes()) == ["DUP-002", "GOAL-001"]
    goal = next(f for f in report.findings if f.code == "GOAL-001")
    assert goal.severity == "warning"
    assert goal.numbers["goal"] == "1010" and goal.numbers["rows_total"] == "1110"
    assert "1010人" in goal.message and "1110人" in goal.message
    dup = next(f for f in report.findings if f.code == "DUP-002")
    assert dup.severity == "warning"
    assert {dup.numbers["first_unit_cost"], dup.numbers["unit_cost"]} == {"550", "450"}
    assert "第1期" in dup.message and "第2期" in dup.message
    assert dup.location.row == row_index(t, "成本指标", "6.乡村建设示范培训班第2期")


def test_training_breakdown_per_class(seed):
    b = validate(seed[TRAINING]).breakdown
    by_factors = {" × ".join(ln.factors): ln.product for ln in b.lines}
    assert by_factors["2期 × 100人/期/天 × 5天"] == "450000"
    assert by_factors["1期 × 230人 × 1天"] == "103500"
    assert b.lines[9].factors == ["10期"] and b.lines[9].product == "90000"  # 师资费


def test_bare_yuan_amounts_read_per_item_where_that_balances(seed):
    report = validate(seed[EGOV])
    b = report.breakdown
    assert [ln.reading for ln in b.lines] == ["单价"] * 5
    assert b.lines[0].factors == ["11项"] and b.lines[0].product == str(11 * 92727)
    assert "MONEY-005" in report.codes() and not report.has_errors


def test_data_mining_counts_including_not_less_than(seed):
    b = validate(seed[DATA]).breakdown
    assert [ln.factors for ln in b.lines] == [["13份"], ["13份"], ["30个"], ["1年"], ["不少于10次"]]
    assert [ln.product for ln in b.lines] == ["65000", "39000", "120000", "48000", "28000"]


def test_xinchuang_pairs_by_name_across_row_order(seed):
    t = seed[XINCHUANG]
    b = validate(t).breakdown
    computer_cost = row_index(t, "成本指标", "信创非密计算机")
    computer_qty = row_index(t, "数量指标", "信创非密计算机")
    line = next(ln for ln in b.lines if ln.cost_row == computer_cost)
    assert line.quantity_row == computer_qty
    assert line.factors == ["5套"] and line.product == "47000"


def test_carryover_money_quantity_is_a_total(seed):
    (line,) = validate(seed[CARRYOVER]).breakdown.lines
    assert line.reading == "总额" and line.product == "100151.19"


MUTATIONS = [
    # project, level2, row name start, new value, gap in 元
    (MONITORING, "成本指标", "1.", "431元/天/人", "125"),
    (MONITORING, "数量指标", "4.", "17次", "1480.75"),
    (MONITORING, "数量指标", "2.", "5次, 5天/次, 5人/次", "10750"),
    (TRAINING, "数量指标", "8.", "3期、100人/期/天、5天", "225000"),
    (TRAINING, "成本指标", "10.", "9500元/期", "5000"),
    (TRAINING, "成本指标", "5.", "450元/人/天", "-42000"),
    (EGOV, "成本指标", "1.", "92728元", "11"),
    (EGOV, "数量指标", "5.", "7项", "-12500"),
    (DATA, "数量指标", "5.", "不少于12次", "5600"),
    (DATA, "成本指标", "4.", "47000元", "-1000"),
    (XINCHUANG, "数量指标", "信创非密计算机", "6套", "9400"),
    (XINCHUANG, "成本指标", "信创非密打印机", "2500元/台", "-500"),
    (CARRYOVER, "成本指标", "用于缴纳", "100151.20元", "0.01"),
]


@pytest.mark.parametrize(("project", "level2", "name", "value", "gap"), MUTATIONS)
def test_one_changed_number_gives_an_error_with_the_exact_gap(
    seed, project, level2, name, value, gap
):
    t = fresh(seed, project)
    t.indicators[row_index(t, level2, name)].value = value
    report = validate(t)
    (f,) = [f for f in report.findings if f.code == "MONEY-001"]
    assert f.severity == "error"
    assert f.numbers["gap_yuan"] == gap
    assert Decimal(f.numbers["gap_wan"]) == Decimal(gap) / 10000
    assert report.breakdown.gap_yuan == gap and not report.breakdown.balanced
    assert f"{gap.lstrip('-')}元" in f.message


def test_changed_annual_total_gives_the_gap(seed):
    t = fresh(seed, TRAINING)
    t.header.annual_total = Amount.parse("158")
    t.header.total = Amount.parse("158")
    t.header.funds.fiscal = Amount.parse("158")
    t.header.funds.local_level = Amount.parse("158")
    (f,) = [f for f in validate(t).findings if f.code == "MONEY-001"]
    assert f.numbers["gap_yuan"] == "10000" and f.numbers["gap_wan"] == "1"


def test_seed_with_precedents_has_no_error_and_is_fast(seed):
    from assistant.corpus import precedents

    stats = PrecedentStats.from_indicators(precedents())
    for table in seed.values():
        assert not validate(table, precedents=stats).has_errors
    start = time.perf_counter()
    for table in seed.values():
        validate(table, precedents=stats)
    per_table = (time.perf_counter() - start) / len(seed)
    assert per_table < 0.1  # the TUI re-validates on every change
