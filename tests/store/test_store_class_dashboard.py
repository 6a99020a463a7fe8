"""What the instructor's dashboard reads about a class: trainees, progress, latest answers."""

from __future__ import annotations

import pytest
from store_support import sign_in

from helpers.store import ModuleProgress, ResponseRow, Store


@pytest.fixture
def class_ids(store: Store) -> dict[str, int]:
    """Two trainees of class C1, one of C2 and one self-study trainee, by name."""
    return {
        name: sign_in(store, name, number, code).trainee.id
        for name, number, code in [("李四", "02", "C1"), ("张三", "01", "C1"), ("王五", "01", "C2"), ("赵六", "01", "")]
    }


def test_class_trainees_are_the_ones_signed_in_to_it_by_number(store: Store, class_ids: dict[str, int]) -> None:
    assert [(t.name, t.number) for t in store.class_trainees("C1")] == [("张三", "01"), ("李四", "02")]
    assert store.class_trainees("C3") == []


def test_class_progress_per_trainee_and_module_with_the_best_score(
    store: Store, class_ids: dict[str, int]
) -> None:
    zhang, li, wang = class_ids["张三"], class_ids["李四"], class_ids["王五"]
    for score in (40, 90, 70):
        attempt = store.start_attempt(zhang, "m1")
        store.record_answer(zhang, "m1", "q1", "A", score / 100, score >= 60, attempt)
        store.finish_attempt(attempt, score)
    store.save_audit(li, "m2", "c1", {"i1": "是"}, 80, "良好")
    store.record_answer(wang, "m1", "q1", "A", 1, True)  # another class

    progress = store.class_progress("C1")
    assert progress == {
        zhang: {"m1": ModuleProgress(1, 1, last_score=70, audit_total=None, audit_rating=None, best_score=90)},
        li: {"m2": ModuleProgress(0, 0, last_score=None, audit_total=80, audit_rating="良好", best_score=None)},
    }
    assert progress[zhang] == store.progress(zhang)
    assert store.class_progress("C3") == {}


def test_class_responses_are_each_trainees_latest_answer_per_question(
    store: Store, class_ids: dict[str, int]
) -> None:
    zhang, li = class_ids["张三"], class_ids["李四"]
    store.record_answer(zhang, "m1", "q1", ["A"], 0, False)
    store.record_answer(zhang, "m1", "q1", ["B", "C"], 1, True)  # the retry replaces the first
    store.record_answer(zhang, "m2", "q9", "是", 1, True)
    store.record_answer(li, "m1", "q1", ["A"], 0, False)
    store.record_answer(li, "m1", "q2", {"text": "三会一课"}, 0.5, False)
    store.record_answer(class_ids["王五"], "m1", "q1", ["B", "C"], 1, True)  # another class
    store.record_answer(class_ids["赵六"], "m1", "q1", ["B", "C"], 1, True)  # self-study

    rows = store.class_responses("C1", "m1")
    assert [(r.trainee_id, r.question_id, r.response, r.score, r.correct) for r in rows] == [
        (zhang, "q1", ["B", "C"], 1, True),
        (li, "q1", ["A"], 0, False),
        (li, "q2", {"text": "三会一课"}, 0.5, False),
    ]
    assert all(isinstance(r, ResponseRow) and r.module == "m1" and r.created_at.tzinfo for r in rows)
    every_module = store.class_responses("C1")
    assert {(r.trainee_id, r.module, r.question_id) for r in every_module} == {
        (zhang, "m1", "q1"), (zhang, "m2", "q9"), (li, "m1", "q1"), (li, "m1", "q2")
    }
    assert store.class_responses("C1", "m3") == []
