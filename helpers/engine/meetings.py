"""Checking a branch's meeting record for one year against how often the rules
say each kind of meeting is held, and whether enough people came.

How the texts are read (fact sheet §2 and §6):

* **一般.**  The 《支部工作条例》 holds the 党员大会 "一般每季度召开1次", the 支委会
  and the 党小组会 "一般每月召开1次", and 民主评议 "一般每年开展1次".  一般 ("as a
  rule") admits justified exceptions, so a period without such a meeting is a
  warning (⚠) asking for the reason, as the 一般 deadline in
  :mod:`helpers.engine.timeline` is.  Where the text has no 一般 — 主题党日 "应当
  每月开展1次", 组织生活会 "每年至少召开1次" — a period without one fails (✗).
  ``Frequency.binding`` holds this reading, one row per rule.
* **半数以上.**  In Chinese legal drafting 以上 includes the number itself
  (《民法典》第一千二百五十九条 states the convention), so a meeting with exactly
  half present may proceed; the party texts themselves do not say so, so
  exactly half is always a warning (⚠), never a plain pass.  Only meetings with
  both numbers given are judged.  At exactly half a 党员大会 still cannot pass anything, because 第十一条 needs
  赞成人数超过应到会有表决权的党员的半数, so that case is a warning.  The meeting that
  accepts 预备党员 is stricter: 细则第十九条 requires attendance 超过 half, so a
  党员大会 whose 议题 names 接收预备党员 or 发展对象 must have more than half.
* **Periods still running.**  A month, quarter or year is judged only once its
  last day is before ``today``, so a mid-year upload is not blamed for meetings
  still to come; a year rule still open and not yet met is a ⚠ reminder.
* **The branch's shape.**  Only branches with 正式党员7人以上 set up a 支部委员会
  (第二十条), and not every branch has 党小组, so the caller says which it has.
* **党课.**  The 《支部工作条例》 sets no number of 党课 (fact sheet §0 point 4),
  so 党课 are only counted.
"""
from __future__ import annotations

import calendar
import datetime as dt
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from helpers.engine.findings import Finding

_BRANCH = "《中国共产党支部工作条例（试行）》（2018年）"
_EDUCATION = "《中国共产党党员教育管理工作条例》（2019年）"
_DEVELOPMENT = "《中国共产党发展党员工作细则》（2026年修订）"

MONTH, QUARTER, YEAR = "month", "quarter", "year"
_UNIT_NAMES = {MONTH: ("月", "月份"), QUARTER: ("季度", "季度")}
_QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")

COMMITTEE, GROUPS = "committee", "groups"

MAX_PROBLEMS = 20


class MeetingInputError(ValueError):
    """Rows the checker cannot use; the message names each row and field."""


@dataclass(frozen=True)
class Frequency:
    """How often a meeting is due, in the regulation's own words.

    ``binding`` is False where the text says 一般, so a missed period is a
    warning.  ``preferred_quarter`` is the quarter the text names as usual
    (组织生活会: 第四季度) without requiring it; ``missing_hint`` helps a branch
    that probably did hold the meeting but recorded it under another name.
    """

    unit: str
    requirement: str
    source: str
    binding: bool
    preferred_quarter: int | None = None
    missing_hint: str = ""


@dataclass(frozen=True)
class Quorum:
    """Who must be present for the meeting to proceed.

    ``half_note`` explains why exactly half still needs attention (empty where it
    does not); ``strict_topics`` are words in the 议题 for which more than half is
    required, under ``strict_requirement`` and ``strict_source``.
    """

    members: str
    requirement: str
    source: str
    half_note: str = ""
    strict_topics: tuple[str, ...] = ()
    strict_requirement: str = ""
    strict_source: str = ""


