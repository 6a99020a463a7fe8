"""One trainee, one module, two tabs (same ``?s=`` link, two kernels), answering in turn.

Each answer is stored once, each tab shows what the other stored once it
looks again (submitting, moving between questions, 重做错题), a stale tab
never reopens or overrides an answer the other corrected, and the course home
counts the result the database holds.
"""
from __future__ import annotations

import pytest

from helpers.ui.quiz_widget import ANSWERED_ELSEWHERE
from trainee_steps import answer, choose_option, fazhan, sign_in_and_open, stored_answers, wrong_letter

pytestmark = pytest.mark.e2e

NUMBER = "tabs-001"


def test_two_tabs_answering_in_turn_keep_one_consistent_record(course_server, page, local_only):
    module = fazhan()
    q1, q2, q3 = module.questions[:3]
    total = len(module.questions)
    first = page
    sign_in_and_open(first, course_server.url, module, "钱二", NUMBER)
    first.get_by_text(f"已答 0 / {total}").wait_for()
    second = first.context.new_page()
    second.goto(first.url)  # the same link, with the session token: another kernel, same trainee
    second.get_by_text("当前学员：钱二").wait_for()
    second.get_by_text(f"已答 0 / {total}").wait_for()

    answer(first, q1, q1.answer)

    # The second tab still shows q1 unanswered; its answer is not stored over the first tab's.
    choose_option(second, q1, wrong_letter(q1))
    second.get_by_role("button", name="提交").click()
    second.get_by_text(ANSWERED_ELSEWHERE).wait_for()
    second.get_by_text("回答正确。").wait_for()
    second.get_by_text(f"已答 1 / {total}").wait_for()

    second.get_by_role("button", name="下一题").click()
    answer(second, q2, wrong_letter(q2))
    second.get_by_text(f"已答 2 / {total}").wait_for()

    first.get_by_role("button", name="下一题").click()  # q2, answered in the other tab
    first.get_by_text("回答错误。").wait_for()
    first.get_by_text(f"已答 2 / {total}").wait_for()
    assert first.get_by_role("button", name="提交").is_disabled()
    first.get_by_role("button", name="下一题").click()
    answer(first, q3, q3.answer)

    first.get_by_role("button", name="重做错题").click()  # reopens q2 and corrects it
    answer(first, q2, q2.answer)

    # The second tab still shows q2 wrong: its 重做错题 must not reopen the corrected answer.
    second.get_by_role("button", name="重做错题").click()
    second.get_by_text("没有错题，不需要重做。").wait_for()
    second.get_by_role("button", name="上一题").click()
    second.get_by_role("button", name="下一题").click()
    second.get_by_text("回答正确。").wait_for()
    second.get_by_text(f"已答 3 / {total}").wait_for()

    assert stored_answers(course_server.data_dir, NUMBER) == [(q1.id, 1), (q2.id, 0), (q3.id, 1), (q2.id, 1)]
    first.get_by_role("link", name="← 返回课程首页").first.click()
    first.get_by_text(f"测验：已答 3 / {total}，答对 3").wait_for()
    local_only()
