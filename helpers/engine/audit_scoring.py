"""Scoring a checklist self-audit the way party schools score 考评细则.

Each item is answered 达标 (full points), 部分达标 (half), 未达标 (none) or
不适用 (left out).  Leaving items out must not punish a branch for work it does
not have, so the total is rescaled over the applicable points to 0–100.  A
failed veto item (一票否决) gives the lowest band whatever the score: that is
what a veto means.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from helpers.content.schema import Checklist, ChecklistItem

ANSWERS: dict[str, float | None] = {"达标": 1.0, "部分达标": 0.5, "未达标": 0.0, "不适用": None}


class AuditInputError(ValueError):
    """The answers do not fit the checklist (unknown item or value, items left blank)."""


@dataclass(frozen=True)
class Gap:
    """An item that lost points, with what to do about it."""

    item: ChecklistItem
    answer: str
    lost: float

    @property
    def fix(self) -> str:
        return self.item.fix

    @property
    def source(self) -> str:
        return self.item.source


@dataclass(frozen=True)
class AuditResult:
    total: float
    rating: str
    by_dimension: dict[str, float]
    gaps: list[Gap]
    vetoed: list[ChecklistItem]


def _check(checklist: Checklist, answers: Mapping[str, str]) -> None:
    known = {item.id for item in checklist.items}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise AuditInputError(f"清单中没有这些项：{'、'.join(unknown)}")
    bad = sorted(item for item, value in answers.items() if value not in ANSWERS)
    if bad:
        raise AuditInputError(f"这些项的作答不是 达标/部分达标/未达标/不适用 之一：{'、'.join(bad)}")
    missing = [item.id for item in checklist.items if item.id not in answers]
    if missing:
        raise AuditInputError(f"还有 {len(missing)} 项未作答：{'、'.join(missing)}")


def _percent(items: list[ChecklistItem], answers: Mapping[str, str]) -> float | None:
    applicable = [item for item in items if ANSWERS[answers[item.id]] is not None]
    possible = sum(item.points for item in applicable)
    if possible == 0:
        return None
    earned = sum(item.points * ANSWERS[answers[item.id]] for item in applicable)
    return round(100 * earned / possible, 1)


def rating_for(checklist: Checklist, total: float, vetoed: bool) -> str:
    if vetoed:
        return checklist.lowest_band
    for band in sorted(checklist.bands, key=lambda b: b.min, reverse=True):
        if total >= band.min:
            return band.name
    return checklist.lowest_band


def score(checklist: Checklist, answers: Mapping[str, str]) -> AuditResult:
    """Score a complete set of answers; raises :class:`AuditInputError` otherwise."""
    _check(checklist, answers)
    total = _percent(checklist.items, answers)
    if total is None:
        raise AuditInputError("所有项都选了“不适用”，无法评分。")
    by_dimension = {
        dimension.title: value
        for dimension in checklist.dimensions
        if (value := _percent(list(dimension.items), answers)) is not None
    }
    gaps = [
        Gap(item, answers[item.id], item.points * (1 - ANSWERS[answers[item.id]]))
        for item in checklist.items
        if ANSWERS[answers[item.id]] is not None and ANSWERS[answers[item.id]] < 1
    ]
    gaps.sort(key=lambda gap: (-gap.lost, not gap.item.veto))
    vetoed = [item for item in checklist.items if item.veto and answers[item.id] == "未达标"]
    return AuditResult(total, rating_for(checklist, total, bool(vetoed)), by_dimension, gaps, vetoed)
