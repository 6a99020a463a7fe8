"""Store layer: trainees, sessions, answers, audits, classes, exams and settings in a SQL database."""

from .errors import (
    ClassError,
    ExamClosed,
    IdentityConflict,
    InvalidRecord,
    StoreError,
    StoreUnavailable,
    UnknownRecord,
)
from .location import database_url
from .records import (
    AnswerRecord,
    AuditRecord,
    ClassInfo,
    ExamRecord,
    ModuleProgress,
    ResponseRow,
    Session,
    Trainee,
)
from .store import Store

__all__ = [
    "AnswerRecord",
    "AuditRecord",
    "ClassError",
    "ClassInfo",
    "ExamClosed",
    "ExamRecord",
    "IdentityConflict",
    "InvalidRecord",
    "ModuleProgress",
    "ResponseRow",
    "Session",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "Trainee",
    "UnknownRecord",
    "database_url",
]
