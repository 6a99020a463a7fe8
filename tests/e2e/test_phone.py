"""The trainee's pages on a 375 px phone: nothing wider than the screen, buttons big enough to tap.

Each step saves a screenshot into the test's tmp_path (see phone_layout.py).
"""
from __future__ import annotations

import re

import pytest

from phone_layout import PHONE, check_layout

from helpers.content.loader import default_bank_dir, load_module

pytestmark = pytest.mark.e2e

PAGE_TIMEOUT_MS = 60_000
LONG_OPTION = 40  # characters: far wider than one line on a phone


@pytest.fixture
def phone(browser, seen_urls):
    """A phone-sized, touch page (own cookies) whose requests must stay on this machine."""
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    context.on("request", lambda request: seen_urls.append(request.url))
    yield context.new_page()
    context.close()


def test_a_trainee_on_a_phone(course_server, phone, tmp_path, local_only):
    renshi = load_module(default_bank_dir() / "renshi")
    question = renshi.questions[0]
    assert question.type == "single" and max(map(len, question.options)) >= LONG_OPTION, "需要一道长选项的单选题"

    phone.goto(course_server.url)
    phone.get_by_role("button", name="登录").wait_for()
    check_layout(phone, tmp_path, "1-登录")

    phone.get_by_placeholder("例如：张三").fill("手机学员")
    phone.get_by_placeholder("例如：2026001").fill("phone-001")
    phone.get_by_role("button", name="登录").tap()
    phone.get_by_text("当前学员：手机学员").wait_for()
    phone.get_by_role("button", name="导出我的学习记录").wait_for()
    check_layout(phone, tmp_path, "2-课程首页")

    row = phone.locator(".course-module-row").filter(has=phone.get_by_role("link", name=renshi.title, exact=True))
    row.get_by_role("button", name="进入").tap()
    phone.locator("h1", has_text=renshi.title).wait_for()
    phone.get_by_role("button", name="提交").wait_for()
    check_layout(phone, tmp_path, "3-模块")

    letter = max(question.option_letters(), key=lambda x: len(question.options["ABCDEFGH".index(x)]))
    option = phone.get_by_text(f"{letter}. {question.options['ABCDEFGH'.index(letter)]}", exact=True)
    option.tap()
    phone.get_by_role("button", name="提交").tap()
    phone.get_by_text(re.compile("回答(正确|错误)。")).first.wait_for()
    option.scroll_into_view_if_needed()
    check_layout(phone, tmp_path, "4-作答后")

    audit = phone.get_by_role("button", name="计算得分")
    audit.scroll_into_view_if_needed()
    phone.locator(".widget-toggle-button").first.tap()
    audit.tap()
    phone.locator(".course-notice").last.wait_for()
    audit.scroll_into_view_if_needed()
    check_layout(phone, tmp_path, "5-自查")
    local_only()
