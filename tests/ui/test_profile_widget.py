"""本机学习档案 and 我的学习记录 on the course home, driven from Python."""
import base64
import datetime as dt
import json
import re

import pytest

from helpers.engine.identity import validate_identity
from helpers.store import Store
from helpers.store.location import SELF_STUDY_ENV
from helpers.ui.pages import CourseHome
from helpers.ui.profile_widget import ProfilePicker, ProgressTransfer


@pytest.fixture
def self_study(monkeypatch):
    """The course served for self-study, as ``serve`` tells the kernels."""
    monkeypatch.setenv(SELF_STUDY_ENV, "1")


@pytest.fixture
def other(tmp_path):
    """Another computer's database."""
    return Store.open(f"sqlite:///{tmp_path / 'other.sqlite3'}")


def texts(box) -> list[str]:
    return [child.description for child in box.children]


def choose(upload, data: bytes, name: str = "学习记录.json") -> None:
    """What ipywidgets 8 puts in FileUpload.value after the browser sends a file."""
    upload.value = ({
        "name": name, "type": "application/json", "size": len(data),
        "content": memoryview(data), "last_modified": dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc),
    },)


def downloaded(html: str) -> tuple[str, bytes]:
    """The file name and bytes a download_link() would save."""
    name = re.search(r'download="([^"]+)"', html).group(1)
    data = re.search(r'href="data:application/json;base64,([^"]+)"', html).group(1)
    return name, base64.b64decode(data)


def test_a_profile_is_continued_with_one_tap(self_study, bank_dir, store, class_a):
    store.sign_in(validate_identity("张三", "zx000001", ""))
    store.sign_in(validate_identity("王五", "2026009", class_a))  # a class trainee is not listed
    home = CourseHome(bank_dir=bank_dir, store=store, token="")

    assert texts(home.picker.profiles) == ["继续：张三"]
    home.picker.profiles.children[0].click()

    assert (home.trainee.name, home.trainee.number, home.trainee.class_code) == ("张三", "zx000001", "")
    assert home.picker.widget.children == (home.picker.message,) and home.picker.message.value == ""
    assert "course-progress-transfer" in home.transfer.children[0]._dom_classes


def test_no_profiles_are_listed_on_a_classroom_server(monkeypatch, bank_dir, store):
    monkeypatch.delenv(SELF_STUDY_ENV, raising=False)
    store.sign_in(validate_identity("张三", "zx000001", ""))
    home = CourseHome(bank_dir=bank_dir, store=store, token="")
    assert home.picker.widget.children == ()


def test_a_new_profile_needs_only_a_name(store):
    signed_in = []
    picker = ProfilePicker(store, signed_in.append, self_study=True)
    picker.create.click()
    assert "请填写姓名" in picker.message.value and not signed_in

    picker.name.value = "赵　六"
    picker.create.click()
    assert signed_in[0].trainee.name == "赵 六" and re.fullmatch(r"zx\d{6}", signed_in[0].trainee.number)
    picker.refresh()
    assert texts(picker.profiles) == ["继续：赵 六"]


def test_two_profiles_with_one_name_show_their_numbers(store):
    store.sign_in(validate_identity("张三", "a1", ""))
    store.sign_in(validate_identity("张三", "b2", ""))
    picker = ProfilePicker(store, lambda session: None, self_study=True)
    assert sorted(texts(picker.profiles)) == ["继续：张三（a1）", "继续：张三（b2）"]


def test_export_then_import_on_another_computer(store, other):
    session = store.sign_in(validate_identity("张三", "zx000001", ""))
    store.record_answer(session.trainee.id, "demo", "demo-1", "B", 1.0, True)
    store.save_audit(session.trainee.id, "demo", "demo-audit", {"i1": "是"}, 90.0, "好")
    transfer = ProgressTransfer(store, session.trainee, lambda: None, today=dt.date(2026, 11, 23))
    transfer.export.click()
    name, data = downloaded(transfer.download.value)
    assert name == "学习记录-张三-2026-11-23.json" and json.loads(data)["answers"][0]["question_id"] == "demo-1"

    refreshed = []
    there = other.sign_in(validate_identity("张三", "zx000001", ""))
    importing = ProgressTransfer(other, there.trainee, lambda: refreshed.append(True))
    importing.import_button.click()
    assert "请先点“选择文件”" in importing.message.value

    choose(importing.upload, data)
    importing.import_button.click()
    assert "导入了 1 条作答、1 次自查" in importing.message.value and refreshed
    importing.import_button.click()
    assert "此前都已导入过，没有新增" in importing.message.value
    assert other.progress(there.trainee.id)["demo"].answered == 1


@pytest.mark.parametrize(("data", "says"), [
    (b"\x89PNG\r\n", "不是学习记录文件"),
    (json.dumps({"format": "liangxin-workbook-progress", "version": 9}).encode(), "格式版本是 9"),
])
def test_a_bad_file_gets_a_chinese_reason(store, data, says):
    session = store.sign_in(validate_identity("张三", "zx000001", ""))
    transfer = ProgressTransfer(store, session.trainee, lambda: pytest.fail("不应刷新"))
    choose(transfer.upload, data)
    transfer.import_button.click()
    assert says in transfer.message.value and "Traceback" not in transfer.message.value


def test_someone_elses_file_is_explained(store):
    zhang = store.sign_in(validate_identity("张三", "zx000001", ""))
    li = store.sign_in(validate_identity("李四", "zx000002", ""))
    transfer = ProgressTransfer(store, li.trainee, lambda: pytest.fail("不应刷新"))
    choose(transfer.upload, store.export_progress(zhang.trainee.id))
    transfer.import_button.click()
    assert "“张三”" in transfer.message.value and "不是当前档案“李四”" in transfer.message.value


def test_a_class_trainee_can_export_but_not_import(store, session):
    transfer = ProgressTransfer(store, session.trainee, lambda: None)
    assert not hasattr(transfer, "upload")
    transfer.export.click()
    assert "学习记录-张三-" in transfer.download.value


def test_a_file_from_another_computer_starts_its_profile(store, other):
    session = store.sign_in(validate_identity("张三", "zx000001", ""))
    store.record_answer(session.trainee.id, "demo", "demo-1", "B", 1.0, True)
    signed_in = []
    picker = ProfilePicker(other, signed_in.append, self_study=True)
    picker.import_button.click()
    assert "请先点“选择文件”" in picker.message.value

    choose(picker.upload, b"not json")
    picker.import_button.click()
    assert "不是学习记录文件" in picker.message.value and other.self_study_profiles() == []

    choose(picker.upload, store.export_progress(session.trainee.id))
    picker.import_button.click()
    assert signed_in[0].trainee.number == "zx000001"
    assert "导入了 1 条作答、0 次自查" in picker.message.value
    assert other.progress(signed_in[0].trainee.id)["demo"].correct == 1


def test_a_database_that_fails_when_the_profiles_are_listed_again_is_named(tmp_path):
    path = tmp_path / "course.sqlite3"
    store = Store.open(f"sqlite:///{path}")
    picker = ProfilePicker(store, lambda session: None, self_study=True)
    store.close()  # its next use opens the file again
    path.write_bytes(b"\x89PNG not a database " * 300)
    picker.refresh()
    assert "已损坏或不是数据库文件" in picker.message.value
