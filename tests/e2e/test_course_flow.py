"""A trainee's whole first visit, in a real browser against the real server."""
import pytest
from trainee_steps import stored_answers

from helpers.content.loader import default_bank_dir, load_module

pytestmark = pytest.mark.e2e


def _option(question, letter):
    return f"{letter}. {question.options['ABCDEFGH'.index(letter)]}"


def _answer_single(page, question, letter):
    page.get_by_text(_option(question, letter), exact=True).click()
    page.get_by_role("button", name="提交").click()


def test_sign_in_answer_check_timeline_and_reload(course_server, page, local_only):
    questions = load_module(default_bank_dir() / "fazhan").questions
    first_three = questions[:3]
    assert [q.type for q in first_three] == ["single"] * 3, "the test answers three single-choice questions"

    page.goto(course_server.url)
    page.get_by_placeholder("例如：张三").fill("赵六<b>")
    page.get_by_placeholder("例如：2026001").fill("e2e-001")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("姓名不能包含").wait_for()

    page.get_by_placeholder("例如：张三").fill("赵六")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("当前学员：赵六").wait_for()
    page.get_by_role("link", name="发展党员工作").click()
    page.get_by_text("当前学员：赵六").wait_for()
    page.get_by_text("已答 0 / ").wait_for()

    q1, q2, q3 = first_three
    _answer_single(page, q1, q1.answer)
    page.get_by_text("回答正确。").wait_for()
    page.get_by_text(f"依据：{q1.source}").wait_for()
    page.get_by_role("button", name="下一题").click()

    wrong = next(letter for letter in q2.option_letters() if letter != q2.answer)
    _answer_single(page, q2, wrong)
    page.get_by_text("回答错误。").wait_for()
    page.get_by_text(f"正确答案：{_option(q2, q2.answer)}").wait_for()
    page.get_by_role("button", name="下一题").click()

    _answer_single(page, q3, q3.answer)
    page.get_by_text("回答正确。").wait_for()
    page.get_by_text(f"已答 3 / {len(questions)}").wait_for()

    dates = page.locator("input[type=date]")
    dates.nth(1).fill("2026-06-02")  # 提交入党申请书
    dates.nth(2).fill("2026-07-10")  # 党组织派人谈话: more than a month later
    page.get_by_role("button", name="核对").click()
    finding = page.locator(".course-findings tr", has_text="谈话")
    finding.first.wait_for()
    assert "✗" in finding.first.inner_text() and "第七条" in finding.first.inner_text()

    # the server is shared by the session's tests: count only this trainee's answers
    assert stored_answers(course_server.data_dir, "e2e-001") == [(q1.id, 1), (q2.id, 0), (q3.id, 1)]

    page.reload()
    page.get_by_text("当前学员：赵六").wait_for()
    page.get_by_text(f"已答 3 / {len(questions)}").wait_for()
    local_only()
