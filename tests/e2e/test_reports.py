"""Printable results in a real browser: the audit's Word report and print page are
saved by Chromium from their links, and the course home's 结业证明 area says what
is still missing."""
import io
import re

import docx
import pytest
from docx.oxml.ns import qn

from helpers.content.loader import default_bank_dir, load_bank

pytestmark = pytest.mark.e2e

BRANCH = "某某科技有限公司党支部"


def _docx_text(data: bytes) -> str:
    body = docx.Document(io.BytesIO(data)).element.body
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))


def _save(page, ending: str):
    """Click the link to the file named ``…ending`` once the kernel has put it on the
    page (it replaces the link to the previous file), and return Chromium's download."""
    link = page.get_by_role("link", name=re.compile(f"^点击保存：.*{re.escape(ending)}$"))
    link.wait_for()
    with page.expect_download() as caught:
        link.click()
    return caught.value


def test_audit_report_downloads_and_certificate_says_what_is_missing(course_server, page, local_only):
    bank = load_bank(default_bank_dir())
    listed = [module for module in bank.modules.values() if module.meta is not None and module.questions]
    renshi = bank.modules["renshi"]
    checklist = next(iter(renshi.checklists.values()))
    first_gap = checklist.items[0]

    page.goto(course_server.url)
    page.get_by_placeholder("例如：张三").fill("孙八")
    page.get_by_placeholder("例如：2026001").fill("e2e-201")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("当前学员：孙八").wait_for()

    certificate = page.locator(".course-certificate")
    certificate.get_by_text(f"还差 {len(listed)} 个模块").wait_for()
    certificate.get_by_text(f"{renshi.title}：尚未完成测验（需达到 60 分）").wait_for()
    assert not certificate.get_by_role("button", name="下载结业证明（Word）").is_visible()

    row = page.locator(".course-module-row").filter(has=page.get_by_role("link", name=renshi.title, exact=True))
    row.get_by_role("button", name="进入").click()
    page.locator("h1", has_text=renshi.title).wait_for()
    met = page.get_by_role("button", name="达标", exact=True)
    met.first.wait_for()
    assert met.count() == len(checklist.items)
    page.get_by_role("button", name="未达标", exact=True).first.click()  # the first item fails
    for index in range(1, len(checklist.items)):
        met.nth(index).click()
    page.get_by_role("button", name="计算得分").click()
    page.get_by_text("自查得分").first.wait_for()

    page.get_by_placeholder("例如：某某科技有限公司党支部（印在报告上）").fill(BRANCH)
    page.get_by_role("button", name="下载 Word 报告").click()
    report = _save(page, ".docx")
    assert report.suggested_filename.endswith(".docx") and BRANCH in report.suggested_filename
    with open(report.path(), "rb") as saved:
        text = _docx_text(saved.read())
    assert BRANCH in text and "孙八" in text and "二、整改清单" in text
    assert first_gap.fix[:12] in text and first_gap.source in text

    page.get_by_role("button", name="打印版").click()
    printed = _save(page, "（打印版）.html")
    assert printed.suggested_filename.endswith("（打印版）.html")
    with open(printed.path(), encoding="utf-8") as saved:
        assert BRANCH in saved.read()

    page.get_by_role("button", name="← 返回课程首页").first.click()
    certificate.get_by_text(f"还差 {len(listed)} 个模块").wait_for()  # an audit is no quiz
    local_only()
