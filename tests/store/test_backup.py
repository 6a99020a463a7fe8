"""Backup and restore of the SQLite course database (``helpers.store.backup``).

Real files throughout: a backup must hold answers that are still only in the
WAL of a store in use, and a refused restore must leave every byte as it was.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from lock_holder import exclusive_lock
from store_support import sign_in, sqlite_url

from helpers.store import Store, StoreUnavailable, backup as backup_module
from helpers.store.backup import BACKUP_STEM, KEPT_STEM, backup, check_course_file, restore
from helpers.store.errors import BackupError
from helpers.store.migrate import HEAD

WHEN = datetime(2026, 5, 11, 9, 30, 5)
HOLD_OPEN = """
import sys, time
from helpers.store import Store
Store.open(sys.argv[1]).progress(1)
print("open", flush=True)
time.sleep(600)
"""


def _names(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("SELECT name FROM trainees ORDER BY id")]


@pytest.fixture
def course(tmp_path: Path):
    """An open store on ``data/course.sqlite3`` with one trainee; closed at the end."""
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "course.sqlite3"
    store = Store.open(sqlite_url(path))
    sign_in(store, "张三", "A001", "")
    yield store, path
    store.close()


def test_backup_of_a_database_in_use_holds_what_is_still_in_the_wal(course) -> None:
    store, path = course
    sign_in(store, "李四", "A002", "")
    assert Path(f"{path}-wal").stat().st_size > 0, "the test needs answers not yet in the main file"

    written = backup(sqlite_url(path), when=WHEN)

    assert written == path.parent / f"{BACKUP_STEM}-20260511-093005.sqlite3"
    assert _names(written) == ["张三", "李四"]
    assert check_course_file(written) == HEAD
    assert not Path(f"{written}-wal").exists() and not Path(f"{written}.partial").exists()
    assert backup(sqlite_url(path), when=WHEN).name == f"{BACKUP_STEM}-20260511-093005-2.sqlite3"


def test_backup_to_a_named_file_or_folder_never_overwrites(course, tmp_path: Path) -> None:
    _, path = course
    target = tmp_path / "备份 2026.sqlite3"
    assert backup(sqlite_url(path), target) == target
    with pytest.raises(BackupError, match=f"{re.escape(str(target))} 已经存在；为免覆盖"):
        backup(sqlite_url(path), target)
    assert backup(sqlite_url(path), tmp_path, when=WHEN).parent == tmp_path


def test_backup_of_a_damaged_database_says_so_and_leaves_nothing_behind(tmp_path: Path) -> None:
    path = tmp_path / "course.sqlite3"
    path.write_bytes(b"not a database\n" * 500)
    with pytest.raises(StoreUnavailable, match="已损坏或不是数据库文件，程序没有改动它"):
        backup(sqlite_url(path), tmp_path / "out.sqlite3")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["course.sqlite3"]
    assert path.read_bytes() == b"not a database\n" * 500


def test_backup_gives_up_on_a_database_locked_for_long(course, monkeypatch: pytest.MonkeyPatch) -> None:
    store, path = course
    store.close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")  # locked like this, readers wait too
    monkeypatch.setattr(backup_module, "LOCK_WAIT_S", 0.3)
    with exclusive_lock(path), pytest.raises(StoreUnavailable, match="正忙"):
        backup(sqlite_url(path), when=WHEN)
    assert sorted(p.name for p in path.parent.iterdir()) == ["course.sqlite3"]


def test_restore_puts_the_backup_back_and_keeps_the_current_database(course) -> None:
    store, path = course
    url = sqlite_url(path)
    saved = backup(url, when=WHEN)
    sign_in(store, "李四", "A002", "")  # after the backup, still in the WAL
    store.close()

    kept = restore(url, saved, when=WHEN)

    assert kept == path.parent / f"{KEPT_STEM}-20260511-093005.sqlite3"
    assert _names(kept) == ["张三", "李四"]
    assert _names(path) == ["张三"]
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}.restoring").exists()
    reopened = Store.open(url)
    try:
        assert sign_in(reopened, "王五", "A003", "").trainee.name == "王五"
    finally:
        reopened.close()


def test_restore_onto_a_new_machine_creates_the_data_folder(course, tmp_path: Path) -> None:
    _, path = course
    saved = backup(sqlite_url(path), tmp_path / "saved.sqlite3")
    fresh = tmp_path / "new" / "data" / "course.sqlite3"
    assert restore(sqlite_url(fresh), saved) is None
    assert _names(fresh) == ["张三"]


def _foreign(path: Path) -> None:
    path.unlink()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")


def _from_the_future(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")


def _cut(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-100])


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda path: path.write_bytes(b"\x00garbage" * 1000), "已损坏或不是数据库文件"),
        (_foreign, "不是本课程的数据库"),
        (_from_the_future, "数据库版本 9999 不是本程序认识的版本"),
        (_cut, "已损坏：文件不完整"),
    ],
    ids=["garbage", "foreign", "newer", "truncated"],
)
def test_restore_refuses_a_file_that_is_not_a_sound_course_database(course, tmp_path: Path, spoil, message) -> None:
    _, path = course
    candidate = backup(sqlite_url(path), tmp_path / "candidate.sqlite3")
    spoil(candidate)
    before = {p.name: p.read_bytes() for p in path.parent.iterdir()}
    with pytest.raises((BackupError, StoreUnavailable), match=message):
        restore(sqlite_url(path), candidate)
    assert {p.name: p.read_bytes() for p in path.parent.iterdir()} == before


def test_restore_refuses_while_another_process_has_the_database_open(course, tmp_path: Path) -> None:
    store, path = course
    saved = backup(sqlite_url(path), tmp_path / "saved.sqlite3")
    store.close()
    kernel = subprocess.Popen([sys.executable, "-c", HOLD_OPEN, sqlite_url(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert kernel.stdout.readline().strip() == "open"
        before = path.read_bytes()
        with pytest.raises(BackupError, match=f"正在被使用（进程号 {kernel.pid}）.*请先停止课程"):
            restore(sqlite_url(path), saved)
        assert path.read_bytes() == before
    finally:
        kernel.kill()
        kernel.wait()


def test_restore_refuses_the_database_itself(course) -> None:
    _, path = course
    with pytest.raises(BackupError, match="就是当前的课程数据库"):
        restore(sqlite_url(path), path)


def test_a_postgresql_database_is_pointed_to_its_own_tools() -> None:
    url = "postgresql+psycopg://course:secret@db.example/course"
    for command in (lambda: backup(url), lambda: restore(url, Path("x.dump"))):
        with pytest.raises(BackupError, match="pg_dump.*pg_restore") as refused:
            command()
        assert "secret" not in str(refused.value)
