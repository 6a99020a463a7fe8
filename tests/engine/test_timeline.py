"""The development-timeline checker against the 2026 《发展党员工作细则》.

Every rule is tested at its boundary day and the day after, because the
boundaries (exactly one month, one year, a 29 Feb birthday) are where a checker
is most easily wrong.
"""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from helpers.engine.findings import Finding
from helpers.engine.timeline import (
    PUBLICITY_RULE,
    STEPS,
    TimelineInputError,
    check_development_timeline,
)

D = dt.date


def only(findings: list[Finding], rule: str) -> Finding:
    matching = [finding for finding in findings if finding.rule == rule]
    assert len(matching) == 1, [finding.rule for finding in findings]
    return matching[0]


def check(rule: str, **record: dt.date) -> Finding:
    return only(check_development_timeline(record), rule)


def rules(**record: dt.date) -> list[str]:
    return [finding.rule for finding in check_development_timeline(record)]


# A record that meets every rule, used for ordering and whole-record tests.
CLEAN = {
    "birth": D(2000, 5, 4),
    "application": D(2024, 3, 1),
    "talk": D(2024, 3, 20),
    "activist": D(2024, 6, 1),
    "publicity_start": D(2025, 6, 9),
    "publicity_end": D(2025, 6, 13),
    "development_object": D(2025, 6, 16),
    "training_start": D(2025, 7, 1),
    "training_end": D(2025, 7, 3),
    "pre_review": D(2025, 9, 1),
    "branch_meeting": D(2025, 9, 20),
    "approval": D(2025, 11, 10),
    "oath": D(2025, 11, 20),
    "full_meeting": D(2026, 9, 22),
    "full_approval": D(2026, 10, 20),
}


# --- 1. age (第五条；党章第一条) ---------------------------------------------------

@pytest.mark.parametrize(
    ("birth", "application", "ok"),
    [
        (D(2000, 6, 1), D(2018, 6, 1), True),  # the eighteenth birthday itself
        (D(2000, 6, 1), D(2018, 5, 31), False),
        (D(2008, 2, 29), D(2026, 2, 28), True),  # no 29 Feb in 2026: month's last day (民法典第二百零二条)
        (D(2008, 2, 29), D(2026, 2, 27), False),
        (D(2006, 2, 28), D(2024, 2, 28), True),
        (D(2006, 2, 28), D(2024, 2, 27), False),
    ],
)
def test_age_eighteen_on_application(birth, application, ok):
    finding = check("age_18", birth=birth, application=application)
    assert finding.ok is ok and not finding.warning
    assert finding.source == "《中国共产党发展党员工作细则》（2026年修订）第五条；《中国共产党章程》第一条"


def test_age_failure_says_when_the_applicant_turns_eighteen():
    finding = check("age_18", birth=D(2008, 2, 29), application=D(2026, 2, 27))
    assert finding.message == (
        "提交入党申请书（2026-02-27）距出生（2008-02-29）不满十八周岁（应不早于 2026-02-28）；"
        "年满十八岁方可申请加入中国共产党"
    )


# --- 2. talk within one month (第七条) ------------------------------------------

@pytest.mark.parametrize(
    ("application", "talk", "ok"),
    [
        (D(2026, 6, 2), D(2026, 6, 2), True),
        (D(2026, 6, 2), D(2026, 7, 2), True),
        (D(2026, 6, 2), D(2026, 7, 3), False),
        (D(2026, 1, 31), D(2026, 2, 28), True),  # calendar month, clamped to month end
        (D(2026, 1, 31), D(2026, 3, 1), False),
    ],
)
def test_talk_within_one_calendar_month(application, talk, ok):
    finding = check("talk_within_1_month", application=application, talk=talk)
    assert finding.ok is ok and not finding.warning
    assert finding.source == "《中国共产党发展党员工作细则》（2026年修订）第七条"


