"""The meeting-record checker against 《支部工作条例》 and 《党员教育管理工作条例》.

Every period rule is tested with a compliant year, with one period missing, and
at the edge of ``today`` (the last day of a month is still open); every quorum
rule at exactly half and one either side.
"""
from __future__ import annotations

import datetime as dt

import pytest

from helpers.content.sources import citation_problem
from helpers.engine.findings import Finding
from helpers.engine.meetings import (
    HELD,
    MEETING_TYPES,
    MISSING,
    NO_RULE,
    NOT_DUE,
    MeetingInputError,
    audit_meetings,
    meeting_calendar,
)
from helpers.rules import audit_meetings as public_audit_meetings

D = dt.date
AFTER_2025 = D(2026, 1, 10)


def meeting(date: dt.date, kind: str, expected: int | None = None, present: int | None = None, topic: str = "") -> dict:
    row: dict = {"date": date, "type": kind}
    if expected is not None:
        row["expected"] = expected
    if present is not None:
        row["present"] = present
    if topic:
        row["topic"] = topic
    return row


def full_year(year: int = 2025, *, skip: tuple[tuple[str, int], ...] = ()) -> list[dict]:
    """Every rule met: monthly 支委会, 党小组会, 主题党日; a 党员大会 each quarter;
    组织生活会 and 民主评议 in December; a 党课 each quarter."""
    rows = []
    for month in range(1, 13):
        for kind in ("支委会", "党小组会", "主题党日"):
            if (kind, month) not in skip:
                rows.append(meeting(D(year, month, 5), kind, 5, 4))
        if month % 3 == 2 and ("党员大会", month) not in skip:
            rows.append(meeting(D(year, month, 12), "党员大会", 20, 15))
        if month % 3 == 0:
            rows.append(meeting(D(year, month, 20), "党课"))
    for kind in ("组织生活会", "民主评议"):
        if (kind, 12) not in skip:
            rows.append(meeting(D(year, 12, 18), kind))
    return rows


def only(findings: list[Finding], rule: str) -> Finding:
    matching = [f for f in findings if f.rule == rule]
    assert len(matching) == 1, [f.rule for f in findings]
    return matching[0]


def audit(rows, year=2025, today=AFTER_2025, **options) -> list[Finding]:
    return audit_meetings(rows, year, today=today, **options)


# --- a whole compliant year ------------------------------------------------------

def test_full_compliant_year_is_all_ticks():
    findings = audit(full_year())
    assert findings and all(f.symbol == "✓" for f in findings), [(f.rule, f.message) for f in findings if f.symbol != "✓"]


def test_findings_follow_the_meeting_types_and_cite_an_article():
    findings = audit(full_year())
    order = [kind.key for kind in MEETING_TYPES]
    keys = [f.rule.split(".")[0] for f in findings]
    assert keys == sorted(keys, key=order.index)
    assert {f.rule for f in findings} >= {f"{kind.key}.frequency" for kind in MEETING_TYPES if kind.frequency}
    for finding in findings:
        assert citation_problem(finding.source) is None, finding


def test_public_entry_point():
    assert public_audit_meetings is audit_meetings


# --- monthly rules ---------------------------------------------------------------

def test_missing_committee_month_is_a_warning_because_the_text_says_yiban():
    finding = only(audit(full_year(skip=(("支委会", 4), ("支委会", 9)))), "committee.frequency")
    assert finding.symbol == "⚠"
    assert "4月、9月没有记录" in finding.message and "一般每月召开1次" in finding.message
    assert finding.source.endswith("第十二条")


def test_missing_group_month_is_a_warning():
    finding = only(audit(full_year(skip=(("党小组会", 1),))), "group.frequency")
    assert finding.symbol == "⚠" and "1月没有记录" in finding.message
    assert finding.source.endswith("第十三条")


def test_missing_party_day_fails_because_the_text_says_yingdang():
    finding = only(audit(full_year(skip=(("主题党日", 7),))), "party_day.frequency")
    assert finding.symbol == "✗" and "7月没有记录" in finding.message
    assert finding.source == "《中国共产党党员教育管理工作条例》（2019年）第十六条"


def test_a_month_with_no_meeting_at_all_says_so_plainly():
    finding = only(audit([meeting(D(2025, 1, 5), "支委会")]), "party_day.frequency")
    assert "1月至12月都没有记录" in finding.message


def test_two_meetings_in_one_month_do_not_cover_the_next():
    rows = [r for r in full_year() if not (r["type"] == "支委会" and r["date"].month == 3)]
    rows.append(meeting(D(2025, 2, 25), "支委会"))
    assert "3月没有记录" in only(audit(rows), "committee.frequency").message


# --- quarterly and yearly rules --------------------------------------------------

