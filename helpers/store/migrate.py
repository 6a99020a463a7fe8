"""Bringing a database to the schema this code expects, cheaply when it already is.

Every page opens the store, and nearly always the schema is already current, so
the check is one small query against ``alembic_version`` compared with
:data:`HEAD`; Alembic itself (and its Mako templates) is imported only when an
upgrade is really needed.  A test keeps :data:`HEAD` equal to Alembic's head.

When a fresh database is opened by many kernels at once, the upgrade runs
inside one write transaction that first takes the database's write lock
(SQLite ``BEGIN IMMEDIATE``, a PostgreSQL advisory lock) and then re-reads the
version, so exactly one process migrates and the others find the work done.

To add a revision, generate it from the template, fill it in, and move :data:`HEAD`::

    from alembic import command
    from helpers.store.migrate import alembic_config
    command.revision(alembic_config(), "what changes", rev_id="0003")
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Column, MetaData, String, Table, inspect, select, text
from sqlalchemy.engine import Connection

from .database import Database
from .errors import StoreUnavailable

if TYPE_CHECKING:
    from alembic.config import Config

HEAD = "0002"
MIGRATIONS = Path(__file__).with_name("migrations")

# Any fixed 64-bit number, the same in every process: "liangxin" in ASCII.
_POSTGRES_LOCK_KEY = int.from_bytes(b"liangxin", "big") >> 1

_alembic_version = Table("alembic_version", MetaData(), Column("version_num", String(32)))


def ensure_schema(db: Database) -> None:
    """Upgrade ``db`` to :data:`HEAD` unless it is there already."""
    if db.read(current_revision) != HEAD:
        upgrade(db)


def upgrade(db: Database) -> None:
    """Migrate ``db`` to :data:`HEAD` holding its write lock, re-checking once the lock is held."""
    db.write(lambda conn: _upgrade(conn, db.label))


def current_revision(conn: Connection) -> str | None:
    """The revision recorded in the database, or ``None`` for a database never migrated."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(select(_alembic_version.c.version_num)).scalar()


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for our migrations, built in code so no alembic.ini is needed.

    ``connection`` is handed to ``migrations/env.py``, which migrates through it
    so the upgrade joins the caller's transaction and lock.
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    config.attributes["connection"] = connection
    return config


def _upgrade(conn: Connection, label: str) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _POSTGRES_LOCK_KEY})
    found = current_revision(conn)
    if found == HEAD:
        return  # another process migrated while we waited for the lock
    from alembic import command
    from alembic.util import CommandError

    try:
        command.upgrade(alembic_config(conn), HEAD)
    except CommandError as err:
        raise StoreUnavailable(
            f"课程数据库 {label} 的版本（{found}）不是本程序认识的版本，"
            f"可能由更新的练习册程序创建；请升级程序或联系培训管理员（{err}）"
        ) from err
