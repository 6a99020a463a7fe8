"""Many kernels at once: each worker is a fresh interpreter, like a Voila page."""

from __future__ import annotations

import multiprocessing
import os

import pytest
from sqlalchemy import create_engine, func, select, text
from store_support import (
    Answered,
    open_store,
    open_store_in_forked_child,
    record_answers,
    run_in_processes,
    sign_in,
    sign_in_same_trainee,
    upgrade_without_checking_first,
)

from helpers.store import Store
from helpers.store.migrate import HEAD
from helpers.store.tables import answers, attempts, trainees

WRITERS = 100
ANSWERS_EACH = 20


def test_fresh_database_opened_by_eight_processes_at_once(store_url: str) -> None:
    run_in_processes(open_store, [(store_url,)] * 8)
    engine = create_engine(store_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [HEAD]
    engine.dispose()


def test_eight_processes_racing_for_the_migration_lock_migrate_once(store_url: str) -> None:
    run_in_processes(upgrade_without_checking_first, [(store_url,)] * 8)
    engine = create_engine(store_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [HEAD]
        assert conn.execute(select(func.count()).select_from(trainees)).scalar_one() == 0
    engine.dispose()


def test_same_trainee_signing_in_from_eight_pages_at_once(store_url: str) -> None:
    store = Store.open(store_url)
    store.create_class("2024-2", "第二期")
    store.close()
    results = run_in_processes(sign_in_same_trainee, [(store_url,)] * 8)
    assert len({trainee_id for trainee_id, _ in results}) == 1
    assert len({token for _, token in results}) == 8
    engine = create_engine(store_url)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(trainees)).scalar_one() == 1
    engine.dispose()


def test_a_hundred_processes_answering_at_once_lose_nothing(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """100 kernels each committing 20 answers at the same moment: every row arrives, none fails.

    A worker that got "database is locked" (or any error) fails the test with
    its traceback.  Forked rather than spawned workers: 100 fresh interpreters
    would spend half a minute of the two CI cores importing before the first
    answer, and what is under test is 100 processes with their own connections.
    """
    store = Store.open(store_url)
    store.create_class("LOAD", "压力测试班")
    store.close()
    calls = [(store_url, worker, ANSWERS_EACH) for worker in range(WRITERS)]
    done: list[Answered] = run_in_processes(record_answers, calls, method="fork")

    engine = create_engine(store_url)
    with engine.connect() as conn:
        per_trainee = dict(
            conn.execute(select(answers.c.trainee_id, func.count()).group_by(answers.c.trainee_id)).all()
        )
        finished = conn.execute(select(attempts.c.score).where(attempts.c.finished_at.is_not(None))).scalars()
        assert sorted(finished) == [float(ANSWERS_EACH)] * WRITERS
    engine.dispose()
    assert per_trainee == {worker.trainee_id: ANSWERS_EACH for worker in done}
    store = Store.open(store_url)
    assert all(len(store.latest_answers(worker.trainee_id, "load")) == ANSWERS_EACH for worker in done)
    store.close()

    seconds = max(worker.finished for worker in done) - min(worker.started for worker in done)
    with capsys.disabled():
        print(
            f"\n[{store_url.partition(':')[0]}] {WRITERS} writers x {ANSWERS_EACH} answers: "
            f"{WRITERS * ANSWERS_EACH / seconds:.0f} answers/s, "
            f"slowest single answer {max(worker.slowest_answer_s for worker in done):.2f} s"
        )


@pytest.mark.skipif(not hasattr(os, "register_at_fork"), reason="no fork on this platform")
def test_a_forked_child_opens_its_own_connections(store_url: str) -> None:
    parent = Store.open(store_url)
    parent_trainee = sign_in(parent).trainee.id  # the parent's pool now holds a live connection
    with multiprocessing.get_context("fork").Pool(1) as pool:
        child_store, child_trainee = pool.apply(open_store_in_forked_child, (store_url,))
    assert child_store != id(parent)
    assert child_trainee != parent_trainee
    assert parent.trainee_for_token(sign_in(parent, "王五", "F001", "FORK").token).id == child_trainee
    parent.close()
