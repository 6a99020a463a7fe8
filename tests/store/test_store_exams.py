"""Exam attempts: papers, durable drafts, handing in exactly once, the class's results."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, select
from store_support import run_in_processes, sign_in, submit_exam

from helpers.store import ExamClosed, ExamRecord, InvalidRecord, Store, UnknownRecord
from helpers.store.tables import exam_responses

PAPER = ["q3", "q1", "q2"]
DEADLINE = datetime(2026, 3, 2, 10, 30, tzinfo=timezone(timedelta(hours=8)))


@pytest.fixture
def trainee_id(store: Store) -> int:
    return sign_in(store, "张三", "01", "C1").trainee.id


@pytest.fixture
def exam(store: Store, trainee_id: int) -> ExamRecord:
    return store.start_exam(trainee_id, "final", 12345, PAPER, DEADLINE)


def test_start_exam_keeps_the_paper_seed_and_deadline_in_utc(store: Store, trainee_id: int) -> None:
    before = datetime.now(timezone.utc)
    record = store.start_exam(trainee_id, "final", 2**62, PAPER, DEADLINE)
    assert (record.trainee_id, record.blueprint_id, record.seed, record.paper) == (trainee_id, "final", 2**62, PAPER)
    assert record.deadline == DEADLINE and record.deadline.utcoffset() == timedelta(0)
    assert before <= record.started_at <= datetime.now(timezone.utc)
    assert (record.submitted_at, record.score, record.passed) == (None, None, None)
    assert store.exams_for(trainee_id, "final") == [record]


def test_exams_for_lists_attempts_oldest_first_per_blueprint(store: Store, trainee_id: int) -> None:
    first = store.start_exam(trainee_id, "final", 1, PAPER, DEADLINE)
    store.start_exam(trainee_id, "midterm", 2, PAPER, DEADLINE)
    second = store.start_exam(trainee_id, "final", 3, PAPER, DEADLINE)
    assert [record.id for record in store.exams_for(trainee_id, "final")] == [first.id, second.id]
    assert store.exams_for(trainee_id, "other") == []


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"trainee_id": 999}, UnknownRecord, "学员记录 999 不存在"),
        ({"blueprint_id": ""}, InvalidRecord, "考试编号 '' 无效"),
        ({"seed": 2**63}, InvalidRecord, "随机种子 .* 必须是 64 位以内的整数"),
        ({"seed": "42"}, InvalidRecord, "随机种子 '42' 必须是 64 位以内的整数"),
        ({"paper": ["q1", ""]}, InvalidRecord, "考试 final 的题目编号 '' 无效"),
        ({"paper": ["q1", "q1"]}, InvalidRecord, "考试 final 的试卷中有重复的题目"),
        ({"deadline": datetime(2026, 3, 2, 10, 30)}, InvalidRecord, "截止时间 .* 必须是带时区的时间"),
    ],
)
def test_exams_that_cannot_be_started_are_named(
    store: Store, trainee_id: int, change: dict[str, object], error: type[Exception], message: str
) -> None:
    arguments: dict[str, object] = {
        "trainee_id": trainee_id, "blueprint_id": "final", "seed": 1, "paper": PAPER, "deadline": DEADLINE
    }
    arguments.update(change)
    with pytest.raises(error, match=message):
        store.start_exam(**arguments)  # type: ignore[arg-type]
    assert store.exams_for(trainee_id, "final") == []


def test_drafts_are_saved_replaced_and_read_back(store: Store, store_url: str, exam: ExamRecord) -> None:
    assert store.exam_responses(exam.id) == {}
    store.save_exam_response(exam.id, "q1", ["A"])
    store.save_exam_response(exam.id, "q2", {"text": "三会一课"})
    store.save_exam_response(exam.id, "q1", ["B", "D"])
    assert store.exam_responses(exam.id) == {"q1": ["B", "D"], "q2": {"text": "三会一课"}}
    store.close()
    reopened = Store.open(store_url)  # a reload on a new kernel finds the drafts
    assert reopened.exam_responses(exam.id) == {"q1": ["B", "D"], "q2": {"text": "三会一课"}}
    reopened.close()


def test_drafts_for_unknown_exams_or_questions_are_refused(store: Store, exam: ExamRecord) -> None:
    with pytest.raises(UnknownRecord, match="考试记录 999 不存在"):
        store.save_exam_response(999, "q1", "A")
    with pytest.raises(InvalidRecord, match=f"题目 q9 不在考试记录 {exam.id} 的试卷中"):
        store.save_exam_response(exam.id, "q9", "A")
    with pytest.raises(InvalidRecord, match="题目 q1 的作答无法保存为 JSON"):
        store.save_exam_response(exam.id, "q1", {1, 2})
    assert store.exam_responses(exam.id) == {}
    assert store.exam_responses(999) == {}


def test_submit_stores_the_result_and_each_question(store: Store, store_url: str, exam: ExamRecord) -> None:
    store.save_exam_response(exam.id, "q1", ["A"])
    store.save_exam_response(exam.id, "q3", "对")
    before = datetime.now(timezone.utc)
    record = store.submit_exam(exam.id, {"q1": (1.0, True), "q2": (0.0, False), "q3": (0.5, False)}, 50.0, False)
    assert (record.score, record.passed) == (50.0, False)
    assert before <= record.submitted_at <= datetime.now(timezone.utc)
    assert store.exams_for(exam.trainee_id, "final") == [record]
    assert store.exam_responses(exam.id) == {"q1": ["A"], "q3": "对"}  # q2 was never answered

    engine = create_engine(store_url)
    with engine.connect() as conn:
        graded = conn.execute(
            select(exam_responses.c.question_id, exam_responses.c.score, exam_responses.c.correct)
            .where(exam_responses.c.exam_id == exam.id)
            .order_by(exam_responses.c.question_id)
        ).all()
    engine.dispose()
    assert [tuple(row) for row in graded] == [("q1", 1.0, True), ("q2", 0.0, False), ("q3", 0.5, False)]


def test_a_second_submit_returns_the_first_result_unchanged(store: Store, exam: ExamRecord) -> None:
    first = store.submit_exam(exam.id, {"q1": (0.0, False)}, 0.0, False)
    second = store.submit_exam(exam.id, {"q1": (1.0, True)}, 100.0, True)
    assert second == first
    assert store.exams_for(exam.trainee_id, "final") == [first]


def test_nothing_changes_after_the_paper_is_handed_in(store: Store, exam: ExamRecord) -> None:
    store.save_exam_response(exam.id, "q1", "A")
    store.submit_exam(exam.id, {"q1": (1.0, True)}, 100.0, True)
    with pytest.raises(ExamClosed, match=f"考试记录 {exam.id} 已经交卷"):
        store.save_exam_response(exam.id, "q1", "B")
    assert store.exam_responses(exam.id) == {"q1": "A"}


@pytest.mark.parametrize(
    ("results", "score", "error", "message"),
    [
        ({"q9": (1.0, True)}, 100.0, InvalidRecord, "题目 q9 不在考试记录"),
        ({"q1": (float("nan"), True)}, 100.0, InvalidRecord, "题目 q1 的得分 nan 不是有效的数字"),
        ({"q1": (1.0, True)}, float("inf"), InvalidRecord, "的成绩 inf 不是有效的数字"),
    ],
)
def test_bad_results_are_refused_and_the_paper_stays_open(
    store: Store,
    exam: ExamRecord,
    results: dict[str, tuple[float, bool]],
    score: float,
    error: type[Exception],
    message: str,
) -> None:
    with pytest.raises(error, match=message):
        store.submit_exam(exam.id, results, score, True)
    assert store.exams_for(exam.trainee_id, "final")[0].submitted_at is None


def test_submitting_an_unknown_exam_is_named(store: Store) -> None:
    with pytest.raises(UnknownRecord, match="考试记录 999 不存在"):
        store.submit_exam(999, {}, 0.0, False)


def test_eight_pages_submitting_at_once_agree_on_one_result(store_url: str) -> None:
    store = Store.open(store_url)
    exam = store.start_exam(sign_in(store).trainee.id, "final", 1, PAPER, DEADLINE)
    store.close()
    calls = [(store_url, exam.id, float(score)) for score in range(0, 80, 10)]
    results = run_in_processes(submit_exam, calls, method="fork")
    assert len(set(results)) == 1
    store = Store.open(store_url)
    [stored] = store.exams_for(exam.trainee_id, "final")
    store.close()
    assert (stored.score, stored.passed) == results[0]


def test_class_exam_results_are_every_attempt_of_the_class(store: Store) -> None:
    zhang = sign_in(store, "张三", "01", "C1").trainee.id
    li = sign_in(store, "李四", "02", "C1").trainee.id
    other = sign_in(store, "王五", "01", "C2").trainee.id
    handed_in = store.start_exam(li, "final", 1, PAPER, DEADLINE)
    handed_in = store.submit_exam(handed_in.id, {}, 80.0, True)
    retry = store.start_exam(li, "final", 2, PAPER, DEADLINE)
    running = store.start_exam(zhang, "final", 3, PAPER, DEADLINE)
    store.start_exam(zhang, "midterm", 4, PAPER, DEADLINE)
    store.start_exam(other, "final", 5, PAPER, DEADLINE)
    assert store.class_exam_results("C1", "final") == [running, handed_in, retry]
    assert store.class_exam_results("C3", "final") == []
