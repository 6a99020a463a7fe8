"""Classes (班级), their rosters, who may sign in to them, and what the class dashboard reads.

A class is created by the instructor before trainees sign in with its code.
Once a roster is imported, only the trainees on it can sign in, each with the
number and name the roster gives; a class without a roster takes anyone who
knows its code, as classes did before rosters existed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, func, insert, select, true, union, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from helpers.content.roster import RosterEntry
from helpers.engine.identity import (
    CLASS_CODE_MAX,
    Identity,
    IdentityError,
    checked_code,
    checked_text,
    validate_identity,
)

from .database import Database
from .errors import ClassError, IdentityConflict
from .progress import latest_quiz_answer, module_progress
from .records import ClassInfo, ModuleProgress, ResponseRow, Trainee
from .rows import answer_fields, now
from .tables import CLASS_NAME_MAX, ROSTER_TEXT_MAX, answers, classes, roster, trainees


def admit(conn: Connection, identity: Identity) -> None:
    """Refuse a sign-in to a class that does not exist, or that the roster does not allow.

    Runs inside the sign-in transaction.  Never says who holds a number: the
    person typing may not be the trainee.
    """
    code = identity.class_code
    if not code:
        return  # self-study
    if conn.execute(select(classes.c.code).where(classes.c.code == code)).first() is None:
        raise ClassError(f"班级代码 {code} 不存在，请向授课老师确认；自学请留空")
    listed = conn.execute(
        select(roster.c.name).where(roster.c.class_code == code, roster.c.number == identity.number)
    ).first()
    if listed is not None:
        if listed.name != identity.name:
            raise IdentityConflict(
                f"班级 {code} 的花名册中，学员编号 {identity.number} 登记的是另一个姓名，"
                "请核对编号和姓名，或联系授课老师"
            )
        return
    if conn.execute(select(roster.c.number).where(roster.c.class_code == code).limit(1)).first():
        raise ClassError(
            f"你不在班级 {code} 的花名册中，请核对学员编号和姓名（以花名册为准），或联系授课老师"
        )


class ClassStore:
    """The class and roster half of :class:`~helpers.store.Store` (a mixin, for file size)."""

    _db: Database

    def create_class(
        self, code: str, name: str, starts_on: date | None = None, ends_on: date | None = None
    ) -> ClassInfo:
        """Create a class; its code is normalised like the code trainees type, so both match."""
        clean_code = _class_field(lambda: checked_code("班级代码", code, CLASS_CODE_MAX, required=True))
        clean_name = _class_field(lambda: checked_text("班级名称", name, CLASS_NAME_MAX, required=True))
        first, last = _day("开始日期", starts_on), _day("结束日期", ends_on)
        if first and last and last < first:
            raise ClassError(f"班级 {clean_code} 的结束日期 {last} 早于开始日期 {first}")
        values = {"code": clean_code, "name": clean_name, "starts_on": first, "ends_on": last}

        def work(conn: Connection) -> ClassInfo:
            conn.execute(insert(classes).values({**values, "created_at": now()}))
            return _class_infos(conn, classes.c.code == clean_code)[0]

        try:
            return self._db.write(work)
        except IntegrityError:
            raise ClassError(f"班级代码 {clean_code} 已被另一个班级使用，请换一个代码") from None

    def list_classes(self) -> list[ClassInfo]:
        """Every class, the most recently created first."""
        return self._db.read(lambda conn: _class_infos(conn, true()))

    def get_class(self, code: str) -> ClassInfo | None:
        found = self._db.read(lambda conn: _class_infos(conn, classes.c.code == code))
        return found[0] if found else None

    def import_roster(self, code: str, entries: Iterable[RosterEntry]) -> int:
        """Add the entries to the class's roster, updating unit and position of those already on it.

        All or nothing: any entry that cannot be stored, repeats a number, or
        gives a number that the roster or a signed-in trainee already has under
        another name refuses the whole import, one line per problem.  Returns
        how many entries were imported.
        """
        checked = _roster_entries(code, list(entries))

        def work(conn: Connection) -> int:
            # Locking the class row makes two imports into one class take turns.
            found = select(classes.c.code).where(classes.c.code == code).with_for_update()
            if conn.execute(found).first() is None:
                raise ClassError(f"班级代码 {code} 不存在，请先创建班级")
            on_roster = select(roster.c.number, roster.c.name).where(roster.c.class_code == code)
            listed = dict(conn.execute(on_roster).all())
            came = select(trainees.c.number, trainees.c.name).where(trainees.c.class_code == code)
            signed_in = dict(conn.execute(came).all())
            problems = [
                problem
                for entry in checked
                if (problem := _clash(entry, listed.get(entry.number), signed_in.get(entry.number)))
            ]
            if problems:
                raise _roster_refused(code, problems)
            new = [
                {"class_code": code, **asdict(entry)} for entry in checked if entry.number not in listed
            ]
            known = [
                {"b_number": e.number, "b_unit": e.unit, "b_position": e.position}
                for e in checked
                if e.number in listed
            ]
            if new:
                conn.execute(insert(roster), new)
            if known:
                conn.execute(
                    update(roster)
                    .where(roster.c.class_code == code, roster.c.number == bindparam("b_number"))
                    .values(unit=bindparam("b_unit"), position=bindparam("b_position")),
                    known,
                )
            return len(checked)

        return self._db.write(work)

    def roster(self, code: str) -> list[RosterEntry]:
        """The class's roster ordered by trainee number (empty when none was imported)."""
        query = select(roster).where(roster.c.class_code == code).order_by(roster.c.number)
        rows = self._db.read(lambda conn: conn.execute(query).all())
        return [RosterEntry(row.number, row.name, row.unit, row.position) for row in rows]

    def class_trainees(self, code: str) -> list[Trainee]:
        """Everyone who has signed in to the class, ordered by trainee number."""
        query = select(trainees).where(trainees.c.class_code == code).order_by(trainees.c.number)
        rows = self._db.read(lambda conn: conn.execute(query).all())
        return [Trainee(row.id, row.name, row.number, row.class_code) for row in rows]

    def class_progress(self, code: str) -> dict[int, dict[str, ModuleProgress]]:
        """Trainee id → module → progress for every trainee of the class with any activity."""
        members = _members(code)
        return self._db.read(lambda conn: module_progress(conn, lambda column: column.in_(members)))

    def class_responses(self, code: str, module: str | None = None) -> list[ResponseRow]:
        """The latest answer of each trainee of the class to each question (of ``module`` if given).

        One row per trainee and question, which is what item analysis wants:
        retries replace earlier answers rather than counting twice.
        """
        latest = select(latest_quiz_answer()).where(answers.c.trainee_id.in_(_members(code)))
        if module is not None:
            latest = latest.where(answers.c.module == module)
        latest = latest.group_by(answers.c.trainee_id, answers.c.module, answers.c.question_id)
        query = select(answers).where(answers.c.id.in_(latest)).order_by(answers.c.id)
        rows = self._db.read(lambda conn: conn.execute(query).all())
        return [ResponseRow(trainee_id=row.trainee_id, **answer_fields(row)) for row in rows]


