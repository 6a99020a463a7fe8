"""Hostile input wherever a trainee or instructor types or uploads, driven from Python.

Markup comes back escaped (never as tags), overlong text gets a short Chinese
message and is not stored whole, and junk files get a Chinese explanation,
never the generic "出了点问题" of an unexpected error.  The browser-side half
(payloads not running, the 50 MB upload refused in the page) is
tests/e2e/test_fault_hostile.py.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import sqlite3
import zipfile

import pytest

from helpers.content.interchange.files import MAX_BYTES
from helpers.content.loader import default_bank_dir, load_module
from helpers.engine.meeting_log_file import MAX_BYTES as MEETING_MAX_BYTES
from helpers.ui.callbacks import UNEXPECTED
from helpers.ui.instructor_classes import ClassesView
from helpers.ui.instructor_dashboard import InstructorDashboard
from helpers.ui.meeting_widget import MeetingAuditWidget
from helpers.ui.question_inputs import ANSWER_MAX
from helpers.ui.quiz_widget import QuizWidget
from helpers.ui.signin import SignInForm
from helpers.ui.uploads import LIMIT_CLASS_PREFIX

PAYLOADS = (
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    '"><svg onload=window.__pwned=1>',
)
HUGE = 100_000
# A message about a bad value may quote the start of it, never all of it.
MESSAGE_MAX = 3_000
TODAY = dt.date(2026, 11, 23)


def assert_no_markup(html: str) -> None:
    """Nothing a user typed became a tag: the payloads' tags appear only escaped."""
    lowered = html.lower()
    for tag in ("<script", "<img", "<svg"):
        assert tag not in lowered, html[:2000]


def rows(tmp_path, table: str) -> list[tuple]:
    with sqlite3.connect(tmp_path / "course.sqlite3") as db:
        return db.execute(f"SELECT * FROM {table}").fetchall()


# -- sign-in -------------------------------------------------------------------

@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_a_name_is_refused_and_not_echoed(store, payload, tmp_path):
    form = SignInForm(store, lambda session: None)
    form.name.value, form.number.value = payload, "2026001"
    form.button.click()
    assert "姓名不能包含" in form.message.value
    assert_no_markup(form.message.value)
    assert rows(tmp_path, "trainees") == []


@pytest.mark.parametrize("field, label", [("name", "姓名"), ("number", "学员编号"), ("class_code", "班级代码")])
def test_an_overlong_sign_in_field_gets_a_short_message(store, field, label, tmp_path):
    form = SignInForm(store, lambda session: None)
    form.name.value, form.number.value = "张三", "2026001"
    setattr(getattr(form, field), "value", "a" * HUGE if field != "name" else "张" * HUGE)
    form.button.click()
    assert f"{label}不能超过" in form.message.value and f"现在是 {HUGE} 个" in form.message.value
    assert len(form.message.value) < MESSAGE_MAX
    assert rows(tmp_path, "trainees") == []


# -- typed answers ---------------------------------------------------------------

@pytest.fixture
def shenghuo():
    return load_module(default_bank_dir() / "shenghuo")


def open_at(questions, store, session, kind: str) -> QuizWidget:
    quiz = QuizWidget(questions, store, session.trainee.id, "shenghuo")
    quiz.go(next(i for i, q in enumerate(questions) if q.type == kind))
    return quiz


def typed(quiz: QuizWidget):
    return quiz._inputs[quiz.current.id]._text


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_a_fill_in_answer_is_stored_as_text_and_never_shown_as_markup(shenghuo, store, session, payload, tmp_path):
    quiz = open_at(shenghuo.questions, store, session, "fill")
    typed(quiz).value = payload
    quiz.submit.click()
    assert "回答错误" in quiz.feedback.value
    assert_no_markup(quiz.feedback.value + quiz.message.value + quiz.summary.value)
    (stored,) = [json.loads(row[0]) for row in sqlite3.connect(tmp_path / "course.sqlite3").execute(
        "SELECT response FROM answers")]
    assert stored == payload
    again = open_at(shenghuo.questions, store, session, "fill")  # the answer comes back in a text box, as text
    assert typed(again).value == payload and again._inputs[again.current.id]._text.disabled


