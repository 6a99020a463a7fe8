"""Errors raised while building a printable report.

They are :class:`ValueError` subclasses with Chinese messages, so a page can
show ``str(error)`` to a trainee or an instructor as it is.
"""
from __future__ import annotations

from collections.abc import Sequence


class ReportInputError(ValueError):
    """What the caller handed over cannot make a sensible document (blank name, empty class…)."""


class NotCompleted(ReportInputError):
    """A completion certificate was asked for before every module quiz was passed.

    ``missing`` holds the titles of the modules still to pass, in course order,
    so the page can tell the trainee exactly what is left.
    """

    def __init__(self, missing: Sequence[str], pass_mark: float) -> None:
        self.missing = list(missing)
        self.pass_mark = pass_mark
        shown = "、".join(self.missing[:5]) + ("等" if len(self.missing) > 5 else "")
        super().__init__(
            f"还有 {len(self.missing)} 个模块的测验未达到 {pass_mark:g} 分：{shown}。全部通过后才能打印结业证明。"
        )
