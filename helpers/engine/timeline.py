"""Checking the dates of one person's path into the Party against the current rules.

The rules are those of the 《中国共产党发展党员工作细则》 as revised and issued on
2026-05-11; its article numbers differ from the 2014 text, which most training
material still quotes, so every finding cites the 2026 article it rests on.

How periods are counted.  The 细则 says "一个月内", "三个月内", "一年以上" without
saying how to count them, so we follow the general rule of 《民法典》第二百零二条:
a period of months or years ends on the corresponding day of the final month, or
on that month's last day when it has no such day (31 Jan + 1 month = 28 Feb; a
29 Feb birthday reaches eighteen on 28 Feb).  A date on the last day of a
"within" period is in time; a date on the last day of an "at least" period has
waited long enough (以上包括本数).  The holiday postponement of 第二百零三条 is
not applied: these are internal work deadlines and stretching them would hide
late work.

Each rule looks at two dates and is skipped when either is missing, so a record
that is still being filled in only shows what can already be judged.  A rule is
also skipped when its two dates are in the wrong order: the order check reports
that pair, and a gap measured backwards would only add a second, misleading
finding.  Every rule's pair is linked through the order table, so a reversed pair
always produces an order finding and nothing wrong goes unreported.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from helpers.engine.findings import Finding
from helpers.engine.workdays import count_workdays

_RULES = "《中国共产党发展党员工作细则》（2026年修订）"


def _article(number: str) -> str:
    return f"{_RULES}第{number}条"


# The 细则 does not itself order these pairs; the Central Organization Department's
# flowchart does (steps 2→3 and 11→13), so we cite it rather than pretend.
_FLOWCHART = "《发展党员工作流程图》（中组部配套材料，非《细则》正文）"


class TimelineInputError(ValueError):
    """A record entry the checker cannot use; ``key`` names it so a page can mark
    the offending field."""

    def __init__(self, key: object, message: str) -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class Step:
    """One dated step of the procedure and where it sits.

    ``follows`` is the step it must not precede, ``why`` the provision that says
    so.  ``same_day_ok`` is False where the earlier step has to be finished
    before the later one can happen, not merely started.
    """

    key: str
    name: str
    follows: str | None
    why: str
    same_day_ok: bool = True


# The chronological order of this table is also the order of the findings.
# Same-day pairs are allowed wherever nothing in the rules requires a gap (a
# branch may talk to an applicant on the day it receives the application, an
# oath may follow the approval the same day).  They are refused for: birth and
# application (trivially); publicity end and listing as 发展对象, because the last
# day of publicity is still open for objections and 第十三条 lists only once the
# 公示结果 is known; and the two branch meetings, which the one-year probation
# separates anyway.
STEPS: tuple[Step, ...] = (
    Step("birth", "出生", None, ""),
    Step("application", "提交入党申请书", "birth", _article("五"), same_day_ok=False),
    Step("talk", "党组织派人谈话", "application", _article("七")),
    Step("activist", "确定为入党积极分子", "talk", _FLOWCHART),
    Step("publicity_start", "公示开始", "activist", _article("十三")),
    Step("publicity_end", "公示结束", "publicity_start", _article("十三")),
    Step("development_object", "列为发展对象", "publicity_end", _article("十三"), same_day_ok=False),
    Step("training_start", "集中培训开始", "development_object", _article("十七")),
    Step("training_end", "集中培训结束", "training_start", _article("十七")),
    Step("pre_review", "基层党委预审", "training_end", _FLOWCHART),
    Step("branch_meeting", "接收预备党员的党支部党员大会", "pre_review", _article("十九")),
    Step("approval", "党委审批预备党员", "branch_meeting", _article("二十五")),
    Step("oath", "入党宣誓", "approval", _article("二十九")),
    Step("full_meeting", "讨论转正的党支部党员大会", "branch_meeting", _article("三十一"), same_day_ok=False),
    Step("full_approval", "党委审批转正", "full_meeting", _article("三十三")),
)

_STEP = {step.key: step for step in STEPS}
_POSITION = {step.key: index for index, step in enumerate(STEPS)}


@dataclass(frozen=True)
class Deadline:
    """``end`` must come within ``limit`` of ``start``.

    ``binding`` is False where the article says 一般, so lateness is only a
    warning.  ``extension`` is how far a recorded special case may stretch the
    limit; lateness up to it is a warning, beyond it a failure.
    """

    rule: str
    start: str
    end: str
    limit: relativedelta
    limit_text: str
    source: str
    binding: bool = True
    extension: relativedelta | None = None
    extension_text: str = ""
    late_note: str = ""


@dataclass(frozen=True)
class MinimumGap:
    """``end`` must come at least ``gap`` after ``start``."""

    rule: str
    start: str
    end: str
    gap: relativedelta
    gap_text: str
    source: str
    requirement: str


MINIMUM_GAPS: tuple[MinimumGap, ...] = (
    MinimumGap(
        "age_18", "birth", "application", relativedelta(years=18), "十八周岁",
        f"{_article('五')}；《中国共产党章程》第一条",
        "年满十八岁方可申请加入中国共产党",
    ),
    MinimumGap(
        "activist_1_year", "activist", "development_object", relativedelta(years=1), "一年",
        _article("十三"),
        "入党积极分子须经过一年以上培养教育和考察，方可列为发展对象",
    ),
    MinimumGap(
        "probation_1_year", "branch_meeting", "full_meeting", relativedelta(years=1), "一年",
        f"{_article('三十一')}；《中国共产党章程》第七条",
        "预备期为一年，从党支部党员大会通过其为预备党员之日算起，预备期尚未期满",
    ),
)

# Approval and oath deadlines are counted from the 党委 approval date, which is
# the date the record holds for the 批复 第二十九条 speaks of.
DEADLINES: tuple[Deadline, ...] = (
    Deadline("talk_within_1_month", "application", "talk", relativedelta(months=1), "一个月", _article("七")),
    Deadline(
        "branch_meeting_within_1_month", "pre_review", "branch_meeting", relativedelta(months=1), "一个月",
        _article("十九"),
    ),
    Deadline(
        "approval_within_3_months", "branch_meeting", "approval", relativedelta(months=3), "三个月",
        _article("二十五"),
        extension=relativedelta(months=6), extension_text="六个月",
        late_note="细则规定如遇特殊情况可以适当延长审批时间，但不得超过六个月；请确认延长原因已记载在案",
    ),
    Deadline(
        "oath_within_1_month", "approval", "oath", relativedelta(months=1), "一个月", _article("二十九"),
        binding=False,
        late_note="细则规定入党宣誓一般在批复同意接收预备党员后的一个月内进行；请记载推迟的原因",
    ),
    Deadline(
        "full_approval_within_3_months", "full_meeting", "full_approval", relativedelta(months=3), "三个月",
        _article("三十三"),
    ),
)

PUBLICITY_RULE = "publicity_5_workdays"
PUBLICITY_MIN_WORKDAYS = 5
TRAINING_RULE = "training_3_days"
TRAINING_MIN_DAYS = 3


def _label(record: Mapping[str, dt.date], key: str) -> str:
    return f"{_STEP[key].name}（{record[key].isoformat()}）"


def _validate(record: Mapping[str, dt.date]) -> None:
    """Refuse anything but known keys holding plain dates.

    A ``datetime`` is refused rather than truncated: its calendar day depends on
    the time zone it was made in, and a silent conversion could move a date
    across a deadline.
    """
    for key, value in record.items():
        if key not in _STEP:
            known = "、".join(_STEP)
            raise TimelineInputError(key, f"未知的日期项“{key}”；可用的日期项为：{known}")
        name = _STEP[key].name
        if isinstance(value, dt.datetime):
            raise TimelineInputError(key, f"“{key}”（{name}）应为日期（datetime.date），不接受带时刻的 datetime：{value}")
        if not isinstance(value, dt.date):
            raise TimelineInputError(key, f"“{key}”（{name}）应为日期（datetime.date），收到的是 {type(value).__name__}：{value!r}")


def _in_order(record: Mapping[str, dt.date], start: str, end: str) -> bool:
    """Whether a rule on the pair can be judged: both dates known, not reversed."""
    return start in record and end in record and record[start] <= record[end]


def _check_minimum_gap(rule: MinimumGap, record: Mapping[str, dt.date]) -> Finding:
    threshold = record[rule.start] + rule.gap
    pair = f"{_label(record, rule.end)}距{_label(record, rule.start)}"
    if record[rule.end] >= threshold:
        message = f"{pair}已满{rule.gap_text}（{threshold.isoformat()} 起满{rule.gap_text}）"
        return Finding(rule.rule, True, message, rule.source)
    message = f"{pair}不满{rule.gap_text}（应不早于 {threshold.isoformat()}）；{rule.requirement}"
    return Finding(rule.rule, False, message, rule.source)


def _check_deadline(rule: Deadline, record: Mapping[str, dt.date]) -> Finding:
    start, end = record[rule.start], record[rule.end]
    deadline = start + rule.limit
    if end <= deadline:
        message = f"{_label(record, rule.end)}在{_label(record, rule.start)}后{rule.limit_text}内（不晚于 {deadline.isoformat()}）"
        return Finding(rule.rule, True, message, rule.source)
    pair = f"{_label(record, rule.end)}距{_label(record, rule.start)}"
    should = "应" if rule.binding else "一般应"
    late = f"{pair}超过{rule.limit_text}（{should}不晚于 {deadline.isoformat()}）"
    if not rule.binding:
        return Finding(rule.rule, True, f"{late}；{rule.late_note}", rule.source, warning=True)
    if rule.extension is None:
        return Finding(rule.rule, False, late, rule.source)
    longest = start + rule.extension
    if end <= longest:
        message = f"{late}，未超过{rule.extension_text}（最迟不得晚于 {longest.isoformat()}）；{rule.late_note}"
        return Finding(rule.rule, True, message, rule.source, warning=True)
    message = f"{pair}超过{rule.extension_text}（最迟不得晚于 {longest.isoformat()}）"
    return Finding(rule.rule, False, message, rule.source)


def _check_publicity(record: Mapping[str, dt.date]) -> Finding:
    """At least five working days of publicity (第十三条).

    A count that had to guess a year's holidays is still judged, but a pass is
    only a warning: the guess may count a holiday as a working day.
    """
    start, end = record["publicity_start"], record["publicity_end"]
    count = count_workdays(start, end)
    period = f"公示期 {start.isoformat()} 至 {end.isoformat()} 共 {count.days} 个工作日"
    note = f"（{count.note}，请对照国务院办公厅的放假通知核对）" if count.approximate else ""
    source = _article("十三")
    if count.days >= PUBLICITY_MIN_WORKDAYS:
        return Finding(PUBLICITY_RULE, True, f"{period}，不少于五个工作日{note}", source, warning=count.approximate)
    return Finding(PUBLICITY_RULE, False, f"{period}，少于五个工作日{note}", source)


def _check_training(record: Mapping[str, dt.date]) -> Finding:
    """At least three days of 集中培训 (第十七条).

    The article also accepts twenty-four 学时 instead of three days, which the
    dates cannot show, so a short training fails with a pointer to the hours.
    """
    start, end = record["training_start"], record["training_end"]
    days = (end - start).days + 1
    period = f"集中培训 {start.isoformat()} 至 {end.isoformat()} 共 {days} 天"
    source = _article("十七")
    if days >= TRAINING_MIN_DAYS:
        return Finding(TRAINING_RULE, True, f"{period}，不少于三天", source)
    message = (
        f"{period}，少于三天；细则规定培训时间“一般不少于三天或者不少于二十四个学时”，"
        "如累计学时已达二十四个学时也符合要求，请核对培训学时记录"
    )
    return Finding(TRAINING_RULE, False, message, source)


def _rule_findings(record: Mapping[str, dt.date]) -> Iterator[tuple[str, Finding]]:
    """Each judged rule with the step it is anchored to (its later date)."""
    for gap in MINIMUM_GAPS:
        if _in_order(record, gap.start, gap.end):
            yield gap.end, _check_minimum_gap(gap, record)
    for deadline in DEADLINES:
        if _in_order(record, deadline.start, deadline.end):
            yield deadline.end, _check_deadline(deadline, record)
    if _in_order(record, "publicity_start", "publicity_end"):
        yield "publicity_end", _check_publicity(record)
    if _in_order(record, "training_start", "training_end"):
        yield "training_end", _check_training(record)


def _nearest_earlier(record: Mapping[str, dt.date], step: Step) -> tuple[str, bool] | None:
    """The closest earlier step that has a date, and whether it must be a day
    before; a gap in the record must not hide an order problem across it."""
    same_day_ok = step.same_day_ok
    key = step.follows
    while key is not None and key not in record:
        same_day_ok = same_day_ok and _STEP[key].same_day_ok
        key = _STEP[key].follows
    return None if key is None else (key, same_day_ok)


def _order_problem(record: Mapping[str, dt.date], earlier: str, step: Step, same_day_ok: bool) -> Finding | None:
    before, after = record[earlier], record[step.key]
    if after > before or (after == before and same_day_ok):
        return None
    earlier_name = _STEP[earlier].name
    rule = f"{step.name}不应早于{earlier_name}" if same_day_ok else f"{step.name}应在{earlier_name}之后"
    if after == before:
        message = f"{_label(record, step.key)}与{earlier_name}在同一天；{rule}"
    else:
        message = f"{_label(record, step.key)}早于{_label(record, earlier)}；{rule}"
    return Finding(f"order.{earlier}.{step.key}", False, message, step.why)


def _neighbour_pairs(record: Mapping[str, dt.date]) -> Iterator[tuple[Step, str, bool]]:
    for step in STEPS:
        if step.key in record and (neighbour := _nearest_earlier(record, step)) is not None:
            yield step, *neighbour


def _order_findings(record: Mapping[str, dt.date]) -> list[tuple[str, Finding]]:
    """One failing finding per out-of-order pair of neighbouring dates, or a
    single passing one, so a clean record does not fill the page with ticks."""
    pairs = list(_neighbour_pairs(record))
    problems = [
        (step.key, problem)
        for step, earlier, same_day_ok in pairs
        if (problem := _order_problem(record, earlier, step, same_day_ok)) is not None
    ]
    if problems or not pairs:
        return problems
    message = f"已填写的 {len(record)} 个日期先后顺序正确"
    return [(STEPS[-1].key, Finding("order", True, message, f"{_RULES}第二章至第五章规定的程序"))]


def check_development_timeline(record: Mapping[str, dt.date]) -> list[Finding]:
    """Check every rule the given dates allow, in the order of the steps.

    Raises ``TimelineInputError`` for an unknown key or a value that is not a
    plain ``datetime.date``; a field left blank must be left out of ``record``,
    not passed as ``None``, so that a typo can never pass as "not filled in".
    """
    _validate(record)
    anchored = [*_rule_findings(record), *_order_findings(record)]
    anchored.sort(key=lambda item: _POSITION[item[0]])
    return [finding for _, finding in anchored]
