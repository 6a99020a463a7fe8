"""One SQLAlchemy engine per database, tuned for many Voila kernels writing at once.

Every browser page is its own kernel process, so on SQLite dozens of processes
share one file.  What makes that work:

* WAL journal: readers never block the writer and the writer never blocks readers.
* ``busy_timeout``: a writer waits for the write lock instead of failing at once.
* ``BEGIN IMMEDIATE`` for write transactions: the write lock is taken up front,
  so a transaction never has to upgrade a read lock half-way, which is the case
  SQLite answers with "database is locked" without waiting at all.
* ``synchronous=FULL``: a commit is on disk before the page shows feedback.
* a few retries of the whole transaction if "database is locked" still comes back.

A database file that is damaged is refused before SQLite touches it (see
:func:`refuse_damaged_file`): the course must say it is broken, not quietly
start afresh on top of it.

Only the SQLite branch emits SQLite-specific statements; on PostgreSQL the same
Core statements run with the driver's own transactions.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError

from .errors import StoreUnavailable

T = TypeVar("T")

BUSY_TIMEOUT_MS = 30_000
ATTEMPTS = 4
_WRITE_OPTION = "liangxin_write"
_TRANSIENT_SQLSTATES = frozenset({"40001", "40P01"})  # serialization failure, deadlock
_SQLITE_MAGIC = b"SQLite format 3\x00"
_PAGE_SIZES = frozenset(2**n for n in range(9, 17))
EMPTY_FILE_GRACE_S = 1.0


class Database:
    """An engine plus the two ways the store uses it: a read and a retried write."""

    def __init__(self, url: str) -> None:
        try:
            parsed = make_url(url)
        except ArgumentError as err:
            raise StoreUnavailable(f"课程数据库地址无法识别：{url.rpartition('@')[2]}") from err
        self.label = _label(parsed)
        if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
            refuse_damaged_file(Path(parsed.database), self.label)
        try:
            self.engine = _create(parsed)
        except (ArgumentError, ImportError) as err:
            raise StoreUnavailable(
                f"无法打开课程数据库 {self.label}：缺少数据库驱动或地址参数无效（{err}）"
            ) from err
        self._writer = self.engine.execution_options(**{_WRITE_OPTION: True})

    def read(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` in a read transaction (SQLite: deferred, so it takes no write lock)."""
        return self._run(self.engine, work)

    def write(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` in a write transaction and commit it before returning.

        ``work`` may run more than once (after a lock timeout or a deadlock), so
        it must do nothing but database statements.  An ``IntegrityError`` is
        passed through untouched for the caller to explain.
        """
        return self._run(self._writer, work)

    def dispose(self) -> None:
        self.engine.dispose()

    def _run(self, engine: Engine, work: Callable[[Connection], T]) -> T:
        attempt = 1
        while True:
            try:
                with engine.begin() as conn:
                    return work(conn)
            except IntegrityError:
                raise
            except DBAPIError as err:
                if attempt == ATTEMPTS or not _is_transient(err):
                    raise self._unavailable(err) from err
            time.sleep(random.uniform(0.05, 0.25) * attempt)
            attempt += 1

    def _unavailable(self, err: DBAPIError) -> StoreUnavailable:
        return unavailable(self.label, str(err.orig), busy=_is_transient(err))


def unavailable(label: str, reason: str, *, busy: bool) -> StoreUnavailable:
    """Turn a driver's error text into the message an administrator can act on.

    Public because the backup commands open files with the plain sqlite3
    module and must explain the same failures in the same words.
    """
    if "file is not a database" in reason or "malformed" in reason:
        return StoreUnavailable(
            f"课程数据库文件 {label} 已损坏或不是数据库文件，程序没有改动它；请联系培训管理员处理（{reason}）"
        )
    if busy:
        return StoreUnavailable(
            f"课程数据库 {label} 正忙：另一个程序长时间占用着它，等待后仍未释放。"
            f"请稍后再试；如一直如此，请联系培训管理员（{reason}）"
        )
    return StoreUnavailable(f"无法使用课程数据库 {label}，请检查文件及其所在文件夹是否存在、可读写（{reason}）")


def refuse_damaged_file(path: Path, label: str) -> None:
    """Refuse the two damaged files that SQLite would not report but quietly change.

    SQLite takes a 0-byte file for a new, empty database, and pads a file cut
    off inside its last page with zeros on the next write.  Opening either
    would migrate a fresh schema over the lost data or rewrite the damaged
    file, and the course would look empty instead of broken.  A new database
    is 0 bytes only for the instant between its creation and the connection
    switching it to WAL (which writes the header), so a 0-byte file is looked
    at once more a moment later.  Anything unreadable is left for SQLite to
    report.
    """
    try:
        if not path.is_file():
            return
        if path.stat().st_size == 0:
            time.sleep(EMPTY_FILE_GRACE_S)
            if path.stat().st_size == 0:
                raise StoreUnavailable(
                    f"课程数据库文件 {label} 是空的（0 字节），可能已被截断，程序没有改动它；"
                    "请联系培训管理员用备份恢复"
                )
        with path.open("rb") as file:
            header = file.read(100)
        size = path.stat().st_size
    except OSError:
        return
    if not header.startswith(_SQLITE_MAGIC) or len(header) < 18:
        return  # SQLite says "file is not a database", reported by Database._unavailable
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size not in _PAGE_SIZES:
        return  # a damaged header, which SQLite reports itself
    if size % page_size:
        raise StoreUnavailable(
            f"课程数据库文件 {label} 已损坏：文件不完整（{size} 字节，不是整页），可能已被截断，"
            "程序没有改动它；请联系培训管理员用备份恢复"
        )


def _label(parsed: URL) -> str:
    """How messages name the database: the file for SQLite, the URL without password otherwise."""
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        return parsed.database
    return parsed.render_as_string(hide_password=True)


def _create(parsed: URL) -> Engine:
    if parsed.get_backend_name() != "sqlite":
        # Kernels live for hours; a server restart must not break the next click.
        return create_engine(parsed, pool_pre_ping=True)
    engine = create_engine(parsed)
    event.listen(engine, "connect", _tune_sqlite_connection)
    event.listen(engine, "begin", _begin_sqlite_transaction)
    return engine


def _tune_sqlite_connection(dbapi_connection: Any, connection_record: Any) -> None:
    """Per-connection SQLite settings; see the module docstring for why each one.

    ``isolation_level = None`` stops the sqlite3 module from issuing its own
    BEGIN (it skips DDL and SELECT), so :func:`_begin_sqlite_transaction` decides.
    The journal mode is only changed when it is not WAL yet: it is stored in the
    file, and changing it needs an exclusive lock that other kernels may hold.
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = FULL")
        if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            cursor.execute("PRAGMA journal_mode = WAL")
    finally:
        cursor.close()


def _begin_sqlite_transaction(conn: Connection) -> None:
    mode = "IMMEDIATE" if conn.get_execution_options().get(_WRITE_OPTION) else "DEFERRED"
    conn.exec_driver_sql(f"BEGIN {mode}")


def _is_transient(err: DBAPIError) -> bool:
    """Errors that a retry of the whole transaction can cure."""
    if "database is locked" in str(err.orig) or "database table is locked" in str(err.orig):
        return True
    sqlstate = getattr(err.orig, "sqlstate", None) or getattr(err.orig, "pgcode", None)
    return sqlstate in _TRANSIENT_SQLSTATES
