"""Public entry point for regulation rules applied to a trainee's own data."""
from helpers.engine.dues import DuesInputError, DuesRangeOnlyError, dues_explanation, party_dues
from helpers.engine.findings import Finding
from helpers.engine.meeting_log_file import MeetingLogError, parse_meeting_log
from helpers.engine.meetings import MeetingInputError, audit_meetings
from helpers.engine.timeline import TimelineInputError, check_development_timeline

__all__ = [
    "DuesInputError",
    "DuesRangeOnlyError",
    "Finding",
    "MeetingInputError",
    "MeetingLogError",
    "TimelineInputError",
    "audit_meetings",
    "check_development_timeline",
    "dues_explanation",
    "parse_meeting_log",
    "party_dues",
]