def test_missing_quarter_of_general_meeting_is_a_warning():
    finding = only(audit(full_year(skip=(("党员大会", 5),))), "general_meeting.frequency")
    assert finding.symbol == "⚠" and "第二季度没有记录" in finding.message
    assert finding.source.endswith("第十一条")


def test_no_life_meeting_in_an_ended_year_fails():
    finding = only(audit(full_year(skip=(("组织生活会", 12),))), "life_meeting.frequency")
    assert finding.symbol == "✗" and "没有记录" in finding.message and "每年至少召开1次" in finding.message
    assert "第十七条" in finding.source


def test_life_meeting_outside_the_fourth_quarter_is_fine_but_noted():
    rows = full_year(skip=(("组织生活会", 12),)) + [meeting(D(2025, 6, 30), "组织生活会")]
    finding = only(audit(rows), "life_meeting.frequency")
    assert finding.symbol == "✓" and "没有安排在第四季度也不算违规" in finding.message


def test_no_appraisal_is_a_warning_because_the_text_says_yiban():
    finding = only(audit(full_year(skip=(("民主评议", 12),))), "appraisal.frequency")
    assert finding.symbol == "⚠" and "一般每年开展1次" in finding.message
    assert "结合组织生活会" in finding.message and "第十八条" in finding.source


def test_yearly_rules_still_open_are_a_reminder_not_a_failure():
    today = D(2025, 9, 15)
    rows = [r for r in full_year() if r["date"] < today and r["type"] not in ("组织生活会", "民主评议")]
    findings = audit(rows, today=today)
    for rule in ("life_meeting.frequency", "appraisal.frequency"):
        finding = only(findings, rule)
        assert finding.symbol == "⚠" and "尚未开展" in finding.message


def test_lectures_are_counted_never_failed():
    finding = only(audit([r for r in full_year() if r["type"] != "党课"]), "lecture.count")
    assert finding.symbol == "✓" and "记录 0 次" in finding.message and "没有规定" in finding.message


# --- today: periods still running are not judged ----------------------------------

def test_future_months_are_not_flagged_mid_year():
    today = D(2026, 5, 3)  # the May meetings (on the 5th) are still to come
    rows = [r for r in full_year(2026) if r["date"] < today]
    findings = audit(rows, 2026, today)
    for rule in ("committee.frequency", "group.frequency", "party_day.frequency", "general_meeting.frequency"):
        assert only(findings, rule).symbol == "✓"
    committee = only(findings, "committee.frequency").message
    assert "1月至4月每月都有记录" in committee and "5月尚未结束" in committee and "6月" not in committee


def test_last_day_of_month_is_still_open_and_the_next_day_is_not():
    rows = [meeting(D(2026, 1, 5), "主题党日")]
    assert only(audit(rows, 2026, D(2026, 2, 28)), "party_day.frequency").symbol == "✓"
    finding = only(audit(rows, 2026, D(2026, 3, 1)), "party_day.frequency")
    assert finding.symbol == "✗" and "2月没有记录" in finding.message


def test_quarter_is_judged_only_after_it_ends():
    rows = [meeting(D(2026, 2, 5), "党员大会")]
    assert only(audit(rows, 2026, D(2026, 6, 30)), "general_meeting.frequency").symbol == "✓"
    assert "第二季度没有记录" in only(audit(rows, 2026, D(2026, 7, 1)), "general_meeting.frequency").message


def test_first_month_of_the_year_judges_nothing_yet():
    finding = only(audit([], 2026, D(2026, 1, 20)), "committee.frequency")
    assert finding.symbol == "✓" and "还没有已结束的月份" in finding.message


def test_rows_dated_after_today_are_left_out_with_a_note():
    findings = audit([meeting(D(2026, 1, 5), "支委会"), meeting(D(2026, 8, 1), "支委会")], 2026, D(2026, 3, 1))
    note = only(findings, "data.future")
    assert note.symbol == "⚠" and "2026-08-01" in note.message
    assert findings[0] is note


# --- rows of other years ----------------------------------------------------------

def test_rows_of_other_years_are_ignored_and_reported_once():
    rows = full_year() + [meeting(D(2024, 12, 30), "支委会"), meeting(D(2026, 1, 2), "党课"), meeting(D(2024, 5, 1), "党课")]
    findings = audit(rows)
    note = only(findings, "data.other_year")
    assert note.symbol == "⚠" and "3 条记录不在 2025 年" in note.message and "2024年、2026年" in note.message
    assert "记录 4 次" in only(findings, "lecture.count").message
    assert all(f.symbol == "✓" for f in findings if f is not note)


# --- quorum ---------------------------------------------------------------------

def general(expected: int, present: int, topic: str = "") -> list[Finding]:
    return [f for f in audit([meeting(D(2025, 3, 3), "党员大会", expected, present, topic)]) if f.rule == "general_meeting.quorum"]


