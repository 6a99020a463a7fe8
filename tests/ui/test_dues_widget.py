"""The party-dues calculator driven from Python as a trainee would."""
from __future__ import annotations

from helpers.ui.dues_widget import DuesWidget


def compute(income: str, category: str = "在职") -> DuesWidget:
    page = DuesWidget()
    page.category.value = category
    page.income.value = income
    page.compute.click()
    return page


def test_amount_band_source_and_notes():
    value = compute("4,200").result.value
    assert "每月应交纳党费 42.00 元" in value
    assert "3000元以上至5000元（含5000元）" in value and "第二条" in value
    assert "补交党费的时间一般不得超过6个月" in value and "第十二条" in value
    assert "支部大会通过其为预备党员之日起" in value and "第八条" in value


def test_full_width_digits_and_comma():
    assert "每月应交纳党费 42.00 元" in compute("４，２００").result.value


def test_retired_band():
    value = compute("6000", "离退休").result.value
    assert "60.00 元" in value and "第五条" in value


def test_bad_income_is_explained():
    value = compute("四千二").result.value
    assert "无法识别的金额" in value and "每月应交纳" not in value
    assert "请填写月收入" in compute("").result.value
    assert "不能为负数" in compute("-5").result.value


def test_fixed_categories_need_no_income():
    page = DuesWidget()
    page.category.value = "学生"
    assert page.income.disabled and "不需要填写收入" in page.prompt.value
    page.income.value = "garbage typed before switching"
    page.compute.click()
    assert "每月应交纳党费 0.20 元" in page.result.value and "第六条" in page.result.value


def test_farmers_see_the_range():
    value = compute("", "农民").result.value
    assert "0.2 元至 1 元" in value and "course-notice-info" in value


def test_changing_category_clears_the_old_result_and_relabels_the_income():
    page = compute("4200")
    page.category.value = "离退休"
    assert page.result.value == "" and not page.income.disabled
    assert "离退休费总额或养老金总额" in page.prompt.value


def test_typed_html_is_escaped():
    value = compute("<script>").result.value
    assert "<script>" not in value and "&lt;script&gt;" in value
