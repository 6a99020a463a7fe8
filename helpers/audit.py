"""Public entry point for checklist self-audits.

``load_checklist(path)`` reads one checklist file strictly (a broken file
raises :class:`~helpers.content.errors.BankError` naming file, line, item and
field); ``score(checklist, answers)`` scores it.
"""
from __future__ import annotations

from pathlib import Path

from helpers.content.loader import load_checklist_file
from helpers.content.schema import Checklist
from helpers.engine.audit_scoring import ANSWERS, AuditInputError, AuditResult, Gap, score


def load_checklist(path: str | Path) -> Checklist:
    return load_checklist_file(Path(path))


__all__ = ["ANSWERS", "AuditInputError", "AuditResult", "Gap", "load_checklist", "score"]
