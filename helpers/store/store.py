"""The store the pages talk to: trainees, sign-in sessions, attempts, answers and audits.

Every method is one short transaction that is committed before it returns, so
what a page has shown as saved survives the kernel being killed a moment later.
"Latest" always means highest id: ids grow with every insert, whereas two
timestamps from one fast double click can be equal.
"""

from __future__ import annotations

import json
import math
import os
import re
import secrets
import threading
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, ClassVar

from sqlalchemy import Table, case, func, insert, select, update
from sqlalchemy.engine import Connection, CursorResult, Row
from sqlalchemy.exc import IntegrityError

from helpers.engine.identity import Identity

from .database import Database
from .errors import IdentityConflict, InvalidRecord, StoreError, UnknownRecord
from .location import database_url
from .migrate import ensure_schema
from .records import AnswerRecord, AuditRecord, ModuleProgress, Session, Trainee
from .tables import KEY_MAX, TOKEN_MAX, answers, attempts, audits, sessions, trainees

_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]+")


class Store:
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

        The token is random and never derived from name or number, so knowing
        someone's trainee number does not let anyone open their page.
        """
        token = secrets.token_urlsafe(24)
        now = _now()

        def work(conn: Connection) -> Session:
            trainee = _find_or_create_trainee(conn, identity, now)
            conn.execute(
                insert(sessions).values(token=token, trainee_id=trainee.id, created_at=now, last_seen=now)
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
        now = _now()

        def work(conn: Connection) -> Trainee | None:
            seen = conn.execute(update(sessions).where(sessions.c.token == token).values(last_seen=now))
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
            "module": _key("模块", module),
            "started_at": _now(),
        }
        return self._insert(attempts, values, trainee_id)

    def finish_attempt(self, attempt_id: int, score: float) -> None:
        """Close an attempt with its final score (finishing again overwrites the score)."""
        values = {"finished_at": _now(), "score": _number(f"练习记录 {attempt_id} 的得分", score)}

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
        question = _key("题目编号", question_id)
        values = {
            "trainee_id": trainee_id,
            "attempt_id": attempt_id,
            "module": _key("模块", module),
            "question_id": question,
            "response": _json(f"题目 {question} 的作答", response),
            "score": _number(f"题目 {question} 的得分", score),
            "correct": bool(correct),
            "created_at": _now(),
        }
        return self._insert(answers, values, trainee_id, attempt_id)

    def latest_answers(self, trainee_id: int, module: str) -> dict[str, AnswerRecord]:
        """Each question's most recent answer in a module, keyed by question id."""
        latest = (
            select(func.max(answers.c.id))
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
        checklist = _key("自查清单编号", checklist_id)
        if not (
            isinstance(answers, Mapping)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in answers.items())
        ):
            raise InvalidRecord(f"自查清单 {checklist} 的答案必须是“条目编号 → 选项”的文字对照")
        if not isinstance(rating, str):
            raise InvalidRecord(f"自查清单 {checklist} 的评级 {rating!r} 必须是文字")
        values = {
            "trainee_id": trainee_id,
            "module": _key("模块", module),
            "checklist_id": checklist,
            "answers": _json(f"自查清单 {checklist} 的答案", dict(answers)),
            "total": _number(f"自查清单 {checklist} 的总分", total),
            "rating": rating,
            "created_at": _now(),
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
        """Per module: questions answered and right, last attempt score, latest audit."""
        latest = (
            select(func.max(answers.c.id))
            .where(answers.c.trainee_id == trainee_id)
            .group_by(answers.c.module, answers.c.question_id)
        )
        answered = (
            select(
                answers.c.module,
                func.count().label("answered"),
                func.sum(case((answers.c.correct, 1), else_=0)).label("correct"),
            )
            .where(answers.c.id.in_(latest))
            .group_by(answers.c.module)
        )
        finished = (
            select(attempts.c.module, attempts.c.score)
            .where(attempts.c.trainee_id == trainee_id, attempts.c.finished_at.is_not(None))
            .order_by(attempts.c.finished_at, attempts.c.id)
        )
        audited = (
            select(audits.c.module, audits.c.total, audits.c.rating)
            .where(audits.c.trainee_id == trainee_id)
            .order_by(audits.c.id)
        )

        def work(conn: Connection) -> list[Sequence[Any]]:
            return [conn.execute(query).all() for query in (answered, finished, audited)]

        answer_rows, attempt_rows, audit_rows = self._db.read(work)
        counts = {row.module: (row.answered, row.correct) for row in answer_rows}
        scores = {row.module: row.score for row in attempt_rows}  # later rows win
        last_audits = {row.module: row for row in audit_rows}
        return {
            module: ModuleProgress(
                answered=counts.get(module, (0, 0))[0],
                correct=counts.get(module, (0, 0))[1],
                last_score=scores.get(module),
                audit_total=last_audits[module].total if module in last_audits else None,
                audit_rating=last_audits[module].rating if module in last_audits else None,
            )
            for module in sorted(counts.keys() | scores.keys() | last_audits.keys())
        }

    # -- helpers ----------------------------------------------------------------

    def _insert(
        self, table: Table, values: dict[str, Any], trainee_id: int, attempt_id: int | None = None
    ) -> int:
        """Insert one row and return its id, naming the missing trainee or attempt if any."""
        try:
            return self._db.write(lambda conn: _new_id(conn.execute(insert(table).values(values))))
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


def _find_or_create_trainee(conn: Connection, identity: Identity, now: datetime) -> Trainee:
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
                new_id = _new_id(
                    conn.execute(
                        insert(trainees).values(
                            name=identity.name,
                            number=identity.number,
                            class_code=identity.class_code,
                            created_at=now,
                        )
                    )
                )
            return Trainee(new_id, identity.name, identity.number, identity.class_code)
        except IntegrityError:
            row = conn.execute(query).one()
    if row.name != identity.name:
        where = f"该班级（{identity.class_code}）中" if identity.class_code else "自学学员中"
        raise IdentityConflict(
            f"{where}学员编号 {identity.number} 已被其他姓名使用，请核对编号和姓名，或联系培训管理员"
        )
    return _trainee(row)


def _new_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None, "a single-row INSERT always reports its primary key"
    return int(key[0])


def _trainee(row: Row[Any]) -> Trainee:
    return Trainee(id=row.id, name=row.name, number=row.number, class_code=row.class_code)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _key(label: str, value: str) -> str:
    """A module, question or checklist id: non-empty text that fits its column everywhere."""
    if not isinstance(value, str) or not value or len(value) > KEY_MAX:
        raise InvalidRecord(f"{label} {value!r} 无效：应为 1 到 {KEY_MAX} 个字符的文字")
    return value


def _number(label: str, value: float) -> float:
    """A finite float; NaN or infinity would poison every average computed later."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number):
        raise InvalidRecord(f"{label} {value!r} 不是有效的数字")
    return number


def _json(label: str, value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as err:
        raise InvalidRecord(f"{label}无法保存为 JSON（{err}）") from err


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
