"""What the store hands back: plain frozen dataclasses, detached from the database.

The UI keeps these in widget state for the life of a page, so they carry no
connection, session or lazy attribute that could touch the database later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from helpers.engine.review import PastAnswer


@dataclass(frozen=True)
class Trainee:
    """A signed-in trainee; ``class_code`` is ``""`` for self-study (自学)."""

    id: int
    name: str
    number: str
    class_code: str


@dataclass(frozen=True)
class Session:
    """A sign-in: the random ``token`` the page keeps to find the trainee again."""

    token: str
    trainee: Trainee


@dataclass(frozen=True)
class AnswerRecord:
    """One stored answer; ``response`` is decoded from JSON (tuples come back as lists)."""

    question_id: str
    response: Any
    score: float
    correct: bool
    created_at: datetime


@dataclass(frozen=True)
class AuditRecord:
    """One filled-in self-audit checklist with its scored result."""

    id: int
    checklist_id: str
    module: str
    answers: dict[str, str]
    total: float
    rating: str
    created_at: datetime


@dataclass(frozen=True)
class ModuleProgress:
    """How far a trainee has got in one module, for the progress overview.

    ``correct`` counts questions whose *latest* answer is correct, so a wrong
    retry after a right answer counts against the trainee, as it would in class.
    ``best_score`` is the best finished attempt, which is what the instructor's
    roster shows.
    """

    answered: int
    correct: int
    last_score: float | None
    audit_total: float | None
    audit_rating: str | None
    best_score: float | None = None


@dataclass(frozen=True)
class ClassInfo:
    """A training class (班级); ``trainee_count`` counts everyone on its roster or signed in to it."""

    code: str
    name: str
    starts_on: date | None
    ends_on: date | None
    trainee_count: int


@dataclass(frozen=True)
class ResponseRow(PastAnswer):
    """One trainee's latest answer to one question, as the class dashboard analyses it."""

    trainee_id: int


@dataclass(frozen=True)
class ExamRecord:
    """One attempt at an exam: the drawn paper, its deadline and, once handed in, the result.

    ``seed`` and ``paper`` are kept so that reopening the page shows the same
    questions in the same option order; ``score`` and ``passed`` stay ``None``
    until the attempt is submitted.
    """

    id: int
    trainee_id: int
    blueprint_id: str
    seed: int
    paper: list[str]
    started_at: datetime
    deadline: datetime
    submitted_at: datetime | None
    score: float | None
    passed: bool | None
