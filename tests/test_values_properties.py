"""Property tests: the grammar never raises, never loses the raw text, and reads every
value of the shipped precedent tables (copied to tests/data/values_precedents.json)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant import values
from assistant.values import Kind, find_dates, formal_fields, parse_amount_yuan, parse_number

DATA = Path(__file__).resolve().parent / "data" / "values_precedents.json"

# characters the grammar cares about, so generated text reaches the deep paths
GRAMMAR_CHARS = (
    "0123456789０１２３.,，、;；/／%％-—~≥≤<>=＞＜＝ 年月日底前末内以上下及不少于超过低高"
    "元万亿千次天人期台个项份%百分比之一二两三十零点正向反向定性有效提高优良每季度"
)
grammar_text = st.text(alphabet=GRAMMAR_CHARS, max_size=30)
any_text = st.text(max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.one_of(any_text, grammar_text))
def test_parse_never_raises_and_keeps_raw(text):
    pv = values._parse(text, None)  # the grammar itself, without parse_value's safety net
    assert pv.raw == text
    assert pv.kind in get_args(Kind)
    for q in pv.quantities:
        assert q.raw and q.raw in text
    assert values.parse_value(text).raw == text
    formal_fields(pv)


@settings(max_examples=150, deadline=None)
@given(st.one_of(any_text, grammar_text), st.one_of(st.none(), st.integers(1900, 2100)))
def test_helpers_never_raise(text, year):
    find_dates(text, default_year=year)
    parse_number(text)
    parse_amount_yuan(text)


@settings(max_examples=150, deadline=None)
@given(
    st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(
        ["次", "人", "天/次", "人/期/天", "元", "元/天/人", "万元", "%", "台", "平方米", "M"]
    ),
    st.sampled_from(["", "≥", "≤", "不少于", "不超过"]),
)
def test_number_and_unit_round_trip(number, unit, prefix):
    text = f"{prefix}{number}{unit}"
    pv = values.parse_value(text)
    assert pv.kind in ("quantity", "rate", "money")
    assert pv.number == number
    assert pv.unit == unit


def _precedent_values() -> list[dict]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def test_every_precedent_value_parses():
    rows = _precedent_values()
    assert len(rows) > 200
    kinds: dict[str, int] = {}
    for row in rows:
        raw = row["value"] or ""
        pv = values._parse(raw, None)
        assert pv.raw == raw
        kinds[pv.kind] = kinds.get(pv.kind, 0) + 1
    # nearly everything the precedent tables write is understood; a few are prose
    assert kinds.get("text", 0) <= 10, kinds
    assert kinds["quantity"] > 50 and kinds["rate"] > 50 and kinds["grade"] > 10


@pytest.mark.parametrize(
    "row",
    [r for r in _precedent_values() if r["level2"] == "成本指标"],
    ids=lambda r: r["value"] or "",
)
def test_precedent_cost_values_with_yuan_are_money(row):
    raw = row["value"] or ""
    pv = values.parse_value(raw)
    if "元" in raw and pv.kind != "text":
        assert pv.kind == "money" or pv.is_compound
        if pv.kind == "money":
            assert pv.money_yuan() > Decimal(0)


def test_long_pasted_text_stays_fast():
    """A pasted page must not hang the TUI: the unit search is linear, numerals are capped."""
    import time

    for text in ["人/" * 3000, "1" + "人/" * 3000, "一" * 5000, "5次, " * 2000, "每月" * 3000]:
        started = time.perf_counter()
        pv = values.parse_value(text)
        assert pv.raw == text
        assert time.perf_counter() - started < 3
