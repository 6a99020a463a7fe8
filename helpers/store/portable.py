"""Self-study at home: the profiles on this computer, and taking one's progress to another.

A self-study trainee has no class and no instructor to recover her work, so
her answers, attempts and audits leave the computer only in a file she saves
herself (:meth:`PortableStore.export_progress`) and opens on the other one
(:func:`read_progress_file`, then :meth:`PortableStore.import_progress`).

Importing must be safe to repeat: she will open the same file twice, or carry
records back and forth between two computers.  A record is therefore known by
what it is and when it happened, not by its id (ids differ between databases):
an attempt by module and start time, an answer by module, question and time,
an audit by checklist and time.  Timestamps are microsecond UTC on every
backend, so two records never share one by accident.

Merged records get new ids, and "latest" in the store means highest id; an
older record imported after a newer local one for the same question therefore
counts as the latest.  That only happens when someone studies on two computers
without carrying the file back in between, and the import summary says what
was added.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.engine import Connection

from helpers.engine.identity import IdentityError, validate_identity
from helpers.engine.reports.audit_sheet import ReportInputError, name_text

from .errors import StoreError, UnknownRecord
from .records import Trainee
from .rows import key, new_id, now, number, to_json
from .settings import SettingStore
from .tables import answers, attempts, audits, sessions, trainees

FORMAT = "liangxin-workbook-progress"
VERSION = 1
PROFILES_SHOWN = 50
_UNSAFE_IN_FILE_NAMES = str.maketrans({ch: "_" for ch in '/\\:*?"<>| '})


class PortableError(StoreError):
    """A progress file that cannot be imported; the message says why, in Chinese."""


@dataclass(frozen=True)
class ProgressFile:
    """A checked progress file: whose it is and the rows to merge, ready to insert.

    ``answers`` pairs each answer with the position of its attempt in
    ``attempts`` (or ``None``), because attempt ids mean nothing on another computer.
    """

    name: str
    number: str
    attempts: list[dict[str, Any]]
    answers: list[tuple[int | None, dict[str, Any]]]
    audits: list[dict[str, Any]]
    branch: str = ""  # the 党支部 name she printed on her reports; files before it was exported lack it


@dataclass(frozen=True)
class ImportSummary:
    """How many records an import added (records already present are not counted)."""

    attempts: int
    answers: int
    audits: int


def export_file_name(trainee: Trainee, on: date) -> str:
    """``学习记录-张三-2026-11-23.json``: recognisable in a downloads folder, safe on every file system."""
    return f"学习记录-{trainee.name.translate(_UNSAFE_IN_FILE_NAMES)}-{on:%Y-%m-%d}.json"


def read_progress_file(data: bytes) -> ProgressFile:
    """Check a whole progress file before anything is written, or raise :class:`PortableError`.

    Every problem names the record at fault, so a damaged file can be told from
    a file of the wrong kind.
    """
    from helpers.content.interchange.files import MAX_BYTES  # only when a file is imported

    if len(data) > MAX_BYTES:
        raise PortableError(
            f"文件有 {len(data) / 1024 / 1024:.1f} MB，超过 {MAX_BYTES // 1024 // 1024} MB 的上限，没有导入。"
            "请确认选的是“导出我的学习记录”保存的文件"
        )
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise PortableError("这个文件不是学习记录文件（无法按 JSON 读取），没有导入。请选择“导出我的学习记录”保存的 .json 文件") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise PortableError("这个文件不是本课程的学习记录文件，没有导入。请选择“导出我的学习记录”保存的 .json 文件")
    if document.get("version") != VERSION:
        raise PortableError(
            f"这个学习记录文件的格式版本是 {document.get('version')!r}，本课程只能读取第 {VERSION} 版，没有导入。"
            "请在两台电脑上使用同一版本的课程"
        )
    owner = _entry(document.get("trainee"), "文件中的学员信息")
    try:
        identity = validate_identity(_text(owner, "name", "学员"), _text(owner, "number", "学员"), "")
    except IdentityError as err:
        raise PortableError(f"文件中的学员信息有误：{err}，没有导入") from None
    attempt_rows = [_attempt(entry, i) for i, entry in enumerate(_list(document, "attempts", "练习记录"), start=1)]
    answer_rows = [_answer(entry, i, len(attempt_rows))
                   for i, entry in enumerate(_list(document, "answers", "作答"), start=1)]
    audit_rows = [_audit(entry, i) for i, entry in enumerate(_list(document, "audits", "自查"), start=1)]
    try:
        branch = name_text(owner.get("branch", ""), "文件中的支部名称")
    except ReportInputError as err:
        raise PortableError(f"{err}，没有导入") from None
    return ProgressFile(identity.name, identity.number, attempt_rows, answer_rows, audit_rows, branch)


class PortableStore(SettingStore):
    """The self-study half of :class:`~helpers.store.Store` (a mixin, for file size).

    It builds on the settings half: the branch name travels with her progress.
    """

    def self_study_profiles(self) -> list[Trainee]:
        """Self-study trainees of this database, most recently active first.

        Only for a course served on one person's computer: it lists names, so a
        classroom server must never show it (see ``helpers.apps.serve``).
        """
        active = func.coalesce(func.max(sessions.c.last_seen), trainees.c.created_at)
        query = (
            select(trainees.c.id, trainees.c.name, trainees.c.number, trainees.c.class_code)
            .outerjoin(sessions, sessions.c.trainee_id == trainees.c.id)
            .where(trainees.c.class_code == "")
            .group_by(trainees.c.id, trainees.c.name, trainees.c.number, trainees.c.class_code, trainees.c.created_at)
            .order_by(active.desc(), trainees.c.id.desc())
            .limit(PROFILES_SHOWN)
        )
        found = self._db.read(lambda conn: conn.execute(query).all())
        return [Trainee(row.id, row.name, row.number, row.class_code) for row in found]

    def unused_self_study_number(self) -> str:
        """A trainee number for a new profile whose owner left it empty, not yet used on this computer."""
        while True:
            candidate = f"zx{secrets.randbelow(10**6):06d}"
            query = select(trainees.c.id).where(trainees.c.class_code == "", trainees.c.number == candidate)
            if self._db.read(lambda conn: conn.execute(query).first()) is None:
                return candidate

    def export_progress(self, trainee_id: int) -> bytes:
        """Everything the trainee did, as the UTF-8 JSON that :func:`read_progress_file` reads."""
        branch = self.branch_name(trainee_id)

        def work(conn: Connection) -> dict[str, Any]:
            owner = conn.execute(select(trainees).where(trainees.c.id == trainee_id)).one_or_none()
            if owner is None:
                raise UnknownRecord(f"学员记录 {trainee_id} 不存在，请重新登录")
            tried = conn.execute(select(attempts).where(attempts.c.trainee_id == trainee_id).order_by(attempts.c.id)).all()
            position = {row.id: i for i, row in enumerate(tried)}
            given = conn.execute(select(answers).where(answers.c.trainee_id == trainee_id).order_by(answers.c.id)).all()
            audited = conn.execute(select(audits).where(audits.c.trainee_id == trainee_id).order_by(audits.c.id)).all()
            return {
                "format": FORMAT,
                "version": VERSION,
                "exported_at": now().isoformat(),
                "trainee": {"name": owner.name, "number": owner.number, "class_code": owner.class_code,
                            "branch": branch},
                "attempts": [
                    {"module": row.module, "started_at": _iso(row.started_at),
                     "finished_at": _iso(row.finished_at), "score": row.score}
                    for row in tried
                ],
                "answers": [
                    {"attempt": position.get(row.attempt_id), "module": row.module, "question_id": row.question_id,
                     "response": json.loads(row.response), "score": row.score, "correct": row.correct,
                     "created_at": _iso(row.created_at)}
                    for row in given
                ],
                "audits": [
                    {"module": row.module, "checklist_id": row.checklist_id, "answers": json.loads(row.answers),
                     "total": row.total, "rating": row.rating, "created_at": _iso(row.created_at)}
                    for row in audited
                ],
            }

        document = self._db.read(work)
        return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")

    def import_progress(self, trainee_id: int, progress: ProgressFile) -> ImportSummary:
        """Merge a checked file into a self-study trainee's records, all or nothing.

        Only into a self-study profile: a class trainee's records are what the
        instructor grades, and must come from that class.  The file must be the
        same person's (name and number), whichever computer or class it came from.
        """

        def work(conn: Connection) -> ImportSummary:
            owner = conn.execute(select(trainees).where(trainees.c.id == trainee_id)).one_or_none()
            if owner is None:
                raise UnknownRecord(f"学员记录 {trainee_id} 不存在，请重新登录")
            if owner.class_code:
                raise PortableError("学习记录只能导入自学档案；班级学员的成绩以本班的作答为准，没有导入")
            if (owner.name, owner.number) != (progress.name, progress.number):
                raise PortableError(
                    f"这个文件是“{progress.name}”（编号 {progress.number}）的学习记录，"
                    f"不是当前档案“{owner.name}”（编号 {owner.number}）的，没有导入。"
                    "请用文件主人自己的档案导入（在课程首页“本机学习档案”中可以直接从文件新建）"
                )
            attempt_ids, added_attempts = _merge_attempts(conn, trainee_id, progress.attempts)
            added_answers = _merge(conn, answers, trainee_id, ("module", "question_id", "created_at"), [
                {**values, "attempt_id": None if index is None else attempt_ids[index]}
                for index, values in progress.answers
            ])
            added_audits = _merge(conn, audits, trainee_id, ("checklist_id", "created_at"), progress.audits)
            return ImportSummary(added_attempts, added_answers, added_audits)

        summary = self._db.write(work)
        if progress.branch and not self.branch_name(trainee_id):
            self.set_branch_name(trainee_id, progress.branch)  # checked when read
        return summary


# -- merging ------------------------------------------------------------------


def _merge_attempts(conn: Connection, trainee_id: int, rows: list[dict[str, Any]]) -> tuple[list[int], int]:
    """The local id of every attempt in the file (inserted if new), and how many were new.

    An attempt finished on the other computer but still open here gets its result.
    """
    existing = {
        (row.module, row.started_at): row
        for row in conn.execute(select(attempts).where(attempts.c.trainee_id == trainee_id)).all()
    }
    ids, added = [], 0
    for values in rows:
        found = existing.get((values["module"], values["started_at"]))
        if found is None:
            ids.append(new_id(conn.execute(insert(attempts).values(trainee_id=trainee_id, **values))))
            added += 1
            continue
        if found.finished_at is None and values["finished_at"] is not None:
            result = {"finished_at": values["finished_at"], "score": values["score"]}
            conn.execute(update(attempts).where(attempts.c.id == found.id).values(result))
        ids.append(found.id)
    return ids, added


def _merge(conn: Connection, table: Table, trainee_id: int, identity: tuple[str, ...], rows: list[dict[str, Any]]) -> int:
    """Insert the rows whose ``identity`` columns match no row of the trainee; return how many."""
    columns = [table.c[name] for name in identity]
    seen = {tuple(row) for row in conn.execute(select(*columns).where(table.c.trainee_id == trainee_id)).all()}
    added = 0
    for values in rows:
        marker = tuple(values[name] for name in identity)
        if marker in seen:
            continue
        conn.execute(insert(table).values(trainee_id=trainee_id, **values))
        seen.add(marker)
        added += 1
    return added


# -- reading the file -----------------------------------------------------------


def _attempt(entry: Any, index: int) -> dict[str, Any]:
    where = f"第 {index} 条练习记录"
    checked = _entry(entry, where)
    score = checked.get("score")
    return {
        "module": _key(checked, "module", where),
        "started_at": _time(checked, "started_at", where),
        "finished_at": None if checked.get("finished_at") is None else _time(checked, "finished_at", where),
        "score": None if score is None else _checked(lambda: number(f"{where}的得分", score)),
    }


def _answer(entry: Any, index: int, attempt_count: int) -> tuple[int | None, dict[str, Any]]:
    where = f"第 {index} 条作答"
    checked = _entry(entry, where)
    attempt = checked.get("attempt")
    if attempt is not None and not (isinstance(attempt, int) and 0 <= attempt < attempt_count):
        raise PortableError(f"学习记录文件已损坏：{where}引用了不存在的练习记录 {attempt!r}，没有导入")
    if not isinstance(checked.get("correct"), bool):
        raise PortableError(f"学习记录文件已损坏：{where}缺少“是否正确”，没有导入")
    return attempt, {
        "module": _key(checked, "module", where),
        "question_id": _key(checked, "question_id", where),
        "response": _checked(lambda: to_json(f"{where}的内容", checked.get("response"))),
        "score": _checked(lambda: number(f"{where}的得分", checked.get("score"))),
        "correct": checked["correct"],
        "created_at": _time(checked, "created_at", where),
    }


def _audit(entry: Any, index: int) -> dict[str, Any]:
    where = f"第 {index} 次自查"
    checked = _entry(entry, where)
    given = checked.get("answers")
    if not (isinstance(given, Mapping) and all(isinstance(v, str) for v in given.values())):
        raise PortableError(f"学习记录文件已损坏：{where}的答案不是“条目 → 选项”的对照，没有导入")
    return {
        "module": _key(checked, "module", where),
        "checklist_id": _key(checked, "checklist_id", where),
        "answers": _checked(lambda: to_json(f"{where}的答案", dict(given))),
        "total": _checked(lambda: number(f"{where}的总分", checked.get("total"))),
        "rating": _text(checked, "rating", where),
        "created_at": _time(checked, "created_at", where),
    }


def _list(document: dict[str, Any], field: str, label: str) -> list[Any]:
    found = document.get(field, [])
    if not isinstance(found, list):
        raise PortableError(f"学习记录文件已损坏：“{label}”部分不是列表，没有导入")
    return found


def _entry(entry: Any, where: str) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise PortableError(f"学习记录文件已损坏：{where}格式不对，没有导入")
    return entry


def _text(entry: dict[str, Any], field: str, where: str) -> str:
    value = entry.get(field)
    if not isinstance(value, str):
        raise PortableError(f"学习记录文件已损坏：{where}缺少“{field}”，没有导入")
    return value


def _key(entry: dict[str, Any], field: str, where: str) -> str:
    value = _text(entry, field, where)
    return _checked(lambda: key(f"{where}的 {field}", value))


def _time(entry: dict[str, Any], field: str, where: str) -> datetime:
    """An ISO timestamp with its zone; a time without one cannot be compared across computers."""
    try:
        moment = datetime.fromisoformat(_text(entry, field, where))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise PortableError(f"学习记录文件已损坏：{where}的时间“{entry.get(field)}”无法识别，没有导入")
    return moment.astimezone(timezone.utc)


def _checked(make: Callable[[], Any]) -> Any:
    """A value the store's own checks accept, their complaint turned into a file problem."""
    try:
        return make()
    except StoreError as err:
        raise PortableError(f"学习记录文件已损坏：{err}，没有导入") from None


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()
