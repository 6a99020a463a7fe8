"""Counting mainland China's working days (工作日) over a closed date range.

The 2026 《发展党员工作细则》 第十三条 sets the 发展对象 publicity at "不少于五个
工作日".  Working days are not simply Monday to Friday: statutory holidays take
weekdays out and 调休 make-up days put weekend days in, so a week-long 国庆
publicity can hold only two working days.  The ``chinese_calendar`` package
carries the State Council schedules, but only for the years published when it was
released.  For any other year we fall back to Monday–Friday and say which years
were estimated, so a caller can tell the secretary to check the official notice
instead of presenting a guess as fact.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import chinese_calendar


class WorkdayRangeError(ValueError):
    """The range ends before it starts; an empty range is a caller's mistake here,
    because the publicity period it stands for cannot end before it begins."""


@dataclass(frozen=True)
class WorkdayCount:
    """Working days in a range, and the years counted Monday–Friday because the
    holiday schedule for them is not in ``chinese_calendar``."""

    days: int
    approximate_years: tuple[int, ...] = ()

    @property
    def approximate(self) -> bool:
        return bool(self.approximate_years)

    @property
    def note(self) -> str:
        """The sentence a message must carry when the count is an estimate, so the
        secretary knows to check the official holiday notice for those years."""
        if not self.approximate:
            return ""
        years = "、".join(str(year) for year in self.approximate_years)
        return f"{years}年的法定节假日安排尚未收录，按周一至周五计算"


@cache
def year_is_covered(year: int) -> bool:
    """Whether ``chinese_calendar`` knows the holiday schedule of ``year``.

    The package signals a missing year only by raising ``NotImplementedError``
    from its lookups, so we probe one day and remember the answer per year.
    """
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def _is_workday(day: dt.date) -> bool:
    if year_is_covered(day.year):
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


def count_workdays(start: dt.date, end: dt.date) -> WorkdayCount:
    """Count working days from ``start`` to ``end``, both days included.

    Both ends count because a publicity period names its first and last day and
    both are days on which objections can be raised.
    """
    if start > end:
        raise WorkdayRangeError(f"起始日期 {start.isoformat()} 晚于结束日期 {end.isoformat()}，无法计算工作日")
    days = (start + dt.timedelta(days=n) for n in range((end - start).days + 1))
    uncovered = tuple(year for year in range(start.year, end.year + 1) if not year_is_covered(year))
    return WorkdayCount(days=sum(map(_is_workday, days)), approximate_years=uncovered)