@dataclass(frozen=True)
class MeetingType:
    """One kind of meeting: its accepted names and the rules on it.

    ``requires`` names the branch setting the frequency rule presupposes
    (a 支部委员会, 党小组); ``not_applicable`` says why it is skipped without one.
    ``count_note`` is shown, with ``count_source``, for a kind with no frequency.
    """

    key: str
    name: str
    aliases: tuple[str, ...] = ()
    frequency: Frequency | None = None
    quorum: Quorum | None = None
    requires: str | None = None
    not_applicable: str = ""
    not_applicable_source: str = ""
    count_note: str = ""
    count_source: str = ""


# The order of this table is the order of the findings and of the calendar rows:
# the 三会一课, then the 主题党日, then the yearly meetings.
MEETING_TYPES: tuple[MeetingType, ...] = (
    MeetingType(
        "general_meeting", "党员大会", ("党支部党员大会", "支部党员大会", "支部大会"),
        frequency=Frequency(QUARTER, "《支部工作条例》规定党支部党员大会一般每季度召开1次", f"{_BRANCH}第十一条", False),
        quorum=Quorum(
            "有表决权的党员",
            "表决必须有半数以上有表决权的党员到会方可进行",
            f"{_BRANCH}第十一条",
            half_note=(
                "“半数以上”包括半数本身，会议可以进行；但赞成人数须超过应到会有表决权的党员的半数才能通过，"
                "恰好半数到会时即使到会的人全部赞成也不能通过决议"
            ),
            strict_topics=("接收预备党员", "发展对象"),
            strict_requirement="讨论接收预备党员的党支部党员大会，实际到会有表决权的党员人数必须超过应到会有表决权的党员人数的半数",
            strict_source=f"{_DEVELOPMENT}第十九条",
        ),
    ),
    MeetingType(
        "committee", "支委会", ("党支部委员会会议", "支部委员会会议", "支委会议"),
        frequency=Frequency(MONTH, "《支部工作条例》规定党支部委员会会议一般每月召开1次", f"{_BRANCH}第十二条", False),
        quorum=Quorum(
            "委员", "支委会须有半数以上委员到会方可进行", f"{_BRANCH}第十二条",
            half_note="按通常理解“半数以上”包括半数本身，恰好半数到会可以开会；条例没有对这种情形另作说明，稳妥起见宜有过半数委员到会",
        ),
        requires=COMMITTEE,
        not_applicable="已按“本支部未设支部委员会”处理，不核对支委会每月召开；有正式党员7人以上的党支部应当设立支部委员会",
        not_applicable_source=f"{_BRANCH}第二十条",
    ),
    MeetingType(
        "group", "党小组会", ("党小组会议",),
        frequency=Frequency(MONTH, "《支部工作条例》规定党小组会一般每月召开1次", f"{_BRANCH}第十三条", False),
        requires=GROUPS,
        not_applicable="已按“本支部未划分党小组”处理，不核对党小组会每月召开",
        not_applicable_source=f"{_BRANCH}第十三条",
    ),
    MeetingType(
        "lecture", "党课",
        count_note="《支部工作条例》没有规定党支部讲党课的次数（常见的“每季度一次”出自各地细则或较早的文件），这里只作统计",
        count_source=f"{_EDUCATION}第十六条",
    ),
    MeetingType(
        "party_day", "主题党日", ("主题党日活动",),
        frequency=Frequency(MONTH, "《党员教育管理工作条例》规定党支部应当每月开展1次主题党日", f"{_EDUCATION}第十六条", True),
    ),
    MeetingType(
        "life_meeting", "组织生活会", ("组织生活会议",),
        frequency=Frequency(
            YEAR, "党支部每年至少召开1次组织生活会，一般安排在第四季度，也可以根据工作需要随时召开",
            f"{_BRANCH}第十七条；{_EDUCATION}第十七条", True, preferred_quarter=4,
        ),
    ),
    MeetingType(
        "appraisal", "民主评议", ("民主评议党员",),
        frequency=Frequency(
            YEAR, "党支部一般每年开展1次民主评议党员", f"{_EDUCATION}第十八条；{_BRANCH}第十八条", False,
            missing_hint="民主评议党员可以结合组织生活会一并进行；如果是一并进行的，请在记录中另列一行“民主评议”",
        ),
    ),
)

