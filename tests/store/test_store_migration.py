"""Upgrading a database that trainees have already used: revision 0001 to the current one."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from alembic import command
from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import Engine

from helpers.engine.identity import validate_identity
from helpers.store import ClassInfo, Store
from helpers.store.migrate import HEAD, alembic_config
from helpers.store.tables import answers, attempts, audits, sessions, trainees

OLD_TABLES = (trainees, sessions, attempts, answers, audits)
WHEN = datetime(2025, 11, 3, 8, 15, tzinfo=timezone.utc)


def _database_at_0001_with_data(engine: Engine) -> None:
    """What an issue-3 course left behind: two classes nobody created, self-study, every kind of row."""
    people = [("张三", "A001", "2024-1"), ("李四", "A002", "2024-1"), ("王五", "A001", "2024-2"), ("赵六", "S1", "")]
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
        for n, (name, number, code) in enumerate(people, start=1):
            rows = {
                trainees: {"id": n, "name": name, "number": number, "class_code": code, "created_at": WHEN},
                sessions: {"token": f"token{n}", "trainee_id": n, "created_at": WHEN, "last_seen": WHEN},
                attempts: {"id": n, "trainee_id": n, "module": "m1", "started_at": WHEN, "finished_at": WHEN,
                           "score": 10.0 * n},
                answers: {"trainee_id": n, "attempt_id": n, "module": "m1", "question_id": "q1",
                          "response": '["A"]', "score": 1.0, "correct": True, "created_at": WHEN},
                audits: {"trainee_id": n, "checklist_id": "c1", "module": "m2", "answers": '{"i1": "是"}',
                         "total": 90.0, "rating": "优秀", "created_at": WHEN},
            }
            for table, values in rows.items():
                conn.execute(insert(table).values(values))


def _snapshot(engine: Engine) -> dict[str, list[Any]]:
    with engine.connect() as conn:
        return {
            table.name: [tuple(row) for row in conn.execute(select(table).order_by(*table.primary_key))]
            for table in OLD_TABLES
        }


def test_upgrading_a_used_0001_database_keeps_every_row_and_every_sign_in(store_url: str) -> None:
    engine = create_engine(store_url)
    _database_at_0001_with_data(engine)
    before = _snapshot(engine)

    store = Store.open(store_url)

    assert _snapshot(engine) == before
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == HEAD
    engine.dispose()
    # Codes in use became classes, so their trainees sign in exactly as before.
    assert sorted(store.list_classes(), key=lambda c: c.code) == [
        ClassInfo("2024-1", "2024-1", None, None, 2),
        ClassInfo("2024-2", "2024-2", None, None, 1),
    ]
    assert store.trainee_for_token("token1").name == "张三"
    assert store.sign_in(validate_identity("张三", "A001", "2024-1")).trainee.id == 1
    assert store.sign_in(validate_identity("赵六", "S1", "")).trainee.id == 4
    assert store.progress(2)["m1"].last_score == 20.0
    assert store.latest_answers(3, "m1")["q1"].response == ["A"]
    assert store.latest_audit(4, "c1").rating == "优秀"
    store.close()
