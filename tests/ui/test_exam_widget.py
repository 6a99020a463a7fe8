"""One exam paper driven from Python: drafts, grading, the kernel clock, hand-in."""
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from helpers.content.blueprint import load_exam_blueprints
from helpers.content.loader import load_bank
from helpers.engine.identity import validate_identity
from helpers.exam import draw
from helpers.ui.exam_widget import ExamWidget, _key_response

EXAM_BANK = Path(__file__).parent / "exam_bank"


class Clock:
    """The kernel's clock, moved by hand."""

    def __init__(self):
        self.now = datetime.now(timezone.utc)

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def session(store):
    """A trainee of a class that exists (signing in to an unknown class is refused)."""
    store.create_class("exam-class", "考试测试班")
    return store.sign_in(validate_identity("张三", "2026001", "exam-class"))


@pytest.fixture
def bank():
    return {q.id: q for q in load_bank(EXAM_BANK).questions}


@pytest.fixture
def blueprint():
    return load_exam_blueprints(EXAM_BANK).blueprints["kaoshi"]


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def start(store, session, blueprint, bank, clock):
    """``start(seed=7, review=False)``: a new attempt and its paper."""
    widgets = []

    def make(seed=7, review=False, minutes=30):
        paper = draw(blueprint, bank.values(), seed)
        record = store.start_exam(session.trainee.id, blueprint.id, seed, paper, clock() + timedelta(minutes=minutes))
        exam = ExamWidget(blueprint, bank, store, record, review=lambda: review, clock=clock)
        widgets.append(exam)
        return exam

    yield make
    for exam in widgets:
        exam.stop_countdown()


def answer(exam, question_id, response):
    """Set her answer through the input's own widgets, as clicks would."""
    index = [q.id for q in exam.questions].index(question_id)
    exam.go(index)
    exam._inputs[question_id].show(response)


def answer_all_right(exam):
    for question in exam.questions:
        answer(exam, question.id, _key_response(question))


def test_every_change_is_saved_as_a_draft(start, store):
    exam = start()
    single = next(q for q in exam.questions if q.type == "single")
    exam.go(exam.questions.index(single))
    exam._inputs[single.id].widget.value = "A"
    assert store.exam_responses(exam.record.id) == {single.id: "A"}
    exam._inputs[single.id].widget.value = "C"
    assert store.exam_responses(exam.record.id) == {single.id: "C"}
    assert "已答 1 / 7" in exam.progress_label.value


def test_order_moves_and_text_typing_are_saved(start, store):
    exam = start()
    order = next(q for q in exam.questions if q.type == "order")
    exam.go(exam.questions.index(order))
    entry = exam._inputs[order.id]
    entry._list.value = "B"
    entry._up.click()
    fill = next(q for q in exam.questions if q.type == "fill")
    exam.go(exam.questions.index(fill))
    exam._inputs[fill.id]._text.value = "一个月"
    drafts = store.exam_responses(exam.record.id)
    assert drafts[order.id] == ["B", "A", "C"] and drafts[fill.id] == "一个月"


def test_all_right_is_stored_before_the_score_is_shown(start, store, session):
    exam = start()
    answer_all_right(exam)
    exam.submit.click()
    assert "交卷后不能再修改" in exam.confirm_text.value and "未作答" not in exam.confirm_text.value
    assert exam.result.value == ""
    exam.confirm.click()
    (stored,) = store.exams_for(session.trainee.id, "kaoshi")
    assert stored.submitted_at is not None and stored.score == 100 and stored.passed
    assert "成绩 100 分" in exam.result.value and "合格" in exam.result.value
    assert all(entry.widget for entry in exam._inputs.values())
    assert exam.actions.children == ()


def test_points_weight_the_score_and_blanks_score_nothing(start, store, session):
    exam = start(review=True)
    single = next(q for q in exam.questions if q.type == "single")
    answer(exam, single.id, single.answer)
    exam.hand_in()
    assert exam.record.score == 30 and exam.record.passed is False
    assert "未合格" in exam.result.value and "答对 1 / 7 题" in exam.result.value
    judge = next(q for q in exam.questions if q.type == "judge")
    exam.go(exam.questions.index(judge))
    assert "未作答" in exam.feedback.value and "正确答案：错" in exam.feedback.value


def test_a_half_paired_match_earns_half(start):
    exam = start()
    match = next(q for q in exam.questions if q.type == "match")
    answer(exam, match.id, {"支委会": "一般每月1次"})
    exam.hand_in()
    assert exam.results[match.id].score == 0.5
    assert exam.record.score == 10  # half of the match question's 20 points


def test_ungradable_text_scores_zero_with_a_reason(start):
    exam = start(review=True)
    numeric = next(q for q in exam.questions if q.type == "numeric")
    answer(exam, numeric.id, "五天")
    exam.hand_in()
    assert exam.results[numeric.id].score == 0
    assert "无法判分" in exam.feedback.value and "5个工作日" in exam.feedback.value


def test_confirmation_names_the_unanswered_questions(start):
    exam = start()
    answer(exam, exam.questions[0].id, _key_response(exam.questions[0]))
    exam.submit.click()
    assert "还有 6 题未作答（第 2、3、4、5、6、7 题）" in exam.confirm_text.value
    exam.cancel.click()
    assert exam.actions.children == (exam.submit,) and not exam.submitted


