"""The meeting-record page driven from Python as a trainee would: choose a
file, a year, click 检查."""
from __future__ import annotations

import base64
import datetime as dt
import re
from pathlib import Path

from helpers.ui.meeting_widget import MeetingAuditWidget

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "quiz_bank" / "_templates"
TODAY = dt.date(2026, 11, 23)


def choose(widget: MeetingAuditWidget, data: bytes, name: str = "记录.csv", size: int | None = None) -> None:
    """What ipywidgets 8 puts in FileUpload.value after the browser sends a file."""
    widget.upload.value = ({
        "name": name, "type": "text/csv", "size": len(data) if size is None else size,
        "content": memoryview(data), "last_modified": dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc),
    },)


def compliant_2025() -> bytes:
    lines = ["日期,会议类型,应到人数,实到人数,议题"]
    for month in range(1, 13):
        lines += [f"2025-{month:02d}-05,{kind},5,4," for kind in ("支委会", "党小组会", "主题党日")]
        if month % 3 == 0:
            lines.append(f"2025-{month:02d}-12,党员大会,20,15,")
    lines += ["2025-12-18,组织生活会,,,", "2025-12-18,民主评议,,,"]
    return "\n".join(lines).encode("utf-8-sig")


def test_compliant_year_shows_ticks_and_a_full_calendar():
    page = MeetingAuditWidget(today=TODAY)
    page.year.value = 2025
    choose(page, compliant_2025())
    page.check.click()
    assert "已读取“记录.csv”中的 42 条会议记录，检查 2025 年" in page.result.value
    assert "0 项不符合，0 项需注意" in page.result.value
    assert "✗" not in page.result.value and "第十二条" in page.result.value
    assert "2025年会议日历" in page.calendar.value and "12月" in page.calendar.value and "主题党日" in page.calendar.value
    assert ">缺<" not in page.calendar.value


def test_missing_months_show_in_results_and_calendar():
    page = MeetingAuditWidget(today=TODAY)
    choose(page, "日期,会议类型\n2026-01-05,主题党日\n2026-03-05,支委会\n".encode("gbk"))
    page.check.click()
    assert "✗" in page.result.value and "2月、3月" in page.result.value
    assert page.calendar.value.count(">缺<") > 10
    assert "尚未结束" in page.calendar.value  # legend explains grey months


def test_template_xlsx_upload_is_read():
    page = MeetingAuditWidget(today=TODAY)
    choose(page, (TEMPLATES / "会议记录模板.xlsx").read_bytes(), "会议记录模板.xlsx")
    page.check.click()
    assert "中的 4 条会议记录" in page.result.value


def test_asks_for_a_file_first():
    page = MeetingAuditWidget(today=TODAY)
    page.check.click()
    assert "请先点“选择文件”" in page.result.value and page.calendar.value == ""


def test_size_from_the_upload_metadata_is_checked_before_reading():
    page = MeetingAuditWidget(today=TODAY)
    # the content alone would be a valid file: only the reported size can refuse it
    choose(page, "日期,会议类型\n2026-01-05,党课\n".encode(), size=6 * 1024 * 1024)
    page.check.click()
    assert "超过 5 MB 的上限" in page.result.value and page.calendar.value == ""


def test_problems_are_listed_one_per_line_and_escaped():
    page = MeetingAuditWidget(today=TODAY)
    choose(page, "日期,会议类型\n2026-13-40,支委会\n2026-01-05,<b>党课</b>\n".encode())
    page.check.click()
    value = page.result.value
    assert "发现 2 处问题" in value and value.count("<li") == 2
    assert "第 2 行“日期”列：无法识别的日期 2026-13-40" in value
    assert "<b>党课" not in value and "&lt;b&gt;党课" in value


def test_a_pdf_gets_a_message_not_a_traceback():
    page = MeetingAuditWidget(today=TODAY)
    choose(page, b"%PDF-1.7 ...", "记录.pdf")
    page.check.click()
    assert "这是 PDF 文件" in page.result.value
    assert "Traceback" not in page.result.value


def test_branch_shape_checkboxes_reach_the_rules():
    page = MeetingAuditWidget(today=TODAY)
    page.has_committee.value = False
    choose(page, "日期,会议类型\n2026-01-05,主题党日\n".encode())
    page.check.click()
    assert "未设支部委员会" in page.result.value


def test_year_choices_default_to_this_year():
    page = MeetingAuditWidget(today=TODAY)
    assert page.year.value == 2026 and [value for _, value in page.year.options] == [2026, 2025, 2024, 2023, 2022]


def test_template_links_carry_the_files():
    page = MeetingAuditWidget(today=TODAY)
    intro = page.widget.children[0].value
    for filename in ("会议记录模板.csv", "会议记录模板.xlsx"):
        match = re.search(rf'download="{filename}" href="data:[^;]+(?:;charset=utf-8)?;base64,([A-Za-z0-9+/=]+)"', intro)
        assert match, filename
        assert base64.b64decode(match.group(1)) == (TEMPLATES / filename).read_bytes()


def test_missing_templates_do_not_break_the_page(tmp_path):
    page = MeetingAuditWidget(today=TODAY, template_dir=tmp_path)
    assert "模板文件暂时无法下载" in page.widget.children[0].value
