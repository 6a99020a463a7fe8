"""What 错题本 and 今日复习 read from a real database, and what review answers leave alone."""

from __future__ import annotations

import pytest
from store_support import sign_in

from helpers.engine.review import PastAnswer, wrong_book
from helpers.store import ModuleProgress, Store


@pytest.fixture
def trainee_id(store: Store) -> int:
    return sign_in(store).trainee.id


def test_history_is_every_answer_of_the_trainee_across_modules_in_the_order_stored(
    store: Store, trainee_id: int
) -> None:
    attempt = store.start_attempt(trainee_id, "fazhan")
    store.record_answer(trainee_id, "fazhan", "f1", ["A", "C"], 0.5, False, attempt)
    store.record_answer(trainee_id, "zuzhi", "z1", {"支委会": "一般每月1次"}, 0.0, False)
    store.record_answer(sign_in(store, "李四", "A002").trainee.id, "fazhan", "f1", "B", 1.0, True)
    store.record_answer(trainee_id, "fazhan", "f1", ["A", "B"], 1.0, True)

    history = store.answer_history(trainee_id)
    assert all(isinstance(answer, PastAnswer) and answer.created_at.tzinfo for answer in history)
    assert [(a.question_id, a.module, a.response, a.score, a.correct) for a in history] == [
        ("f1", "fazhan", ["A", "C"], 0.5, False),
        ("z1", "zuzhi", {"支委会": "一般每月1次"}, 0.0, False),
        ("f1", "fazhan", ["A", "B"], 1.0, True),
    ]
    assert [(e.question_id, e.wrong_count) for e in wrong_book(history)] == [("f1", 1), ("z1", 1)]
    assert store.answer_history(sign_in(store, "王五", "A003").trainee.id) == []


def test_review_answers_change_neither_the_module_scores_nor_what_counts_as_right(
    store: Store, trainee_id: int
) -> None:
    attempt = store.start_attempt(trainee_id, "fazhan")
    store.record_answer(trainee_id, "fazhan", "f1", "A", 0.0, False, attempt)
    store.record_answer(trainee_id, "fazhan", "f2", "B", 1.0, True, attempt)
    store.finish_attempt(attempt, 50)
    quiz_only = ModuleProgress(answered=2, correct=1, last_score=50, audit_total=None, audit_rating=None,
                               best_score=50)
    assert store.progress(trainee_id) == {"fazhan": quiz_only}

    store.record_answer(trainee_id, "fazhan", "f1", "B", 1.0, True)  # 今日复习: no attempt
    store.record_answer(trainee_id, "fazhan", "f2", "A", 0.0, False)
    assert store.progress(trainee_id) == {"fazhan": quiz_only}
    assert len(store.answer_history(trainee_id)) == 4
    # a quiz resumes with its own answers, and item analysis sees those, not the review's
    assert {q: a.response for q, a in store.latest_answers(trainee_id, "fazhan").items()} == {"f1": "A", "f2": "B"}


def test_item_analysis_of_a_class_ignores_review_answers(store: Store) -> None:
    trainee = sign_in(store, "赵六", "A004", "review-class").trainee.id
    attempt = store.start_attempt(trainee, "fazhan")
    store.record_answer(trainee, "fazhan", "f1", "A", 0.0, False, attempt)
    store.record_answer(trainee, "fazhan", "f1", "B", 1.0, True)  # 今日复习
    assert [(row.question_id, row.response) for row in store.class_responses("review-class")] == [("f1", "A")]


def test_a_question_answered_only_outside_a_quiz_still_counts_as_answered(store: Store, trainee_id: int) -> None:
    store.record_answer(trainee_id, "fazhan", "f1", "B", 1.0, True)
    assert (store.progress(trainee_id)["fazhan"].answered, store.progress(trainee_id)["fazhan"].correct) == (1, 1)
