"""错题本 and 今日复习: which questions a trainee got wrong, and when to see each again.

Pure functions over one trainee's answers from every module (what
:meth:`helpers.store.Store.answer_history` returns).  Nothing is stored about
the schedule: it is replayed from the answers each time through the FSRS
scheduler (the ``fsrs`` package), so it can never disagree with them, and
answers imported from another computer (see ``helpers.store.portable``) count
like the rest.  A trainee has a few hundred answers at most, so a replay is
instant.

Ratings, from the score the grader gave: full marks → Good, partly right →
Hard, nothing right → Again.  Only questions she once got wrong (score below
1) are in the book; the right answers before that still shape the schedule.

Days are trainees' days, in China (:data:`LOCAL_ZONE`): a question due at
01:00 UTC is due on the Beijing morning, not the evening before.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from fsrs import Card, Rating, Scheduler

# Right answers in a row, after the last wrong one, that take a question out of
# the book.  Three spaced recalls (FSRS spaces them days apart) show she knows
# it; one right answer could be the answer she just read in the feedback.
RETIRE_AFTER = 3
LOCAL_ZONE = ZoneInfo("Asia/Shanghai")
# The chart's width in days: about a month of bars still reads on a phone.
SERIES_DAYS = 30

_SCHEDULER = Scheduler(enable_fuzzing=False)  # no random fuzz: the same answers give the same plan


class ReviewHistoryError(ValueError):
    """An answer that cannot be scheduled (a time without zone, a score outside 0–1)."""


@dataclass(frozen=True)
class PastAnswer:
    """One stored answer, from any module; ``created_at`` is timezone-aware."""

    question_id: str
    module: str
    response: Any
    score: float
    correct: bool
    created_at: datetime


@dataclass(frozen=True)
class BookEntry:
    """One question of the 错题本: her wrong answers, her latest answer, and when to see it again.

    ``due`` is when FSRS wants it again (UTC); ``right_in_a_row`` counts the
    right answers since the last wrong one.
    """

    question_id: str
    module: str
    wrong_count: int
    last_wrong: PastAnswer
    last_answer: PastAnswer
    due: datetime
    right_in_a_row: int

    @property
    def retired(self) -> bool:
        """Mastered: answered right :data:`RETIRE_AFTER` times in a row since the last wrong answer."""
        return self.right_in_a_row >= RETIRE_AFTER

    @property
    def review_on(self) -> date:
        """The local day to see it again: FSRS's due day, but never the day of a right answer.

        FSRS first asks again after minutes (its learning steps), which suits
        flashcards; a course review is daily, so a question answered right
        today waits for another day, while a wrong one stays due today.
        """
        day = local_day(self.due)
        if self.last_answer.score >= 1:
            day = max(day, local_day(self.last_answer.created_at) + timedelta(days=1))
        return day


@dataclass(frozen=True)
class ReviewDay:
    """The chart's one day: questions in the book and mastered by its end, answers to them that day."""

    day: date
    booked: int
    retired: int
    reviewed: int


def local_day(moment: datetime) -> date:
    """The day in China at ``moment`` (timezone-aware)."""
    return moment.astimezone(LOCAL_ZONE).date()


def wrong_book(history: Iterable[PastAnswer]) -> list[BookEntry]:
    """Every question she ever answered wrongly, in the order she first got them wrong."""
    book: dict[str, BookEntry] = {}
    for _, entry in _replay(history):
        if entry is not None:
            book[entry.question_id] = entry
    return list(book.values())


def due_today(entries: Iterable[BookEntry], today: date) -> list[BookEntry]:
    """The questions to review on ``today`` (overdue ones included), the longest-waiting first."""
    return sorted((e for e in entries if not e.retired and e.review_on <= today), key=lambda e: e.due)


def next_review_day(entries: Iterable[BookEntry], today: date) -> date | None:
    """The first day after ``today`` with questions to review; ``None`` once all are mastered."""
    return min((e.review_on for e in entries if not e.retired and e.review_on > today), default=None)


def review_series(history: Iterable[PastAnswer], today: date, days: int = SERIES_DAYS) -> list[ReviewDay]:
    """The progress chart: one :class:`ReviewDay` per day, from her first wrong answer to ``today``.

    At most the last ``days`` days; days without answers repeat the day before.
    An answer counts as reviewed when its question was already in the book.
    """
    booked: dict[str, BookEntry] = {}
    reviewed: dict[date, int] = {}
    closing: dict[date, tuple[int, int]] = {}
    for answer, entry in _replay(history):
        day = local_day(answer.created_at)
        if answer.question_id in booked:
            reviewed[day] = reviewed.get(day, 0) + 1
        if entry is not None:
            booked[entry.question_id] = entry
            closing[day] = (len(booked), sum(e.retired for e in booked.values()))
    if not closing:
        return []
    first = max(min(closing), today - timedelta(days=days - 1))
    earlier = [day for day in closing if day < first]  # in time order, as replayed
    counts = closing[earlier[-1]] if earlier else (0, 0)
    series: list[ReviewDay] = []
    day = first
    while day <= today:
        counts = closing.get(day, counts)
        series.append(ReviewDay(day, counts[0], counts[1], reviewed.get(day, 0)))
        day += timedelta(days=1)
    return series


# -- the replay -----------------------------------------------------------------


def _replay(history: Iterable[PastAnswer]) -> Iterator[tuple[PastAnswer, BookEntry | None]]:
    """Each answer in time order, with its question's book entry after it (``None`` until first wrong).

    Sorted by time, not by id: an answer imported from another computer gets
    a new id but keeps when it was made, and FSRS must see reviews in order.
    """
    cards: dict[str, Card] = {}
    entries: dict[str, BookEntry] = {}
    for answer in sorted(_checked(history), key=lambda a: a.created_at):
        # A card_id of our own: without one, Card() reads the clock and sleeps a millisecond.
        card = cards.get(answer.question_id) or Card(card_id=len(cards) + 1)
        cards[answer.question_id], _ = _SCHEDULER.review_card(
            card, _rating(answer.score), answer.created_at.astimezone(timezone.utc)
        )
        due = cards[answer.question_id].due
        before = entries.get(answer.question_id)
        if answer.score < 1:
            wrong = 1 + (before.wrong_count if before else 0)
            entry = BookEntry(answer.question_id, answer.module, wrong, answer, answer, due, 0)
        elif before is not None:
            entry = replace(before, last_answer=answer, due=due, right_in_a_row=before.right_in_a_row + 1)
        else:
            entry = None
        if entry is not None:
            entries[answer.question_id] = entry
        yield answer, entry


def _rating(score: float) -> Rating:
    if score >= 1:
        return Rating.Good
    return Rating.Hard if score > 0 else Rating.Again


def _checked(history: Iterable[PastAnswer]) -> list[PastAnswer]:
    answers = list(history)
    for answer in answers:
        if answer.created_at.tzinfo is None:
            raise ReviewHistoryError(
                f"题目 {answer.question_id} 的作答时间 {answer.created_at} 没有时区，无法安排复习"
            )
        if not (isinstance(answer.score, (int, float)) and math.isfinite(answer.score) and 0 <= answer.score <= 1):
            raise ReviewHistoryError(f"题目 {answer.question_id} 的得分 {answer.score!r} 不在 0 到 1 之间，无法安排复习")
    return answers
