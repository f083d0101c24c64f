"""Inline input validation per question kind (textual.validation).

The validators call the interview's own answer parsers, so what is flagged while typing is
exactly what the engine would refuse; the engine still has the last word and re-asks with
its own explanation. Kinds without a cheap check (activities, slot rows) are left to it.
"""

from __future__ import annotations

from typing import Any

from textual.validation import ValidationResult, Validator


class NotBlank(Validator):
    def validate(self, value: str) -> ValidationResult:
        return self.success() if value.strip() else self.failure("本题必填，请输入回答。")


class MoneyWan(Validator):
    """An amount for the header: 159万 / 1590000元 / 一百五十九万元 / 159（万元）."""

    def validate(self, value: str) -> ValidationResult:
        from assistant.interview.answers import SKIP_WORDS, parse_money_wan

        if value.strip() in SKIP_WORDS:
            return self.success()
        amount, note, reason = parse_money_wan(value)
        if amount is None:
            return self.failure(f"{reason}：请写金额，如 6万、60000元（只写数字按万元理解）。")
        return self.success()


class Year(Validator):
    def validate(self, value: str) -> ValidationResult:
        from assistant.interview.answers import parse_year

        if not value.strip():
            return self.success()
        year, reason = parse_year(value)
        if year is None:
            return self.failure(f"{reason}：请写四位年份，如 2025。")
        return self.success()


def for_question(question: Any) -> list[Validator]:
    """The validators that fit a question (kinds as in prompts/*.yaml)."""
    kind = getattr(question, "kind", "") or ""
    found: list[Validator] = []
    if not getattr(question, "optional", False):
        found.append(NotBlank())
    if kind == "money" and not question.id.startswith("activity."):
        # header amounts only; an activity's price (430元/天/人) is the engine's to read
        found.append(MoneyWan())
    elif kind == "year":
        found.append(Year())
    return found
