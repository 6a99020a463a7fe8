"""Exam attempts: the drawn paper, draft answers saved as the trainee goes, and the handed-in result.

Drafts are saved one question at a time so that a reload, a dropped phone
connection or a restarted kernel brings the trainee back to the same paper
with her answers.  Handing in happens exactly once: the page may submit twice
(the countdown and the button at the same moment, or two tabs), and the second
submit gets the first result back untouched.  The exam row is locked while a
draft is saved or the paper is handed in, so the two never interleave.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import IntegrityError

from .database import Database
from .errors import ExamClosed, InvalidRecord, UnknownRecord
from .records import ExamRecord
from .rows import key, new_id, now, number, to_json, upsert
from .tables import exam_responses, exams, trainees

_SEED_LIMIT = 2**63  # what a BIGINT holds on every backend


class ExamStore:
    """The exam half of :class:`~helpers.store.Store` (a mixin, for file size)."""

    _db: Database

    def start_exam(
        self, trainee_id: int, blueprint_id: str, seed: int, paper: list[str], deadline: datetime
    ) -> ExamRecord:
        """Record a new attempt with its paper (question ids in the order shown) and deadline."""
        blueprint = key("考试编号", blueprint_id)
        if isinstance(seed, bool) or not isinstance(seed, int) or not -_SEED_LIMIT <= seed < _SEED_LIMIT:
            raise InvalidRecord(f"考试 {blueprint} 的随机种子 {seed!r} 必须是 64 位以内的整数")
        questions = [key(f"考试 {blueprint} 的题目编号", question) for question in paper]
        if len(set(questions)) != len(questions):
            raise InvalidRecord(f"考试 {blueprint} 的试卷中有重复的题目")
        if not isinstance(deadline, datetime) or deadline.tzinfo is None:
            raise InvalidRecord(f"考试 {blueprint} 的截止时间 {deadline!r} 必须是带时区的时间")
        values = {
            "trainee_id": trainee_id,
            "blueprint_id": blueprint,
            "seed": seed,
            "paper": to_json("试卷", questions),
            "started_at": now(),
            "deadline": deadline,
        }

        def work(conn: Connection) -> ExamRecord:
            return _record(_exam_row(conn, new_id(conn.execute(insert(exams).values(values)))))

        try:
            return self._db.write(work)
        except IntegrityError:
            raise UnknownRecord(f"学员记录 {trainee_id} 不存在，请重新登录") from None

    def exams_for(self, trainee_id: int, blueprint_id: str) -> list[ExamRecord]:
        """The trainee's attempts at one exam, oldest first."""
        query = (
            select(exams)
            .where(exams.c.trainee_id == trainee_id, exams.c.blueprint_id == blueprint_id)
            .order_by(exams.c.id)
        )
        return [_record(row) for row in self._db.read(lambda conn: conn.execute(query).all())]

    def save_exam_response(self, exam_id: int, question_id: str, response: Any) -> None:
        """Keep the trainee's current answer to one question; committed when this returns."""
        question = key("题目编号", question_id)
        encoded = to_json(f"题目 {question} 的作答", response)

        def work(conn: Connection) -> None:
            row = _exam_row(conn, exam_id, lock=True)
            if row.submitted_at is not None:
                raise ExamClosed(f"考试记录 {exam_id} 已经交卷，答案不能再修改")
            if question not in json.loads(row.paper):
                raise InvalidRecord(f"题目 {question} 不在考试记录 {exam_id} 的试卷中")
            upsert(
                conn,
                exam_responses,
                {"exam_id": exam_id, "question_id": question},
                {"response": encoded, "updated_at": now()},
            )

        self._db.write(work)

    def exam_responses(self, exam_id: int) -> dict[str, Any]:
        """The answers saved so far, question id → response; unanswered questions are absent."""
        query = select(exam_responses.c.question_id, exam_responses.c.response).where(
            exam_responses.c.exam_id == exam_id, exam_responses.c.response.is_not(None)
        )
        rows = self._db.read(lambda conn: conn.execute(query).all())
        return {row.question_id: json.loads(row.response) for row in rows}

    def submit_exam(
        self, exam_id: int, results: Mapping[str, tuple[float, bool]], score: float, passed: bool
    ) -> ExamRecord:
        """Hand the paper in: each question's (score, correct) and the total, once.

        If the attempt was handed in already, nothing changes and the first
        result is returned, so a double submit can never change a grade.
        """
        total = number(f"考试记录 {exam_id} 的成绩", score)
        graded = {
            key("题目编号", question): (number(f"题目 {question} 的得分", points), bool(correct))
            for question, (points, correct) in results.items()
        }

        def work(conn: Connection) -> ExamRecord:
            row = _exam_row(conn, exam_id, lock=True)
            if row.submitted_at is not None:
                return _record(row)
            strangers = sorted(graded.keys() - set(json.loads(row.paper)))
            if strangers:
                raise InvalidRecord(f"题目 {'、'.join(strangers)} 不在考试记录 {exam_id} 的试卷中")
            submitted = now()
            conn.execute(
                update(exams)
                .where(exams.c.id == exam_id)
                .values(submitted_at=submitted, score=total, passed=bool(passed))
            )
            for question, (points, correct) in graded.items():
                upsert(
                    conn,
                    exam_responses,
                    {"exam_id": exam_id, "question_id": question},
                    {"score": points, "correct": correct, "updated_at": submitted},
                )
            return _record(_exam_row(conn, exam_id))

        return self._db.write(work)

    def class_exam_results(self, code: str, blueprint_id: str) -> list[ExamRecord]:
        """Every attempt at one exam by the class's trainees, handed in or not; by trainee, oldest first."""
        query = (
            select(exams)
            .join(trainees, trainees.c.id == exams.c.trainee_id)
            .where(trainees.c.class_code == code, exams.c.blueprint_id == blueprint_id)
            .order_by(exams.c.trainee_id, exams.c.id)
        )
        return [_record(row) for row in self._db.read(lambda conn: conn.execute(query).all())]


def _exam_row(conn: Connection, exam_id: int, *, lock: bool = False) -> Row[Any]:
    """The exam's row (on PostgreSQL locked until commit if ``lock``), or :class:`UnknownRecord`."""
    query = select(exams).where(exams.c.id == exam_id)
    row = conn.execute(query.with_for_update() if lock else query).first()
    if row is None:
        raise UnknownRecord(f"考试记录 {exam_id} 不存在，请重新进入考试")
    return row


def _record(row: Row[Any]) -> ExamRecord:
    return ExamRecord(
        id=row.id,
        trainee_id=row.trainee_id,
        blueprint_id=row.blueprint_id,
        seed=row.seed,
        paper=json.loads(row.paper),
        started_at=row.started_at,
        deadline=row.deadline,
        submitted_at=row.submitted_at,
        score=row.score,
        passed=row.passed,
    )