def test_late_talk_message_names_both_dates_and_the_deadline():
    finding = check("talk_within_1_month", application=D(2026, 6, 2), talk=D(2026, 7, 10))
    assert finding.message == "党组织派人谈话（2026-07-10）距提交入党申请书（2026-06-02）超过一个月（应不晚于 2026-07-02）"


# --- 3. one year as activist (第十三条) -----------------------------------------

@pytest.mark.parametrize(
    ("activist", "development_object", "ok"),
    [
        (D(2025, 3, 10), D(2026, 3, 10), True),  # 一年以上 includes exactly one year
        (D(2025, 3, 10), D(2026, 3, 9), False),
        (D(2024, 2, 29), D(2025, 2, 28), True),
        (D(2024, 2, 29), D(2025, 2, 27), False),
    ],
)
def test_one_year_from_activist_to_development_object(activist, development_object, ok):
    finding = check("activist_1_year", activist=activist, development_object=development_object)
    assert finding.ok is ok
    assert finding.source.endswith("第十三条")


def test_short_activist_period_message():
    finding = check("activist_1_year", activist=D(2025, 3, 10), development_object=D(2026, 1, 5))
    assert "列为发展对象（2026-01-05）距确定为入党积极分子（2025-03-10）不满一年（应不早于 2026-03-10）" in finding.message


# --- 4. publicity: five working days, and listing only after it (第十三条) -------

@pytest.mark.parametrize(
    ("start", "end", "ok", "days"),
    [
        (D(2026, 9, 28), D(2026, 10, 9), True, 5),  # across 国庆 2026: exactly five
        (D(2026, 9, 28), D(2026, 10, 8), False, 4),
        (D(2026, 10, 8), D(2026, 10, 13), True, 5),  # Sat 10-10 is a make-up working day
        (D(2026, 10, 1), D(2026, 10, 7), False, 0),
        (D(2026, 6, 1), D(2026, 6, 5), True, 5),
    ],
)
def test_publicity_counts_official_working_days(start, end, ok, days):
    finding = check(PUBLICITY_RULE, publicity_start=start, publicity_end=end)
    assert finding.ok is ok and not finding.warning
    assert f"共 {days} 个工作日" in finding.message
    assert "尚未收录" not in finding.message


def test_publicity_in_an_uncovered_year_passes_with_a_warning_and_says_why():
    finding = check(PUBLICITY_RULE, publicity_start=D(2027, 3, 1), publicity_end=D(2027, 3, 5))
    assert finding.ok and finding.warning
    assert "2027年的法定节假日安排尚未收录，按周一至周五计算" in finding.message


def test_short_publicity_in_an_uncovered_year_fails_and_says_why():
    finding = check(PUBLICITY_RULE, publicity_start=D(2027, 3, 1), publicity_end=D(2027, 3, 4))
    assert not finding.ok
    assert "共 4 个工作日" in finding.message and "按周一至周五计算" in finding.message


def test_listing_on_the_last_publicity_day_is_too_early():
    finding = check("order.publicity_end.development_object", publicity_end=D(2026, 6, 5), development_object=D(2026, 6, 5))
    assert not finding.ok
    assert finding.message == "列为发展对象（2026-06-05）与公示结束在同一天；列为发展对象应在公示结束之后"
    assert finding.source.endswith("第十三条")


def test_listing_before_publicity_ends_is_reported():
    finding = check("order.publicity_end.development_object", publicity_end=D(2026, 6, 5), development_object=D(2026, 6, 3))
    assert finding.message == "列为发展对象（2026-06-03）早于公示结束（2026-06-05）；列为发展对象应在公示结束之后"


def test_listing_the_day_after_publicity_is_in_order():
    assert rules(publicity_end=D(2026, 6, 5), development_object=D(2026, 6, 6)) == ["order"]


# --- 5. training at least three days (第十七条) ---------------------------------

def test_three_day_training_passes():
    finding = check("training_3_days", training_start=D(2026, 7, 1), training_end=D(2026, 7, 3))
    assert finding.ok and "共 3 天" in finding.message


