"""A trainee's kernel killed (kill -9) while she is answering a quiz.

Jupyter restarts a dead kernel, but the new one never ran the notebook, so
the page's buttons would silently stop answering. The page must tell her in
Chinese to reload (a banner: WeChat's browser blocks alert dialogs), and
nothing she had submitted may be lost.
"""
import pytest
from server_kernels import page_kernel
from trainee_steps import CONNECTION_LOST, answer, fazhan, sign_in_and_open, stored_answers

pytestmark = pytest.mark.e2e

NUMBER = "fault-kernel-1"


def test_a_killed_kernel_is_announced_in_chinese_and_nothing_is_lost(course_server, page, local_only):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    module = fazhan()
    first = module.questions[0]
    sign_in_and_open(page, course_server.url, module, "孙七", NUMBER)
    page.get_by_text(f"已答 0 / {len(module.questions)}").wait_for()
    answer(page, first, first.answer)
    assert not page.get_by_text(CONNECTION_LOST).is_visible()

    page_kernel(course_server, page).kill()

    page.get_by_role("alert").get_by_text(CONNECTION_LOST).wait_for()
    assert stored_answers(course_server.data_dir, NUMBER) == [(first.id, 1)]
    page.get_by_role("button", name="刷新页面").click()
    page.get_by_text("当前学员：孙七").wait_for()
    page.get_by_text(f"已答 1 / {len(module.questions)}").wait_for()
    assert not page.get_by_text(CONNECTION_LOST).is_visible()
    assert dialogs == []
    local_only()
