"""The store the pages talk to: trainees, sign-in sessions, attempts, answers and audits.

Classes and rosters, exams, and settings are in their own modules as mixins of
:class:`Store`, so that the pages still find everything on one object.

Every method is one short transaction that is committed before it returns, so
what a page has shown as saved survives the kernel being killed a moment later.
"Latest" always means highest id: ids grow with every insert, whereas two
timestamps from one fast double click can be equal.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import threading
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import Table, insert, select, update
from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import IntegrityError

from helpers.engine.identity import Identity

from .classes import ClassStore, admit
from .database import Database
from .errors import IdentityConflict, InvalidRecord, StoreError, UnknownRecord
from .exams import ExamStore
from .location import database_url
from .migrate import ensure_schema
from .portable import PortableStore
from .progress import latest_quiz_answer, module_progress
from .records import AnswerRecord, AuditRecord, ModuleProgress, Session, Trainee
from .review import ReviewStore
from .rows import key, new_id, now, number, to_json
from .settings import SettingStore
from .tables import TOKEN_MAX, answers, attempts, audits, sessions, trainees

_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]+")


class Store(ClassStore, ExamStore, PortableStore, SettingStore, ReviewStore):
    """All reads and writes of course data; get one with :meth:`Store.open`."""

    _opened: ClassVar[dict[str, Store]] = {}
    _opening: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, db: Database, url: str) -> None:
        self._db = db
        self._url = url

    @classmethod
    def open(cls, url: str | None = None) -> Store:
        """The store for ``url`` (default :func:`database_url`), schema brought up to date.

        One store per URL per process: a page's widgets can each call this
        without opening more connections or re-checking the schema.
        """
        url = url or database_url()
        with cls._opening:
            store = cls._opened.get(url)
            if store is None:
                db = Database(url)
                try:
                    ensure_schema(db)
                except BaseException:
                    db.dispose()
                    raise
                store = cls._opened[url] = cls(db, url)
        return store

    def close(self) -> None:
        """Release the connections; the next :meth:`open` of this URL starts afresh."""
        with self._opening:
            if self._opened.get(self._url) is self:
                del self._opened[self._url]
        self._db.dispose()

    # -- trainees and sessions ------------------------------------------------

    def sign_in(self, identity: Identity) -> Session:
        """Find or create the trainee and start a new session for this page.

        A class code must name a class, and a class with a roster admits only
        the numbers and names on it (:class:`~helpers.store.ClassError`,
        :class:`~helpers.store.IdentityConflict` otherwise); an empty code is
        self-study.  The token is random and never derived from name or number,
        so knowing someone's trainee number does not let anyone open their page.
        """
        token = secrets.token_urlsafe(24)
        signed_in = now()

        def work(conn: Connection) -> Session:
            admit(conn, identity)
            trainee = _find_or_create_trainee(conn, identity, signed_in)
            conn.execute(
                insert(sessions).values(
                    token=token, trainee_id=trainee.id, created_at=signed_in, last_seen=signed_in
                )
            )
            return Session(token=token, trainee=trainee)

        return self._db.write(work)

    def trainee_for_token(self, token: str) -> Trainee | None:
        """The trainee a page's saved token belongs to, or ``None`` for any unknown token.

        The token comes from the browser, so anything malformed is simply not
        found; only a database that cannot be used raises.
        """
        if not (isinstance(token, str) and len(token) <= TOKEN_MAX and _TOKEN_PATTERN.fullmatch(token)):
            return None
        seen_at = now()

        def work(conn: Connection) -> Trainee | None:
            seen = conn.execute(update(sessions).where(sessions.c.token == token).values(last_seen=seen_at))
            if seen.rowcount == 0:
                return None
            row = conn.execute(
                select(trainees)
                .join(sessions, sessions.c.trainee_id == trainees.c.id)
                .where(sessions.c.token == token)
            ).one()
            return _trainee(row)

        return self._db.write(work)

    # -- attempts and answers ---------------------------------------------------

    def start_attempt(self, trainee_id: int, module: str) -> int:
        """Record that a trainee started a run through a module's questions."""
        values = {
            "trainee_id": trainee_id,
            "module": key("模块", module),
            "started_at": now(),
        }
        return self._insert(attempts, values, trainee_id)

    def finish_attempt(self, attempt_id: int, score: float) -> None:
        """Close an attempt with its final score (finishing again overwrites the score)."""
        values = {"finished_at": now(), "score": number(f"练习记录 {attempt_id} 的得分", score)}

        def work(conn: Connection) -> int:
            done = conn.execute(update(attempts).where(attempts.c.id == attempt_id).values(values))
            return done.rowcount

        if self._db.write(work) == 0:
            raise UnknownRecord(f"练习记录 {attempt_id} 不存在，请重新开始本次练习")

    def record_answer(
        self,
        trainee_id: int,
        module: str,
        question_id: str,
        response: Any,
        score: float,
        correct: bool,
        attempt_id: int | None = None,
    ) -> int:
        """Store one answer; it is committed to disk when this returns.

        ``response`` is whatever the question widget produced, stored as JSON.
        """
        question = key("题目编号", question_id)
        values = {
            "trainee_id": trainee_id,
            "attempt_id": attempt_id,
            "module": key("模块", module),
            "question_id": question,
            "response": to_json(f"题目 {question} 的作答", response),
            "score": number(f"题目 {question} 的得分", score),
            "correct": bool(correct),
            "created_at": now(),
        }
        return self._insert(answers, values, trainee_id, attempt_id)

    def latest_answers(self, trainee_id: int, module: str) -> dict[str, AnswerRecord]:
        """Each question's answer that counts in a module (see :func:`latest_quiz_answer`), keyed by question id."""
        latest = (
            select(latest_quiz_answer())
            .where(answers.c.trainee_id == trainee_id, answers.c.module == module)
            .group_by(answers.c.question_id)
        )
        query = select(answers).where(answers.c.id.in_(latest)).order_by(answers.c.id)
        rows = self._db.read(lambda conn: conn.execute(query).all())
        return {
            row.question_id: AnswerRecord(
                question_id=row.question_id,
                response=json.loads(row.response),
                score=row.score,
                correct=row.correct,
                created_at=row.created_at,
            )
            for row in rows
        }

    # -- self-audits ------------------------------------------------------------

    def save_audit(
        self,
        trainee_id: int,
        module: str,
        checklist_id: str,
        answers: Mapping[str, str],
        total: float,
        rating: str,
    ) -> int:
        """Store one filled-in checklist and its result; every save is kept as history."""
        checklist = key("自查清单编号", checklist_id)
        if not (
            isinstance(answers, Mapping)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in answers.items())
        ):
            raise InvalidRecord(f"自查清单 {checklist} 的答案必须是“条目编号 → 选项”的文字对照")
        if not isinstance(rating, str):
            raise InvalidRecord(f"自查清单 {checklist} 的评级 {rating!r} 必须是文字")
        values = {
            "trainee_id": trainee_id,
            "module": key("模块", module),
            "checklist_id": checklist,
            "answers": to_json(f"自查清单 {checklist} 的答案", dict(answers)),
            "total": number(f"自查清单 {checklist} 的总分", total),
            "rating": rating,
            "created_at": now(),
        }
        return self._insert(audits, values, trainee_id)

    def latest_audit(self, trainee_id: int, checklist_id: str) -> AuditRecord | None:
        """The most recent save of a checklist, or ``None`` if it was never filled in."""
        history = self._audits(trainee_id, checklist_id, newest_first=True, limit=1)
        return history[0] if history else None

    def audit_history(self, trainee_id: int, checklist_id: str) -> list[AuditRecord]:
        """Every save of a checklist, oldest first, to show how the trainee improved."""
        return self._audits(trainee_id, checklist_id, newest_first=False, limit=None)

    # -- overview ---------------------------------------------------------------

    def progress(self, trainee_id: int) -> dict[str, ModuleProgress]:
        """Per module: questions answered and right, last and best attempt score, latest audit."""
        found = self._db.read(lambda conn: module_progress(conn, lambda column: column == trainee_id))
        return found.get(trainee_id, {})

    # -- helpers ----------------------------------------------------------------

    def _insert(
        self, table: Table, values: dict[str, Any], trainee_id: int, attempt_id: int | None = None
    ) -> int:
        """Insert one row and return its id, naming the missing trainee or attempt if any."""
        try:
            return self._db.write(lambda conn: new_id(conn.execute(insert(table).values(values))))
        except IntegrityError:
            raise self._missing(trainee_id, attempt_id) from None

    def _missing(self, trainee_id: int, attempt_id: int | None) -> StoreError:
        """Which foreign key an insert broke; the only ones are trainee and attempt."""
        query = select(trainees.c.id).where(trainees.c.id == trainee_id)
        if self._db.read(lambda conn: conn.execute(query).first()) is None:
            return UnknownRecord(f"学员记录 {trainee_id} 不存在，请重新登录")
        return UnknownRecord(f"练习记录 {attempt_id} 不存在，请重新开始本次练习")

    def _audits(
        self, trainee_id: int, checklist_id: str, *, newest_first: bool, limit: int | None
    ) -> list[AuditRecord]:
        order = audits.c.id.desc() if newest_first else audits.c.id
        query = (
            select(audits)
            .where(audits.c.trainee_id == trainee_id, audits.c.checklist_id == checklist_id)
            .order_by(order)
            .limit(limit)
        )
        rows = self._db.read(lambda conn: conn.execute(query).all())
        return [
            AuditRecord(
                id=row.id,
                checklist_id=row.checklist_id,
                module=row.module,
                answers=json.loads(row.answers),
                total=row.total,
                rating=row.rating,
                created_at=row.created_at,
            )
            for row in rows
        ]