def _members(code: str) -> Select[Any]:
    """The ids of the trainees signed in to a class, as a subquery."""
    return select(trainees.c.id).where(trainees.c.class_code == code)


def _class_infos(conn: Connection, where: ColumnElement[bool]) -> list[ClassInfo]:
    """Classes matching ``where`` with their head count: on the roster or signed in, each once."""
    people = union(
        select(roster.c.class_code, roster.c.number), select(trainees.c.class_code, trainees.c.number)
    ).subquery()
    counts = (
        select(people.c.class_code, func.count().label("trainee_count"))
        .group_by(people.c.class_code)
        .subquery()
    )
    query = (
        select(classes, func.coalesce(counts.c.trainee_count, 0).label("trainee_count"))
        .outerjoin(counts, counts.c.class_code == classes.c.code)
        .where(where)
        .order_by(classes.c.created_at.desc(), classes.c.code)
    )
    return [
        ClassInfo(row.code, row.name, row.starts_on, row.ends_on, row.trainee_count)
        for row in conn.execute(query)
    ]


def _class_field(check: Callable[[], str]) -> str:
    """A field checked by the sign-in rules, its problem reported as a class problem."""
    try:
        return check()
    except IdentityError as err:
        raise ClassError(str(err)) from None


def _day(label: str, value: date | None) -> date | None:
    if value is None:
        return None
    if not isinstance(value, date):
        raise ClassError(f"{label} {value!r} 不是日期")
    return value.date() if isinstance(value, datetime) else value


def _roster_entries(code: str, entries: list[RosterEntry]) -> list[RosterEntry]:
    """The entries normalised exactly as sign-in normalises what trainees type, or every problem."""
    problems: list[str] = []
    checked: list[RosterEntry] = []
    first_seen: dict[str, int] = {}
    for place, entry in enumerate(entries, start=1):
        label = f"第 {place} 名学员（学员编号 {entry.number}）"
        try:
            identity = validate_identity(entry.name, entry.number, "")
        except IdentityError as err:
            problems.append(f"{label}：{err}")
            continue
        if identity.number in first_seen:
            problems.append(f"{label}：学员编号与第 {first_seen[identity.number]} 名学员重复")
            continue
        first_seen[identity.number] = place
        unit = _roster_text(label, "单位", entry.unit, problems)
        position = _roster_text(label, "职务", entry.position, problems)
        checked.append(RosterEntry(identity.number, identity.name, unit, position))
    if problems:
        raise _roster_refused(code, problems)
    return checked


def _roster_refused(code: str, problems: list[str]) -> ClassError:
    # Imported here, not at the top: every trainee page imports the store, and
    # only an instructor's failed roster import needs this.
    from helpers.engine.meetings import summarize_problems

    return ClassError(summarize_problems(problems, f"导入班级 {code} 的花名册时"))


def _roster_text(label: str, field: str, value: Any, problems: list[str]) -> str:
    if not isinstance(value, str):
        problems.append(f"{label}：{field}必须是文字")
        return ""
    text = value.strip()
    if len(text) > ROSTER_TEXT_MAX:
        problems.append(f"{label}：{field}不能超过 {ROSTER_TEXT_MAX} 个字符（现在是 {len(text)} 个）")
    return text


def _clash(entry: RosterEntry, listed_name: str | None, signed_in_name: str | None) -> str | None:
    """Why an entry cannot join the roster as it stands, or ``None``."""
    if listed_name is not None and listed_name != entry.name:
        return f"学员编号 {entry.number} 在花名册中登记为“{listed_name}”，与导入的“{entry.name}”不一致"
    if signed_in_name is not None and signed_in_name != entry.name:
        return f"学员编号 {entry.number} 已有学员以“{signed_in_name}”登录，与导入的“{entry.name}”不一致"
    return None
