"""A flood of clicks on 提交: one stored answer per submission, and the page still answers.

A submission is one click on 提交 for a question without an answer yet (see
helpers/ui/quiz_widget.py): clicks arriving while it is graded and stored are
dropped, clicks on the stored answer do nothing.
"""
from __future__ import annotations

import sqlite3
import threading
import time

import ipywidgets as w
import pytest

from helpers.content.loader import load_module
from helpers.ui.callbacks import on_click
from helpers.ui.quiz_widget import QuizWidget

FLOOD = 200


@pytest.fixture
def questions(bank_dir):
    return load_module(bank_dir / "demo").questions


def stored_rows(tmp_path) -> list[tuple[str, str]]:
    """Every answer row in the database (the store fixture's file), not just the latest per question."""
    with sqlite3.connect(tmp_path / "course.sqlite3") as db:
        return db.execute("SELECT question_id, response FROM answers ORDER BY id").fetchall()


class SlowStore:
    """The real store, with record_answer taking a while: other clicks arrive meanwhile."""

    def __init__(self, store, delay: float):
        self._store, self._delay = store, delay
        self.calls = 0

    def record_answer(self, *args, **kwargs):
        self.calls += 1
        time.sleep(self._delay)
        return self._store.record_answer(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._store, name)


def test_200_clicks_store_one_answer_and_the_next_question_still_works(questions, store, session, tmp_path):
    quiz = QuizWidget(questions, store, session.trainee.id, "demo")
    quiz._inputs["demo-1"].widget.value = "B"
    for _ in range(FLOOD):
        quiz.submit.click()
    assert stored_rows(tmp_path) == [("demo-1", '"B"')]
    assert quiz.submit.disabled and "回答正确" in quiz.feedback.value
    assert quiz.message.value == ""

    quiz.next.click()
    quiz._inputs["demo-2"].widget.value = "错"
    quiz.submit.click()
    assert "回答正确" in quiz.feedback.value
    assert stored_rows(tmp_path) == [("demo-1", '"B"'), ("demo-2", '"错"')]
    assert quiz.progress_label.value == "已答 2 / 4"


def test_clicks_from_many_threads_while_storing_store_one_answer(questions, store, session, tmp_path):
    slow = SlowStore(store, delay=0.3)
    quiz = QuizWidget(questions, slow, session.trainee.id, "demo")
    quiz._inputs["demo-1"].widget.value = "A"
    start = threading.Barrier(FLOOD)

    def tap() -> None:
        start.wait()
        quiz.submit.click()

    threads = [threading.Thread(target=tap) for _ in range(FLOOD)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert slow.calls == 1
    assert stored_rows(tmp_path) == [("demo-1", '"A"')]
    assert "回答错误" in quiz.feedback.value and "出了点问题" not in quiz.message.value


def test_a_wrong_answer_reopened_is_a_new_submission(questions, store, session, tmp_path):
    quiz = QuizWidget(questions, store, session.trainee.id, "demo")
    quiz._inputs["demo-1"].widget.value = "A"
    for _ in range(FLOOD):
        quiz.submit.click()
    quiz.retry.click()
    quiz._inputs["demo-1"].widget.value = "B"
    for _ in range(FLOOD):
        quiz.submit.click()
    assert stored_rows(tmp_path) == [("demo-1", '"A"'), ("demo-1", '"B"')]


def test_clicks_without_an_answer_store_nothing_and_keep_the_button_usable(questions, store, session, tmp_path):
    quiz = QuizWidget(questions, store, session.trainee.id, "demo")
    for _ in range(FLOOD):
        quiz.submit.click()
    assert stored_rows(tmp_path) == []
    assert "请选择一个选项" in quiz.message.value and not quiz.submit.disabled
    quiz._inputs["demo-1"].widget.value = "B"
    quiz.submit.click()
    assert stored_rows(tmp_path) == [("demo-1", '"B"')]


def test_on_click_drops_a_click_while_the_previous_one_runs():
    button, message = w.Button(), w.HTML()
    running, release = threading.Event(), threading.Event()
    runs = []

    def action() -> None:
        runs.append(1)
        running.set()
        release.wait(timeout=30)

    on_click(button, action, message)
    first = threading.Thread(target=button.click)
    first.start()
    assert running.wait(timeout=30)
    button.click()  # arrives while the first click is still running: dropped
    release.set()
    first.join(timeout=30)
    button.click()  # afterwards: runs
    assert len(runs) == 2 and message.value == ""