@pytest.mark.parametrize("end", [D(2026, 7, 1), D(2026, 7, 2)])
def test_short_training_fails_and_points_to_the_24_hour_alternative(end):
    finding = check("training_3_days", training_start=D(2026, 7, 1), training_end=end)
    assert not finding.ok
    assert "二十四个学时" in finding.message and "核对培训学时记录" in finding.message
    assert finding.source.endswith("第十七条")


# --- 6. branch meeting within one month of pre-review (第十九条) ----------------

@pytest.mark.parametrize(
    ("branch_meeting", "ok"), [(D(2026, 9, 30), True), (D(2026, 10, 1), False)]
)
def test_branch_meeting_within_one_month_of_pre_review(branch_meeting, ok):
    finding = check("branch_meeting_within_1_month", pre_review=D(2026, 8, 31), branch_meeting=branch_meeting)
    assert finding.ok is ok and not finding.warning
    assert finding.source.endswith("第十九条")


# --- 7. approval within three months, six in special cases (第二十五条) ---------

@pytest.mark.parametrize(
    ("approval", "ok", "warning"),
    [
        (D(2026, 4, 15), True, False),  # exactly three months
        (D(2026, 4, 16), True, True),
        (D(2026, 7, 15), True, True),  # exactly six months
        (D(2026, 7, 16), False, False),
    ],
)
def test_approval_deadline_bands(approval, ok, warning):
    finding = check("approval_within_3_months", branch_meeting=D(2026, 1, 15), approval=approval)
    assert (finding.ok, finding.warning) == (ok, warning)
    assert finding.source.endswith("第二十五条")


def test_extended_approval_asks_for_the_recorded_reason():
    finding = check("approval_within_3_months", branch_meeting=D(2026, 1, 15), approval=D(2026, 5, 1))
    assert "超过三个月（应不晚于 2026-04-15）" in finding.message
    assert "最迟不得晚于 2026-07-15" in finding.message and "记载" in finding.message


def test_approval_after_six_months_names_the_hard_limit():
    finding = check("approval_within_3_months", branch_meeting=D(2026, 1, 15), approval=D(2026, 8, 1))
    assert "超过六个月（最迟不得晚于 2026-07-15）" in finding.message


# --- 8. oath within one month, "一般" (第二十九条) --------------------------------

@pytest.mark.parametrize(
    ("oath", "warning"), [(D(2026, 5, 10), False), (D(2026, 5, 11), True), (D(2027, 4, 10), True)]
)
def test_late_oath_is_a_warning_not_a_failure(oath, warning):
    finding = check("oath_within_1_month", approval=D(2026, 4, 10), oath=oath)
    assert finding.ok and finding.warning is warning
    assert finding.source.endswith("第二十九条")


def test_late_oath_message_says_it_is_the_usual_limit():
    finding = check("oath_within_1_month", approval=D(2026, 4, 10), oath=D(2026, 6, 1))
    assert "超过一个月（一般应不晚于 2026-05-10）" in finding.message


# --- 9. one year of probation before the 转正 meeting (第三十一条) ---------------

@pytest.mark.parametrize(
    ("branch_meeting", "full_meeting", "ok"),
    [
        (D(2025, 9, 20), D(2026, 9, 20), True),
        (D(2025, 9, 20), D(2026, 9, 19), False),
        (D(2028, 2, 29), D(2029, 2, 28), True),
        (D(2028, 2, 29), D(2029, 2, 27), False),
    ],
)
def test_probation_of_one_year_from_the_branch_meeting(branch_meeting, full_meeting, ok):
    finding = check("probation_1_year", branch_meeting=branch_meeting, full_meeting=full_meeting)
    assert finding.ok is ok
    assert "第三十一条" in finding.source


# --- 10. 转正 approval within three months (第三十三条) ---------------------------

