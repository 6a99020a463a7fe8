"""The Alembic migrations, the HEAD shortcut and the light import path."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from store_support import sqlite_url

from helpers.store import Store, StoreUnavailable
from helpers.store.migrate import HEAD, alembic_config
from helpers.store.tables import metadata

REPO = Path(__file__).resolve().parents[2]


def test_head_constant_is_alembics_head() -> None:
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD


def test_first_revision_is_0001() -> None:
    assert ScriptDirectory.from_config(alembic_config()).get_base() == "0001"


def test_migrated_schema_matches_the_tables_module(store: Store, store_url: str) -> None:
    engine = create_engine(store_url)
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    engine.dispose()
    assert differences == []
    assert revision == HEAD


def test_indexes_cover_the_per_trainee_queries(store: Store, store_url: str) -> None:
    engine = create_engine(store_url)
    inspector = inspect(engine)
    indexed = {
        table: [index["column_names"] for index in inspector.get_indexes(table)]
        for table in ("answers", "attempts", "audits", "exams", "failures")
    }
    engine.dispose()
    assert ["trainee_id", "module", "question_id"] in indexed["answers"]
    assert ["trainee_id", "module"] in indexed["attempts"]
    assert ["trainee_id", "checklist_id"] in indexed["audits"]
    assert ["trainee_id", "blueprint_id"] in indexed["exams"]
    assert ["scope", "created_at"] in indexed["failures"]


def test_downgrade_and_upgrade_again(store: Store, store_url: str) -> None:
    store.close()
    engine = create_engine(store_url)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    reopened = Store.open(store_url)
    assert reopened.progress(1) == {}
    reopened.close()


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    store = Store.open(sqlite_url(tmp_path / "course.sqlite3"))
    engine = store._db.engine
    with engine.connect() as conn:
        settings = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "busy_timeout", "foreign_keys", "synchronous")
        }
    store.close()
    assert settings == {"journal_mode": "wal", "busy_timeout": 30_000, "foreign_keys": 1, "synchronous": 2}


def test_database_from_a_newer_program_is_refused_untouched(store_url: str) -> None:
    Store.open(store_url).close()
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    with pytest.raises(StoreUnavailable, match="版本（0999）不是本程序认识的版本"):
        Store.open(store_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0999"
    engine.dispose()


def _run_python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_importing_the_store_does_not_import_alembic() -> None:
    assert _run_python("import sys, helpers.store; print('alembic' in sys.modules)") == "False"


def test_opening_an_up_to_date_database_does_not_import_alembic(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "course.sqlite3")
    Store.open(url).close()
    code = (
        "import sys; from helpers.store import Store; "
        f"Store.open({url!r}); print('alembic' in sys.modules, 'mako' in sys.modules)"
    )
    assert _run_python(code) == "False False"