_BY_NAME = {name: kind for kind in MEETING_TYPES for name in (kind.name, *kind.aliases)}
TYPE_NAMES = tuple(kind.name for kind in MEETING_TYPES)


@dataclass(frozen=True)
class Meeting:
    """One validated row."""

    date: dt.date
    type: str
    expected: int | None = None
    present: int | None = None
    topic: str = ""


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.date
    end: dt.date


def summarize_problems(problems: list[str], heading: str) -> str:
    """Up to :data:`MAX_PROBLEMS` problems in one message, so a trainee fixes them
    in one pass instead of one upload per mistake."""
    shown = problems[:MAX_PROBLEMS]
    more = len(problems) - len(shown)
    tail = f"\n……另有 {more} 处问题未列出。" if more else ""
    return f"{heading}发现 {len(problems)} 处问题：\n" + "\n".join(shown) + tail


def normalize_type(value: object) -> str:
    """The canonical name of a meeting type; full-width letters and stray spaces
    from spreadsheets are forgiven, unknown names are not."""
    text = "".join(unicodedata.normalize("NFKC", str(value)).split())
    kind = _BY_NAME.get(text)
    if kind is None:
        raise MeetingInputError(f"未知的会议类型“{value}”，可填写：{'、'.join(TYPE_NAMES)}")
    return kind.name


def attendance_problem(expected: int | None, present: int | None) -> tuple[str, str] | None:
    """The field (``expected`` or ``present``) and reason when the numbers cannot
    be right: a meeting nobody was expected at, or more present than expected."""
    if expected == 0:
        return "expected", "应到人数须大于 0"
    if expected is not None and present is not None and present > expected:
        return "present", f"实到人数 {present} 大于应到人数 {expected}"
    return None


_FIELDS = {"date": "日期", "type": "会议类型", "expected": "应到人数", "present": "实到人数", "topic": "议题"}


