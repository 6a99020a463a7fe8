"""An instructor's report on one class, as a Word document for the training file.

What a party school's instructor writes up at the end of a course: how many
finished, how each module went, every trainee's scores, and who still needs
following up, with the modules each of them lacks.  Completion is judged by
:func:`helpers.engine.certificate.completion_status`, the rule the trainees'
certificates are printed under, so the two never disagree.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from statistics import mean
from typing import Any

from helpers.engine.certificate import (
    DEFAULT_PASS_MARK,
    check_pass_mark,
    completion_status,
    counted_score,
    module_passed,
)

from . import _docx as d
from .audit_sheet import name_text
from .certificate_doc import COURSE_TITLE
from .errors import ReportInputError

FAIL_FILL = "FDE0E0"


@dataclass(frozen=True)
class _Member:
    name: str
    number: str
    progress: Mapping[str, Any]
    missing: list[str]


@dataclass(frozen=True)
class _ModuleLine:
    title: str
    taken: int
    average: float | None
    passed: int
    audited: int
    audit_average: float | None


def class_report_docx(
    members: Iterable[tuple[Any, Mapping[str, Any]]],
    modules: Mapping[str, str],
    *,
    class_name: str = "",
    pass_mark: float = DEFAULT_PASS_MARK,
    when: date | datetime | None = None,
    course_title: str = COURSE_TITLE,
    instructor: str = "",
) -> bytes:
    """The class report as .docx bytes.

    - ``members``: one ``(trainee, progress)`` pair per trainee of the class:
      anything with ``name`` and ``number`` (a ``Trainee``, or a roster entry
      who never signed in, with ``{}``) and its module id → ``ModuleProgress``
      (``Store.class_progress(code)[trainee.id]`` or ``Store.progress(id)``);
    - ``modules``: module id → title, in course order, of the modules whose
      quiz counts (the same mapping the certificate is given);
    - ``class_name``: printed in the title, e.g. ``2026年第一期书记培训班``;
    - ``pass_mark``: the quiz score that counts as passed, default 60;
    - ``when``: the report's date, default today;
    - ``course_title``: the course's name, printed under the title;
    - ``instructor``: the instructor's name, printed as 填报人 (blank leaves a line).

    Raises :class:`ReportInputError` (a ``ValueError``) for a class with no
    trainees or no modules, or a name that cannot be printed, and
    :class:`~helpers.engine.certificate.PassMarkError` (also a ``ValueError``)
    for a pass mark outside (0, 100].
    """
    mark = check_pass_mark(pass_mark)
    if not modules:
        raise ReportInputError("课程没有列出任何模块，无法生成班级报告")
    module_ids = list(modules)
    roster = sorted(
        (
            _Member(
                name=name_text(getattr(trainee, "name", ""), "学员姓名") or "（未填姓名）",
                number=name_text(str(getattr(trainee, "number", "") or ""), "学员编号"),
                progress=progress,
                missing=completion_status(progress, module_ids, mark).missing,
            )
            for trainee, progress in members
        ),
        key=lambda member: (member.number, member.name),
    )
    if not roster:
        raise ReportInputError("该班级还没有学员，无法生成班级报告")
    title = f"{name_text(class_name, '班级名称') or '培训班'}学习情况报告"
    signer = name_text(instructor, "填报人")
    lines = [_module_line(module, d.clean(modules[module]), roster, mark) for module in module_ids]

    doc = d.new_document(title)
    d.title(doc, title)
    d.paragraph(doc, f"{d.clean(course_title)}　　{d.chinese_date(d.local_date(when))}", size=10.5,
                color="555555", align="center", space_after=12)
    d.heading(doc, "一、总体情况")
    _overview(doc, roster, lines, mark)
    d.heading(doc, "二、各模块情况")
    _modules(doc, lines, len(roster), mark)
    d.heading(doc, "三、学员成绩一览")
    _scores(doc, roster, module_ids, mark)
    behind = [member for member in roster if member.missing]
    if behind:
        d.heading(doc, "四、需跟进的学员")
        _follow_up(doc, behind, modules, mark)
    para = d.paragraph(doc, f"填报人：{signer or '＿＿＿＿＿＿'}　　　　日期：＿＿＿＿年＿＿月＿＿日")
    para.paragraph_format.space_before = d.Pt(24)
    return d.to_bytes(doc)


def _module_line(module: str, title: str, roster: list[_Member], mark: float) -> _ModuleLine:
    scores = [s for m in roster if (s := counted_score(m.progress.get(module))) is not None]
    audits = [p.audit_total for m in roster if (p := m.progress.get(module)) is not None and p.audit_total is not None]
    return _ModuleLine(
        title=title,
        taken=len(scores),
        average=round(mean(scores), 1) if scores else None,
        passed=sum(1 for m in roster if module_passed(m.progress.get(module), mark)),
        audited=len(audits),
        audit_average=round(mean(audits), 1) if audits else None,
    )


def _percent(part: int, whole: int) -> str:
    return f"{d.score_text(round(100 * part / whole, 1))}%" if whole else "—"


def _score_or_dash(value: float | None) -> str:
    return "—" if value is None else d.score_text(value)


def _overview(doc, roster: list[_Member], lines: list[_ModuleLine], mark: float) -> None:
    done = sum(1 for member in roster if not member.missing)
    d.paragraph(
        doc,
        f"本班共有学员 {len(roster)} 人。全部 {len(lines)} 个模块测验均达到 {d.score_text(mark)} 分、"
        f"可以结业的 {done} 人，占 {_percent(done, len(roster))}；尚未结业的 {len(roster) - done} 人。",
    )
    weakest = min((line for line in lines if line.taken), key=lambda line: line.passed, default=None)
    if weakest is not None and weakest.passed < len(roster):
        d.paragraph(doc, f"达标人数最少的模块是“{weakest.title}”（{weakest.passed} 人达标），可在集中辅导时重点讲解。")


def _modules(doc, lines: list[_ModuleLine], size: int, mark: float) -> None:
    rows = [
        [str(index), line.title, str(line.taken), _score_or_dash(line.average), str(line.passed),
         _percent(line.passed, size), str(line.audited), _score_or_dash(line.audit_average)]
        for index, line in enumerate(lines, start=1)
    ]
    d.grid_table(doc, ["序号", "模块", "完成测验", "平均分", "达标人数", "达标率", "自查人数", "自查平均分"], rows,
                 (1.1, 4.3, 1.9, 1.5, 1.9, 1.6, 1.9, 2.4), size=9.5,
                 align=(("center", None) + ("center",) * 6))
    caption = d.paragraph(doc, f"各模块达标率（测验得分 {d.score_text(mark)} 分及以上的人数占全班人数）：", size=10)
    caption.paragraph_format.space_before = d.Pt(8)
    d.bar_chart(doc, {f"{index}. {line.title}": 100 * line.passed / size for index, line in enumerate(lines, start=1)},
                suffix="%")


def _scores(doc, roster: list[_Member], module_ids: list[str], mark: float) -> None:
    legend = d.paragraph(doc, f"表中数字为各模块已完成测验中的最高得分，列号即上表序号；“—”为尚未完成测验；"
                              f"底色标红为未达到 {d.score_text(mark)} 分。", size=9, color="555555")
    legend.paragraph_format.keep_with_next = True
    fixed = (1.1, 2.2, 2.0, 1.3)
    module_width = max(0.9, (d.TEXT_WIDTH_CM - sum(fixed)) / len(module_ids))
    widths = (fixed[0], fixed[1], fixed[2], *([module_width] * len(module_ids)), fixed[3])
    rows, fills = [], {}
    for r, member in enumerate(roster):
        row = [str(r + 1), member.number, member.name]
        for c, module in enumerate(module_ids):
            score = counted_score(member.progress.get(module))
            row.append(_score_or_dash(score))
            if score is not None and score < mark:
                fills[(r, 3 + c)] = FAIL_FILL
        row.append("否" if member.missing else "是")
        rows.append(row)
    headers = ["序号", "学员编号", "姓名", *(str(i) for i in range(1, len(module_ids) + 1)), "结业"]
    align = ("center", "center", None) + ("center",) * (len(module_ids) + 1)
    d.grid_table(doc, headers, rows, widths, size=9, align=align, fills=fills)


def _follow_up(doc, behind: list[_Member], modules: Mapping[str, str], mark: float) -> None:
    rows = []
    for member in behind:
        lacks = []
        for module in member.missing:
            score = counted_score(member.progress.get(module))
            lacks.append(f"{d.clean(modules[module])}（{'未完成' if score is None else d.score_text(score) + ' 分'}）")
        rows.append([member.number, member.name, "；".join(lacks)])
    d.grid_table(doc, ["学员编号", "姓名", f"未达到 {d.score_text(mark)} 分的模块"], rows, (2.4, 2.4, 11.8), size=9.5,
                 align=("center", None, None))