@pytest.mark.parametrize("kind, character", [("fill", "党"), ("numeric", "9")])
def test_an_overlong_typed_answer_is_cut_with_a_note_and_stored_short(shenghuo, store, session, kind, character, tmp_path):
    quiz = open_at(shenghuo.questions, store, session, kind)
    entry = quiz._inputs[quiz.current.id]
    assert entry._too_long.layout.display == "none"
    entry._text.value = character * HUGE
    assert entry._text.value == character * ANSWER_MAX
    assert entry._too_long.layout.display != "none" and f"答案最多 {ANSWER_MAX} 个字" in entry._too_long.value
    quiz.submit.click()
    assert "回答" in quiz.feedback.value, quiz.message.value
    (stored,) = [json.loads(row[0]) for row in sqlite3.connect(tmp_path / "course.sqlite3").execute(
        "SELECT response FROM answers")]
    assert stored == character * ANSWER_MAX


def test_the_note_goes_once_the_answer_is_shortened(shenghuo, store, session):
    quiz = open_at(shenghuo.questions, store, session, "fill")
    entry = quiz._inputs[quiz.current.id]
    entry._text.value = "党" * (ANSWER_MAX + 1)
    entry._text.value = "三会一课"
    assert entry._too_long.layout.display == "none"


# -- meeting log uploads ---------------------------------------------------------

def choose(widget, data: bytes, name: str, size: int | None = None) -> None:
    widget.value = ({"name": name, "type": "text/csv", "size": len(data) if size is None else size,
                     "content": memoryview(data), "last_modified": dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)},)


def csv_bytes(table: list[list[str]]) -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows(table)
    return text.getvalue().encode("utf-8")


def meeting_check(data: bytes, name: str = "记录.csv", size: int | None = None) -> MeetingAuditWidget:
    page = MeetingAuditWidget(today=TODAY)
    choose(page.upload, data, name, size)
    page.check.click()
    assert page.result.value and UNEXPECTED not in page.result.value
    return page


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_a_meeting_log_is_shown_escaped(payload):
    table = csv_bytes([
        ["日期", "会议类型", "应到人数", "实到人数", "议题"],
        ["2026-01-05", "支委会", "5", "4", payload],  # a good row: its topic is never shown as markup
        [payload, "支委会", "5", "4", ""],
        ["2026-02-05", payload, "5", "4", ""],
        ["2026-03-05", "支委会", payload, "4", ""],
    ])
    page = meeting_check(table, f"{payload}.csv")
    assert "第 3 行" in page.result.value and "第 5 行" in page.result.value
    assert "&lt;" in page.result.value
    assert_no_markup(page.result.value + page.calendar.value)


def test_markup_in_a_meeting_log_that_passes_is_not_shown_as_markup():
    payload = PAYLOADS[1]
    table = csv_bytes([["日期", "会议类型", "应到人数", "实到人数", "议题"], ["2026-01-05", "支委会", "5", "4", payload]])
    page = meeting_check(table, f"{payload}.csv")
    assert "中的 1 条会议记录" in page.result.value
    assert_no_markup(page.result.value + page.calendar.value)


@pytest.mark.parametrize("column", ["日期", "会议类型", "应到人数"])
def test_an_overlong_cell_is_quoted_short(column):
    cells = {"日期": "2026-01-05", "会议类型": "支委会", "应到人数": "5"}
    cells[column] = "x" * HUGE
    page = meeting_check(csv_bytes([list(cells), list(cells.values())]))
    assert "第 2 行" in page.result.value and len(page.result.value) < MESSAGE_MAX


def test_an_overlong_header_is_quoted_short():
    page = meeting_check(("x" * HUGE + ",y\n1,2\n").encode("utf-8"))
    assert "没有找到表头" in page.result.value and len(page.result.value) < MESSAGE_MAX


