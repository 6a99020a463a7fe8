"""Problems found in bank files, reported the way nbgrader's validator does: one
line per problem naming the file, line, item and field, so an author can fix the
YAML without reading Python."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a bank file."""

    file: Path
    line: int | None
    item_id: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        line = f"{self.line}" if self.line is not None else "?"
        return f"{self.file}:{line}: {self.item_id or '-'}: {self.field or '-'}: {self.message}"


class BankError(ValueError):
    """A bank file (or one item in it) could not be used."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
