"""One trainee, one module, two tabs: two QuizWidgets on the same store.

Each tab of a Voila page has its own kernel and widget; the store is the
truth both must follow (see helpers/ui/quiz_widget.py).
"""
from __future__ import annotations

import sqlite3

import pytest

from helpers.content.loader import load_module
from helpers.ui.quiz_widget import ANSWERED_ELSEWHERE, QuizWidget


@pytest.fixture
def questions(bank_dir):
    return load_module(bank_dir / "demo").questions


@pytest.fixture
def tabs(questions, store, session):
    return (QuizWidget(questions, store, session.trainee.id, "demo"),
            QuizWidget(questions, store, session.trainee.id, "demo"))


def stored_rows(tmp_path) -> list[tuple[str, int]]:
    with sqlite3.connect(tmp_path / "course.sqlite3") as db:
        return db.execute("SELECT question_id, correct FROM answers ORDER BY id").fetchall()


def choose(quiz: QuizWidget, value) -> None:
    quiz._inputs[quiz.current.id].widget.value = value


def test_a_question_answered_in_one_tab_is_not_answered_again_in_the_other(tabs, tmp_path):
    first, second = tabs
    choose(first, "B")
    first.submit.click()
    choose(second, "A")  # the second tab still shows demo-1 unanswered
    second.submit.click()
    assert stored_rows(tmp_path) == [("demo-1", 1)]
    assert ANSWERED_ELSEWHERE in second.message.value
    assert "回答正确" in second.feedback.value and second.submit.disabled
    assert second._inputs["demo-1"].widget.value == "B"


def test_alternate_answers_add_up_and_the_last_tab_scores_them_all(tabs, store, session, tmp_path):
    first, second = tabs
    choose(first, "B")
    first.submit.click()  # demo-1 right
    second.next.click()  # the second tab learns of demo-1 on the way
    assert second.progress_label.value == "已答 1 / 4"
    choose(second, "对")
    second.submit.click()  # demo-2 wrong
    first.next.click()
    assert "回答错误" in first.feedback.value and first.submit.disabled  # shown, not answerable again
    first.next.click()
    first._inputs["demo-3"]._order = ["B", "A", "C"]
    first.submit.click()  # demo-3 right
    second.go(3)
    match = second._inputs["demo-4"]
    match._choices["支委会"].value = "一般每月1次"
    match._choices["党员大会"].value = "一般每季度1次"
    second.submit.click()  # demo-4 right: the second tab finishes the module
    assert stored_rows(tmp_path) == [("demo-1", 1), ("demo-2", 0), ("demo-3", 1), ("demo-4", 1)]
    assert second.progress_label.value == "已答 4 / 4" and "得分 75 分" in second.summary.value
    progress = store.progress(session.trainee.id)["demo"]
    assert (progress.answered, progress.correct, progress.last_score) == (4, 3, 75.0)


def test_a_stale_tab_does_not_bring_back_a_wrong_answer_corrected_in_the_other(tabs, store, session, tmp_path):
    first, second = tabs
    choose(first, "A")
    first.submit.click()  # demo-1 wrong
    second.go(0)
    assert "回答错误" in second.feedback.value
    first.retry.click()
    choose(first, "B")
    first.submit.click()  # corrected in the first tab
    second.retry.click()  # the second tab's view is stale: it must not reopen demo-1
    assert "没有错题" in second.summary.value
    second.go(0)
    assert "回答正确" in second.feedback.value
    assert stored_rows(tmp_path) == [("demo-1", 0), ("demo-1", 1)]
    assert store.progress(session.trainee.id)["demo"].correct == 1


def test_a_wrong_answer_reopened_in_one_tab_stays_reopened_there(tabs, tmp_path):
    first, second = tabs
    choose(first, "A")
    first.submit.click()
    first.retry.click()
    first.next.click()
    first.previous.click()  # navigating reads the store again: demo-1 must stay open
    assert not first.submit.disabled and first.feedback.value == ""
    choose(first, "B")
    first.submit.click()
    assert stored_rows(tmp_path) == [("demo-1", 0), ("demo-1", 1)]
