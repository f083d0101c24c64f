"""The reviewer (财政部门审核, done early): checks a target table the way a finance
department would and says what is wrong, where, and with which numbers.

    report = validate(table, precedents=PrecedentStats.from_indicators(corpus.precedents()))
    report.has_errors, report.findings, report.breakdown
    explain(report)  # plain Chinese sentences, most serious first

Rule codes and their meaning: ``assistant.rules.codes.RULES``.
"""

from __future__ import annotations

from assistant.model import TargetTable
from assistant.rules.codes import BY_CODE, RULES, RuleCode, Severity
from assistant.rules.context import TableContext
from assistant.rules.duplicates import check_duplicates
from assistant.rules.explain import explain
from assistant.rules.funds import check_funds
from assistant.rules.goal import check_goal
from assistant.rules.measurable import check_values
from assistant.rules.money import check_money
from assistant.rules.precedents import PrecedentStats
from assistant.rules.report import CostLine, Finding, Location, MoneyBreakdown, Report
from assistant.rules.structure import check_structure
from assistant.rules.timing import check_time

__all__ = [
    "BY_CODE",
    "RULES",
    "CostLine",
    "Finding",
    "Location",
    "MoneyBreakdown",
    "PrecedentStats",
    "Report",
    "RuleCode",
    "Severity",
    "explain",
    "validate",
]


def validate(table: TargetTable, *, precedents: PrecedentStats | None = None) -> Report:
    """Run every rule over one table. ``precedents`` (built once by the caller) enables the
    unit-cost comparison; without it that rule is skipped."""
    ctx = TableContext.build(table)
    money = check_money(ctx)
    findings = [
        *check_structure(ctx),
        *check_values(ctx),
        *money.findings,
        *check_funds(ctx),
        *check_goal(ctx, money.products),
        *check_time(ctx),
        *check_duplicates(ctx),
    ]
    if precedents is not None:
        findings += precedents.check(ctx)
    return Report(findings=findings, breakdown=money.breakdown)
