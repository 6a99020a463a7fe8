"""今日复习 in a real browser: from the course home's row, and from its own notebook."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
from trainee_steps import answer, fazhan, wrong_letter

from helpers.engine.identity import validate_identity
from helpers.store import Store
from helpers.store import store as store_module

pytestmark = pytest.mark.e2e


def test_a_wrong_quiz_answer_is_reviewed_from_the_home_and_stored_outside_the_quiz(
    course_server, page, monkeypatch, local_only
):
    module = fazhan()
    question = module.questions[0]
    store = Store.open(f"sqlite:///{course_server.data_dir / 'course.sqlite3'}")
    try:
        # Answered two days ago, so it is due today whenever the test runs.
        monkeypatch.setattr(store_module, "now", lambda: datetime.now(timezone.utc) - timedelta(days=2))
        session = store.sign_in(validate_identity("钱七", "e2e-review-1", ""))
        attempt = store.start_attempt(session.trainee.id, module.id)
        store.record_answer(session.trainee.id, module.id, question.id, wrong_letter(question), 0.0, False, attempt)
    finally:
        store.close()

    page.goto(f"{course_server.url}voila/render/index.ipynb?s={session.token}")
    page.get_by_role("button", name="今日复习（1 题）").click()
    page.get_by_text(question.stem).first.wait_for()  # the question, and its line in the 错题本 below
    answer(page, question, question.answer)
    page.get_by_text(f"依据：{question.source}").first.wait_for()
    with sqlite3.connect(course_server.data_dir / "course.sqlite3") as db:
        stored = db.execute("SELECT attempt_id IS NULL, correct FROM answers WHERE trainee_id = ? ORDER BY id",
                            (session.trainee.id,)).fetchall()
    assert stored == [(0, 0), (1, 1)]

    page.get_by_role("button", name="← 返回课程首页").click()
    page.get_by_role("button", name="今日复习（0 题）").wait_for()
    page.get_by_text(f"已答 1 / {len(module.questions)}，答对 0").wait_for()

    page.goto(f"{course_server.url}voila/render/review.ipynb?s={session.token}")
    page.get_by_text("今天的复习都完成了").wait_for()
    local_only()
