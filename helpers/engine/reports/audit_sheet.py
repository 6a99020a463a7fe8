"""What a printed self-audit says, worked out once for the Word file and the print page.

Both printouts must agree with each other and with the page the trainee saw,
so the wording (headline, rating rule, rectification rows) is decided here and
the two renderers only lay it out.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from helpers.content.schema import Checklist
from helpers.engine.audit_scoring import AuditResult

from .text import chinese_date, clean, local_date, score_text
from .errors import ReportInputError

NAME_MAX = 100
HISTORY_SHOWN = 12


@dataclass(frozen=True)
class GapRow:
    """One line of the rectification list (整改清单)."""

    number: int
    dimension: str
    problem: str  # the item, with its answer and the points lost
    fix: str
    source: str
    veto: bool


@dataclass(frozen=True)
class ItemRow:
    """One checklist item with the answer given, for the appendix 逐项自查情况."""

    dimension: str
    text: str
    points: float
    answer: str
    veto: bool


@dataclass(frozen=True)
class AuditSheet:
    """Everything a printed audit result shows, as plain text and numbers."""

    title: str
    checklist_title: str
    branch: str
    trainee: str
    day: date
    total: float
    rating: str
    headline: str
    vetoed: list[str]
    rule: str
    dimensions: dict[str, float]
    gaps: list[GapRow]
    items: list[ItemRow]
    history: list[tuple[str, float, str]]

    @property
    def date_text(self) -> str:
        return chinese_date(self.day)


def name_text(value: str, label: str) -> str:
    """A typed name (党组织, 学员) cleaned for print; very long text is surely a paste mistake."""
    if not isinstance(value, str):
        raise ReportInputError(f"{label}应为文字，收到的是 {type(value).__name__}")
    text = " ".join(clean(value).split())
    if len(text) > NAME_MAX:
        raise ReportInputError(f"{label}过长（{len(text)} 个字），请不超过 {NAME_MAX} 个字")
    return text


def rating_rule(checklist: Checklist) -> str:
    """The rating bands in words, so a reader of the printout can check the rating."""
    bands = sorted(checklist.bands, key=lambda band: band.min, reverse=True)
    lowest_bar = min((band.min for band in bands if band.min > 0), default=None)
    parts = [
        f"{band.name} {score_text(band.min)} 分及以上" if band.min > 0
        else f"{band.name} 低于 {score_text(lowest_bar)} 分" if lowest_bar is not None
        else f"{band.name} 任何得分"
        for band in bands
    ]
    rule = "评定标准：" + "；".join(parts) + "。"
    if any(item.veto for item in checklist.items):
        rule += f"一票否决项未达标的，不论得分，直接评为“{checklist.lowest_band}”。"
    return rule


def audit_sheet(
    result: AuditResult,
    checklist: Checklist,
    *,
    branch: str = "",
    trainee: str = "",
    when: date | datetime | None = None,
    answers: Mapping[str, str] | None = None,
    history: Iterable[Any] = (),
) -> AuditSheet:
    """Check the arguments belong together and turn them into printable text.

    The result must come from this checklist: a report that prints one
    checklist's title over another's scores would mislead a branch.
    """
    if not isinstance(result, AuditResult):
        raise ReportInputError("自查结果无效：应为 score() 计算出的结果")
    if not isinstance(checklist, Checklist):
        raise ReportInputError("自查清单无效：应为课程题库中的清单")
    dimension_of = {item.id: dimension.title for dimension in checklist.dimensions for item in dimension.items}
    foreign = [gap.item.id for gap in result.gaps if gap.item.id not in dimension_of]
    foreign += [key for key in result.by_dimension if key not in {d.title for d in checklist.dimensions}]
    if foreign:
        raise ReportInputError(f"自查结果与清单《{checklist.title}》不对应（{'、'.join(foreign[:3])}），请重新计算得分后再打印")
    vetoed = [clean(item.text).rstrip("。；;. ") for item in result.vetoed]  # joined with ；
    headline = f"自查得分 {score_text(result.total)} 分，评定：{result.rating}"
    gaps = [
        GapRow(
            number=number,
            dimension=dimension_of[gap.item.id],
            problem=("【一票否决】" if gap.item.veto else "")
            + f"{clean(gap.item.text)}（{gap.answer}，失 {score_text(gap.lost)} 分）",
            fix=clean(gap.fix),
            source=clean(gap.source),
            veto=gap.item.veto,
        )
        for number, gap in enumerate(result.gaps, start=1)
    ]
    items = []
    if answers is not None:
        items = [
            ItemRow(dimension_of[item.id], clean(item.text), item.points, clean(answers.get(item.id) or "未作答"), item.veto)
            for item in checklist.items
        ]
    past = [
        (f"{record.created_at.astimezone() if record.created_at.tzinfo else record.created_at:%Y-%m-%d %H:%M}",
         float(record.total), clean(record.rating))
        for record in list(history)[-HISTORY_SHOWN:]
    ]
    return AuditSheet(
        title=clean(checklist.title) + ("报告" if checklist.title.endswith("自查") else "自查报告"),
        checklist_title=clean(checklist.title),
        branch=name_text(branch, "党组织名称"),
        trainee=name_text(trainee, "填表人"),
        day=local_date(when),
        total=result.total,
        rating=result.rating,
        headline=headline,
        vetoed=vetoed,
        rule=rating_rule(checklist),
        dimensions=dict(result.by_dimension),
        gaps=gaps,
        items=items,
        history=past,
    )
