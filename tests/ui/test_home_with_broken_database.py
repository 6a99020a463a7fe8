"""The course home on a damaged database: a Chinese notice instead of a traceback, the file untouched.

Built exactly as the home notebook builds it: no store handed in, the
database found through ``COURSE_DATA_DIR``.
"""
from __future__ import annotations

from pathlib import Path

import ipywidgets as w
import pytest

from helpers.store import Store, database
from helpers.store.location import folder_url
from helpers.ui.pages import CourseHome


def _page_html(widget: w.Widget) -> str:
    own = [widget.value] if isinstance(widget, w.HTML) else []
    return "".join(own + [_page_html(child) for child in getattr(widget, "children", ())])


def _garbage(path: Path) -> None:
    path.write_bytes(b"\x89PNG not a database " * 300)


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _cut(path: Path) -> None:
    Store.open(folder_url(path.parent)).close()
    path.write_bytes(path.read_bytes()[:-700])


@pytest.mark.parametrize(
    ("damage", "message"),
    [(_garbage, "已损坏或不是数据库文件"), (_empty, "是空的（0 字节）"), (_cut, "已损坏：文件不完整")],
    ids=["garbage", "empty", "truncated"],
)
def test_home_shows_the_chinese_reason_and_leaves_the_file(tmp_path, monkeypatch, bank_dir, damage, message):
    monkeypatch.setattr(database, "EMPTY_FILE_GRACE_S", 0.01)
    monkeypatch.delenv("COURSE_DB_URL", raising=False)
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    path = tmp_path / "course.sqlite3"
    damage(path)
    before = path.read_bytes()

    home = CourseHome(bank_dir=bank_dir, token="", notebook_dir=tmp_path)

    html = _page_html(home.widget)
    assert f"课程数据库文件 {path} {message}" in html and "程序没有改动它" in html
    assert "Traceback" not in html
    assert home.sign_in_form is None, "no sign-in form that could not save anything"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["course.sqlite3"]
    assert path.read_bytes() == before
