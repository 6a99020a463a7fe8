"""Per-module progress, for one trainee's course home or a whole class's roster.

Both ask the same question of different sets of trainees, so one set of
queries serves both; ``chosen`` says which trainees as a condition on a
``trainee_id`` column.  Three grouped queries whatever the number of trainees,
so a class of 200 costs the instructor's page no more round trips than one
trainee's home page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.engine import Connection

from .records import ModuleProgress
from .tables import answers, attempts, audits

Chosen = Callable[[Any], ColumnElement[bool]]


def module_progress(conn: Connection, chosen: Chosen) -> dict[int, dict[str, ModuleProgress]]:
    """Trainee id → module → progress, for the trainees ``chosen`` picks (absent if no activity)."""
    latest = (
        select(latest_quiz_answer())
        .where(chosen(answers.c.trainee_id))
        .group_by(answers.c.trainee_id, answers.c.module, answers.c.question_id)
    )
    answered = (
        select(
            answers.c.trainee_id,
            answers.c.module,
            func.count().label("answered"),
            func.sum(case((answers.c.correct, 1), else_=0)).label("correct"),
        )
        .where(answers.c.id.in_(latest))
        .group_by(answers.c.trainee_id, answers.c.module)
    )
    finished = (
        select(attempts.c.trainee_id, attempts.c.module, attempts.c.score)
        .where(chosen(attempts.c.trainee_id), attempts.c.finished_at.is_not(None))
        .order_by(attempts.c.finished_at, attempts.c.id)
    )
    audited = (
        select(audits.c.trainee_id, audits.c.module, audits.c.total, audits.c.rating)
        .where(chosen(audits.c.trainee_id))
        .order_by(audits.c.id)
    )
    counts = {(row.trainee_id, row.module): (row.answered, row.correct) for row in conn.execute(answered)}
    last_scores: dict[tuple[int, str], float] = {}
    best_scores: dict[tuple[int, str], float] = {}
    for row in conn.execute(finished):
        place = (row.trainee_id, row.module)
        last_scores[place] = row.score  # finished later wins
        best_scores[place] = max(row.score, best_scores.get(place, row.score))
    last_audits = {(row.trainee_id, row.module): row for row in conn.execute(audited)}

    progress: dict[int, dict[str, ModuleProgress]] = defaultdict(dict)
    for place in sorted(counts.keys() | last_scores.keys() | last_audits.keys()):
        answered_count, correct_count = counts.get(place, (0, 0))
        audit = last_audits.get(place)
        trainee_id, module = place
        progress[trainee_id][module] = ModuleProgress(
            answered=answered_count,
            correct=correct_count,
            last_score=last_scores.get(place),
            audit_total=audit.total if audit else None,
            audit_rating=audit.rating if audit else None,
            best_score=best_scores.get(place),
        )
    return dict(progress)


def latest_quiz_answer() -> ColumnElement[int]:
    """Per question (the caller groups), the answer that counts: the newest one given in a quiz run.

    今日复习 stores its answers with no attempt (see :mod:`helpers.store.review`);
    such an answer never replaces the quiz's, so reviewing a question changes
    neither 答对 on the course home, nor the answers a quiz resumes with, nor
    the instructor's roster and item analysis.  A question with no quiz answer
    at all still counts its newest answer.
    """
    in_a_run = case((answers.c.attempt_id.is_not(None), answers.c.id))
    return func.coalesce(func.max(in_a_run), func.max(answers.c.id))
