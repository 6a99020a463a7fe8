"""Item analysis of a class's answers, as Moodle's quiz statistics define it.

Instructor-only: pandas is imported here and never by a trainee's page.

- facility = mean score on the item × 100 (how easy it was for this class);
- discrimination = Pearson correlation between the score on the item and the
  trainee's total on the *other* items, × 100 (do the trainees who know the
  rest also get this one right?).  Excluding the item itself from the total
  keeps it from correlating with itself.  NaN where the correlation is
  undefined: everyone scored the same on the item, or on the rest.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import pandas as pd

REQUIRED_COLUMNS = ("trainee", "question", "score")


class ResponsesError(ValueError):
    """The responses table lacks a column or holds a score outside 0–1."""


def _checked(responses: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in REQUIRED_COLUMNS if c not in responses.columns]
    if missing:
        raise ResponsesError(f"作答数据缺少列：{'、'.join(missing)}")
    scores = pd.to_numeric(responses["score"], errors="coerce")
    if scores.isna().any() or ((scores < 0) | (scores > 1)).any():
        raise ResponsesError("score 列须是 0 到 1 之间的数")
    return responses.assign(score=scores)


def item_analysis(responses: pd.DataFrame) -> pd.DataFrame:
    """One row per question: ``facility``, ``discrimination`` and ``responses`` (count)."""
    responses = _checked(responses)
    columns = ["facility", "discrimination", "responses"]
    if responses.empty:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="question"), dtype=float)
    grid = responses.pivot_table(index="trainee", columns="question", values="score", aggfunc="mean")
    totals = grid.sum(axis=1, min_count=1)
    rows = {}
    for question in grid.columns:
        item = grid[question]
        answered = item.notna()
        rest = (totals - item.fillna(0))[answered]
        rows[question] = {
            "facility": item.mean() * 100,
            "discrimination": _pearson(item[answered], rest) * 100,
            "responses": int(answered.sum()),
        }
    table = pd.DataFrame.from_dict(rows, orient="index", columns=columns)
    table.index.name = "question"
    table["responses"] = table["responses"].astype(int)
    return table


def _pearson(a: pd.Series, b: pd.Series) -> float:
    if len(a) < 2 or a.std(ddof=0) == 0 or b.std(ddof=0) == 0:
        return float("nan")
    return float(a.corr(b))


def option_counts(choices: Iterable[Any], letters: str) -> dict[str, int]:
    """How often each option was chosen (a multiple-choice answer counts once per letter)."""
    counts: Counter[str] = Counter()
    for choice in choices:
        picked = [choice] if isinstance(choice, str) else list(choice or [])
        counts.update(letter for letter in picked if letter in letters)
    return {letter: counts.get(letter, 0) for letter in letters}
