"""The completion certificate (结业证明) as a one-page Word document.

Built only once :func:`helpers.engine.certificate.completion_status` says the
course is complete, so a certificate can never be printed for unfinished work;
the score listed per module is the one that passed it (the best finished run).
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from docx.shared import Cm, Pt

from helpers.engine.certificate import DEFAULT_PASS_MARK, check_pass_mark, completion_status, counted_score

from . import _docx as d
from .audit_sheet import name_text
from .errors import NotCompleted, ReportInputError

COURSE_TITLE = "“两新”组织党组织书记培训"
RED = "B3261E"


def certificate_docx(
    trainee: Any,
    progress: Mapping[str, Any],
    modules: Mapping[str, str],
    *,
    pass_mark: float = DEFAULT_PASS_MARK,
    issued: date | datetime | None = None,
    issuer: str = "",
    course_title: str = COURSE_TITLE,
    number: str = "",
) -> bytes:
    """The certificate as .docx bytes.

    - ``trainee``: the signed-in ``Trainee`` (its ``name`` and ``number`` are printed);
    - ``progress``: ``Store.progress(trainee.id)``, module id → ``ModuleProgress``;
    - ``modules``: module id → title, in course order, of every module whose
      quiz must be passed (e.g. the bank's modules that have questions);
    - ``pass_mark``: the score each module quiz needs, default 60;
    - ``issued``: the date printed, default today;
    - ``issuer``: the training body's name; blank leaves 培训单位（盖章） to stamp;
    - ``course_title``: the course's name in the sentence of the certificate;
    - ``number``: a certificate number (证书编号) printed top right, if any.

    Raises :class:`NotCompleted` (a ``ValueError`` naming the modules still
    to pass) when the course is not complete, :class:`ReportInputError`
    for a trainee without a name or an empty module list, and
    :class:`~helpers.engine.certificate.PassMarkError` (a ``ValueError``) for
    a pass mark outside (0, 100].
    """
    mark = check_pass_mark(pass_mark)
    name = name_text(getattr(trainee, "name", ""), "学员姓名")
    trainee_number = name_text(str(getattr(trainee, "number", "") or ""), "学员编号")
    if not name:
        raise ReportInputError("结业证明上须有学员姓名")
    if not modules:
        raise ReportInputError("课程没有列出任何需要通过测验的模块，无法出具结业证明")
    status = completion_status(progress, list(modules), mark)
    if not status.done:
        raise NotCompleted([d.clean(modules[module]) for module in status.missing], mark)

    doc = d.new_document(f"结业证明 {name}", page_numbers=False)
    section = doc.sections[0]
    section.top_margin = section.bottom_margin = Cm(3.0)
    section.left_margin = section.right_margin = Cm(3.0)
    d.page_border(doc, RED)
    number_text = name_text(number, "证书编号")
    if number_text:
        d.paragraph(doc, f"编号：{number_text}", size=10, align="right")
    heading = d.paragraph(doc, "结　业　证　明", bold=True, size=30, face=d.HEADING_FONT, color=RED, align="center")
    heading.paragraph_format.space_before = Pt(36)
    heading.paragraph_format.space_after = Pt(30)
    who = f"{name}同志" + (f"（学员编号：{trainee_number}）" if trainee_number else "")
    for text in (
        f"{who}参加{d.clean(course_title)}，完成全部 {len(modules)} 个模块的学习，"
        f"各模块测验成绩均达到 {d.score_text(mark)} 分及以上，准予结业。",
        "特此证明。",
    ):
        para = d.paragraph(doc, text, size=15)
        para.paragraph_format.first_line_indent = Pt(30)  # two characters, as Chinese prose is set
        para.paragraph_format.line_spacing = 1.6
    d.paragraph(doc, "各模块测验成绩", bold=True, size=11, align="center").paragraph_format.space_before = Pt(18)
    rows = [[str(index), d.clean(title), f"{d.score_text(counted_score(progress[module]))} 分"]
            for index, (module, title) in enumerate(modules.items(), start=1)]
    d.grid_table(doc, ["序号", "模块", "测验得分"], rows, (1.4, 9.0, 2.6), size=10.5,
                 align=("center", None, "center"))
    issuer_text = name_text(issuer, "培训单位")
    first = d.paragraph(doc, issuer_text or "培训单位（盖章）", size=14, align="right")
    first.paragraph_format.space_before = Pt(48)
    d.paragraph(doc, d.chinese_date(d.local_date(issued)), size=14, align="right")
    return d.to_bytes(doc)
