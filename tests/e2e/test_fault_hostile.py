"""Hostile input in the real page: markup that would run if it were not escaped,
an overlong answer, and a 50 MB file refused before the browser reads it.

Every payload would set ``window.__pwned`` if the page ever rendered it as
markup; the tests check in Chromium that it never did.
"""
from __future__ import annotations

import csv
import io
import re

import pytest

from helpers.content.interchange.files import MAX_BYTES
from helpers.content.loader import default_bank_dir, load_module
from helpers.ui.question_inputs import ANSWER_MAX
from trainee_steps import sign_in_and_open

pytestmark = pytest.mark.e2e

PAYLOADS = (
    "<img src=x onerror=window.__pwned=1>",
    "<script>window.__pwned=1</script>",
    '"><svg onload=window.__pwned=1>',
)
BIG_UPLOAD = 50 * 1024 * 1024


def pwned(page) -> bool:
    return page.evaluate("window.__pwned !== undefined")


def shenghuo():
    """The module with a fill-in question second and the meeting-record checker."""
    module = load_module(default_bank_dir() / "shenghuo")
    assert [q.type for q in module.questions[:2]] == ["single", "fill"]
    return module


def upload(page, path) -> None:
    """Choose ``path`` in the meeting checker (FileUpload keeps its <input type=file> off the page)."""
    with page.expect_file_chooser() as choosing:
        page.locator(".widget-upload").click()
    choosing.value.set_files(path)


def test_markup_in_names_answers_and_files_never_runs(course_server, page, tmp_path, local_only):
    page.goto(course_server.url)
    for payload in PAYLOADS:
        page.get_by_placeholder("例如：张三").fill(payload)
        page.get_by_placeholder("例如：2026001").fill("hostile-001")
        page.get_by_role("button", name="登录").click()
        page.get_by_text("姓名不能包含").wait_for()
    assert not pwned(page)

    module = shenghuo()
    sign_in_and_open(page, course_server.url, module, "周四", "hostile-001")
    page.get_by_role("button", name="下一题").click()
    answer_box = page.get_by_placeholder("在此输入答案")
    answer_box.fill(PAYLOADS[0])
    page.get_by_role("button", name="提交").click()
    page.get_by_text("回答错误。").wait_for()
    assert answer_box.input_value() == PAYLOADS[0]  # shown back as text in the box

    rows = [["日期", "会议类型", "应到人数", "实到人数", "议题"],
            ["2026-01-05", "支委会", "5", "4", PAYLOADS[0]],
            *[[payload, payload, payload, "4", payload] for payload in PAYLOADS]]
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    hostile_file = tmp_path / "<img src=x onerror=window.__pwned=1>.csv"
    hostile_file.write_text(text.getvalue(), encoding="utf-8")
    upload(page, hostile_file)
    page.get_by_role("button", name="检查").click()
    page.get_by_text("会议记录文件中发现").wait_for()
    page.get_by_text(re.compile(r"无法识别的日期 <img src=x")).first.wait_for()  # the text itself, shown as text
    assert not pwned(page)
    local_only()


def test_an_overlong_answer_is_cut_with_a_note(course_server, page, local_only):
    module = shenghuo()
    sign_in_and_open(page, course_server.url, module, "吴五", "hostile-002")
    page.get_by_role("button", name="下一题").click()
    answer_box = page.get_by_placeholder("在此输入答案")
    answer_box.fill("党" * 100_000)
    page.get_by_text(f"答案最多 {ANSWER_MAX} 个字，超出的部分已删去。").wait_for()
    page.wait_for_function(f"document.querySelector('input[placeholder=\"在此输入答案\"]').value.length === {ANSWER_MAX}")
    page.get_by_role("button", name="提交").click()
    page.get_by_text("回答错误。").wait_for()
    local_only()


def test_a_50_mb_upload_is_refused_before_it_is_read(course_server, page, tmp_path, local_only):
    sent: list[int] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(len(payload))))
    big = tmp_path / "会议记录.csv"
    with big.open("wb") as handle:
        handle.truncate(BIG_UPLOAD)
    module = shenghuo()
    sign_in_and_open(page, course_server.url, module, "郑六", "hostile-003")
    page.locator(".widget-upload").wait_for()

    before = len(sent)
    upload(page, big)
    refusal = page.get_by_role("alert").filter(has_text="超过")
    refusal.wait_for()
    assert refusal.inner_text() == (
        f"文件“会议记录.csv”有 50.0 MB，超过 {MAX_BYTES // 1024 // 1024} MB 的上限，没有上传。请检查是否选错了文件。"
    )
    page.get_by_role("button", name="检查").click()
    page.get_by_text("请先点“选择文件”").wait_for()  # the kernel has no file
    assert page.locator(".widget-upload").inner_text().strip().endswith("(0)")
    assert len(sent) > before and max(sent[before:]) < 100_000, "the file went through the websocket"

    small = tmp_path / "小.csv"
    small.write_text("日期,会议类型\n2026-01-05,支委会\n", encoding="utf-8")
    upload(page, small)  # an ordinary file still goes through, and the refusal goes away
    page.get_by_role("alert").filter(has_text="超过").wait_for(state="detached")
    page.get_by_role("button", name="检查").click()
    page.get_by_text("已读取“小.csv”中的 1 条会议记录").wait_for()
    local_only()