@pytest.mark.parametrize(
    ("full_approval", "ok"), [(D(2026, 12, 20), True), (D(2026, 12, 21), False)]
)
def test_full_approval_within_three_months(full_approval, ok):
    finding = check("full_approval_within_3_months", full_meeting=D(2026, 9, 20), full_approval=full_approval)
    assert finding.ok is ok and not finding.warning
    assert finding.source.endswith("第三十三条")


# --- 11. order of the steps ------------------------------------------------------

def test_reversed_pair_is_reported_by_both_chinese_names():
    finding = check("order.talk.activist", talk=D(2026, 3, 1), activist=D(2026, 2, 1))
    assert not finding.ok
    assert finding.message == "确定为入党积极分子（2026-02-01）早于党组织派人谈话（2026-03-01）；确定为入党积极分子不应早于党组织派人谈话"


def test_order_is_checked_across_missing_steps():
    assert rules(application=D(2026, 3, 1), activist=D(2026, 2, 1)) == ["order.application.activist"]


def test_same_day_rule_carries_across_a_missing_step():
    # publicity_end is missing, but it must fall on or after the start and before the listing.
    finding = check("order.publicity_start.development_object", publicity_start=D(2026, 6, 1), development_object=D(2026, 6, 1))
    assert not finding.ok


@pytest.mark.parametrize(
    ("earlier", "later"),
    [("application", "talk"), ("talk", "activist"), ("training_end", "pre_review"), ("approval", "oath"),
     ("full_meeting", "full_approval")],
)
def test_legitimate_same_day_pairs(earlier, later):
    day = D(2026, 6, 1)
    assert all(finding.ok for finding in check_development_timeline({earlier: day, later: day}))


def test_birth_must_precede_the_application():
    day = D(2026, 6, 1)
    assert not check("order.birth.application", birth=day, application=day).ok


def test_probation_meeting_before_the_admission_meeting_is_out_of_order():
    findings = check_development_timeline({"branch_meeting": D(2026, 9, 1), "full_meeting": D(2026, 8, 1)})
    assert [finding.rule for finding in findings] == ["order.branch_meeting.full_meeting"]
    assert "讨论转正的党支部党员大会（2026-08-01）早于接收预备党员的党支部党员大会（2026-09-01）" in findings[0].message


def test_a_reversed_pair_skips_its_gap_rule_instead_of_reporting_twice():
    assert rules(birth=D(2026, 6, 2), application=D(2026, 6, 1)) == ["order.birth.application"]
    assert rules(application=D(2026, 6, 2), talk=D(2026, 6, 1)) == ["order.application.talk"]


def test_one_out_of_place_date_gives_one_order_finding():
    record = dict(CLEAN, talk=D(2030, 1, 1))
    order = [finding for finding in check_development_timeline(record) if finding.rule.startswith("order")]
    assert [finding.rule for finding in order] == ["order.talk.activist"]


# --- whole record, missing dates, bad input --------------------------------------

def test_clean_record_passes_everything_in_step_order():
    findings = check_development_timeline(CLEAN)
    assert all(finding.ok and not finding.warning for finding in findings)
    assert [finding.rule for finding in findings] == [
        "age_18",
        "talk_within_1_month",
        PUBLICITY_RULE,
        "activist_1_year",
        "training_3_days",
        "branch_meeting_within_1_month",
        "approval_within_3_months",
        "oath_within_1_month",
        "probation_1_year",
        "full_approval_within_3_months",
        "order",
    ]
    assert only(findings, "order").message == "已填写的 15 个日期先后顺序正确"


def test_failures_are_listed_in_step_order():
    record = dict(CLEAN, talk=D(2024, 5, 1), full_approval=D(2027, 3, 1), publicity_end=D(2025, 6, 10))
    failing = [finding.rule for finding in check_development_timeline(record) if not finding.ok]
    assert failing == ["talk_within_1_month", PUBLICITY_RULE, "full_approval_within_3_months"]


