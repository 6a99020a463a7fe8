"""Self-study at home in a real browser: profiles with one tap, progress to a file and back.

A classroom server is checked too: it must never list anyone's name.
"""
from __future__ import annotations

import json
import re

import pytest
from phone_layout import PHONE, check_layout

from helpers.engine.identity import validate_identity
from helpers.store import Store
from helpers.store.portable import FORMAT

pytestmark = pytest.mark.e2e


def _store(server) -> Store:
    return Store.open(f"sqlite:///{server.data_dir / 'course.sqlite3'}")


@pytest.fixture(scope="module")
def home_server(start_course_server):
    """``python3 run.py serve`` on one person's computer, with one profile already there."""
    server = start_course_server(self_study=True, home_pool=1, module_pool=0)
    store = _store(server)
    zhang = store.sign_in(validate_identity("张三", "zx000001", "")).trainee
    store.record_answer(zhang.id, "fazhan", "fazhan-001", "B", 1.0, True)
    yield server
    store.close()


def test_continue_export_and_import_again(home_server, page, tmp_path, local_only):
    page.goto(home_server.url)
    page.get_by_text("本机学习档案").wait_for()
    page.set_viewport_size(PHONE)
    check_layout(page, tmp_path, "1-本机学习档案")
    page.get_by_role("button", name="继续：张三").click()
    page.get_by_text("当前学员：张三（编号 zx000001，自学）").wait_for()
    page.get_by_text("本机学习档案").wait_for(state="hidden")

    page.get_by_role("button", name="导出我的学习记录").click()
    with page.expect_download() as saving:
        page.get_by_role("link", name=re.compile(r"保存文件：学习记录-张三-\d{4}-\d\d-\d\d\.json")).click()
    saved = tmp_path / saving.value.suggested_filename
    saving.value.save_as(saved)
    document = json.loads(saved.read_text(encoding="utf-8"))
    assert document["format"] == FORMAT and document["answers"][0]["question_id"] == "fazhan-001"

    with page.expect_file_chooser() as choosing:  # FileUpload keeps its <input type=file> off the page
        page.locator(".course-progress-transfer .widget-upload").click()
    choosing.value.set_files(saved)
    page.get_by_role("button", name="导入学习记录").click()
    page.get_by_text("这个文件中的记录此前都已导入过，没有新增。").wait_for()
    check_layout(page, tmp_path, "2-导入之后")
    local_only()


def test_a_new_profile_is_listed_next_time(home_server, page):
    page.goto(home_server.url)
    page.get_by_placeholder("新档案的姓名").fill("李四")
    page.get_by_role("button", name="新建档案").click()
    page.get_by_text(re.compile(r"当前学员：李四（编号 zx\d{6}，自学）")).wait_for()

    page.goto(home_server.url)
    page.get_by_role("button", name="继续：李四").click()
    page.get_by_text(re.compile(r"当前学员：李四（编号 zx\d{6}，自学）")).wait_for()


def test_a_classroom_server_lists_no_profiles(course_server, page):
    store = _store(course_server)
    store.sign_in(validate_identity("自学学员甲", "zx999999", ""))
    store.close()
    page.goto(course_server.url)
    page.get_by_role("button", name="登录").wait_for()
    body = page.locator("body").inner_text()
    assert "本机学习档案" not in body and "自学学员甲" not in body
