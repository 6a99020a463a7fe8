"""The self-audit result as a Word document a branch can print, sign and file.

Laid out as the 整改清单 party organisations hand in: a header block (which
branch, who filled it in, when), the score and rating with the rule behind it,
a bar per dimension, then one table row per rectification item with blank
责任人 and 完成时限 columns to fill in by hand, and a signature line.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from helpers.content.schema import Checklist
from helpers.engine.audit_scoring import AuditResult

from . import _docx as d
from .audit_sheet import AuditSheet, audit_sheet

BLANK = "＿" * 8  # a line to write on when a name was not typed in


def audit_report_docx(
    result: AuditResult,
    checklist: Checklist,
    *,
    branch: str = "",
    trainee: str = "",
    when: date | datetime | None = None,
    answers: Mapping[str, str] | None = None,
    history: Iterable[Any] = (),
) -> bytes:
    """The audit result as .docx bytes.

    - ``result``: what ``audit_scoring.score(checklist, answers)`` returned;
    - ``checklist``: the checklist it was scored on (title, dimensions, rating bands);
    - ``branch``: the party organisation's name (党组织名称), printed in the header;
      left blank, the form has a line to write it on;
    - ``trainee``: who filled it in (填表人), e.g. the signed-in trainee's name;
    - ``when``: the audit's time, e.g. ``AuditRecord.created_at`` (aware times are
      shown in local time); default today;
    - ``answers``: item id → answer; when given, an appendix lists every item
      with its answer, as a record for the branch's files (台账);
    - ``history``: ``Store.audit_history(...)`` (anything with ``created_at``,
      ``total``, ``rating``); two or more add a table of earlier audits.

    Raises :class:`ReportInputError` (a ``ValueError``) when the result does
    not belong to the checklist or a name is unusable.
    """
    sheet = audit_sheet(result, checklist, branch=branch, trainee=trainee, when=when, answers=answers, history=history)
    doc = d.new_document(sheet.title)
    d.title(doc, sheet.title)
    d.label_table(doc, [
        ("党组织名称", sheet.branch or BLANK),
        ("填 表 人", sheet.trainee or BLANK),
        ("自查日期", sheet.date_text),
        ("自查清单", sheet.checklist_title),
    ])
    _summary(doc, sheet)
    d.heading(doc, "一、各方面得分")
    d.bar_chart(doc, sheet.dimensions)
    d.heading(doc, "二、整改清单")
    _gaps(doc, sheet)
    if len(sheet.history) >= 2:
        d.heading(doc, "三、历次自查")
        rows = [[time, f"{d.score_text(total)} 分", rating] for time, total, rating in sheet.history]
        d.grid_table(doc, ["自查时间", "得分", "评定"], rows, (7.0, 4.0, 5.6), align=("center", "center", "center"))
    _signatures(doc)
    if sheet.items:
        _appendix(doc, sheet)
    return d.to_bytes(doc)


def _summary(doc, sheet: AuditSheet) -> None:
    para = d.paragraph(doc, "", align="center", space_after=4)
    para.paragraph_format.space_before = d.Pt(10)
    d.styled(para.add_run("总得分 "), size=14, face=d.HEADING_FONT)
    d.styled(para.add_run(d.score_text(sheet.total)), bold=True, size=22, color=d.bar_color(sheet.total))
    d.styled(para.add_run(" 分　　评定 "), size=14, face=d.HEADING_FONT)
    d.styled(para.add_run(sheet.rating), bold=True, size=22, color="C62828" if sheet.vetoed else "000000")
    if sheet.vetoed:
        d.paragraph(doc, f"一票否决项未达标：{'；'.join(sheet.vetoed)}（评定直接为最低档，须立即向上级党组织报告并整改）",
                    bold=True, color="C62828")
    d.paragraph(doc, sheet.rule, size=9, color="555555")


def _gaps(doc, sheet: AuditSheet) -> None:
    if not sheet.gaps:
        d.paragraph(doc, "所有适用项均已达标，无需整改。")
        return
    d.paragraph(doc, f"共 {len(sheet.gaps)} 项，按失分从多到少排列；责任人、完成时限由支部研究后填写。", size=9, color="555555")
    rows = [[str(gap.number), f"{gap.dimension}：{gap.problem}", gap.fix, gap.source, "", ""] for gap in sheet.gaps]
    fills = {(index, 1): "FDEEEE" for index, gap in enumerate(sheet.gaps) if gap.veto}
    d.grid_table(doc, ["序号", "存在问题", "整改措施", "依据", "责任人", "完成时限"], rows,
                 (1.1, 4.4, 4.8, 3.0, 1.5, 1.8), size=9, align=("center", None, None, None, None, None), fills=fills)


def _signatures(doc) -> None:
    para = d.paragraph(doc, "")
    para.paragraph_format.space_before = d.Pt(24)
    d.styled(para.add_run("党组织书记（签字）：＿＿＿＿＿＿＿＿　　　　日期：＿＿＿＿年＿＿月＿＿日"))


def _appendix(doc, sheet: AuditSheet) -> None:
    doc.add_page_break()
    d.heading(doc, "附：逐项自查情况")
    rows, fills = [], {}
    for index, item in enumerate(sheet.items):
        rows.append([str(index + 1), item.dimension, ("【一票否决】" if item.veto else "") + item.text,
                     f"{d.score_text(item.points)}", item.answer])
        if item.answer in ("未达标", "部分达标"):
            fills[(index, 4)] = "FDEEEE" if item.answer == "未达标" else "FFF6E0"
    d.grid_table(doc, ["序号", "方面", "自查项", "分值", "自查结果"], rows, (1.1, 2.6, 8.9, 1.2, 2.8), size=9,
                 align=("center", None, None, "center", "center"), fills=fills)