def test_general_meeting_more_than_half_passes():
    (finding,) = general(10, 6)
    assert finding.symbol == "✓" and "1 次到会人数达到有表决权的党员的半数以上" in finding.message


def test_general_meeting_exactly_half_may_meet_but_cannot_pass_anything():
    (finding,) = general(10, 5)
    assert finding.symbol == "⚠" and "恰好半数" in finding.message and "包括半数本身" in finding.message
    assert "不能通过决议" in finding.message and finding.source.endswith("第十一条")


def test_general_meeting_below_half_fails():
    (finding,) = general(10, 4)
    assert finding.symbol == "✗" and "不足半数" in finding.message


@pytest.mark.parametrize(("present", "symbol"), [(4, "✗"), (5, "✓")])
def test_half_of_an_odd_number_is_not_rounded(present, symbol):
    (finding,) = general(9, present)
    assert finding.symbol == symbol


@pytest.mark.parametrize("topic", ["讨论接收预备党员张三", "讨论发展对象李四"])
def test_accepting_probationers_needs_more_than_half(topic):
    (finding,) = general(10, 5, topic)
    assert finding.symbol == "✗" and "超过" in finding.message
    assert finding.source == "《中国共产党发展党员工作细则》（2026年修订）第十九条"
    assert general(10, 6, topic)[0].symbol == "✓"


@pytest.mark.parametrize(("present", "symbol"), [(1, "✗"), (2, "⚠"), (3, "✓")])
def test_committee_needs_half_of_its_members(present, symbol):
    findings = audit([meeting(D(2025, 3, 3), "支委会", 4, present)])
    (finding,) = [f for f in findings if f.rule == "committee.quorum"]
    assert finding.symbol == symbol and finding.source.endswith("第十二条")


def test_meetings_without_both_numbers_are_not_judged():
    rows = [meeting(D(2025, 3, 3), "党员大会", 10, None), meeting(D(2025, 6, 3), "党员大会"), meeting(D(2025, 9, 3), "党员大会", 10, 8)]
    (finding,) = [f for f in audit(rows) if f.rule == "general_meeting.quorum"]
    assert finding.symbol == "✓" and "1 次到会人数达到" in finding.message and "2 次没有填写应到、实到人数" in finding.message


def test_no_numbers_at_all_is_a_warning_that_nothing_was_checked():
    (finding,) = [f for f in audit([meeting(D(2025, 3, 3), "党员大会")]) if f.rule == "general_meeting.quorum"]
    assert finding.symbol == "⚠" and "未核对到会人数" in finding.message


def test_no_meetings_means_no_quorum_finding():
    assert not [f for f in audit([]) if f.rule.endswith(".quorum")]


# --- the branch's shape -------------------------------------------------------

def test_branch_without_committee_or_groups_is_not_asked_for_their_meetings():
    rows = [r for r in full_year() if r["type"] not in ("支委会", "党小组会")]
    findings = audit(rows, has_committee=False, has_groups=False)
    committee = only(findings, "committee.frequency")
    assert committee.symbol == "✓" and "未设支部委员会" in committee.message and committee.source.endswith("第二十条")
    assert only(findings, "group.frequency").symbol == "✓"
    assert all(f.symbol == "✓" for f in findings)


# --- input --------------------------------------------------------------------

def test_aliases_and_full_width_names_are_accepted():
    rows = [meeting(D(2025, 1, 5), "支部委员会会议"), meeting(D(2025, 2, 5), " 民主评议党员 "), meeting(D(2025, 3, 5), "党员大会")]
    findings = audit(rows)
    assert "1月没有记录" not in only(findings, "committee.frequency").message
    assert only(findings, "appraisal.frequency").symbol == "✓"


def test_unknown_type_names_the_row_and_the_choices():
    with pytest.raises(MeetingInputError) as error:
        audit([meeting(D(2025, 1, 5), "支委会"), meeting(D(2025, 1, 6), "支部会")])
    message = str(error.value)
    assert "第 2 条记录" in message and "未知的会议类型“支部会”" in message and "主题党日" in message


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"type": "支委会"}, "“date”（日期）不能为空"),
        ({"date": D(2025, 1, 1), "type": ""}, "“type”（会议类型）不能为空"),
        ({"date": "2025-01-01", "type": "支委会"}, "应为日期"),
        ({"date": D(2025, 1, 1), "type": "支委会", "expected": -1}, "人数不能为负数"),
        ({"date": D(2025, 1, 1), "type": "支委会", "expected": True}, "应为整数"),
        ({"date": D(2025, 1, 1), "type": "支委会", "expected": 2.5}, "应为整数"),
        ({"date": D(2025, 1, 1), "type": "支委会", "expected": 0}, "应到人数须大于 0"),
        ({"date": D(2025, 1, 1), "type": "支委会", "expected": 5, "present": 6}, "实到人数 6 大于应到人数 5"),
        ({"date": D(2025, 1, 1), "type": "支委会", "presnt": 6}, "未知的字段 presnt"),
        ({"date": D(2025, 1, 1), "type": "支委会", "topic": 5}, "应为文字"),
    ],
)
def test_bad_rows_are_refused_with_the_field(row, expected):
    with pytest.raises(MeetingInputError) as error:
        audit([row])
    assert "第 1 条记录" in str(error.value) and expected in str(error.value)


