"""The print-friendly audit page: complete, self-contained, escaped, and printable
(bars that survive "no background graphics", a phone-width layout, no toolbar on paper)."""
import re
from datetime import date, datetime, timezone
from html.parser import HTMLParser

import pytest
import yaml

from helpers.content.schema import Checklist
from helpers.engine.audit_scoring import score
from helpers.engine.print_page import audit_print_html
from helpers.engine.reports import ReportInputError
from helpers.store.records import AuditRecord

SRC = "《中国共产党支部工作条例（试行）》（2018年）第十一条"
CHECKLIST = f"""
id: demo
module: demo
title: 演示支部工作自查
dimensions:
  - id: org
    title: 组织设置
    items:
      - {{id: a, text: 按期换届, points: 40, method: 查台账, deduction: 缺扣40, fix: 报请上级党组织批准后换届, source: "{SRC}"}}
      - {{id: b, text: 党员大会表决有效, points: 20, method: 看现场, deduction: 缺扣20, fix: 重新召开党员大会表决, source: "{SRC}", veto: true}}
  - id: rec
    title: 档案资料
    items:
      - {{id: c, text: 党员名册齐全, points: 40, method: 问询, deduction: 缺扣40, fix: 逐人核对党员名册, source: "{SRC}"}}
"""
VOID = {"meta", "col", "br", "hr", "img", "input", "link"}


@pytest.fixture
def checklist():
    return Checklist.model_validate(yaml.safe_load(CHECKLIST))


class _Balance(HTMLParser):
    """Fails on any closing tag that does not match the open one: the page must be well formed."""

    def __init__(self):
        super().__init__()
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1] if self.open else None}>"
        self.open.pop()


def page(checklist, given=None, **kwargs):
    given = given or {"a": "部分达标", "b": "达标", "c": "未达标"}
    return audit_print_html(score(checklist, given), checklist, **kwargs)


def test_a_complete_well_formed_chinese_document(checklist):
    html = page(checklist, branch="某某科技有限公司党支部", trainee="张三", when=date(2026, 11, 2))
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in html and '<meta charset="utf-8">' in html and 'name="viewport"' in html
    assert "<title>演示支部工作自查报告</title>" in html
    checker = _Balance()
    checker.feed(html)
    assert checker.open == []


def test_shows_score_rating_chart_gaps_sources_date_and_branch(checklist):
    html = page(checklist, branch="某某科技有限公司党支部", trainee="张三", when=date(2026, 11, 2))
    for expected in ["某某科技有限公司党支部", "张三", "2026年11月2日", ">40</b>", "不合格", "评定标准",
                     "一、各方面得分", "二、整改清单", "报请上级党组织批准后换届", "逐人核对党员名册", SRC,
                     "（未达标，失 40 分）", "责任人", "完成时限", "党组织书记（签字）"]:
        assert expected in html, expected
    assert html.index("逐人核对党员名册") < html.index("报请上级党组织批准后换届")
    bars = re.findall(r'bar-label">([^<]+)</span>.*?width:([\d.]+)%;border-top-color:(#[0-9a-f]{6})', html)
    assert bars == [("组织设置", "66.7", "#ef6c00"), ("档案资料", "0.0", "#c62828")]


def test_bars_print_without_background_graphics_and_nothing_is_fetched(checklist):
    html = page(checklist)
    css = html[html.index("<style>"):html.index("</style>")]
    assert re.search(r"\.bar \{[^}]*border-top: 14px solid", css)  # a border, which browsers always print
    assert "print-color-adjust: exact" in css
    assert "@media print" in css and re.search(r"@media print \{[^@]*\.toolbar \{ display: none; \}", css)
    assert "@page { size: A4" in css
    for outside in ("http://", "https://", "src=", "<link", "@import", "url("):
        assert outside not in html, outside


def test_everything_typed_is_escaped(checklist):
    html = page(checklist, branch='<script>alert("x")</script>', trainee="A&B")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html and "A&amp;B" in html


def test_veto_and_blank_names(checklist):
    html = page(checklist, {"a": "达标", "b": "未达标", "c": "达标"})
    assert '<p class="veto">一票否决项未达标：党员大会表决有效' in html
    assert "【一票否决】党员大会表决有效" in html
    assert html.count('<span class="blank"></span>') >= 2  # branch and trainee left to write in


def test_all_met_appendix_and_history(checklist):
    answers = {"a": "达标", "b": "达标", "c": "不适用"}
    utc = timezone.utc
    history = [
        AuditRecord(1, "demo", "demo", answers, 50.0, "不合格", datetime(2026, 10, 1, 1, 0, tzinfo=utc)),
        AuditRecord(2, "demo", "demo", answers, 100.0, "优秀", datetime(2026, 11, 1, 1, 0, tzinfo=utc)),
    ]
    html = page(checklist, answers, answers=answers, history=history)
    assert "所有适用项均已达标，无需整改。" in html and 'class="gaps"' not in html
    assert "<h2>三、历次自查</h2>" in html and "50 分" in html
    assert '<section class="appendix"><h2>附：逐项自查情况</h2>' in html
    assert html.count('<td class="answer" data-label="自查结果">') == 3
    assert "历次自查" not in page(checklist, answers, history=history[:1])


def test_result_from_another_checklist_is_refused(checklist):
    other = checklist.model_copy(update={"dimensions": checklist.dimensions[:1]})
    result = score(checklist, {"a": "达标", "b": "达标", "c": "未达标"})
    with pytest.raises(ReportInputError, match="不对应"):
        audit_print_html(result, other)


@pytest.mark.e2e
def test_in_chromium_fits_a_phone_and_prints_on_a4(checklist, browser):
    html = page(checklist, branch="某某科技有限公司党支部" * 3, trainee="张三",
                answers={"a": "部分达标", "b": "达标", "c": "未达标"})
    requests = []
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="zh-CN")
    try:
        context.on("request", lambda request: requests.append(request.url))
        phone = context.new_page()
        phone.set_content(html)
        assert phone.evaluate("document.documentElement.scrollWidth") == 375
        button = phone.get_by_role("button", name="打印 / 另存为 PDF").bounding_box()
        assert button["height"] >= 44
        phone.emulate_media(media="print")
        assert phone.locator(".toolbar").is_hidden()
        pdf = phone.pdf(format="A4")
        assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    finally:
        context.close()
    assert [url for url in requests if not url.startswith(("about:", "data:"))] == []
