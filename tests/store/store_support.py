"""Helpers shared by the store tests, including what the worker processes run.

Workers live in a plain module (not a test file) so that ``spawn`` children,
which start a fresh interpreter the way every Voila kernel does, can import them.
"""

from __future__ import annotations

import multiprocessing
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
    """Sign in, creating the class first if it does not exist yet (sign-in needs the class)."""
    ensure_class(store, class_code)
    return store.sign_in(validate_identity(name, number, class_code))


def ensure_class(store: Store, code: str) -> None:
    if code and store.get_class(code) is None:
        store.create_class(code, f"测试班 {code}")


def run_in_processes(
    target: Callable[..., Any], calls: Sequence[tuple[Any, ...]], method: str = "spawn"
) -> list[Any]:
    """Run ``target(*args)`` in one fresh process per call, all released at the same moment.

    ``spawn`` starts a new interpreter per call, as Voila starts kernels;
    ``fork`` skips the imports, for tests about many processes rather than fresh ones.
    Returns the results in call order; re-raises the first worker failure with its traceback.
    """
    context = multiprocessing.get_context(method)
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
    session = Store.open(url).sign_in(validate_identity("李四", "B007", "2024-2"))
    return session.trainee.id, session.token


@dataclass(frozen=True)
class Answered:
    """What one answering worker did and when (wall clock, comparable across processes)."""

    trainee_id: int
    started: float
    finished: float
    slowest_answer_s: float


def record_answers(url: str, worker: int, count: int) -> Answered:
    """One trainee answering ``count`` questions, each committed before the next, like a page."""
    store = Store.open(url)
    trainee = sign_in(store, f"学员{worker}", f"N{worker:03d}", "LOAD").trainee
    attempt = store.start_attempt(trainee.id, "load")
    started = time.time()
    slowest = 0.0
    for question in range(count):
        response = {"choice": question % 4}
        before = time.perf_counter()
        store.record_answer(trainee.id, "load", f"q{question:03d}", response, 1.0, True, attempt)
        slowest = max(slowest, time.perf_counter() - before)
    finished = time.time()
    store.finish_attempt(attempt, float(count))
    return Answered(trainee.id, started, finished, slowest)


def open_store_in_forked_child(url: str) -> tuple[int, int]:
    """Open the store after a fork; return its id and the id of the trainee it signed in."""
    store = Store.open(url)
    return id(store), sign_in(store, "王五", "F001", "FORK").trainee.id


def submit_exam(url: str, exam_id: int, score: float) -> tuple[float | None, bool | None]:
    """Hand in a paper, as the countdown and the button (or two tabs) may do at the same moment."""
    record = Store.open(url).submit_exam(exam_id, {"q1": (score / 100, score >= 60)}, score, score >= 60)
    return record.score, record.passed