def test_every_bad_row_is_reported_at_once_up_to_twenty():
    with pytest.raises(MeetingInputError) as error:
        audit([{"date": D(2025, 1, 1), "type": "x"}] * 25)
    message = str(error.value)
    assert "发现 25 处问题" in message and "第 20 条记录" in message and "第 21 条记录" not in message
    assert "另有 5 处问题未列出" in message


def test_year_and_today_are_checked():
    with pytest.raises(MeetingInputError, match="年份"):
        audit_meetings([], "2025")
    with pytest.raises(MeetingInputError, match="today"):
        audit_meetings([], 2025, today=dt.datetime(2026, 1, 1))


class FakeFrame:
    """Duck-types a pandas DataFrame, with its NaN for a blank cell and a
    Timestamp-like datetime, so the test needs no pandas."""

    columns = ("date", "type", "expected", "present", "topic")

    def to_dict(self, orient: str) -> list[dict]:
        assert orient == "records"
        return [
            {"date": dt.datetime(2025, 3, 3, 9, 30), "type": "党员大会", "expected": 10.0, "present": 4.0, "topic": float("nan")},
            {"date": dt.datetime(2025, 6, 3), "type": "党员大会", "expected": float("nan"), "present": float("nan"), "topic": "学习"},
        ]


def test_a_dataframe_is_accepted_by_its_shape():
    findings = audit(FakeFrame())
    quorum = [f for f in findings if f.rule == "general_meeting.quorum"]
    assert [f.symbol for f in quorum] == ["✗", "⚠"]
    assert "1 次没有填写" in quorum[1].message


def test_default_today_is_the_real_today():
    year = dt.date.today().year + 1
    finding = only(audit_meetings([], year), "committee.frequency")
    assert "还没有已结束的月份" in finding.message


# --- calendar -------------------------------------------------------------------

def test_calendar_counts_and_marks_missing_months():
    rows = full_year(2026, skip=(("支委会", 2), ("党员大会", 5))) + [meeting(D(2026, 3, 9), "支委会")]
    rows = [r for r in rows if r["date"] < D(2026, 8, 15)]
    calendar = {row.type: row for row in meeting_calendar(rows, 2026, today=D(2026, 8, 15))}
    committee = calendar["支委会"]
    assert committee.counts[:3] == (1, 0, 2) and committee.status[1] == MISSING and not committee.binding
    assert committee.status[7] == HELD and committee.status[8] == NOT_DUE and committee.status[11] == NOT_DUE
    assert calendar["主题党日"].binding and calendar["主题党日"].status[0] == HELD
    assert calendar["党员大会"].status[3:6] == (MISSING, MISSING, MISSING)
    assert calendar["党员大会"].status[0] == NO_RULE  # quarter met in February
    assert calendar["党课"].status[0] == NO_RULE and calendar["党课"].status[2] == HELD
    assert list(calendar) == [kind.name for kind in MEETING_TYPES]


def test_calendar_leaves_rules_the_branch_does_not_have():
    calendar = {row.type: row for row in meeting_calendar([], 2025, today=AFTER_2025, has_committee=False)}
    assert set(calendar["支委会"].status) == {NO_RULE}
    assert set(calendar["党小组会"].status) == {MISSING}


def test_a_real_dataframe_with_gaps():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({
        "date": pd.to_datetime(["2025-03-03", "2025-06-03", None]),
        "type": ["党员大会", "党员大会", "党课"],
        "expected": [10, None, None],
        "present": [6, None, None],
        "topic": ["学习", None, None],
    })
    with pytest.raises(MeetingInputError, match="第 3 条记录"):
        audit(frame)
    findings = audit(frame.iloc[:2])
    (quorum,) = [f for f in findings if f.rule == "general_meeting.quorum"]
    assert quorum.symbol == "✓" and "1 次到会人数达到" in quorum.message and "1 次没有填写" in quorum.message


def test_pandas_na_counts_as_blank():
    pd = pytest.importorskip("pandas")
    (quorum,) = [f for f in audit([meeting(D(2025, 3, 3), "党员大会") | {"expected": pd.NA, "topic": pd.NA}])
                 if f.rule == "general_meeting.quorum"]
    assert "未核对到会人数" in quorum.message
