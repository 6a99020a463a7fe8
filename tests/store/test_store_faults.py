"""A damaged, locked or unreadable SQLite file: reported in Chinese, never changed.

Real files, real SQLite, and for the lock a real second process: what breaks
in a classroom is a disk that filled up mid-write, a database tool left open
on the file, or a copy gone wrong, and each must leave the file exactly as it
was for the administrator (and ``python -m helpers restore``) to deal with.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from lock_holder import exclusive_lock
from store_support import sign_in, sqlite_url

from helpers.store import Store, StoreUnavailable, database


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.iterdir()}


def _course_database(folder: Path, trainees: int = 200) -> Path:
    """A real course database with some trainees in it, closed (WAL merged into the file)."""
    path = folder / "course.sqlite3"
    store = Store.open(sqlite_url(path))
    for number in range(trainees):
        sign_in(store, f"学员{number}", f"N{number:04d}", "")
    store.close()
    assert sorted(p.name for p in folder.iterdir()) == ["course.sqlite3"]
    return path


@pytest.fixture
def short_lock_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """Give up on a lock after a fraction of a second instead of the classroom's minutes."""
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 200)
    monkeypatch.setattr(database, "ATTEMPTS", 2)


def test_a_zero_byte_file_is_refused_not_started_afresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database, "EMPTY_FILE_GRACE_S", 0.01)
    path = tmp_path / "course.sqlite3"
    path.write_bytes(b"")
    with pytest.raises(StoreUnavailable, match=f"课程数据库文件 {re.escape(str(path))} 是空的（0 字节）"):
        Store.open(sqlite_url(path))
    assert _files(tmp_path) == {"course.sqlite3": b""}


def test_a_file_cut_inside_a_page_is_refused_before_sqlite_pads_it(tmp_path: Path) -> None:
    path = _course_database(tmp_path)
    cut = path.read_bytes()[:-1000]
    path.write_bytes(cut)
    with pytest.raises(StoreUnavailable, match="已损坏：文件不完整.*可能已被截断，程序没有改动它"):
        Store.open(sqlite_url(path))
    assert _files(tmp_path) == {"course.sqlite3": cut}


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_a_file_cut_at_a_page_boundary_is_reported_as_damaged(tmp_path: Path, keep: float) -> None:
    path = _course_database(tmp_path)
    content = path.read_bytes()
    cut = content[: int(len(content) * keep) // 4096 * 4096]
    path.write_bytes(cut)
    with pytest.raises(StoreUnavailable, match="已损坏或不是数据库文件，程序没有改动它"):
        store = Store.open(sqlite_url(path))
        store.progress(1)  # whatever page the cut hit, reading it fails
    assert _files(tmp_path) == {"course.sqlite3": cut}


def test_garbage_over_the_tables_is_reported_as_damaged(tmp_path: Path) -> None:
    path = _course_database(tmp_path)
    content = path.read_bytes()
    damaged = content[:4096] + bytes(range(256)) * ((len(content) - 4096) // 256)
    path.write_bytes(damaged)
    with pytest.raises(StoreUnavailable, match="已损坏或不是数据库文件，程序没有改动它"):
        Store.open(sqlite_url(path))
    assert _files(tmp_path) == {"course.sqlite3": damaged}


def test_a_long_lock_by_another_process_reads_on_refuses_writes_and_loses_nothing(
    tmp_path: Path, short_lock_wait: None
) -> None:
    path = _course_database(tmp_path, trainees=1)
    store = Store.open(sqlite_url(path))
    try:
        session = sign_in(store, "张三", "A001", "")
        before = path.read_bytes()
        with exclusive_lock(path) as holder:
            assert store.progress(session.trainee.id) == {}  # WAL: readers pass a writer
            with pytest.raises(StoreUnavailable, match=f"课程数据库 {re.escape(str(path))} 正忙：另一个程序长时间占用着它"):
                store.record_answer(session.trainee.id, "fazhan", "q1", {"choice": "A"}, 1.0, True)
            assert path.read_bytes() == before
            holder.kill()
            holder.wait()
            store.record_answer(session.trainee.id, "fazhan", "q1", {"choice": "A"}, 1.0, True)
        assert store.progress(session.trainee.id)["fazhan"].answered == 1
    finally:
        store.close()


def test_a_locked_database_in_rollback_journal_mode_is_not_switched_to_wal(
    tmp_path: Path, short_lock_wait: None
) -> None:
    """What ``restore`` leaves (a single file) held by a database tool: opening waits, then says so."""
    path = _course_database(tmp_path, trainees=3)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
    before = path.read_bytes()
    with exclusive_lock(path), pytest.raises(StoreUnavailable, match="正忙"):
        Store.open(sqlite_url(path))
    assert path.read_bytes() == before


UNREADABLE_PROBE = """
import sys
from helpers.store import Store, StoreUnavailable
try:
    Store.open(sys.argv[1])
except StoreUnavailable as exc:
    print(exc)
"""


def _without_read_override() -> list[str] | None:
    """How to run a process for which chmod 000 really blocks reading, or None if there is none.

    As root, permissions do not stop reads; ``setpriv`` drops the two
    capabilities that let root ignore them.
    """
    if os.name != "posix":
        return None
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    drop = "-dac_override,-dac_read_search"
    return [setpriv, f"--inh-caps={drop}", f"--bounding-set={drop}"] if setpriv else None


def test_an_unreadable_file_is_reported_on_the_page_and_by_the_cli_and_left_alone(tmp_path: Path) -> None:
    prefix = _without_read_override()
    if prefix is None:
        pytest.skip("以 root 运行且没有 setpriv：chmod 000 挡不住 root 读取（另见“文件夹代替文件”的测试）")
    path = _course_database(tmp_path, trainees=3)
    before = path.read_bytes()
    path.chmod(0)
    try:
        page = subprocess.run([*prefix, sys.executable, "-c", UNREADABLE_PROBE, sqlite_url(path)],
                              capture_output=True, text=True, timeout=120)
        cli = subprocess.run([*prefix, sys.executable, "-m", "helpers", "backup", "--data-dir", str(tmp_path)],
                             capture_output=True, text=True, timeout=120,
                             env={name: value for name, value in os.environ.items() if name != "COURSE_DB_URL"})
    finally:
        path.chmod(0o600)
    reason = f"无法使用课程数据库 {path}，请检查文件及其所在文件夹是否存在、可读写"
    assert reason in page.stdout, page.stderr
    assert cli.returncode == 1 and reason in cli.stderr
    assert "Traceback" not in page.stdout + page.stderr + cli.stderr
    assert _files(tmp_path) == {"course.sqlite3": before}
