"""Helpers shared by the store tests, including what the worker processes run.

Workers live in a plain module (not a test file) so that ``spawn`` children,
which start a fresh interpreter the way every Voila kernel does, can import them.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL

from helpers.engine.identity import validate_identity
from helpers.store import Session, Store
from helpers.store.database import Database
from helpers.store.migrate import upgrade


def sqlite_url(path: Path) -> str:
    return URL.create("sqlite", database=str(path)).render_as_string()


def sign_in(store: Store, name: str = "张三", number: str = "A001", class_code: str = "2024-1") -> Session:
    return store.sign_in(validate_identity(name, number, class_code))


def run_in_processes(target: Callable[..., Any], calls: Sequence[tuple[Any, ...]]) -> list[Any]:
    """Run ``target(*args)`` in one fresh process per call, all released at the same moment.

    Returns the results in call order; re-raises the first worker failure with its traceback.
    """
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(len(calls))
    results = context.Queue()
    workers = [
        context.Process(target=_worker, args=(index, start, results, target, args))
        for index, args in enumerate(calls)
    ]
    for worker in workers:
        worker.start()
    outcomes = dict(results.get(timeout=300) for _ in workers)
    for worker in workers:
        worker.join(timeout=60)
    failures = [outcome for outcome in outcomes.values() if isinstance(outcome, _Failure)]
    if failures:
        raise AssertionError(f"{len(failures)} worker(s) failed; first:\n{failures[0].text}")
    return [outcomes[index] for index in range(len(calls))]


class _Failure:
    def __init__(self, text: str) -> None:
        self.text = text


def _worker(index: int, start: Any, results: Any, target: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        start.wait(timeout=120)
        results.put((index, target(*args)))
    except BaseException:
        results.put((index, _Failure(traceback.format_exc())))


def open_store(url: str) -> None:
    """Open, and so create or migrate, the store, as every page does first."""
    Store.open(url)


def upgrade_without_checking_first(url: str) -> None:
    """Skip the cheap version check, so every process races for the migration lock."""
    db = Database(url)
    upgrade(db)
    db.dispose()


def sign_in_same_trainee(url: str) -> tuple[int, str]:
    session = sign_in(Store.open(url), "李四", "B007", "2024-2")
    return session.trainee.id, session.token


def record_answers(url: str, worker: int, count: int) -> int:
    """One trainee answering ``count`` questions, each committed before the next, like a page."""
    store = Store.open(url)
    trainee = sign_in(store, f"学员{worker}", f"N{worker:03d}", "LOAD").trainee
    attempt = store.start_attempt(trainee.id, "load")
    for question in range(count):
        response = {"choice": question % 4}
        store.record_answer(trainee.id, "load", f"q{question:03d}", response, 1.0, True, attempt)
    store.finish_attempt(attempt, float(count))
    return trainee.id


def open_store_in_forked_child(url: str) -> tuple[int, int]:
    """Open the store after a fork; return its id and the id of the trainee it signed in."""
    store = Store.open(url)
    return id(store), sign_in(store, "王五", "F001", "FORK").trainee.id
