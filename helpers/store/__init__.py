"""Store layer: trainees, sessions, answers and audits in a SQL database."""

from .errors import (
    IdentityConflict,
    InvalidRecord,
    StoreError,
    StoreUnavailable,
    UnknownRecord,
)
from .location import database_url
from .records import AnswerRecord, AuditRecord, ModuleProgress, Session, Trainee
from .store import Store

__all__ = [
    "AnswerRecord",
    "AuditRecord",
    "IdentityConflict",
    "InvalidRecord",
    "ModuleProgress",
    "Session",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "Trainee",
    "UnknownRecord",
    "database_url",
]
