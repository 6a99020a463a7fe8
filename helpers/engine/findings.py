"""The common shape of what a regulation rule reports."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """One rule checked against a trainee's data.

    ``ok`` says whether the rule is met.  ``warning`` marks a finding that is met
    but needs attention (for example an approval that took longer than three
    months but not six, which is allowed only for recorded special reasons), so
    the page can show ✓, ⚠ or ✗ without reading the message text.
    """

    rule: str
    ok: bool
    message: str
    source: str
    warning: bool = False

    @property
    def symbol(self) -> str:
        if not self.ok:
            return "✗"
        return "⚠" if self.warning else "✓"
