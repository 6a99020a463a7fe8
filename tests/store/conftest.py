"""Fixtures for the store tests: a fresh, real database per test.

``store_url`` is a SQLite file in ``tmp_path``.  Set ``COURSE_TEST_POSTGRES_URL``
to a PostgreSQL URL whose user may create databases (for example
``postgresql+psycopg://postgres@/postgres?host=/tmp``) and every test that uses
``store_url`` runs a second time against a fresh PostgreSQL database.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from store_support import sqlite_url

from helpers.store import Store

POSTGRES_ADMIN_URL = os.environ.get("COURSE_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_ADMIN_URL else [])


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database that no store has opened yet."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "course.sqlite3")
        return
    assert POSTGRES_ADMIN_URL
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"course_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = Store.open(store_url)
    yield opened
    opened.close()
