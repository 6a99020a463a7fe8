"""Fixtures for the store tests: a fresh, real database per test, on SQLite and PostgreSQL.

Every test that uses ``store_url`` runs twice: on a SQLite file in ``tmp_path``
and on a fresh database of a real PostgreSQL server.  The server is a new
cluster of Debian's ``postgresql`` package started for the test session (see
``postgres_server``); set ``COURSE_TEST_POSTGRES_URL`` to a URL whose user may
create databases (for example ``postgresql+psycopg://postgres@/postgres?host=/tmp``)
to use an existing server instead.  Where neither is available the PostgreSQL
runs are skipped with a reason that starts with ``!!!`` so that nobody mistakes
a SQLite-only run for a full one.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from postgres_server import find_binaries, running_cluster
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from store_support import sqlite_url

from helpers.store import Store


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """A PostgreSQL URL whose user may create databases, for the whole test session."""
    configured = os.environ.get("COURSE_TEST_POSTGRES_URL")
    if configured:
        yield configured
        return
    binaries = find_binaries()
    if binaries is None:
        pytest.skip(
            "!!! PostgreSQL variants NOT run: no initdb/pg_ctl in /usr/lib/postgresql/*/bin or on PATH "
            "(apt-get install postgresql, or set COURSE_TEST_POSTGRES_URL)"
        )
    with running_cluster(binaries) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database that no store has opened yet."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "course.sqlite3")
        return
    admin_url: str = request.getfixturevalue("postgres_admin_url")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"course_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = Store.open(store_url)
    yield opened
    opened.close()
