"""错题本 and 今日复习 replayed from fixed answer histories: ratings, retirement, due days, the chart."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from fsrs import Card, Rating, Scheduler

from helpers.engine.review import (
    RETIRE_AFTER,
    PastAnswer,
    ReviewDay,
    ReviewHistoryError,
    due_today,
    local_day,
    next_review_day,
    review_series,
    wrong_book,
)

# Monday 2 March 2026, 09:00 in Beijing.
MONDAY = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)


def answer(question: str, score: float, at: datetime, module: str = "fazhan", response: object = "A") -> PastAnswer:
    return PastAnswer(question, module, response, score, score >= 1, at)


def days(n: float) -> timedelta:
    return timedelta(days=n)


def test_only_questions_once_answered_wrongly_are_in_the_book_in_the_order_first_missed():
    history = [
        answer("right", 1.0, MONDAY),
        answer("partly", 0.5, MONDAY + timedelta(minutes=1), module="zuzhi", response=["A", "C"]),
        answer("wrong", 0.0, MONDAY + timedelta(minutes=2), response="B"),
        answer("wrong", 0.0, MONDAY + timedelta(minutes=3), response="C"),
        answer("wrong", 1.0, MONDAY + timedelta(minutes=4), response="D"),
    ]
    book = wrong_book(history)
    assert [(e.question_id, e.module, e.wrong_count) for e in book] == [("partly", "zuzhi", 1), ("wrong", "fazhan", 2)]
    wrong = book[1]
    assert (wrong.last_wrong.response, wrong.last_answer.response, wrong.right_in_a_row) == ("C", "D", 1)


def test_the_schedule_is_fsrs_with_good_hard_and_again_from_the_score():
    scores = [1.0, 0.0, 0.5, 1.0, 1.0]
    times = [MONDAY + days(n) for n in (0, 1, 2, 5, 12)]
    scheduler, card = Scheduler(enable_fuzzing=False), Card(card_id=1)
    for score, at in zip(scores, times):
        rating = {1.0: Rating.Good, 0.5: Rating.Hard, 0.0: Rating.Again}[score]
        card, _ = scheduler.review_card(card, rating, at)

    [entry] = wrong_book(answer("q1", score, at) for score, at in zip(scores, times))
    assert entry.due == card.due and entry.due.tzinfo is not None


def test_answers_are_replayed_in_time_order_whatever_order_they_come_in():
    history = [answer("q1", 0.0, MONDAY), answer("q1", 1.0, MONDAY + days(1)), answer("q1", 1.0, MONDAY + days(4))]
    assert wrong_book(reversed(history)) == wrong_book(history)


def test_retired_after_enough_right_answers_in_a_row_since_the_last_wrong_one():
    history = [answer("q1", 0.0, MONDAY)]
    for n in range(1, RETIRE_AFTER):
        history.append(answer("q1", 1.0, MONDAY + days(n)))
    [entry] = wrong_book(history)
    assert entry.right_in_a_row == RETIRE_AFTER - 1 and not entry.retired

    history.append(answer("q1", 1.0, MONDAY + days(RETIRE_AFTER)))
    [entry] = wrong_book(history)
    assert entry.retired and due_today([entry], local_day(entry.due) + days(1)) == []

    history.append(answer("q1", 0.0, MONDAY + days(30)))  # forgotten again: back in review
    [entry] = wrong_book(history)
    assert (entry.retired, entry.right_in_a_row, entry.wrong_count) == (False, 0, 2)


def test_a_partly_right_answer_breaks_the_run():
    history = [answer("q1", 0.0, MONDAY), answer("q1", 1.0, MONDAY + days(1)), answer("q1", 1.0, MONDAY + days(3)),
               answer("q1", 0.5, MONDAY + days(7)), answer("q1", 1.0, MONDAY + days(8))]
    [entry] = wrong_book(history)
    assert (entry.wrong_count, entry.right_in_a_row, entry.retired) == (2, 1, False)


def test_a_wrong_answer_is_due_the_same_day_and_a_right_one_not_before_the_next():
    monday = local_day(MONDAY)
    book = wrong_book([answer("q1", 0.0, MONDAY), answer("q2", 0.0, MONDAY + timedelta(minutes=5))])
    assert [e.question_id for e in due_today(book, monday)] == ["q1", "q2"]

    book = wrong_book([answer("q1", 0.0, MONDAY), answer("q2", 0.0, MONDAY),
                       answer("q1", 1.0, MONDAY + timedelta(hours=1))])
    assert [e.question_id for e in due_today(book, monday)] == ["q2"]
    assert next_review_day(book, monday) == date(2026, 3, 3)
    assert [e.question_id for e in due_today(book, date(2026, 3, 3))] == ["q2", "q1"]  # the longest waiting first


def test_overdue_questions_stay_due_and_nothing_is_left_once_all_are_mastered():
    book = wrong_book([answer("q1", 0.0, MONDAY)])
    assert len(due_today(book, date(2026, 4, 1))) == 1
    mastered = wrong_book([answer("q1", 0.0, MONDAY), *(answer("q1", 1.0, MONDAY + days(n)) for n in (1, 3, 9))])
    assert due_today(mastered, date(2026, 4, 1)) == [] and next_review_day(mastered, date(2026, 4, 1)) is None


def test_days_are_beijing_days():
    late_utc_evening = datetime(2026, 3, 1, 17, 0, tzinfo=timezone.utc)  # 01:00 on 2 March in Beijing
    assert local_day(late_utc_evening) == date(2026, 3, 2)
    book = wrong_book([answer("q1", 0.0, late_utc_evening)])
    assert due_today(book, date(2026, 3, 1)) == [] and len(due_today(book, date(2026, 3, 2))) == 1


def test_the_chart_counts_the_book_the_mastered_and_the_reviews_per_day():
    history = [
        answer("q1", 0.0, MONDAY),
        answer("q2", 0.0, MONDAY + timedelta(minutes=1)),
        answer("q3", 1.0, MONDAY + timedelta(minutes=2)),  # right first time: never in the book
        answer("q1", 1.0, MONDAY + days(1)),
        answer("q1", 1.0, MONDAY + days(3)),
        answer("q2", 0.0, MONDAY + days(3)),
        answer("q1", 1.0, MONDAY + days(4)),
    ]
    assert review_series(history, date(2026, 3, 7)) == [
        ReviewDay(date(2026, 3, 2), booked=2, retired=0, reviewed=0),
        ReviewDay(date(2026, 3, 3), booked=2, retired=0, reviewed=1),
        ReviewDay(date(2026, 3, 4), booked=2, retired=0, reviewed=0),
        ReviewDay(date(2026, 3, 5), booked=2, retired=0, reviewed=2),
        ReviewDay(date(2026, 3, 6), booked=2, retired=1, reviewed=1),
        ReviewDay(date(2026, 3, 7), booked=2, retired=1, reviewed=0),
    ]


def test_the_chart_shows_the_last_days_only_carrying_the_counts_in():
    history = [answer("q1", 0.0, MONDAY), answer("q2", 0.0, MONDAY + days(1))]
    series = review_series(history, date(2026, 3, 20), days=5)
    assert [d.day for d in series] == [date(2026, 3, n) for n in range(16, 21)]
    assert all((d.booked, d.retired, d.reviewed) == (2, 0, 0) for d in series)


def test_no_wrong_answer_no_book_no_chart():
    history = [answer("q1", 1.0, MONDAY)]
    assert wrong_book(history) == [] and review_series(history, date(2026, 3, 2)) == []
    assert next_review_day([], date(2026, 3, 2)) is None


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (answer("q7", 0.0, datetime(2026, 3, 2, 9, 0)), "题目 q7 的作答时间 2026-03-02 09:00:00 没有时区"),
        (answer("q8", 1.5, MONDAY), "题目 q8 的得分 1.5 不在 0 到 1 之间"),
        (answer("q9", float("nan"), MONDAY), "题目 q9 的得分 nan 不在 0 到 1 之间"),
    ],
)
def test_an_answer_that_cannot_be_scheduled_is_named(bad, message):
    with pytest.raises(ReviewHistoryError, match=message):
        wrong_book([answer("q1", 0.0, MONDAY), bad])
