"""What 错题本 and 今日复习 read: one trainee's every answer, from every module.

Read-only, and no table of its own: the schedule is replayed from the answers
(:mod:`helpers.engine.review`), so there is nothing to keep in step.  A review
answer is stored like any other, with :meth:`Store.record_answer` under the
question's module and no attempt; the module's progress counts quiz answers
only (:mod:`helpers.store.progress`), so reviewing never changes it.
"""

from __future__ import annotations

from sqlalchemy import select

from helpers.engine.review import PastAnswer

from .database import Database
from .rows import answer_fields
from .tables import answers


class ReviewStore:
    """The review half of :class:`~helpers.store.Store` (a mixin, for file size)."""

    _db: Database

    def answer_history(self, trainee_id: int) -> list[PastAnswer]:
        """Every answer of the trainee in every module, quiz and review alike, in the order stored."""
        query = (
            select(answers.c.question_id, answers.c.module, answers.c.response, answers.c.score,
                   answers.c.correct, answers.c.created_at)
            .where(answers.c.trainee_id == trainee_id)
            .order_by(answers.c.id)
        )
        rows = self._db.read(lambda conn: conn.execute(query).all())
        return [PastAnswer(**answer_fields(row)) for row in rows]
