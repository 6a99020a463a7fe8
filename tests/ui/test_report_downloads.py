"""Printable results offered on the pages, driven from Python: the audit's Word
report and print page, the course home's certificate area, and the instructor's
class report.  Each download link is decoded and the document opened."""
from __future__ import annotations

import base64
import datetime as dt
import html
import io
import re
import subprocess
import sys

import docx
import pytest
from docx.oxml.ns import qn

from helpers.content.loader import load_module
from helpers.content.roster import RosterEntry
from helpers.engine.identity import validate_identity
from helpers.ui.audit_widget import AuditWidget
from helpers.ui.downloads import filename
from helpers.ui.instructor_completion import CompletionView
from helpers.ui.instructor_dashboard import InstructorDashboard
from helpers.ui.instructor_results import DistributionView
from helpers.ui.pages import CourseHome

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BRANCH = "某某科技有限公司党支部"
def links(value: str) -> list[tuple[str, str, bytes]]:
    """(filename, mime, bytes) of every data: download link in a widget's HTML."""
    return [(html.unescape(name), html.unescape(mime), base64.b64decode(data))
            for name, mime, data in re.findall(r'download="([^"]*)" href="data:([^"]+?);base64,([^"]+)"', value)]


def only_link(value: str) -> tuple[str, str, bytes]:
    found = links(value)
    assert len(found) == 1, value
    return found[0]


def docx_text(data: bytes) -> str:
    """Every paragraph of the document, tables included, one per line."""
    body = docx.Document(io.BytesIO(data)).element.body
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))


def finish(store, trainee_id: int, module: str, score: float) -> None:
    store.finish_attempt(store.start_attempt(trainee_id, module), score)


# -- the audit's Word report and print page ------------------------------------------


@pytest.fixture
def audit(bank_dir, store, session):
    checklist = load_module(bank_dir / "demo").checklists["demo-audit"]
    return AuditWidget(checklist, store, session.trainee.id, "demo", trainee_name=session.trainee.name)


def scored(audit, a1="部分达标", a2="达标"):
    audit.choices["a1"].value, audit.choices["a2"].value = a1, a2
    audit.submit.click()
    return audit


def test_reports_are_offered_only_once_a_result_is_saved(audit):
    assert audit.reports.layout.display == "none"
    audit.choices["a1"].value = "达标"
    audit.submit.click()  # one item left: nothing scored, nothing to print
    assert audit.reports.layout.display == "none"
    scored(audit)
    assert audit.reports.layout.display is None
    assert [audit.word_button.description, audit.print_button.description] == ["下载 Word 报告", "打印版"]


def test_word_report_has_branch_score_rating_and_rectification_with_source(audit, store, session):
    scored(audit)
    audit.branch.value = BRANCH
    audit.word_button.click()
    name, mime, data = only_link(audit.download.value)
    assert mime == DOCX and name.endswith(".docx") and BRANCH in name and "演示自查" in name
    text = docx_text(data)
    for expected in (BRANCH, "张三", "总得分 70 分", "合格", "二、整改清单", "尽快换届",
                     "《中国共产党章程》（2022年修改）第三十一条", "（部分达标，失 30 分）", "附：逐项自查情况"):
        assert expected in text, expected
    saved = store.latest_audit(session.trainee.id, "demo-audit").created_at.astimezone().date()
    assert f"{saved.year}年{saved.month}月{saved.day}日" in text
    assert "在浏览器打开" in audit.download.value  # how to save from WeChat's browser


def test_print_page_is_an_escaped_html_file(audit):
    scored(audit, "未达标", "未达标")
    audit.branch.value = "<script>alert(1)</script>党支部"
    audit.print_button.click()
    name, mime, data = only_link(audit.download.value)
    assert mime == "text/html;charset=utf-8" and name.endswith("（打印版）.html") and "<" not in name
    page = data.decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;党支部" in page
    assert "一票否决项未达标：政审材料齐全" in page and "补做政审" in page and "第十六条" in page
    assert "打印 / 另存为 PDF" in page and "另存为 PDF" in audit.download.value


def test_branch_name_is_remembered_and_a_too_long_one_is_refused_in_chinese(audit, bank_dir, store, session):
    scored(audit)
    audit.branch.value = f"  {BRANCH} "
    audit.word_button.click()
    assert audit.branch.value == BRANCH
    again = AuditWidget(audit.checklist, store, session.trainee.id, "demo")
    assert again.branch.value == BRANCH and again.reports.layout.display is None  # restored result, same offer
    again.branch.value = "党" * 101
    again.word_button.click()
    assert links(again.download.value) == []
    assert "支部名称过长（101 个字），请不超过 100 个字" in again.download.value
    assert store.branch_name(session.trainee.id) == BRANCH


def test_a_new_result_clears_the_link_made_for_the_last_one(audit):
    scored(audit)
    audit.word_button.click()
    assert links(audit.download.value)
    scored(audit, "达标", "达标")
    assert audit.download.value == ""


def test_filenames_lose_characters_a_phone_or_windows_refuses():
    assert filename(['某<b>/党支部 ', "", "演示 自查"], ".docx") == "某 b 党支部_演示 自查.docx"


# -- the course home's certificate area ------------------------------------------------


@pytest.fixture
def home(tmp_path, two_module_bank, store, session):
    return CourseHome(bank_dir=two_module_bank, store=store, token=session.token, notebook_dir=tmp_path, poll_seconds=3600)


