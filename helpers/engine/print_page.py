"""A self-audit result as one standalone, print-friendly HTML page.

For the secretary who has no Word at hand, or prints from a phone: the page
is opened in the browser and printed (or saved as PDF) from there.  It says
what the Word report says (:mod:`helpers.engine.reports.audit_report`), from
the same :class:`~helpers.engine.reports.audit_sheet.AuditSheet`.

Self-contained on purpose: styles are inline and there are no fonts, images
or scripts to fetch, so it works offline, from a ``data:`` link and inside
WeChat's browser.  The bars are drawn with a thick top *border*, not a
background: browsers leave out backgrounds when printing unless the reader
ticks "background graphics", but always print borders.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from html import escape
from typing import Any

from helpers.content.schema import Checklist
from helpers.engine.audit_scoring import AuditResult
from helpers.engine.reports.audit_sheet import AuditSheet, audit_sheet
from helpers.engine.reports.text import score_text

_BLANK = '<span class="blank"></span>'

_CSS = """
:root { --red: #b3261e; --ink: #1a1a1a; --muted: #555; --line: #999; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #f3f3f3; color: var(--ink);
  font-family: "SimSun", "宋体", "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC", serif;
  font-size: 15px; line-height: 1.6; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
h1, h2, .score, th, .label { font-family: "SimHei", "黑体", "Heiti SC", "PingFang SC", "Noto Sans CJK SC",
  "Source Han Sans SC", "Microsoft YaHei", sans-serif; }
.sheet { max-width: 210mm; margin: 16px auto; padding: 18mm 16mm; background: #fff;
  box-shadow: 0 1px 6px rgba(0,0,0,.15); overflow-wrap: anywhere; }
.toolbar { max-width: 210mm; margin: 12px auto 0; text-align: right; padding: 0 8px; }
.toolbar button { font: inherit; font-size: 16px; padding: 10px 18px; min-height: 44px; border: 0;
  border-radius: 6px; background: var(--red); color: #fff; cursor: pointer; }
h1 { text-align: center; font-size: 24px; margin: 0 0 14px; }
h2 { font-size: 18px; margin: 22px 0 8px; break-after: avoid; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--line); padding: 4px 6px; vertical-align: top; text-align: left; }
th { background: #f2f2f2; font-weight: 600; text-align: center; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
.info .label { width: 16%; text-align: center; background: #f2f2f2; font-weight: 600; }
.blank { display: inline-block; min-width: 8em; border-bottom: 1px solid var(--ink); height: 1.2em; }
.score { text-align: center; font-size: 18px; margin: 16px 0 4px; }
.score b { font-size: 30px; margin: 0 4px; }
.veto { color: #8b1a1a; font-weight: 700; border-left: 4px solid #8b1a1a; padding: 4px 10px; margin: 8px 0; }
.rule, .note { color: var(--muted); font-size: 13px; margin: 4px 0; }
.chart { margin: 4px 0 8px; }
.bar-row { display: flex; align-items: center; gap: 10px; margin: 6px 0; break-inside: avoid; }
.bar-label { flex: 0 0 8.5em; }
.bar-track { flex: 1; border: 1px solid #bbb; height: 16px; min-width: 60px; }
.bar { height: 0; border-top: 14px solid; }
.bar-value { flex: 0 0 4.8em; text-align: right; font-weight: 700; }
.gaps td.num, .gaps td.fill { text-align: center; }
.gaps td.src { font-size: 13px; }
.gaps tr.veto-row td.problem { color: #8b1a1a; }
.items td.answer { text-align: center; white-space: nowrap; }
.items tr.fail td.answer { color: #8b1a1a; font-weight: 700; }
.items tr.part td.answer { color: #7a4f01; font-weight: 700; }
.sign { margin-top: 32px; }
.appendix { break-before: page; page-break-before: always; }
.footer { margin-top: 24px; color: var(--muted); font-size: 12px; text-align: center; }
@media screen and (max-width: 600px) {
  .sheet { margin: 0; padding: 16px 12px; box-shadow: none; }
  .toolbar { margin: 8px auto; }
  .info td, .info .label { display: block; width: 100%; border-top: 0; }
  .info tr:first-child td:first-child { border-top: 1px solid var(--line); }
  h1 { font-size: 20px; }
  .gaps, .items, .gaps tbody, .items tbody { display: block; width: 100%; }
  .gaps thead, .items thead, .gaps colgroup, .items colgroup { display: none; }
  .gaps tr, .items tr { display: block; border: 1px solid var(--line); margin: 0 0 10px; }
  .gaps td, .items td { display: block; border: 0; border-bottom: 1px dotted #ccc; text-align: left; }
  .gaps td.num, .gaps td.fill, .items td.answer { text-align: left; }
  .gaps td.fill { display: none; }
  .gaps td::before, .items td::before { content: attr(data-label) "："; font-weight: 700; }
  .bar-label { flex-basis: 6em; }
}
@page { size: A4; margin: 15mm 14mm; }
@media print {
  body { background: #fff; font-size: 11pt; }
  .gaps, .items, .history { font-size: 10pt; }
  .toolbar { display: none; }
  .sheet { max-width: none; margin: 0; padding: 0; box-shadow: none; }
  a { color: inherit; text-decoration: none; }
}
"""

_COLORS = ((90, "#2e7d32"), (75, "#1565c0"), (60, "#ef6c00"))


def _color(value: float) -> str:
    """The on-screen chart's colours, so the printout matches what the trainee saw."""
    return next((color for bar, color in _COLORS if value >= bar), "#c62828")


def audit_print_html(
    result: AuditResult,
    checklist: Checklist,
    *,
    branch: str = "",
    trainee: str = "",
    when: date | datetime | None = None,
    answers: Mapping[str, str] | None = None,
    history: Iterable[Any] = (),
) -> str:
    """The audit result as a complete HTML document (a ``str``), ready to print.

    Takes the same arguments as
    :func:`helpers.engine.reports.audit_report_docx`: ``result`` and the
    ``checklist`` it was scored on; ``branch`` (党组织名称) and ``trainee``
    (填表人), a line to write on when blank; ``when`` (default today);
    optional ``answers`` for the 逐项自查情况 appendix; optional ``history``
    (``Store.audit_history``) for the table of earlier audits.  Everything
    shown is HTML-escaped.  Raises :class:`ReportInputError` (a ``ValueError``)
    when the result does not belong to the checklist or a name is unusable.
    """
    sheet = audit_sheet(result, checklist, branch=branch, trainee=trainee, when=when, answers=answers, history=history)
    body = "".join([
        f"<h1>{escape(sheet.title)}</h1>",
        _info(sheet),
        _summary(sheet),
        "<h2>一、各方面得分</h2>",
        _chart(sheet.dimensions),
        "<h2>二、整改清单</h2>",
        _gaps(sheet),
        _history(sheet),
        '<p class="sign">党组织书记（签字）：' + _BLANK + "　　　　日期：" + _BLANK + "</p>",
        _appendix(sheet),
        f'<p class="footer">{escape(sheet.checklist_title)} · {escape(sheet.date_text)}</p>',
    ])
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(sheet.title)}</title><style>{_CSS}</style></head><body>"
        '<div class="toolbar"><button type="button" onclick="window.print()">打印 / 另存为 PDF</button></div>'
        f'<main class="sheet">{body}</main></body></html>\n'
    )


def _info(sheet: AuditSheet) -> str:
    def value(text: str) -> str:
        return escape(text) if text else _BLANK

    return (
        '<table class="info"><tbody>'
        f'<tr><td class="label">党组织名称</td><td>{value(sheet.branch)}</td>'
        f'<td class="label">填表人</td><td>{value(sheet.trainee)}</td></tr>'
        f'<tr><td class="label">自查日期</td><td>{escape(sheet.date_text)}</td>'
        f'<td class="label">自查清单</td><td>{escape(sheet.checklist_title)}</td></tr>'
        "</tbody></table>"
    )


def _summary(sheet: AuditSheet) -> str:
    rating_color = "#c62828" if sheet.vetoed else "inherit"
    parts = [
        f'<p class="score">总得分<b style="color:{_color(sheet.total)}">{escape(score_text(sheet.total))}</b>分'
        f'　　评定<b style="color:{rating_color}">{escape(sheet.rating)}</b></p>'
    ]
    if sheet.vetoed:
        parts.append(
            f'<p class="veto">一票否决项未达标：{escape("；".join(sheet.vetoed))}'
            "（评定直接为最低档，须立即向上级党组织报告并整改）</p>"
        )
    parts.append(f'<p class="rule">{escape(sheet.rule)}</p>')
    return "".join(parts)


def _chart(values: Mapping[str, float]) -> str:
    rows = []
    for label, value in values.items():
        width = max(0.0, min(100.0, value))
        rows.append(
            '<div class="bar-row">'
            f'<span class="bar-label">{escape(label)}</span>'
            f'<span class="bar-track"><span class="bar" style="display:block;width:{width:.1f}%;'
            f'border-top-color:{_color(value)}"></span></span>'
            f'<span class="bar-value">{escape(score_text(value))} 分</span></div>'
        )
    return f'<div class="chart">{"".join(rows)}</div>'


def _gaps(sheet: AuditSheet) -> str:
    if not sheet.gaps:
        return "<p>所有适用项均已达标，无需整改。</p>"
    rows = "".join(
        f'<tr class="{"veto-row" if gap.veto else ""}">'
        f'<td class="num" data-label="序号">{gap.number}</td>'
        f'<td class="problem" data-label="存在问题">{escape(gap.dimension)}：{escape(gap.problem)}</td>'
        f'<td data-label="整改措施">{escape(gap.fix)}</td>'
        f'<td class="src" data-label="依据">{escape(gap.source)}</td>'
        '<td class="fill" data-label="责任人"></td><td class="fill" data-label="完成时限"></td></tr>'
        for gap in sheet.gaps
    )
    return (
        f'<p class="note">共 {len(sheet.gaps)} 项，按失分从多到少排列；责任人、完成时限由支部研究后填写。</p>'
        '<table class="gaps"><colgroup><col style="width:6%"><col style="width:27%"><col style="width:29%">'
        '<col style="width:18%"><col style="width:9%"><col style="width:11%"></colgroup>'
        "<thead><tr><th>序号</th><th>存在问题</th><th>整改措施</th><th>依据</th><th>责任人</th><th>完成时限</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def _history(sheet: AuditSheet) -> str:
    if len(sheet.history) < 2:
        return ""
    rows = "".join(
        f"<tr><td>{escape(when)}</td><td>{escape(score_text(total))} 分</td><td>{escape(rating)}</td></tr>"
        for when, total, rating in sheet.history
    )
    return (
        '<h2>三、历次自查</h2><table class="history"><thead><tr><th>自查时间</th><th>得分</th><th>评定</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def _appendix(sheet: AuditSheet) -> str:
    if not sheet.items:
        return ""
    classes = {"未达标": "fail", "部分达标": "part"}
    rows = "".join(
        f'<tr class="{classes.get(item.answer, "")}"><td data-label="序号">{number}</td>'
        f'<td data-label="方面">{escape(item.dimension)}</td>'
        f'<td data-label="自查项">{"【一票否决】" if item.veto else ""}{escape(item.text)}</td>'
        f'<td data-label="分值">{escape(score_text(item.points))}</td>'
        f'<td class="answer" data-label="自查结果">{escape(item.answer)}</td></tr>'
        for number, item in enumerate(sheet.items, start=1)
    )
    return (
        '<section class="appendix"><h2>附：逐项自查情况</h2><table class="items">'
        '<colgroup><col style="width:6%"><col style="width:15%"><col style="width:57%">'
        '<col style="width:8%"><col style="width:14%"></colgroup>'
        "<thead><tr><th>序号</th><th>方面</th><th>自查项</th><th>分值</th><th>自查结果</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></section>"
    )