def junk_files() -> list[tuple[str, bytes]]:
    noise = random.Random(5).randbytes(200_000)
    fake_workbook = io.BytesIO()
    with zipfile.ZipFile(fake_workbook, "w") as archive:
        archive.writestr("xl/workbook.xml", noise[:5000])
        archive.writestr("[Content_Types].xml", b"<not xml")
    return [
        ("会议记录.csv", noise),
        ("会议记录.xlsx", noise),
        ("会议记录.xlsx", b"PK\x03\x04" + noise),
        ("会议记录.xlsx", fake_workbook.getvalue()),
        ("会议记录.csv", b"\x00" * 1000),
        ("会议记录.csv", "日期,会议类型\n".encode() + noise),
    ]


@pytest.mark.parametrize("name, data", junk_files())
def test_junk_meeting_logs_get_a_chinese_message(name, data):
    page = meeting_check(data, name)
    assert "问题" in page.result.value or "无法" in page.result.value or "不是" in page.result.value
    assert len(page.result.value) < MESSAGE_MAX * 4
    assert page.calendar.value == ""


def test_a_file_the_browser_says_is_too_large_is_refused_before_reading():
    page = meeting_check(b"not read", "大文件.csv", size=50 * 1024 * 1024)
    assert "超过 5 MB 的上限" in page.result.value


# -- rosters ---------------------------------------------------------------------

@pytest.fixture
def classes(store, bank_dir):
    store.create_class("c9", "九班")
    board = InstructorDashboard(store, bank_dir=bank_dir)
    index = next(i for i, v in enumerate(board.views) if isinstance(v, ClassesView))
    board.tabs.selected_index = index
    return board.views[index]


def import_roster(view: ClassesView, data: bytes, name: str = "花名册.csv") -> str:
    choose(view.upload, data, name)
    view.import_roster.click()
    assert UNEXPECTED not in view.import_message.value
    return view.import_message.value


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_roster_names_and_numbers_is_refused_and_escaped(classes, store, payload):
    message = import_roster(classes, csv_bytes([["姓名", "学员编号"], [payload, "001"], ["刘一", payload]]))
    assert "一个也没有导入" in message and "第 1 名学员" in message and "第 2 名学员" in message
    assert_no_markup(message)
    assert store.roster("c9") == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_roster_unit_and_position_is_listed_escaped(classes, store, payload):
    table = csv_bytes([["姓名", "学员编号", "单位", "职务"], ["刘一", "001", payload, payload]])
    message = import_roster(classes, table, f"{payload}.csv")
    assert "导入 1 名学员" in message
    assert_no_markup(message + classes.content.value)
    assert "&lt;" in classes.content.value


@pytest.mark.parametrize("column", ["姓名", "学员编号", "单位"])
def test_an_overlong_roster_cell_is_refused_with_a_short_message(classes, store, column):
    cells = {"姓名": "刘一", "学员编号": "001", "单位": "甲公司"}
    cells[column] = "x" * HUGE
    message = import_roster(classes, csv_bytes([list(cells), list(cells.values())]))
    assert "一个也没有导入" in message and len(message) < MESSAGE_MAX
    assert store.roster("c9") == []


@pytest.mark.parametrize("name, data", [(n.replace("会议记录", "花名册"), d) for n, d in junk_files()])
def test_junk_rosters_get_a_chinese_message(classes, store, name, data):
    message = import_roster(classes, data, name)
    assert "没有导入" in message or "不是" in message or "无法" in message
    assert len(message) < MESSAGE_MAX * 4
    assert store.roster("c9") == []


# -- the browser-side limit --------------------------------------------------------

def test_uploads_carry_the_kernel_limit_for_the_page_guard(classes):
    meeting = MeetingAuditWidget(today=TODAY)
    assert MEETING_MAX_BYTES == MAX_BYTES
    for upload in (meeting.upload, classes.upload):
        assert f"{LIMIT_CLASS_PREFIX}{MAX_BYTES}" in upload._dom_classes
        assert not upload.multiple
