"""The tables as the store queries them.

This mirrors what the Alembic migrations build; a test compares the two, so a
column added here without a migration (or the other way round) fails CI rather
than a trainee's page.  Timestamps are always UTC and always timezone-aware in
Python, whatever the backend stores, so SQLite and PostgreSQL behave the same.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

KEY_MAX = 100
TOKEN_MAX = 64
CLASS_NAME_MAX = 100
SETTING_KEY_MAX = 200
ROSTER_TEXT_MAX = 100


class UtcDateTime(TypeDecorator[datetime]):
    """A ``DateTime`` that stores UTC and always reads back timezone-aware UTC.

    SQLite keeps no zone, so values are converted to UTC on the way in and
    labelled UTC on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


metadata = MetaData()

trainees = Table(
    "trainees",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(30), nullable=False),
    Column("number", String(32), nullable=False),
    Column("class_code", String(32), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("class_code", "number", name="uq_trainees_class_code_number"),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token", String(TOKEN_MAX), primary_key=True),
    Column("trainee_id", Integer, ForeignKey("trainees.id"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_seen", UtcDateTime, nullable=False),
)

attempts = Table(
    "attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("trainee_id", Integer, ForeignKey("trainees.id"), nullable=False),
    Column("module", String(KEY_MAX), nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime, nullable=True),
    Column("score", Float, nullable=True),
    Index("ix_attempts_trainee_id_module", "trainee_id", "module"),
)

answers = Table(
    "answers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("trainee_id", Integer, ForeignKey("trainees.id"), nullable=False),
    Column("attempt_id", Integer, ForeignKey("attempts.id"), nullable=True),
    Column("module", String(KEY_MAX), nullable=False),
    Column("question_id", String(KEY_MAX), nullable=False),
    Column("response", Text, nullable=False),
    Column("score", Float, nullable=False),
    Column("correct", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_answers_trainee_id_module_question_id", "trainee_id", "module", "question_id"),
)

audits = Table(
    "audits",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("trainee_id", Integer, ForeignKey("trainees.id"), nullable=False),
    Column("checklist_id", String(KEY_MAX), nullable=False),
    Column("module", String(KEY_MAX), nullable=False),
    Column("answers", Text, nullable=False),
    Column("total", Float, nullable=False),
    Column("rating", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_audits_trainee_id_checklist_id", "trainee_id", "checklist_id"),
)

classes = Table(
    "classes",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("name", String(CLASS_NAME_MAX), nullable=False),
    Column("starts_on", Date, nullable=True),
    Column("ends_on", Date, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
)

roster = Table(
    "roster",
    metadata,
    Column("class_code", String(32), ForeignKey("classes.code"), primary_key=True),
    Column("number", String(32), primary_key=True),
    Column("name", String(30), nullable=False),
    Column("unit", String(ROSTER_TEXT_MAX), nullable=False),
    Column("position", String(ROSTER_TEXT_MAX), nullable=False),
)

exams = Table(
    "exams",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("trainee_id", Integer, ForeignKey("trainees.id"), nullable=False),
    Column("blueprint_id", String(KEY_MAX), nullable=False),
    Column("seed", BigInteger, nullable=False),
    Column("paper", Text, nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("deadline", UtcDateTime, nullable=False),
    Column("submitted_at", UtcDateTime, nullable=True),
    Column("score", Float, nullable=True),
    Column("passed", Boolean, nullable=True),
    Index("ix_exams_trainee_id_blueprint_id", "trainee_id", "blueprint_id"),
    Index("ix_exams_blueprint_id", "blueprint_id"),
)

exam_responses = Table(
    "exam_responses",
    metadata,
    Column("exam_id", Integer, ForeignKey("exams.id"), primary_key=True),
    Column("question_id", String(KEY_MAX), primary_key=True),
    Column("response", Text, nullable=True),
    Column("score", Float, nullable=True),
    Column("correct", Boolean, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
)

settings = Table(
    "settings",
    metadata,
    Column("key", String(SETTING_KEY_MAX), primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

failures = Table(
    "failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("scope", String(KEY_MAX), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_failures_scope_created_at", "scope", "created_at"),
)
