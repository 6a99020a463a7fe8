import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.report import ResponsesError, item_analysis, option_counts


def frame(rows):
    return pd.DataFrame(rows, columns=["trainee", "question", "score"])


def test_facility_and_discrimination_by_hand():
    # q1 separates strong from weak trainees; q3 everyone got right.
    rows = []
    marks = {"a": (1, 1, 1), "b": (1, 1, 1), "c": (0, 0, 1), "d": (0, 1, 1)}
    for trainee, scores in marks.items():
        rows += [(trainee, f"q{i + 1}", s) for i, s in enumerate(scores)]
    table = item_analysis(frame(rows))
    assert table.loc["q1", "facility"] == 50
    assert table.loc["q3", "facility"] == 100
    assert math.isnan(table.loc["q3", "discrimination"])
    rest = np.array([2, 2, 1, 2])  # q2 + q3 for a, b, c, d
    expected = np.corrcoef([1, 1, 0, 0], rest)[0, 1] * 100
    assert table.loc["q1", "discrimination"] == pytest.approx(expected)
    assert table.loc["q1", "responses"] == 4


def test_missing_answers_count_only_those_who_answered():
    table = item_analysis(frame([("a", "q1", 1), ("b", "q1", 0), ("a", "q2", 1)]))
    assert table.loc["q2", "responses"] == 1
    assert math.isnan(table.loc["q2", "discrimination"])


def test_bad_input():
    with pytest.raises(ResponsesError, match="缺少列"):
        item_analysis(pd.DataFrame({"trainee": [1]}))
    with pytest.raises(ResponsesError, match="0 到 1"):
        item_analysis(frame([("a", "q1", 2)]))
    assert item_analysis(frame([])).empty


def test_option_counts():
    assert option_counts(["A", ["A", "C"], None, "Z"], "ABC") == {"A": 2, "B": 0, "C": 1}


@given(st.lists(st.tuples(st.sampled_from("abcdef"), st.sampled_from(["q1", "q2", "q3"]),
                          st.sampled_from([0.0, 0.5, 1.0])), min_size=1, max_size=40))
def test_bounds(rows):
    df = frame(rows).drop_duplicates(["trainee", "question"])
    table = item_analysis(df)
    assert ((table["facility"] >= 0) & (table["facility"] <= 100)).all()
    d = table["discrimination"].dropna()
    assert ((d >= -100 - 1e-9) & (d <= 100 + 1e-9)).all()