def test_review_appears_only_when_allowed(start):
    closed = start(seed=1)
    answer_all_right(closed)
    closed.hand_in()
    assert closed.feedback.value == "" and "答案解析暂未开放" in closed.result.value
    opened = start(seed=2, review=True)
    answer_all_right(opened)
    opened.hand_in()
    assert "解析标记" in opened.feedback.value and "依据：" in opened.feedback.value


def test_a_reopened_paper_has_the_same_questions_order_and_drafts(start, store, session, blueprint, bank, clock):
    first = start(seed=11)
    single = next(q for q in first.questions if q.type == "single")
    answer(first, single.id, "D")
    (record,) = store.exams_for(session.trainee.id, "kaoshi")
    again = ExamWidget(blueprint, bank, store, record, review=lambda: False, clock=clock)
    assert [q.id for q in again.questions] == [q.id for q in first.questions]
    again.go(again.questions.index(single))
    shown = again._inputs[single.id].widget
    assert shown.value == "D" and shown.options == first._inputs[single.id].widget.options
    assert "已答 1 / 7" in again.progress_label.value


def test_the_deadline_hands_in_and_later_changes_are_not_kept(start, store, clock):
    exam = start()
    single = next(q for q in exam.questions if q.type == "single")
    answer(exam, single.id, single.answer)
    clock.advance(minutes=30, seconds=1)
    answer(exam, single.id, "A" if single.answer != "A" else "B")
    assert "之后的改动不再保存" in exam.message.value
    assert store.exam_responses(exam.record.id)[single.id] == single.answer
    assert exam.tick() is False
    assert exam.submitted and exam.record.score == 30
    assert "自动交卷" in exam.countdown.value


def test_opening_an_attempt_past_its_deadline_hands_it_in(start, store, session, blueprint, bank, clock):
    first = start()
    answer_all_right(first)
    clock.advance(hours=2)
    (record,) = store.exams_for(session.trainee.id, "kaoshi")
    again = ExamWidget(blueprint, bank, store, record, review=lambda: False, clock=clock)
    assert again.submitted and again.record.score == 100
    assert "自动交卷" in again.countdown.value


def test_the_kernel_clock_counts_down_and_hands_in(store, session, blueprint, bank):
    paper = draw(blueprint, bank.values(), 3)
    deadline = datetime.now(timezone.utc) + timedelta(seconds=1.5)
    record = store.start_exam(session.trainee.id, blueprint.id, 3, paper, deadline)
    exam = ExamWidget(blueprint, bank, store, record, review=lambda: False)
    exam.start_countdown(interval=0.1)
    try:
        assert "剩余时间 00:0" in exam.countdown.value or exam.countdown.value == ""
        limit = time.monotonic() + 10
        while not exam.submitted and time.monotonic() < limit:
            time.sleep(0.05)
        assert exam.submitted and "自动交卷" in exam.countdown.value
        exam._timer.join(timeout=2)
        assert not exam._timer.is_alive()
        assert store.exams_for(session.trainee.id, "kaoshi")[0].score == 0
    finally:
        exam.stop_countdown()


def test_clock_and_click_together_store_one_result(start, store, monkeypatch):
    exam = start()
    calls = []
    real = store.submit_exam

    def counted(*args, **kwargs):
        calls.append(args)
        time.sleep(0.05)
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "submit_exam", counted)
    threads = [threading.Thread(target=exam.hand_in) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and exam.submitted


def test_a_failing_store_keeps_the_paper_open(start, store, monkeypatch):
    exam = start()
    answer_all_right(exam)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(store, "submit_exam", broken)
    exam.submit.click()
    exam.confirm.click()
    assert "交卷没有成功" in exam.message.value and not exam.submitted and exam.result.value == ""
    monkeypatch.undo()
    exam.confirm.click()
    assert exam.submitted and exam.record.score == 100


def test_a_draft_that_cannot_be_saved_is_retried_at_hand_in(start, store, monkeypatch):
    exam = start()
    single = next(q for q in exam.questions if q.type == "single")

    def broken(*args, **kwargs):
        raise OSError("database is locked")

    monkeypatch.setattr(store, "save_exam_response", broken)
    answer(exam, single.id, single.answer)
    assert "没有保存成功" in exam.message.value
    monkeypatch.undo()
    exam.hand_in()
    assert store.exam_responses(exam.record.id) == {single.id: single.answer}
    assert exam.record.score == 30


def test_an_abandoned_tab_hands_in_what_is_stored_not_what_it_remembers(start, store, session, blueprint, bank, clock):
    old = start()
    single = next(q for q in old.questions if q.type == "single")
    answer(old, single.id, single.answer)
    (record,) = store.exams_for(session.trainee.id, "kaoshi")
    new = ExamWidget(blueprint, bank, store, record, review=lambda: False, clock=clock)
    wrong = next(x for x in single.option_letters() if x != single.answer)
    answer(new, single.id, wrong)
    clock.advance(minutes=31)
    assert old.tick() is False  # the old kernel's clock fires first
    assert old.record.score == 0 and old._inputs[single.id].response() == wrong


def test_a_change_in_a_tab_handed_in_elsewhere_shows_that_result(start, store, session, blueprint, bank, clock):
    first = start()
    (record,) = store.exams_for(session.trainee.id, "kaoshi")
    other = ExamWidget(blueprint, bank, store, record, review=lambda: False, clock=clock)
    answer_all_right(other)
    other.hand_in()
    answer(first, first.questions[0].id, _key_response(first.questions[0]))
    assert first.submitted and first.record.score == 100
    assert "另一个页面交卷" in first.countdown.value and "成绩 100 分" in first.result.value
