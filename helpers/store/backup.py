"""Backing up and restoring the course database (SQLite) from the command line.

Why the sqlite3 backup API and not a file copy: kernels keep writing while a
class runs, and in WAL mode the newest answers may still be in the ``-wal``
file.  The API copies one consistent snapshot of both without stopping anyone.
Sources are opened read-only, so a backup can never change what it copies.

Restoring is the dangerous direction, so it refuses rather than guesses: the
file must pass SQLite's integrity check and carry a schema revision of ours,
no other process may have the current database open (a kernel would keep
writing to the replaced file and those answers would be lost), and the
current database is kept, byte for byte, as a timestamped copy first.

PostgreSQL has its own tools (``pg_dump``/``pg_restore``); for it these
commands only say so.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from contextlib import closing
from datetime import datetime
from pathlib import Path

import psutil
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from .database import refuse_damaged_file, unavailable
from .errors import BackupError, StoreUnavailable

BACKUP_STEM = "course-backup"
KEPT_STEM = "course-before-restore"
SUFFIX = ".sqlite3"
LOCK_WAIT_S = 10.0
_SIDE_FILES = ("-wal", "-shm")


def backup(url: str, out: Path | None = None, *, when: datetime | None = None) -> Path:
    """Copy the course database to ``out`` (a file or a folder; default: next to the database).

    Returns the file written.  Never overwrites: an existing ``out`` is refused.
    The copy is a single file (no ``-wal``) and is checked like a file to restore.
    """
    database = sqlite_path(url)
    if not database.is_file():
        raise BackupError(f"找不到课程数据库文件 {database}，没有可备份的数据")
    refuse_damaged_file(database, str(database))
    target = _backup_target(database, out, when or datetime.now())
    partial = target.with_name(target.name + ".partial")
    try:
        _copy(database, partial)
        check_course_file(partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, target)
    return target


def restore(url: str, source: Path, *, when: datetime | None = None) -> Path | None:
    """Replace the course database with ``source``; returns where the old one was kept (None if none).

    Refuses, changing nothing, when ``source`` is not a sound course database
    or when any process has the current database open.
    """
    database = sqlite_path(url)
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"找不到备份文件 {source}")
    if database.exists() and source.resolve() == database.resolve():
        raise BackupError(f"{source} 就是当前的课程数据库，无需恢复")
    check_course_file(source)
    users = processes_using(database)
    if users:
        raise BackupError(
            f"课程数据库 {database} 正在被使用（进程号 {'、'.join(map(str, users))}）：为免丢失学员正在提交的答案，"
            "请先停止课程（在运行 serve 的命令行窗口按 Ctrl+C），再恢复"
        )
    database.parent.mkdir(parents=True, exist_ok=True)
    incoming = database.with_name(database.name + ".restoring")
    try:
        _copy(source, incoming)
    except BaseException:
        incoming.unlink(missing_ok=True)
        raise
    kept = _keep(database, when or datetime.now()) if database.exists() else None
    for side in _SIDE_FILES:  # they belong to the old file; SQLite would apply them to the new one
        Path(f"{database}{side}").unlink(missing_ok=True)
    os.replace(incoming, database)
    return kept


def sqlite_path(url: str) -> Path:
    """The database file behind ``url``; other databases are pointed to their own tools."""
    try:
        parsed = make_url(url)
    except ArgumentError as err:
        raise BackupError(f"课程数据库地址无法识别：{url.rpartition('@')[2]}") from err
    if parsed.get_backend_name() != "sqlite":
        raise BackupError(
            f"课程数据库在 {parsed.get_backend_name()} 服务器上（{parsed.render_as_string(hide_password=True)}），"
            "本命令只处理 SQLite 文件。请用数据库自带的工具：备份 pg_dump -Fc -f 课程备份.dump 数据库名，"
            "恢复 pg_restore --clean -d 数据库名 课程备份.dump（恢复前请先停止课程）"
        )
    if not parsed.database or parsed.database == ":memory:":
        raise BackupError("课程数据库只在内存中，没有可备份或恢复的文件")
    return Path(parsed.database)


def check_course_file(path: Path, *, allow_new: bool = False) -> str | None:
    """The schema revision of the course database in ``path``, after SQLite's integrity check.

    Refuses a damaged file, a database of some other program, and one made by
    a newer version of this program (a revision we have no migration for).
    With ``allow_new`` a database without any table passes (``None``): the
    first page opened will create the course's tables in it.
    """
    refuse_damaged_file(path, str(path))
    try:
        with _open_read_only(path) as conn:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check(20)")]
            if problems != ["ok"]:
                raise BackupError(f"{path} 已损坏，完整性检查未通过：{'；'.join(problems[:3])}")
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            revision = (conn.execute("SELECT version_num FROM alembic_version").fetchone() or [None])[0] \
                if "alembic_version" in tables else None
    except sqlite3.Error as err:
        raise _explained(path, err) from err
    if allow_new and not tables:
        return None
    if revision is None or not {"trainees", "answers"} <= tables:
        raise BackupError(f"{path} 不是本课程的数据库（没有课程数据表和版本记录）")
    if revision not in _known_revisions():
        raise BackupError(f"{path} 的数据库版本 {revision} 不是本程序认识的版本，可能由更新的练习册程序创建；请先升级程序")
    return revision


def processes_using(database: Path) -> list[int]:
    """Other processes that have the database or its WAL open: course kernels, a database tool.

    Processes of other users cannot be inspected without rights and are not seen.
    """
    names = {str(Path(f"{database.resolve()}{side}")) for side in ("", *_SIDE_FILES)}
    found = []
    for process in psutil.process_iter():
        if process.pid == os.getpid():
            continue
        try:
            if any(opened.path in names for opened in process.open_files()):
                found.append(process.pid)
        except (psutil.Error, OSError):
            continue
    return found


def _backup_target(database: Path, out: Path | None, when: datetime) -> Path:
    if out is None or Path(out).is_dir():
        return _free_name(Path(out) if out is not None else database.parent, BACKUP_STEM, when)
    out = Path(out)
    if out.exists():
        raise BackupError(f"{out} 已经存在；为免覆盖，请换一个文件名")
    if not out.parent.is_dir():
        raise BackupError(f"文件夹 {out.parent} 不存在")
    return out


def _keep(database: Path, when: datetime) -> Path:
    """Copy the database and its WAL (which may hold answers not yet in the main file) aside."""
    kept = _free_name(database.parent, KEPT_STEM, when)
    shutil.copy2(database, kept)
    wal = Path(f"{database}-wal")
    if wal.exists():
        shutil.copy2(wal, f"{kept}-wal")
    return kept


def _free_name(folder: Path, stem: str, when: datetime) -> Path:
    base = f"{stem}-{when:%Y%m%d-%H%M%S}"
    candidate, number = folder / f"{base}{SUFFIX}", 2
    while candidate.exists():
        candidate, number = folder / f"{base}-{number}{SUFFIX}", number + 1
    return candidate


def _copy(source: Path, target: Path) -> None:
    """One consistent snapshot of ``source`` into a new single-file database ``target``."""
    deadline = time.monotonic() + LOCK_WAIT_S

    def give_up_when_locked(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise sqlite3.OperationalError("database is locked")

    try:
        with _open_read_only(source) as reader, closing(sqlite3.connect(target)) as writer:
            reader.backup(writer, progress=give_up_when_locked)
            writer.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as err:
        raise _explained(source, err) from err


def _explained(path: Path, err: sqlite3.Error) -> StoreUnavailable:
    return unavailable(str(path), str(err), busy="locked" in str(err))


def _open_read_only(path: Path) -> closing[sqlite3.Connection]:
    """Read-only by URI: whatever goes wrong, the file cannot be created or changed."""
    return closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=LOCK_WAIT_S))


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    from .migrate import alembic_config

    return {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
