"""Where the database is when no URL is given."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest
from sqlalchemy.engine import make_url

from helpers.store import database_url, location


def test_course_db_url_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COURSE_DB_URL", "postgresql+psycopg://course@db/course")
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    assert database_url() == "postgresql+psycopg://course@db/course"


def test_data_dir_holds_the_sqlite_file_and_is_created(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "数据 50%" / "course?"
    monkeypatch.delenv("COURSE_DB_URL", raising=False)
    monkeypatch.setenv("COURSE_DATA_DIR", str(folder))
    url = make_url(database_url())
    assert url.get_backend_name() == "sqlite"
    assert url.database == str(folder / "course.sqlite3")
    assert folder.is_dir()


def test_default_is_the_user_data_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("COURSE_DB_URL", raising=False)
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    monkeypatch.setattr(location, "COURSE_FOLDER_DATA", tmp_path / "no-earlier-data")
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda app: str(tmp_path / app))
    assert make_url(database_url()).database == str(tmp_path / "liangxin-workbook" / "course.sqlite3")
    assert (tmp_path / "liangxin-workbook").is_dir()
