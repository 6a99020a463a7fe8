"""Party dues under the 2008 规定: every band edge, half-up rounding where it
differs from the banker's rounding Python would use, and every bad input."""
from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.engine.dues import (
    CATEGORIES,
    DUES_NOTES,
    DuesInputError,
    DuesRangeOnlyError,
    assess_dues,
    dues_explanation,
    party_dues,
)
from helpers.rules import party_dues as public_party_dues

SOURCE = "《关于中国共产党党费收缴、使用和管理的规定》（2008年）"


@pytest.mark.parametrize(
    ("income", "amount"),
    [
        (0, "0.00"),
        (3000, "15.00"),
        ("3000.00", "15.00"),
        ("3000.01", "30.00"),
        (5000, "50.00"),
        ("5000.01", "75.00"),
        (10000, "150.00"),
        ("10000.01", "200.00"),
        (25000, "500.00"),
    ],
)
def test_working_members_bands_include_their_upper_edge(income, amount):
    assert party_dues(income) == Decimal(amount)


@pytest.mark.parametrize(("income", "amount"), [(5000, "25.00"), ("5000.01", "50.00"), (2000, "10.00"), (8000, "80.00")])
def test_retired_members_bands(income, amount):
    assert party_dues(income, "离退休") == Decimal(amount)


@pytest.mark.parametrize(
    ("income", "amount"),
    [
        (1001, "5.01"),  # 5.005: half-even would give 5.00
        (5003, "75.05"),  # 75.045: half-even would give 75.04
        (2999, "15.00"),  # 14.995
        (3001, "30.01"),
        ("1000.99", "5.00"),  # 5.00495
    ],
)
def test_rounding_is_half_up_to_the_fen(income, amount):
    assert party_dues(income) == Decimal(amount)


def test_half_up_really_differs_from_half_even_in_these_cases():
    assert Decimal("5.005").quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN) == Decimal("5.00")
    assert party_dues(1001) == Decimal("5.01")


@pytest.mark.parametrize("income", [1001.0, "1001", Decimal("1001"), 1001, "1,001", "１００１", "１，００１元", "¥1001", " 1001 "])
def test_every_input_form_gives_the_same_exact_amount(income):
    # 1001.0 * 0.005 in floats is 5.004999…, which would round to 5.00
    assert party_dues(income) == Decimal("5.01")


def test_result_always_has_two_decimal_places():
    assert str(party_dues(4200)) == "42.00"
    assert party_dues("1E+3").as_tuple().exponent == -2


@pytest.mark.parametrize("category", ["学生", "下岗失业", "低保", "依靠抚恤或救济生活"])
def test_fixed_amount_categories_pay_twenty_fen_whatever_the_income(category):
    assert party_dues(None, category) == Decimal("0.20")
    assert party_dues(50000, category) == Decimal("0.20")
    assert "第六条" in dues_explanation(None, category)


def test_fixed_amount_categories_still_refuse_a_garbage_income():
    with pytest.raises(DuesInputError):
        party_dues("abc", "学生")


def test_farmers_get_the_range_not_an_invented_number():
    with pytest.raises(DuesRangeOnlyError) as error:
        party_dues(3000, "农民")
    message = str(error.value)
    assert "0.2 元至 1 元" in message and "第六条" in message and "不替支部选定" in message
    assert isinstance(error.value, DuesInputError) and isinstance(error.value, ValueError)
    with pytest.raises(DuesRangeOnlyError):
        dues_explanation(None, "农民")


def test_explanation_names_band_rate_amount_and_article():
    text = dues_explanation("4,200")
    assert text.startswith("税后月工资收入 4,200 元")
    assert "“3000元以上至5000元（含5000元）”一档" in text and "按 1% 交纳" in text and "每月 42.00 元" in text
    assert text.endswith(f"依据：{SOURCE}第二条")
    assert "按 0.5% 交纳" in dues_explanation(3000) and "“3000元以下（含3000元）”" in dues_explanation(3000)
    assert "按 1.5% 交纳" in dues_explanation(6000) and "按 2% 交纳" in dues_explanation("10000.01")
    assert "离退休费" in dues_explanation(6000, "离退休") and dues_explanation(6000, "离退休").endswith("第五条")


def test_result_parts():
    result = assess_dues("4200.50")
    assert result.amount == Decimal("42.01") and result.source == f"{SOURCE}第二条"
    assert "4,200.50 元" in result.reason and result.explanation == f"{result.reason}依据：{result.source}"


@pytest.mark.parametrize(
    ("income", "message"),
    [
        (-1, "不能为负数"),
        ("-0.01", "不能为负数"),
        ("abc", "无法识别的金额“abc”"),
        ("", "请填写月收入"),
        ("   ", "请填写月收入"),
        ("4,20", "千位分隔的逗号位置不对"),
        ("4.200,00", "千位分隔"),
        (float("nan"), "不是有效的数字"),
        (float("inf"), "不是有效的数字"),
        ("NaN", "不是有效的数字"),
        ("sNaN", "不是有效的数字"),
        ("-Infinity", "不是有效的数字"),
        (Decimal("Infinity"), "不是有效的数字"),
        (1e9, "超过 1 亿元"),
        ("1e400", "超过 1 亿元"),
        ("100000000.01", "超过 1 亿元"),
        (True, "应为数字"),
        ([4200], "应为数字"),
        (None, "请填写税后月工资收入"),
    ],
)
def test_bad_incomes_are_refused_in_chinese(income, message):
    with pytest.raises(DuesInputError) as error:
        party_dues(income)
    assert message in str(error.value)


def test_the_largest_accepted_income():
    assert party_dues(100000000) == Decimal("2000000.00")


def test_negative_zero_is_zero():
    assert str(party_dues("-0")) == "0.00"


def test_unknown_category_lists_the_choices():
    with pytest.raises(DuesInputError) as error:
        party_dues(4200, "退休")
    assert "未知的党员类别“退休”" in str(error.value) and "离退休" in str(error.value)


def test_notes_cite_their_articles():
    texts = {source: text for text, source in DUES_NOTES}
    assert "6个月" in texts[f"{SOURCE}第十二条"] and "支部大会通过" in texts[f"{SOURCE}第八条"]


def test_public_entry_point():
    assert public_party_dues is party_dues


BANDED = [kind.name for kind in CATEGORIES if kind.bands]
cents = st.integers(min_value=0, max_value=10_000_000_00).map(lambda n: Decimal(n) / 100)


@given(st.sampled_from(BANDED), cents, cents)
def test_dues_never_fall_as_income_rises(category, a, b):
    low, high = sorted((a, b))
    assert party_dues(low, category) <= party_dues(high, category)


@given(st.sampled_from(BANDED), st.floats(min_value=0, max_value=1e8, allow_nan=False))
def test_dues_are_non_negative_with_two_decimals(category, income):
    amount = party_dues(income, category)
    assert amount >= 0 and amount.as_tuple().exponent == -2