def _find_or_create_trainee(conn: Connection, identity: Identity, signed_in: datetime) -> Trainee:
    """The trainee with this class code and number, created on first sign-in.

    The insert runs in a savepoint so that, on PostgreSQL, losing a race with
    another kernel signing in the same trainee just means reading their row.
    """
    query = select(trainees).where(
        trainees.c.class_code == identity.class_code, trainees.c.number == identity.number
    )
    row = conn.execute(query).one_or_none()
    if row is None:
        try:
            with conn.begin_nested():
                trainee_id = new_id(
                    conn.execute(
                        insert(trainees).values(
                            name=identity.name,
                            number=identity.number,
                            class_code=identity.class_code,
                            created_at=signed_in,
                        )
                    )
                )
            return Trainee(trainee_id, identity.name, identity.number, identity.class_code)
        except IntegrityError:
            row = conn.execute(query).one()
    if row.name != identity.name:
        where = f"该班级（{identity.class_code}）中" if identity.class_code else "自学学员中"
        raise IdentityConflict(
            f"{where}学员编号 {identity.number} 已被其他姓名使用，请核对编号和姓名，或联系培训管理员"
        )
    return _trainee(row)


def _trainee(row: Row[Any]) -> Trainee:
    return Trainee(id=row.id, name=row.name, number=row.number, class_code=row.class_code)


def _forget_inherited_stores() -> None:
    """In a forked child, drop the parent's stores without closing its connections.

    A SQLite or PostgreSQL connection must not be used from two processes, so
    the child opens its own on the next :meth:`Store.open`.
    """
    for store in Store._opened.values():
        store._db.engine.dispose(close=False)
    Store._opened.clear()
    Store._opening = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_inherited_stores)