def test_certificate_area_says_what_is_missing_with_best_score_and_pass_mark(home, store, session):
    finish(store, session.trainee.id, "demo", 50)
    home.refresh()
    status = home.certificate.status.value
    assert "全部 2 个模块测验的最高分都达到 60 分后" in status and "还差 2 个模块" in status
    assert "演示模块：最高分 50 分（需达到 60 分）" in status and "第二模块：尚未完成测验（需达到 60 分）" in status
    assert home.certificate.button.layout.display == "none"


def test_home_shows_the_best_score_the_certificate_counts(home, store, session):
    finish(store, session.trainee.id, "demo", 80)
    finish(store, session.trainee.id, "demo", 40)  # a worse practice run later
    home.refresh()
    status = home._rows["demo"].value.split("<p", 1)[1]  # the status line, not the link (its token is random)
    assert "最高分 80" in status and "40" not in status
    assert "演示模块" not in home.certificate.status.value  # passed with its best run


def test_certificate_downloads_once_every_quiz_is_passed(home, store, session):
    finish(store, session.trainee.id, "demo", 75)
    finish(store, session.trainee.id, "second", 100)
    home.refresh()
    assert "可以下载结业证明" in home.certificate.status.value
    assert home.certificate.button.layout.display is None
    home.certificate.button.click()
    name, mime, data = only_link(home.certificate.download.value)
    assert mime == DOCX and name == "结业证明_张三.docx"
    text = docx_text(data)
    assert "结　业　证　明" in text and "张三同志（学员编号：2026001）" in text and "完成全部 2 个模块" in text
    assert "演示模块" in text and "75 分" in text


def test_pass_mark_set_by_the_instructor_reaches_the_home(home, store, session):
    finish(store, session.trainee.id, "demo", 75)
    finish(store, session.trainee.id, "second", 100)
    store.set_pass_mark(80)
    home.refresh()
    assert "演示模块：最高分 75 分（需达到 80 分）" in home.certificate.status.value
    assert home.certificate.button.layout.display == "none"
    home.certificate.button.click()  # even if clicked somehow: the document refuses, in Chinese
    assert links(home.certificate.download.value) == []
    assert "未达到 80 分：演示模块" in home.certificate.download.value


def test_no_certificate_area_before_sign_in(tmp_path, bank_dir, store):
    page = CourseHome(bank_dir=bank_dir, store=store, token="", notebook_dir=tmp_path, poll_seconds=3600)
    assert page.certificate.widget.layout.display == "none"


# -- the instructor's class report and pass mark ------------------------------------------


@pytest.fixture
def board(tmp_path, bank_dir, store):
    store.create_class("c1", "2026年第一期书记培训班")
    store.import_roster("c1", [RosterEntry("2026001", "王建国", "甲公司党支部", "书记"),
                               RosterEntry("2026002", "刘芳"), RosterEntry("2026003", "赵志强")])
    for number, name, score in (("2026001", "王建国", 90.0), ("2026002", "刘芳", 55.0)):
        trainee = store.sign_in(validate_identity(name, number, "c1")).trainee
        finish(store, trainee.id, "demo", score)
    now = dt.datetime(2026, 12, 20, 2, 0, tzinfo=dt.timezone.utc)
    dashboard = InstructorDashboard(store, bank_dir=bank_dir, now=lambda: now)
    dashboard.class_picker.value = "c1"
    index = next(i for i, v in enumerate(dashboard.views) if isinstance(v, CompletionView))
    dashboard.tabs.selected_index = index
    return dashboard


def test_completion_tab_lists_who_can_graduate(board):
    view = board.current
    assert "本班 3 名学员中，可以结业 1 名" in view.content.value
    assert "刘芳" in view.content.value and "演示模块（55 分）" in view.content.value
    assert "演示模块（未完成）" in view.content.value  # 赵志强 never signed in


def test_class_report_lists_every_trainee(board):
    view = board.current
    view.report_button.click()
    name, mime, data = only_link(view.report_link.value)
    assert mime == DOCX and name == "2026年第一期书记培训班_学习情况报告_2026-12-20.docx"
    text = docx_text(data)
    for expected in ("2026年第一期书记培训班学习情况报告", "2026年12月20日", "本班共有学员 3 人", "可以结业的 1 人",
                     "王建国", "刘芳", "赵志强", "四、需跟进的学员", "演示模块（55 分）", "演示模块（未完成）"):
        assert expected in text, expected


def test_pass_mark_is_saved_from_the_dashboard_and_refused_when_impossible(board, store):
    view = board.current
    assert view.pass_mark.value == 60
    view.pass_mark.value = 50
    view.save.click()
    assert store.pass_mark() == 50
    assert "已保存：结业及格分为 50 分" in view.message.value and "可以结业 2 名" in view.content.value
    distribution = next(v for v in board.views if isinstance(v, DistributionView))
    assert "50分以上占比(%)" in distribution.build().tables[1].headers
    view.pass_mark.value = 150
    view.save.click()
    assert "及格分 150.0 无效" in view.message.value and store.pass_mark() == 50


def test_class_report_of_an_empty_class_is_refused_in_chinese(board, store):
    store.create_class("c2", "空班")
    board.reload_classes("c2")
    board.current.report_button.click()
    assert "该班级还没有学员" in board.current.report_link.value


# -- trainee kernels stay light ------------------------------------------------------------


def test_pages_and_the_store_do_not_load_python_docx_until_a_document_is_made():
    code = "import sys, helpers.ui.pages, helpers.ui.audit_widget, helpers.store; print('docx' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert result.stdout.strip() == "False"
