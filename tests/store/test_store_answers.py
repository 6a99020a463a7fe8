"""Attempts, answers, audits and the progress overview, round-tripped through a real database."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from store_support import sign_in

from helpers.store import (
    AnswerRecord,
    InvalidRecord,
    ModuleProgress,
    Store,
    UnknownRecord,
)


@pytest.fixture
def trainee_id(store: Store) -> int:
    return sign_in(store).trainee.id


def test_answers_round_trip_with_their_json_response(store: Store, trainee_id: int) -> None:
    responses = {
        "q1": {"选项": ["A", "C"], "理由": "按照《条例》第十条"},
        "q2": "B",
        "q3": None,
        "q4": [1, 2.5, True],
    }
    for question, response in responses.items():
        store.record_answer(trainee_id, "m1", question, response, 0.5, False)
    latest = store.latest_answers(trainee_id, "m1")
    assert {q: record.response for q, record in latest.items()} == responses
    assert latest["q1"].question_id == "q1"
    assert (latest["q1"].score, latest["q1"].correct) == (0.5, False)


def test_latest_answer_per_question_wins(store: Store, trainee_id: int) -> None:
    store.record_answer(trainee_id, "m1", "q1", "A", 0.0, False)
    store.record_answer(trainee_id, "m1", "q1", "B", 1.0, True)
    store.record_answer(trainee_id, "m1", "q2", "C", 1.0, True)
    store.record_answer(trainee_id, "m1", "q2", "D", 0.0, False)
    latest = store.latest_answers(trainee_id, "m1")
    assert {q: (r.response, r.score, r.correct) for q, r in latest.items()} == {
        "q1": ("B", 1.0, True),
        "q2": ("D", 0.0, False),
    }


def test_answers_are_kept_apart_by_module_and_trainee(store: Store, trainee_id: int) -> None:
    other = sign_in(store, "李四", "A002").trainee.id
    store.record_answer(trainee_id, "m1", "q1", "mine", 1, True)
    store.record_answer(trainee_id, "m2", "q1", "other module", 1, True)
    store.record_answer(other, "m1", "q1", "other trainee", 1, True)
    assert store.latest_answers(trainee_id, "m1")["q1"].response == "mine"
    assert store.latest_answers(trainee_id, "m3") == {}


def test_answer_ids_increase_and_times_are_utc(store: Store, trainee_id: int) -> None:
    before = datetime.now(timezone.utc)
    first = store.record_answer(trainee_id, "m1", "q1", 1, 1, True)
    second = store.record_answer(trainee_id, "m1", "q2", 2, 1, True)
    assert second > first
    record: AnswerRecord = store.latest_answers(trainee_id, "m1")["q1"]
    assert record.created_at.tzinfo is not None
    assert before <= record.created_at <= datetime.now(timezone.utc)


def test_attempts_tie_answers_together_and_score_the_module(store: Store, trainee_id: int) -> None:
    attempt = store.start_attempt(trainee_id, "m1")
    store.record_answer(trainee_id, "m1", "q1", "A", 1, True, attempt_id=attempt)
    assert store.progress(trainee_id)["m1"].last_score is None  # not finished yet
    store.finish_attempt(attempt, 85.5)
    assert store.progress(trainee_id)["m1"].last_score == 85.5


def test_unknown_trainee_or_attempt_is_named(store: Store, trainee_id: int) -> None:
    with pytest.raises(UnknownRecord, match="学员记录 999 不存在"):
        store.record_answer(999, "m1", "q1", "A", 1, True)
    with pytest.raises(UnknownRecord, match="练习记录 777 不存在"):
        store.record_answer(trainee_id, "m1", "q1", "A", 1, True, attempt_id=777)
    with pytest.raises(UnknownRecord, match="学员记录 999 不存在"):
        store.start_attempt(999, "m1")
    with pytest.raises(UnknownRecord, match="练习记录 777 不存在"):
        store.finish_attempt(777, 10)
    with pytest.raises(UnknownRecord, match="学员记录 999 不存在"):
        store.save_audit(999, "m1", "c1", {}, 0, "差")
    assert store.latest_answers(trainee_id, "m1") == {}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"response": {1, 2}}, "题目 q1 的作答无法保存为 JSON"),
        ({"response": float("nan")}, "题目 q1 的作答无法保存为 JSON"),
        ({"score": float("nan")}, "题目 q1 的得分 nan 不是有效的数字"),
        ({"score": "高"}, "题目 q1 的得分 '高' 不是有效的数字"),
        ({"question_id": ""}, "题目编号 '' 无效"),
        ({"question_id": "q" * 101}, "题目编号 'q+' 无效"),
        ({"module": None}, "模块 None 无效"),
    ],
)
def test_answers_that_cannot_be_stored_are_named(
    store: Store, trainee_id: int, change: dict[str, object], message: str
) -> None:
    answer: dict[str, object] = {
        "module": "m1",
        "question_id": "q1",
        "response": "A",
        "score": 1,
        "correct": True,
    }
    answer.update(change)
    with pytest.raises(InvalidRecord, match=message):
        store.record_answer(trainee_id, **answer)  # type: ignore[arg-type]
    assert store.progress(trainee_id) == {}


def test_audits_keep_history_oldest_first(store: Store, trainee_id: int) -> None:
    assert store.latest_audit(trainee_id, "c1") is None
    assert store.audit_history(trainee_id, "c1") == []
    first = store.save_audit(trainee_id, "m2", "c1", {"i1": "否", "i2": "部分"}, 40, "待改进")
    second = store.save_audit(trainee_id, "m2", "c1", {"i1": "是", "i2": "是"}, 95.5, "优秀")
    store.save_audit(trainee_id, "m2", "c2", {"i1": "是"}, 10, "良好")
    history = store.audit_history(trainee_id, "c1")
    assert [audit.id for audit in history] == [first, second]
    assert history[0].answers == {"i1": "否", "i2": "部分"}
    latest = store.latest_audit(trainee_id, "c1")
    assert latest == history[1]
    assert (latest.checklist_id, latest.module, latest.total, latest.rating) == ("c1", "m2", 95.5, "优秀")
    assert latest.created_at.tzinfo is not None


@pytest.mark.parametrize(
    ("answers", "total", "rating", "message"),
    [
        ({"i1": 1}, 1, "好", "自查清单 c1 的答案必须是"),
        (["是"], 1, "好", "自查清单 c1 的答案必须是"),
        ({"i1": "是"}, float("inf"), "好", "自查清单 c1 的总分 inf 不是有效的数字"),
        ({"i1": "是"}, 1, None, "自查清单 c1 的评级 None 必须是文字"),
    ],
)
def test_audits_that_cannot_be_stored_are_named(
    store: Store, trainee_id: int, answers: object, total: float, rating: object, message: str
) -> None:
    with pytest.raises(InvalidRecord, match=message):
        store.save_audit(trainee_id, "m2", "c1", answers, total, rating)  # type: ignore[arg-type]


def test_progress_sums_up_every_module(store: Store, trainee_id: int) -> None:
    assert store.progress(trainee_id) == {}
    old = store.start_attempt(trainee_id, "m1")
    store.finish_attempt(old, 50)
    new = store.start_attempt(trainee_id, "m1")
    store.record_answer(trainee_id, "m1", "q1", "A", 1, True, new)
    store.record_answer(trainee_id, "m1", "q2", "A", 1, True, new)
    store.record_answer(trainee_id, "m1", "q2", "B", 0, False, new)  # a wrong retry counts
    store.record_answer(trainee_id, "m1", "q3", "C", 0, False, new)
    store.finish_attempt(new, 33.3)
    store.start_attempt(trainee_id, "m1")  # started, never finished
    store.save_audit(trainee_id, "m2", "c1", {"i1": "否"}, 20, "待改进")
    store.save_audit(trainee_id, "m2", "c2", {"i1": "是"}, 90, "优秀")
    store.record_answer(sign_in(store, "李四", "A002").trainee.id, "m1", "q9", "A", 1, True)

    assert store.progress(trainee_id) == {
        "m1": ModuleProgress(
            answered=3, correct=1, last_score=33.3, audit_total=None, audit_rating=None, best_score=50
        ),
        "m2": ModuleProgress(
            answered=0, correct=0, last_score=None, audit_total=90, audit_rating="优秀", best_score=None
        ),
    }


def test_last_score_is_the_attempt_finished_last_and_best_the_highest(store: Store, trainee_id: int) -> None:
    first = store.start_attempt(trainee_id, "m1")
    second = store.start_attempt(trainee_id, "m1")
    store.finish_attempt(second, 70)
    store.finish_attempt(first, 60)
    assert (store.progress(trainee_id)["m1"].last_score, store.progress(trainee_id)["m1"].best_score) == (60, 70)
