"""Databases that cannot be used are reported, named, and never touched."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from store_support import sqlite_url

from helpers.store import Store, StoreUnavailable


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.iterdir()}


@pytest.mark.parametrize(
    "content",
    [b"this is a trainee's spreadsheet, not a database\n" * 200, b"SQLite format 3\x00" + b"\xff" * 4080],
)
def test_corrupt_file_is_reported_and_left_byte_for_byte(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "course.sqlite3"
    path.write_bytes(content)
    with pytest.raises(
        StoreUnavailable, match=f"课程数据库文件 {re.escape(str(path))} 已损坏或不是数据库文件"
    ):
        Store.open(sqlite_url(path))
    assert _files(tmp_path) == {"course.sqlite3": content}


def test_missing_folder_is_reported_not_created(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "course.sqlite3"
    with pytest.raises(StoreUnavailable, match=f"无法使用课程数据库 {re.escape(str(path))}"):
        Store.open(sqlite_url(path))
    assert not path.parent.exists()


def test_a_folder_in_place_of_the_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "course.sqlite3"
    path.mkdir()
    with pytest.raises(StoreUnavailable, match=f"无法使用课程数据库 {re.escape(str(path))}"):
        Store.open(sqlite_url(path))


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "course.sqlite3"
    Store.open(sqlite_url(path)).close()
    path.chmod(0)
    try:
        with pytest.raises(StoreUnavailable, match=re.escape(str(path))):
            Store.open(sqlite_url(path))
    finally:
        path.chmod(0o600)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "课程数据库地址无法识别：not a url"),
        ("nosuchdb://user:secret@host/db", "无法打开课程数据库 nosuchdb://user:\\*\\*\\*@host/db"),
    ],
)
def test_bad_urls_are_reported_without_the_password(url: str, message: str) -> None:
    with pytest.raises(StoreUnavailable, match=message) as caught:
        Store.open(url)
    assert "secret" not in str(caught.value)
