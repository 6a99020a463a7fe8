"""Working-day counting: real 2026 holidays and make-up days, and the Monday–Friday
fallback for years the installed chinese_calendar (2004–2026) does not cover."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.engine.workdays import WorkdayCount, WorkdayRangeError, count_workdays, year_is_covered

D = dt.date


def test_covered_years_are_the_installed_schedule():
    assert year_is_covered(2004) and year_is_covered(2026)
    assert not year_is_covered(2003) and not year_is_covered(2027)


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (D(2026, 10, 1), D(2026, 10, 7), 0),  # 国庆 Oct 1–7 off, weekdays included
        (D(2026, 9, 28), D(2026, 10, 9), 5),  # Mon–Wed before, Thu–Fri after
        (D(2026, 9, 28), D(2026, 10, 8), 4),
        (D(2026, 9, 20), D(2026, 9, 20), 1),  # Sunday made a working day
        (D(2026, 10, 10), D(2026, 10, 10), 1),  # Saturday made a working day
        (D(2026, 10, 11), D(2026, 10, 11), 0),  # ordinary Sunday
        (D(2026, 10, 8), D(2026, 10, 13), 5),  # Mon–Fri alone would give 4
        (D(2026, 9, 25), D(2026, 9, 25), 0),  # 中秋 falls on a Friday
    ],
)
def test_2026_national_day_holiday_and_make_up_days(start, end, days):
    assert count_workdays(start, end) == WorkdayCount(days=days, approximate_years=())


def test_exact_count_carries_no_note():
    count = count_workdays(D(2026, 6, 1), D(2026, 6, 5))
    assert not count.approximate
    assert count.note == ""


def test_uncovered_year_counts_monday_to_friday_and_says_so():
    count = count_workdays(D(2027, 3, 1), D(2027, 3, 7))
    assert count == WorkdayCount(days=5, approximate_years=(2027,))
    assert count.note == "2027年的法定节假日安排尚未收录，按周一至周五计算"


def test_range_across_the_coverage_edge_estimates_only_the_new_year():
    # 2026-12-28 Mon … 12-31 Thu are exact; 2027-01-01 Fri and 01-04…08 are Mon–Fri.
    assert count_workdays(D(2026, 12, 28), D(2027, 1, 8)) == WorkdayCount(10, (2027,))


def test_note_names_every_estimated_year():
    count = count_workdays(D(2027, 12, 30), D(2028, 1, 3))
    assert count.approximate_years == (2027, 2028)
    assert count.note.startswith("2027、2028年的法定节假日安排尚未收录")


def test_years_before_the_package_are_estimated_too():
    assert count_workdays(D(2003, 6, 2), D(2003, 6, 8)) == WorkdayCount(5, (2003,))


def test_reversed_range_is_refused_naming_both_dates():
    with pytest.raises(WorkdayRangeError, match="2026-10-09.*2026-09-28"):
        count_workdays(D(2026, 10, 9), D(2026, 9, 28))
    assert issubclass(WorkdayRangeError, ValueError)


dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2030, 12, 31))
spans = st.integers(min_value=0, max_value=800)


@given(dates, spans, spans)
def test_count_grows_with_the_range_and_never_exceeds_calendar_days(start, span, extra):
    end = start + dt.timedelta(days=span)
    longer = end + dt.timedelta(days=extra)
    shorter, wider = count_workdays(start, end).days, count_workdays(start, longer).days
    assert 0 <= shorter <= wider <= (longer - start).days + 1
    assert shorter <= span + 1


@given(dates, spans, spans)
def test_count_is_additive_over_a_split(start, first, second):
    middle = start + dt.timedelta(days=first)
    end = middle + dt.timedelta(days=second + 1)
    whole = count_workdays(start, end).days
    assert whole == count_workdays(start, middle).days + count_workdays(middle + dt.timedelta(days=1), end).days


@given(dates, spans)
def test_approximate_years_are_exactly_the_uncovered_years_in_range(start, span):
    end = start + dt.timedelta(days=span)
    expected = tuple(year for year in range(start.year, end.year + 1) if not 2004 <= year <= 2026)
    assert count_workdays(start, end).approximate_years == expected


@given(st.dates(min_value=D(2027, 1, 1), max_value=D(2035, 12, 31)), spans)
def test_uncovered_range_is_a_plain_weekday_count(start, span):
    end = start + dt.timedelta(days=span)
    weekdays = sum((start + dt.timedelta(days=n)).weekday() < 5 for n in range(span + 1))
    assert count_workdays(start, end).days == weekdays