def _blank(value: object) -> bool:
    """None, an empty string, or pandas' NaN/NaT (the only values unequal to
    themselves) or NA (which refuses to be a bool at all)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)
    except TypeError:
        return True


def _date(value: object) -> dt.date:
    # A datetime (a pandas Timestamp is one) keeps the calendar day it was written
    # with: only the month counts here, so no time-zone conversion is wanted.
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise MeetingInputError(f"应为日期（datetime.date），收到的是 {type(value).__name__}：{value!r}")


def _count(value: object) -> int | None:
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # pandas stores an integer column with gaps as floats
    if isinstance(value, bool) or not isinstance(value, int):
        raise MeetingInputError(f"应为整数，收到的是 {type(value).__name__}：{value!r}")
    if value < 0:
        raise MeetingInputError(f"人数不能为负数：{value}")
    return value


def _topic(value: object) -> str:
    if _blank(value):
        return ""
    if not isinstance(value, str):
        raise MeetingInputError(f"应为文字，收到的是 {type(value).__name__}：{value!r}")
    return value.strip()


def _meeting(row: object) -> Meeting:
    """Validate one row; raises with every bad field of the row in one message."""
    if not isinstance(row, Mapping):
        raise MeetingInputError(f"应为字典（dict），收到的是 {type(row).__name__}")
    unknown = [str(key) for key in row if key not in _FIELDS]
    if unknown:
        raise MeetingInputError(f"未知的字段 {'、'.join(unknown)}；可用的字段为：{'、'.join(_FIELDS)}")
    problems: list[str] = []
    values: dict[str, Any] = {}
    converters = {"date": _date, "type": normalize_type, "expected": _count, "present": _count, "topic": _topic}
    for key, convert in converters.items():
        if key in ("date", "type") and (key not in row or _blank(row[key])):
            problems.append(f"“{key}”（{_FIELDS[key]}）不能为空")
            continue
        try:
            values[key] = convert(row.get(key))
        except MeetingInputError as exc:
            problems.append(f"“{key}”（{_FIELDS[key]}）{exc}")
    if not problems and (problem := attendance_problem(values["expected"], values["present"])):
        key, reason = problem
        problems.append(f"“{key}”（{_FIELDS[key]}）{reason}")
    if problems:
        raise MeetingInputError("；".join(problems))
    return Meeting(**values)


def _records(rows: Any) -> list[Any]:
    """Rows as a list; a pandas DataFrame is recognised by its shape, so pandas is
    never imported here (trainee kernels stay light)."""
    if hasattr(rows, "columns") and callable(getattr(rows, "to_dict", None)):
        return list(rows.to_dict("records"))
    return list(rows)


def _meetings(rows: Any) -> list[Meeting]:
    problems: list[str] = []
    meetings: list[Meeting] = []
    for number, row in enumerate(_records(rows), start=1):
        try:
            meetings.append(_meeting(row))
        except MeetingInputError as exc:
            problems.append(f"第 {number} 条记录：{exc}")
    if problems:
        raise MeetingInputError(summarize_problems(problems, "会议记录中"))
    return meetings


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def periods(unit: str, year: int) -> tuple[Period, ...]:
    """The months (``MONTH``) or quarters (``QUARTER``) of ``year``."""
    if unit == MONTH:
        return tuple(Period(f"{m}月", dt.date(year, m, 1), _month_end(year, m)) for m in range(1, 13))
    return tuple(
        Period(name, dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q)) for q, name in enumerate(_QUARTER_NAMES, 1)
    )


@dataclass(frozen=True)
class _Book:
    """The rows that count for ``year`` up to ``today``, by type, and notes on
    the rows left out."""

    year: int
    today: dt.date
    by_type: dict[str, list[Meeting]]
    notes: list[Finding]


def _sample(dates: list[dt.date]) -> str:
    shown = "、".join(d.isoformat() for d in sorted(dates)[:3])
    return shown + ("等" if len(dates) > 3 else "")


def _book(rows: Any, year: int, today: dt.date | None) -> _Book:
    if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9999:
        raise MeetingInputError(f"年份应为整数，如 2026，收到的是 {year!r}")
    today = dt.date.today() if today is None else today
    if isinstance(today, dt.datetime) or not isinstance(today, dt.date):
        raise MeetingInputError(f"today 应为日期（datetime.date），收到的是 {today!r}")
    meetings = _meetings(rows)
    other_year = [m.date for m in meetings if m.date.year != year]
    future = [m.date for m in meetings if m.date.year == year and m.date > today]
    notes = []
    if other_year:
        years = "、".join(f"{y}年" for y in sorted({d.year for d in other_year}))
        notes.append(Finding(
            "data.other_year", True,
            f"有 {len(other_year)} 条记录不在 {year} 年（涉及 {years}，如 {_sample(other_year)}），没有计入本次检查；"
            "如要检查那一年，请选择相应年份", "", warning=True,
        ))
    if future:
        notes.append(Finding(
            "data.future", True,
            f"有 {len(future)} 条记录的日期晚于今天（{_sample(future)}），会议还没有召开，没有计入本次检查；请核对日期是否写错",
            "", warning=True,
        ))
    by_type: dict[str, list[Meeting]] = {kind.name: [] for kind in MEETING_TYPES}
    for meeting in meetings:
        if meeting.date.year == year and meeting.date <= today:
            by_type[meeting.type].append(meeting)
    for held in by_type.values():
        held.sort(key=lambda m: m.date)
    return _Book(year, today, by_type, notes)


def _applies(kind: MeetingType, has_committee: bool, has_groups: bool) -> bool:
    return {None: True, COMMITTEE: has_committee, GROUPS: has_groups}[kind.requires]


def _count_in(held: list[Meeting], period: Period) -> int:
    return sum(1 for m in held if period.start <= m.date <= period.end)


def _periodic_finding(kind: MeetingType, rule: Frequency, held: list[Meeting], book: _Book) -> Finding:
    """Months or quarters: which ended periods had no meeting."""
    name, unit = f"{kind.key}.frequency", _UNIT_NAMES[rule.unit][0]
    counted = [(period, _count_in(held, period)) for period in periods(rule.unit, book.year)]
    ended = [(period, count) for period, count in counted if period.end < book.today]
    running = [p for p, count in counted if p.start <= book.today <= p.end and count == 0]
    pending = f"（{running[0].label}尚未结束，暂不核对）" if running else ""
    if not ended:
        message = f"{kind.name}：{book.year}年还没有已结束的{_UNIT_NAMES[rule.unit][1]}，暂不核对。{rule.requirement}"
        return Finding(name, True, message, rule.source)
    span = ended[0][0].label if len(ended) == 1 else f"{ended[0][0].label}至{ended[-1][0].label}"
    missing = [period.label for period, count in ended if count == 0]
    if not missing:
        return Finding(name, True, f"{kind.name}：{span}每{unit}都有记录{pending}", rule.source)
    which = "都" if len(missing) == len(ended) else f"中，{'、'.join(missing)}"
    message = f"{kind.name}：{span}{which}没有记录{pending}。{rule.requirement}"
    if rule.binding:
        return Finding(name, False, message, rule.source)
    message += "；条文用“一般”，允许个别情况例外，请核实未召开的原因并记录在案"
    return Finding(name, True, message, rule.source, warning=True)


def _yearly_finding(kind: MeetingType, rule: Frequency, held: list[Meeting], book: _Book) -> Finding:
    name = f"{kind.key}.frequency"
    if held:
        message = f"{kind.name}：{book.year}年已开展 {len(held)} 次（{_sample([m.date for m in held])}）"
        quarter = rule.preferred_quarter
        if quarter and not any((m.date.month - 1) // 3 + 1 == quarter for m in held):
            message += f"；没有安排在{_QUARTER_NAMES[quarter - 1]}也不算违规，条例原文为：{rule.requirement}"
        return Finding(name, True, message, rule.source)
    hint = f"；{rule.missing_hint}" if rule.missing_hint else ""
    if dt.date(book.year, 12, 31) >= book.today:
        message = f"{kind.name}：{book.year}年尚未开展，请在年内安排。{rule.requirement}{hint}"
        return Finding(name, True, message, rule.source, warning=True)
    message = f"{kind.name}：{book.year}年没有记录。{rule.requirement}{hint}"
    if rule.binding:
        return Finding(name, False, message, rule.source)
    return Finding(name, True, message + "；条文用“一般”，如确有原因未开展，请记录在案", rule.source, warning=True)


def _quorum_findings(kind: MeetingType, rule: Quorum, held: list[Meeting]) -> Iterator[Finding]:
    """One finding per meeting that fell short or needs attention, then one on the rest."""
    name = f"{kind.key}.quorum"
    counted = [m for m in held if m.expected is not None and m.present is not None]
    good = 0
    for meeting in counted:
        twice, expected = 2 * meeting.present, meeting.expected  # whole numbers: no rounding of "half"
        label = f"{meeting.date.isoformat()} {kind.name}（应到 {expected} 人，实到 {meeting.present} 人）"
        if any(word in meeting.topic for word in rule.strict_topics):
            if twice > expected:
                good += 1
                continue
            yield Finding(name, False, f"{label}讨论接收预备党员，到会人数没有超过半数。{rule.strict_requirement}", rule.strict_source)
        elif twice < expected:
            yield Finding(name, False, f"{label}，到会不足半数，会议不能进行。{rule.requirement}", rule.source)
        elif twice == expected and rule.half_note:
            yield Finding(name, True, f"{label}，恰好半数到会。{rule.half_note}", rule.source, warning=True)
        else:
            good += 1
    unchecked = len(held) - len(counted)
    parts = [f"{good} 次到会人数达到{rule.members}的半数以上"] if good else []
    if unchecked:
        parts.append(f"{unchecked} 次没有填写应到、实到人数，未核对到会人数")
    if parts:
        yield Finding(name, True, f"{kind.name}：{'；'.join(parts)}。{rule.requirement}", rule.source, warning=not good)


def _type_findings(kind: MeetingType, book: _Book, has_committee: bool, has_groups: bool) -> Iterator[Finding]:
    held = book.by_type[kind.name]
    rule = kind.frequency
    if rule is None:
        yield Finding(f"{kind.key}.count", True, f"{kind.name}：{book.year}年记录 {len(held)} 次。{kind.count_note}", kind.count_source)
    elif not _applies(kind, has_committee, has_groups):
        yield Finding(f"{kind.key}.frequency", True, f"{kind.name}：{kind.not_applicable}", kind.not_applicable_source)
    elif rule.unit == YEAR:
        yield _yearly_finding(kind, rule, held, book)
    else:
        yield _periodic_finding(kind, rule, held, book)
    if kind.quorum is not None:
        yield from _quorum_findings(kind, kind.quorum, held)


def audit_meetings(
    rows: Iterable[Mapping[str, Any]] | Any,
    year: int,
    *,
    today: dt.date | None = None,
    has_committee: bool = True,
    has_groups: bool = True,
) -> list[Finding]:
    """Every meeting rule for ``year``, in the order of :data:`MEETING_TYPES`,
    after notes on rows left out (other years, dates after ``today``).

    ``rows`` are dicts with ``date`` and ``type`` and optionally ``expected``,
    ``present`` and ``topic``, or a pandas DataFrame with those columns.  An
    unknown key is refused, not ignored, so a misspelt ``present`` cannot make a
    quorum check silently disappear.  Raises :class:`MeetingInputError` naming
    every bad row.
    """
    book = _book(rows, year, today)
    findings = list(book.notes)
    for kind in MEETING_TYPES:
        findings.extend(_type_findings(kind, book, has_committee, has_groups))
    return findings


HELD, MISSING, NOT_DUE, NO_RULE = "held", "missing", "not_due", "no_rule"


@dataclass(frozen=True)
class CalendarRow:
    """One meeting type across the twelve months of the year.

    ``status`` per month: HELD (``counts`` says how often), MISSING (an ended
    month or quarter the rule wanted a meeting in), NOT_DUE (the month has not
    ended yet) or NO_RULE.  ``binding`` tells a failure (✗) from a warning (⚠).
    """

    type: str
    counts: tuple[int, ...]
    status: tuple[str, ...]
    binding: bool


def _calendar_row(kind: MeetingType, book: _Book, applies: bool) -> CalendarRow:
    held = book.by_type[kind.name]
    months = periods(MONTH, book.year)
    counts = tuple(_count_in(held, month) for month in months)
    rule = kind.frequency if applies and kind.frequency and kind.frequency.unit != YEAR else None
    status = []
    for index, (month, count) in enumerate(zip(months, counts)):
        if count:
            status.append(HELD)
        elif month.end >= book.today:
            status.append(NOT_DUE)
        elif rule is None:
            status.append(NO_RULE)
        else:
            period = periods(rule.unit, book.year)[index if rule.unit == MONTH else index // 3]
            ended_empty = period.end < book.today and _count_in(held, period) == 0
            status.append(MISSING if ended_empty else NO_RULE)
    return CalendarRow(kind.name, counts, tuple(status), bool(rule and rule.binding))


def meeting_calendar(
    rows: Iterable[Mapping[str, Any]] | Any,
    year: int,
    *,
    today: dt.date | None = None,
    has_committee: bool = True,
    has_groups: bool = True,
) -> list[CalendarRow]:
    """Counts per month and type for the page's calendar grid, marked by the same
    rules and the same reading of ``today`` as :func:`audit_meetings`."""
    book = _book(rows, year, today)
    return [_calendar_row(kind, book, _applies(kind, has_committee, has_groups)) for kind in MEETING_TYPES]