@pytest.mark.parametrize(
    "record",
    [{}, {"birth": D(2000, 1, 1)}, {"oath": D(2026, 1, 1), "full_meeting": D(2026, 1, 1)}],
)
def test_missing_dates_skip_rules_rather_than_fail_them(record):
    assert check_development_timeline(record) == []


def test_each_rule_needs_both_of_its_dates():
    for key in CLEAN:
        partial = {k: v for k, v in CLEAN.items() if k != key}
        assert all(finding.ok for finding in check_development_timeline(partial))


@pytest.mark.parametrize(
    ("record", "key"),
    [
        ({"applicaton": D(2026, 1, 1)}, "applicaton"),
        ({"talk": "2026-01-01"}, "talk"),
        ({"oath": None}, "oath"),
        ({"approval": dt.datetime(2026, 1, 1, 9, 30)}, "approval"),
    ],
)
def test_bad_input_names_the_key(record, key):
    with pytest.raises(TimelineInputError) as raised:
        check_development_timeline({"birth": D(2000, 1, 1), **record})
    assert raised.value.key == key
    assert key in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_messages_are_chinese_and_sources_cite_the_2026_rules():
    findings = check_development_timeline(dict(CLEAN, oath=D(2026, 3, 1)))
    for finding in findings:
        assert finding.rule.isascii()
        assert any("\u4e00" <= char <= "\u9fff" for char in finding.message)
        assert "（2026年修订）" in finding.source or "流程图" in finding.source


def test_every_step_has_a_chinese_name_and_a_known_predecessor():
    keys = [step.key for step in STEPS]
    assert keys == list(CLEAN)
    for step in STEPS:
        assert step.follows is None or keys.index(step.follows) < keys.index(step.key)


# --- properties --------------------------------------------------------------------

def _days(low: int, high: int) -> st.SearchStrategy[dt.timedelta]:
    return st.integers(low, high).map(lambda n: dt.timedelta(days=n))


@st.composite
def valid_records(draw: st.DrawFn) -> dict[str, dt.date]:
    """A record meeting every rule with room to spare.

    28 days always fit in a calendar month, 89 in three months and 366 days make
    at least a year; 21 calendar days hold five working days even around 春节.
    """
    record = {"birth": draw(st.dates(D(1950, 1, 1), D(2010, 12, 31)))}
    record["application"] = record["birth"] + draw(_days(366 * 18, 366 * 40))
    chain = [
        ("talk", "application", 0, 28),
        ("activist", "talk", 0, 400),
        ("publicity_start", "activist", 366, 800),
        ("publicity_end", "publicity_start", 21, 40),
        ("development_object", "publicity_end", 1, 60),
        ("training_start", "development_object", 0, 60),
        ("training_end", "training_start", 2, 10),
        ("pre_review", "training_end", 0, 60),
        ("branch_meeting", "pre_review", 0, 28),
        ("approval", "branch_meeting", 0, 89),
        ("oath", "approval", 0, 28),
        ("full_meeting", "branch_meeting", 366, 500),
        ("full_approval", "full_meeting", 0, 89),
    ]
    for key, after, low, high in chain:
        record[key] = record[after] + draw(_days(low, high))
    kept = draw(st.sets(st.sampled_from(sorted(record))))
    return {key: day for key, day in record.items() if key in kept}


@given(valid_records())
def test_valid_records_pass_every_rule(record):
    for finding in check_development_timeline(record):
        assert finding.ok, finding.message
        assert not finding.warning or finding.rule == PUBLICITY_RULE


@given(valid_records(), st.integers(1, 400), st.data())
def test_moving_a_step_before_its_predecessor_is_always_caught(record, back, data):
    movable = [step for step in STEPS if step.key in record and step.follows in record]
    assume(movable)
    step = data.draw(st.sampled_from(movable))
    moved = dict(record, **{step.key: record[step.follows] - dt.timedelta(days=back)})
    assert any(not finding.ok and finding.rule.startswith("order.") for finding in check_development_timeline(moved))
