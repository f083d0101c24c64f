"""The 指标值 grammar, one example per written form (seed and precedent tables)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from assistant.values import (
    FormalFields,
    ParsedValue,
    find_dates,
    formal_fields,
    implied_money,
    parse_amount_yuan,
    parse_number,
    parse_value,
)

D = Decimal


def qs(pv: ParsedValue) -> list[tuple[str, str]]:
    """(number, unit) pairs, numbers as text so ``Decimal("28.40")`` stays visible."""
    return [(str(q.number), q.unit) for q in pv.quantities]


# --- every form in the seed (000_4da5520f21e577ee.txt) -----------------------------

SEED_CASES = [
    # raw, kind, comparator, [(number, unit)]
    ("5次, 5天/次, 5人/次", "quantity", None, [("5", "次"), ("5", "天/次"), ("5", "人/次")]),
    ("5次, 5天/次, 4人/次", "quantity", None, [("5", "次"), ("5", "天/次"), ("4", "人/次")]),
    ("1期、100人/天、2天", "quantity", None, [("1", "期"), ("100", "人/天"), ("2", "天")]),
    ("2期、100人/期/天、5天", "quantity", None, [("2", "期"), ("100", "人/期/天"), ("5", "天")]),
    ("1期、230人、1天", "quantity", None, [("1", "期"), ("230", "人"), ("1", "天")]),
    ("16次", "quantity", None, [("16", "次")]),
    ("1台", "quantity", None, [("1", "台")]),
    ("5套", "quantity", None, [("5", "套")]),
    ("13份", "quantity", None, [("13", "份")]),
    ("30个", "quantity", None, [("30", "个")]),
    ("11项", "quantity", None, [("11", "项")]),
    ("1年", "quantity", None, [("1", "年")]),
    ("10期", "quantity", None, [("10", "期")]),
    ("不少于10次", "quantity", "≥", [("10", "次")]),
    ("100%", "rate", None, [("100", "%")]),
    ("≥95%", "rate", "≥", [("95", "%")]),
    ("95%以上", "rate", "≥", [("95", "%")]),
    ("≥90%", "rate", "≥", [("90", "%")]),
    ("100%完成", "rate", None, [("100", "%")]),
    ("100%完成目标任务", "rate", None, [("100", "%")]),
    ("430元/天/人", "money", None, [("430", "元/天/人")]),
    ("450元/人/天", "money", None, [("450", "元/人/天")]),
    ("1480.75元/次", "money", None, [("1480.75", "元/次")]),
    ("12058元/台", "money", None, [("12058", "元/台")]),
    ("9000元/期", "money", None, [("9000", "元/期")]),
    ("92727元", "money", None, [("92727", "元")]),
    ("100151.19元", "money", None, [("100151.19", "元")]),
]


@pytest.mark.parametrize(("raw", "kind", "comparator", "quantities"), SEED_CASES)
def test_seed_value_forms(raw, kind, comparator, quantities):
    pv = parse_value(raw)
    assert pv.raw == raw
    assert pv.kind == kind
    assert pv.comparator == comparator
    assert qs(pv) == quantities
    assert pv.is_compound == (len(quantities) > 1)


def test_compound_keeps_each_piece_of_raw_text():
    pv = parse_value("2期、100人/期/天、5天")
    assert [q.raw for q in pv.quantities] == ["2期", "100人/期/天", "5天"]
    assert pv.number == D(2) and pv.unit == "期"


@pytest.mark.parametrize(
    ("raw", "grade"),
    [
        ("有利于", "有利于"),
        ("有效促进", "有效促进"),
        ("有效提高", "有效提高"),
        ("有效保障", "有效保障"),
        ("优", "优"),
        ("良", "良"),
        ("中", "中"),
        ("差", "差"),
        ("显著提高", "显著提高"),
        ("逐步改善", "逐步改善"),
        ("较好", "较好"),
        ("有所提高", "有所提高"),
        ("明显", "明显"),
        ("达标", "达标"),
        ("合格", "合格"),
        ("是", "是"),
        ("否", "否"),
    ],
)
def test_grades(raw, grade):
    pv = parse_value(raw)
    assert (pv.kind, pv.grade, pv.quantities) == ("grade", grade, [])


@pytest.mark.parametrize("raw", ["0", "", "  ", "无", "/", "—", "-", "不适用"])
def test_placeholders(raw):
    pv = parse_value(raw)
    assert pv.kind == "placeholder"
    assert pv.raw == raw


@pytest.mark.parametrize(
    ("raw", "date"),
    [
        ("2024年12月15日前", datetime.date(2024, 12, 15)),
        ("2024年8月31日前", datetime.date(2024, 8, 31)),
        ("2024年12月底前", datetime.date(2024, 12, 31)),
        ("2025年年底前", datetime.date(2025, 12, 31)),
        ("2021年全年", datetime.date(2021, 12, 31)),
        ("2021年12月31日", datetime.date(2021, 12, 31)),
        ("2021年1月-12月", datetime.date(2021, 12, 31)),
        ("2021.1.1-12.31", datetime.date(2021, 12, 31)),
        ("2023.07-2024.01", datetime.date(2024, 1, 31)),
        ("2024年第三季度末", datetime.date(2024, 9, 30)),
        ("２０２４年６月底前完成", datetime.date(2024, 6, 30)),
    ],
)
def test_deadlines(raw, date):
    pv = parse_value(raw)
    assert (pv.kind, pv.date) == ("date", date)


@pytest.mark.parametrize("raw", ["每季度末提交", "每年12月底前", "12月底到位", "定性 11月底之前"])
def test_schedules_and_yearless_dates_are_dates_without_a_day(raw):
    pv = parse_value(raw)
    assert (pv.kind, pv.date) == ("date", None)


def test_default_year_resolves_yearless_deadlines():
    assert parse_value("12月15日前", default_year=2024).date == datetime.date(2024, 12, 15)
    assert parse_value("定性 11月底之前", default_year=2022).date == datetime.date(2022, 11, 30)


# --- comparators -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "comparator"),
    [
        ("≥10次", "≥"),
        (">=10次", "≥"),
        ("大于等于10次", "≥"),
        ("不低于10次", "≥"),
        ("不少于10次", "≥"),
        ("10次以上", "≥"),
        ("10次及以上", "≥"),
        ("至少10次", "≥"),
        ("≤10天", "≤"),
        ("<=10天", "≤"),
        ("小于等于10天", "≤"),
        ("不高于10天", "≤"),
        ("不超过10天", "≤"),
        ("10天以内", "≤"),
        ("10天以下", "≤"),
        ("控制在10天以内", "≤"),
        ("＞10次", ">"),
        (">10次", ">"),
        ("大于10次", ">"),
        ("高于10次", ">"),
        ("超过10次", ">"),
        ("＜10次", "<"),
        ("<10次", "<"),
        ("小于10次", "<"),
        ("低于10次", "<"),
        ("＝10次", "="),
        ("=10个", "="),
        ("等于10次", "="),
        ("≧95%", "≥"),
        ("≦5%", "≤"),
        ("10次", None),
    ],
)
def test_comparators(raw, comparator):
    pv = parse_value(raw)
    assert pv.comparator == comparator
    assert pv.number == D(10) or pv.number in (D(95), D(5))


def test_within_hours_is_at_most():
    pv = parse_value("2小时内响应")
    assert (pv.kind, pv.comparator, qs(pv)) == ("quantity", "≤", [("2", "小时")])


# --- Chinese numerals, full width --------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "number", "unit", "kind"),
    [
        ("十期", "10", "期", "quantity"),
        ("两台", "2", "台", "quantity"),
        ("一千零一十人", "1010", "人", "quantity"),
        ("两百人次", "200", "人次", "quantity"),
        ("一百五十九万元", "159", "万元", "money"),
        ("百分之九十五", "95", "%", "rate"),
        ("１２次", "12", "次", "quantity"),
        ("≥９５％", "95", "%", "rate"),
        ("１４８０．７５元／次", "1480.75", "元/次", "money"),
        ("不超过５万元", "5", "万元", "money"),
    ],
)
def test_chinese_numerals_and_full_width(raw, number, unit, kind):
    pv = parse_value(raw)
    assert (pv.kind, qs(pv)) == (kind, [(number, unit)])
    assert pv.raw == raw


def test_full_width_punctuation_separates_compounds_and_raw_is_untouched():
    raw = "５次，５天／次；５人／次"
    pv = parse_value(raw)
    assert qs(pv) == [("5", "次"), ("5", "天/次"), ("5", "人/次")]
    assert [q.raw for q in pv.quantities] == ["５次", "５天／次", "５人／次"]
    assert pv.raw == raw


def test_chinese_words_that_start_like_numerals_are_not_numbers():
    assert parse_value("一般").kind == "grade"
    assert parse_value("十分满意").kind == "grade"


def test_thousands_separator_is_not_a_list_separator():
    pv = parse_value("1,590,000元")
    assert (pv.kind, qs(pv)) == ("money", [("1590000", "元")])


# --- the precedent tables' own wording ----------------------------------------------

PRECEDENT_CASES = [
    # raw, kind, comparator, quantities, direction
    ("正向 大于等于 90 %", "rate", "≥", [("90", "%")], "正向"),
    ("正向 等于 100 %", "rate", "=", [("100", "%")], "正向"),
    ("正向 大于等于 10", "quantity", "≥", [("10", "")], "正向"),
    ("反向 小于等于 12 万元", "money", "≤", [("12", "万元")], "反向"),
    ("反向 小于等于 1", "quantity", "≤", [("1", "")], "反向"),
    ("<=475元/亩", "money", "≤", [("475", "元/亩")], None),
    ("≥100百分比", "rate", "≥", [("100", "%")], None),
    ("100百分比", "rate", None, [("100", "%")], None),
    ("1次/月", "quantity", None, [("1", "次/月")], None),
    ("280人次", "quantity", None, [("280", "人次")], None),
    ("220", "quantity", None, [("220", "")], None),
    (">=85", "quantity", "≥", [("85", "")], None),
    ("≥80M", "quantity", "≥", [("80", "M")], None),
    ("≥1290.3平方米", "quantity", "≥", [("1290.3", "平方米")], None),
    ("=23万元/个", "money", "=", [("23", "万元/个")], None),
    ("≤28.40/株", "quantity", "≤", [("28.40", "/株")], None),
    ("250万", "quantity", None, [("250", "万")], None),
    ("60%及以上", "rate", "≥", [("60", "%")], None),
    ("88.32%及以上", "rate", "≥", [("88.32", "%")], None),
    ("100%;100%", "rate", None, [("100", "%"), ("100", "%")], None),
    ("1606人次;160.77万元", "quantity", None, [("1606", "人次"), ("160.77", "万元")], None),
    ("0次", "quantity", None, [("0", "次")], None),
    ("12166名", "quantity", None, [("12166", "名")], None),
]


@pytest.mark.parametrize(("raw", "kind", "comparator", "quantities", "direction"), PRECEDENT_CASES)
def test_precedent_value_forms(raw, kind, comparator, quantities, direction):
    pv = parse_value(raw)
    got = (pv.kind, pv.comparator, qs(pv), pv.direction)
    assert got == (kind, comparator, quantities, direction)


def test_range():
    pv = parse_value("18—54周岁")
    assert pv.kind == "quantity"
    q = pv.quantities[0]
    assert (q.number, q.upper, q.unit) == (D(18), D(54), "周岁")


@pytest.mark.parametrize(
    "raw",
    [
        "定性 有效提升",
        "定性 长期",
        "严格执行相关制度规定",
        "符合相关规定",
        "效果明显",
        "经济效益良好",
        "房屋设备、设施的管理到位,环境卫生整洁,车辆停放有序",
    ],
)
def test_qualitative_precedents_are_grades(raw):
    assert parse_value(raw).kind == "grade"


def test_qualitative_prefix_is_not_part_of_the_grade():
    assert parse_value("定性 有效提升").grade == "有效提升"


@pytest.mark.parametrize(
    "raw",
    [
        "严格按照预算标准1000元/人给补助对象兑付补助",
        "第一年按总投资额返本20%,分红按8%分红",
        "1-2期未能及时培训",
        "见附件",
    ],
)
def test_unreadable_forms_are_text(raw):
    pv = parse_value(raw)
    assert (pv.kind, pv.quantities, pv.raw) == ("text", [], raw)


# --- money --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "yuan"),
    [
        ("20万元", D(200000)),
        ("430元/天/人", D(430)),
        ("100151.19元", D("100151.19")),
        ("=46.16万元", D(461600)),
        ("≤1125万元", D(11250000)),
    ],
)
def test_money_yuan(raw, yuan):
    assert parse_value(raw).money_yuan() == yuan


def test_money_yuan_is_none_for_other_kinds():
    assert parse_value("16次").money_yuan() is None


@pytest.mark.parametrize(
    ("text", "yuan"),
    [
        ("159万", D(1590000)),
        ("159万元", D(1590000)),
        ("1590000元", D(1590000)),
        ("一百五十九万元", D(1590000)),
        ("1,590,000", D(1590000)),
        ("１５９万元", D(1590000)),
        ("10.015119万元", D("100151.19")),
        ("共计1590000元", D(1590000)),
    ],
)
def test_parse_amount_yuan(text, yuan):
    assert parse_amount_yuan(text) == yuan


@pytest.mark.parametrize("text", ["", "很多", "159人", "abc"])
def test_parse_amount_yuan_unreadable(text):
    assert parse_amount_yuan(text) is None


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12", D(12)),
        ("１２", D(12)),
        ("十", D(10)),
        ("两", D(2)),
        ("一千零一十", D(1010)),
        ("1,590,000", D(1590000)),
        ("10.015119", D("10.015119")),
        ("二十五点五", D("25.5")),
        ("159万", D(1590000)),
    ],
)
def test_parse_number(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "十次", "万"])
def test_parse_number_rejects_non_numbers(text):
    assert parse_number(text) is None


# --- dates inside names and goal text ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "default_year", "dates"),
    [
        ("按期完成率(2024年12月底前)", None, [datetime.date(2024, 12, 31)]),
        ("2024年12月31日前完成督导调研及办公室设备采购任务率", None, [datetime.date(2024, 12, 31)]),
        ("2024年6月底", None, [datetime.date(2024, 6, 30)]),
        ("2024年全年", None, [datetime.date(2024, 12, 31)]),
        ("12月15日前", None, []),
        ("12月15日前", 2024, [datetime.date(2024, 12, 15)]),
        ("2024年度项目，12月底前完成", None, [datetime.date(2024, 12, 31)]),
        ("每季度末提交", None, []),
        ("2小时内响应", None, []),
        ("2024年乡村振兴监测评估工作经费", None, []),
        ("截止2023年12月26日，我中心基本账户余额100151.19元", None, [datetime.date(2023, 12, 26)]),
        ("共计2024.5万元", None, []),
        ("2月30日前", 2024, []),
        ("十二月底前", 2024, [datetime.date(2024, 12, 31)]),
        ("项目于2024年上半年完成", None, [datetime.date(2024, 6, 30)]),
    ],
)
def test_find_dates(text, default_year, dates):
    assert find_dates(text, default_year=default_year) == dates


# --- formal fields (预算管理一体化) ---------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "fields"),
    [
        ("100%", ("＝", "100", "%", False)),
        ("95%以上", ("≥", "95", "%", False)),
        ("≥95%", ("≥", "95", "%", False)),
        ("＞3次", ("＞", "3", "次", False)),
        ("<5天", ("＜", "5", "天", False)),
        ("不超过10天", ("≤", "10", "天", False)),
        ("16次", ("＝", "16", "次", False)),
        ("430元/天/人", ("＝", "430", "元/天/人", False)),
        ("≤28.40/株", ("≤", "28.40", "/株", False)),
        ("5次, 5天/次, 5人/次", ("定性", "5次, 5天/次, 5人/次", "", True)),
        ("18—54周岁", ("定性", "18—54周岁", "", True)),
        ("有效提高", ("定性", "有效提高", "", False)),
        ("定性 有效提升", ("定性", "有效提升", "", False)),
        ("2024年12月15日前", ("定性", "2024年12月15日前", "", False)),
        ("0", ("定性", "0", "", False)),
        ("正向 大于等于 90 %", ("≥", "90", "%", False)),
    ],
)
def test_formal_fields(raw, fields):
    ff = formal_fields(parse_value(raw))
    assert isinstance(ff, FormalFields)
    assert (ff.symbol, ff.measure, ff.unit, ff.needs_split) == fields


# --- wording users type ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "kind", "comparator", "quantities"),
    [
        ("每月1次", "quantity", None, [("1", "次/月")]),
        ("每年不少于2次", "quantity", "≥", [("2", "次/年")]),
        ("每人每天430元", "money", None, [("430", "元/人/天")]),
        ("每亩475", "quantity", None, [("475", "/亩")]),
        ("30个工作日内", "quantity", "≤", [("30", "个工作日")]),
        ("≥1次/季度", "quantity", "≥", [("1", "次/季度")]),
        ("100%覆盖", "rate", None, [("100", "%")]),
        ("100%全覆盖", "rate", None, [("100", "%")]),
        ("≥95%（抽样调查）", "rate", "≥", [("95", "%")]),
        ("430元/人·天", "money", None, [("430", "元/人·天")]),
        ("约30人", "quantity", None, [("30", "人")]),
        ("1.5万人次", "quantity", None, [("1.5", "万人次")]),
    ],
)
def test_typed_variants(raw, kind, comparator, quantities):
    pv = parse_value(raw)
    assert (pv.kind, pv.comparator, qs(pv)) == (kind, comparator, quantities)


def test_range_repeating_its_unit():
    q = parse_value("10人-20人").quantities[0]
    assert (q.number, q.upper, q.unit) == (D(10), D(20), "人")


def test_next_year_deadline_needs_a_year():
    assert parse_value("次年3月底前").date is None
    assert parse_value("次年3月底前", default_year=2024).date == datetime.date(2025, 3, 31)


@pytest.mark.parametrize("raw", ["无不利影响", "零事故", "无安全事故", "未发生安全事故"])
def test_absence_statements_are_grades(raw):
    assert parse_value(raw).kind == "grade"


@pytest.mark.parametrize(
    ("raw", "change", "comparator", "quantities"),
    [
        ("较上年提高5%", "提高", None, [("5", "%")]),
        ("同比下降10%以上", "下降", "≥", [("10", "%")]),
        ("比上年增长十个百分点", "增长", None, [("10", "个百分点")]),
        ("平均缩短2天", "缩短", None, [("2", "天")]),
    ],
)
def test_changes_keep_their_verb(raw, change, comparator, quantities):
    pv = parse_value(raw)
    assert (pv.change, pv.comparator, qs(pv)) == (change, comparator, quantities)


def test_a_change_word_alone_is_a_grade():
    assert (parse_value("提高").kind, parse_value("提高").change) == ("grade", None)


@pytest.mark.parametrize(
    ("raw", "date"),
    [
        ("2024年度内", datetime.date(2024, 12, 31)),
        ("≤2024年12月31日", datetime.date(2024, 12, 31)),
        ("不晚于2024年6月30日", datetime.date(2024, 6, 30)),
        ("2024/12/31前", datetime.date(2024, 12, 31)),
    ],
)
def test_more_deadline_wording(raw, date):
    assert (parse_value(raw).kind, parse_value(raw).date) == ("date", date)


@pytest.mark.parametrize(
    ("raw", "comparator", "number"),
    [("满意度≥90%", "≥", "90"), ("完成率100%", None, "100"), ("合格率不低于95%", "≥", "95")],
)
def test_rate_typed_after_its_indicator_name(raw, comparator, number):
    pv = parse_value(raw)
    assert (pv.kind, pv.comparator, qs(pv)) == ("rate", comparator, [(number, "%")])


def test_a_name_before_any_quantity_becomes_its_label():
    pv = parse_value("满意度90分")
    assert (pv.kind, qs(pv), pv.quantities[0].label) == ("quantity", [("90", "分")], "满意度")


@pytest.mark.parametrize(
    ("raw", "date"),
    [
        ("2024年", datetime.date(2024, 12, 31)),
        ("2023-2024年", datetime.date(2024, 12, 31)),
        ("2023年至2024年", datetime.date(2024, 12, 31)),
    ],
)
def test_years_and_spans_of_years_end_on_31_december(raw, date):
    assert (parse_value(raw).kind, parse_value(raw).date) == ("date", date)


def test_a_span_of_years_in_a_name_is_context_not_a_deadline():
    assert find_dates("2023-2024年度项目") == []
    assert find_dates("2023-2024年度项目，12月底前完成") == [datetime.date(2024, 12, 31)]


# --- forms met on real tables (issue 11) -------------------------------------------


@pytest.mark.parametrize(
    ("raw", "number", "unit"),
    [
        ("至少完成2次", "2", "次"),
        ("至少每季度完成1次", "1", "次/季度"),
        ("每年至少开展2次", "2", "次/年"),
    ],
)
def test_a_minimum_written_as_prose(raw, number, unit):
    pv = parse_value(raw)
    assert (pv.kind, pv.comparator, qs(pv)) == ("quantity", "≥", [(number, unit)])


@pytest.mark.parametrize("raw", ["±5%以内", "误差±5%", "正负5%"])
def test_a_tolerance_is_an_upper_bound_on_the_deviation(raw):
    pv = parse_value(raw)
    q = pv.quantities[0]
    assert (pv.kind, pv.comparator, q.number, q.tolerance) == ("rate", "≤", Decimal(5), True)


def test_two_labelled_quantities_keep_their_labels():
    pv = parse_value("新建面积1200平方米，改造面积300平方米")
    assert pv.kind == "quantity"
    assert [(q.label, q.number, q.unit) for q in pv.quantities] == [
        ("新建面积", Decimal(1200), "平方米"),
        ("改造面积", Decimal(300), "平方米"),
    ]
    assert pv.raw == "新建面积1200平方米，改造面积300平方米"


def test_money_without_yuan_is_a_quantity_in_wan_that_cost_rows_may_read_as_money():
    pv = parse_value("≤2万/月")
    assert (pv.kind, pv.comparator, qs(pv)) == ("quantity", "≤", [("2", "万/月")])
    assert implied_money(pv.quantities[0]) == (Decimal(20000), "万元/月")
    assert implied_money(parse_value("20人").quantities[0]) is None


@pytest.mark.parametrize(
    ("raw", "start", "end"),
    [
        ("1-12月", datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)),
        ("2024年3月--2024年11月", datetime.date(2024, 3, 1), datetime.date(2024, 11, 30)),
        ("2024年1月-12月", datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)),
    ],
)
def test_a_period_keeps_its_start_and_end(raw, start, end):
    pv = parse_value(raw, default_year=2024)
    assert (pv.kind, pv.start, pv.date) == ("date", start, end)


def test_a_deadline_has_no_start():
    assert parse_value("2024年12月底前").start is None


def test_zero_is_a_real_target_when_the_row_has_a_name():
    assert parse_value("0").kind == "placeholder"
    pv = parse_value("0", real_zero=True)
    assert (pv.kind, pv.comparator, pv.number) == ("quantity", "=", Decimal(0))
