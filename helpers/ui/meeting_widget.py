"""The meeting-record checker: a branch uploads a year's meeting log and sees
each rule ✓/⚠/✗ beside a month-by-type calendar of what it held.

Nothing is stored: the file is read in the trainee's kernel and forgotten, so a
branch can check its real records without handing them to the course.
"""
from __future__ import annotations

import datetime as dt
import logging
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as w

from helpers.content.loader import default_bank_dir
from helpers.engine.findings import Finding
from helpers.engine.meeting_log_file import MeetingLogError, check_size, parse_meeting_log
from helpers.engine.meetings import HELD, MISSING, NOT_DUE, CalendarRow, MeetingInputError, audit_meetings, meeting_calendar
from helpers.ui.callbacks import on_click
from helpers.ui.html import download_link, notice, paragraph, problems_html
from helpers.ui.timeline_widget import findings_html
from helpers.ui.uploads import limited_upload

log = logging.getLogger("helpers.ui")

TEMPLATES = (
    ("会议记录模板.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel 模板"),
    ("会议记录模板.csv", "text/csv;charset=utf-8", "CSV 模板"),
)
YEARS_SHOWN = 5

_INTRO = (
    "把本支部一年的会议记录按模板填好（每次会议一行：日期、会议类型、应到人数、实到人数、议题），"
    "选择文件和年份后点“检查”。文件只在本页面中读取，不会保存。"
    "党员大会的应到人数只算有表决权的党员（预备党员没有表决权）；支委会的应到人数是委员人数。"
)

_CELL = "padding:3px 4px;text-align:center;border:1px solid #ddd;min-width:2.2em"
_STATUS_STYLES = {
    HELD: "background:#e3f1e4;color:#1b5e20;font-weight:600",
    NOT_DUE: "background:#f4f4f4;color:#999",
}
_MISSING_STYLES = {True: "background:#fdeeee;color:#8b1a1a;font-weight:600", False: "background:#fff6e0;color:#7a4f01"}
_QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")


def template_links(folder: Path) -> str:
    """Download links carrying the template in a data URL, so they work offline
    and need no file server; a missing template is logged, not fatal."""
    links = []
    for filename, mime, label in TEMPLATES:
        path = folder / filename
        if not path.is_file():
            log.warning("meeting template missing: %s", path)
            continue
        links.append(download_link(filename, path.read_bytes(), mime, f"下载{label}"))
    if not links:
        return notice("模板文件暂时无法下载，请联系授课老师。", "warn")
    return f'<p style="margin:4px 0">{"".join(links)}</p>'


def _cell(row: CalendarRow, month: int) -> str:
    status, count = row.status[month], row.counts[month]
    style = _MISSING_STYLES[row.binding] if status == MISSING else _STATUS_STYLES.get(status, "")
    text = str(count) if status == HELD else "缺" if status == MISSING else ""
    return f"<td style='{_CELL};{style}'>{text}</td>"


def calendar_html(rows: list[CalendarRow], year: int) -> str:
    """A 12-month × meeting-type grid: how often each type met each month, with
    months the rules wanted a meeting in and got none marked 缺."""
    quarters = "".join(f"<th colspan='3' style='{_CELL};background:#fafafa'>{name}</th>" for name in _QUARTERS)
    months = "".join(f"<th style='{_CELL};background:#fafafa'>{m}月</th>" for m in range(1, 13))
    body = "".join(
        f"<tr><th style='{_CELL};text-align:left;white-space:nowrap'>{escape(row.type)}</th>"
        + "".join(_cell(row, month) for month in range(12))
        + f"<td style='{_CELL};font-weight:600'>{sum(row.counts)}</td></tr>"
        for row in rows
    )
    legend = (
        "数字为当月召开的次数。“缺”为规定应召开而没有记录的月份（党员大会按季度核对，整季没有记录时该季度三个月都标出）："
        "红色为不符合规定，黄色为条文用“一般”、需要说明原因；灰色为尚未结束的月份。"
    )
    return (
        paragraph(f"{year}年会议日历", bold=True)
        + "<div style='overflow-x:auto'><table class='course-meeting-calendar' style='border-collapse:collapse;font-size:92%'>"
        + f"<tr><th rowspan='2' style='{_CELL};background:#fafafa'>会议类型</th>{quarters}"
        + f"<th rowspan='2' style='{_CELL};background:#fafafa'>合计</th></tr><tr>{months}</tr>{body}</table></div>"
        + paragraph(legend, small=True)
    )


class MeetingAuditWidget:
    """Upload, year and branch shape in; findings and calendar out."""

    def __init__(self, *, today: dt.date | None = None, template_dir: Path | None = None) -> None:
        self._today = today
        this_year = (today or dt.date.today()).year
        self.upload = limited_upload("选择文件", ".csv,.xlsx")
        self.year = w.Dropdown(
            options=[(f"{y}年", y) for y in range(this_year, this_year - YEARS_SHOWN, -1)],
            value=this_year, description="检查年份",
        )
        self.has_committee = w.Checkbox(value=True, description="本支部设有支部委员会", indent=False)
        self.has_groups = w.Checkbox(value=True, description="本支部划分了党小组", indent=False)
        self.check = w.Button(description="检查", button_style="danger", layout=w.Layout(width="8em", height="40px"))
        self.result = w.HTML()
        self.calendar = w.HTML()
        on_click(self.check, self.run, self.result)
        intro = w.HTML(paragraph(_INTRO) + template_links(template_dir or default_bank_dir() / "_templates"))
        self.widget = w.VBox(
            [intro, w.HBox([self.upload, self.year]), w.HBox([self.has_committee, self.has_groups]),
             self.check, self.result, self.calendar],
            layout=w.Layout(width="100%", max_width="860px"),
        )

    def _file(self) -> dict[str, Any] | None:
        return self.upload.value[0] if self.upload.value else None

    def run(self) -> list[Finding] | None:
        self.calendar.value = ""
        upload = self._file()
        if upload is None:
            self.result.value = notice("请先点“选择文件”，选好会议记录表（.csv 或 .xlsx）。", "warn")
            return None
        name = str(upload.get("name", ""))
        content = upload["content"]
        options = {
            "today": self._today or dt.date.today(),
            "has_committee": self.has_committee.value,
            "has_groups": self.has_groups.value,
        }
        try:
            check_size(int(upload.get("size", len(content))), name)  # before the content is copied
            rows = parse_meeting_log(bytes(content), name)
            findings = audit_meetings(rows, self.year.value, **options)
            calendar = meeting_calendar(rows, self.year.value, **options)
        except (MeetingLogError, MeetingInputError) as exc:
            self.result.value = problems_html(str(exc))
            return None
        read = notice(f"已读取“{name}”中的 {len(rows)} 条会议记录，检查 {self.year.value} 年。", "info")
        self.result.value = read + findings_html(findings)
        self.calendar.value = calendar_html(calendar, self.year.value)
        return findings
