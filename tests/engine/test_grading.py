import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter

from helpers.content.schema import LETTERS, Question
from helpers.quiz import ResponseError, grade

SRC = "《中国共产党发展党员工作细则》（2026年修订）第七条"
Q = TypeAdapter(Question)


def make(**fields):
    return Q.validate_python({"id": "q", "stem": "题", "explanation": "因为……", "source": SRC, "difficulty": 1, **fields})


SINGLE = make(type="single", options=["半个月", "一个月", "三个月"], answer="B")
MULTI = make(type="multiple", options=["a", "b", "c", "d"], answer=["A", "C"])
PARTIAL = make(type="multiple", options=["a", "b", "c", "d"], answer=["A", "C"], scoring="partial")
JUDGE = make(type="judge", answer="错")
FILL = make(type="fill", answer=["一个月", "1个月"])
NUMERIC = make(type="numeric", answer=5, unit="个工作日")
ORDER = make(type="order", options=["乙", "甲", "丁", "丙"], answer=["B", "A", "D", "C"])
MATCH = make(type="match", answer={"支委会": "每月", "党员大会": "每季度"}, distractors=["每年"])


def test_single():
    assert grade(SINGLE, "B").correct
    wrong = grade(SINGLE, "A")
    assert (wrong.score, wrong.correct) == (0.0, False)
    assert wrong.feedback.startswith("回答错误")
    assert wrong.correct_answer == "B. 一个月"


def test_multiple_all_or_nothing_by_default():
    assert grade(MULTI, ["C", "A"]).score == 1.0
    assert grade(MULTI, "AC").correct
    assert grade(MULTI, ["A"]).score == 0.0


def test_multiple_partial_credit_never_rewards_a_wrong_choice():
    assert grade(PARTIAL, ["A"]).score == 0.5
    assert grade(PARTIAL, ["A", "B"]).score == 0.0
    assert "部分正确" in grade(PARTIAL, ["C"]).feedback


def test_judge_accepts_booleans():
    assert grade(JUDGE, "错").correct and grade(JUDGE, False).correct and not grade(JUDGE, "对").correct


@pytest.mark.parametrize("typed", ["一个月", " 1 个月。", "１个月", "1个月"])
def test_fill_normalises(typed):
    assert grade(FILL, typed).correct


def test_numeric_with_tolerance_and_full_width_digits():
    assert grade(NUMERIC, "５").correct and grade(NUMERIC, 5.0).correct
    assert not grade(NUMERIC, "6").correct
    assert grade(NUMERIC, "5").correct_answer == "5个工作日"
    with pytest.raises(ResponseError, match="数字"):
        grade(NUMERIC, "五")
    with pytest.raises(ResponseError):
        grade(NUMERIC, "nan")


def test_order_partial_credit_names_misplaced_steps():
    assert grade(ORDER, list("BADC")).correct
    moved = grade(ORDER, list("ADCB"))  # 甲 (B) moved from first to last
    assert moved.score == 0.75
    assert moved.misplaced == ("甲",)
    assert "甲" in moved.feedback
    with pytest.raises(ResponseError):
        grade(ORDER, list("BAD"))


def test_match_per_pair():
    assert grade(MATCH, {"支委会": "每月", "党员大会": "每季度"}).correct
    half = grade(MATCH, {"支委会": "每月", "党员大会": "每年"})
    assert half.score == 0.5 and half.misplaced == ("党员大会",)
    with pytest.raises(ResponseError, match="未配对"):
        grade(MATCH, {"支委会": "每月"})


@pytest.mark.parametrize("question, response", [(SINGLE, "Z"), (SINGLE, None), (MULTI, []), (JUDGE, "是"), (FILL, "  ")])
def test_incomplete_responses_are_refused(question, response):
    with pytest.raises(ResponseError):
        grade(question, response)


@st.composite
def order_case(draw):
    n = draw(st.integers(2, 26))
    answer = draw(st.permutations(LETTERS[:n]))
    response = draw(st.permutations(LETTERS[:n]))
    question = make(type="order", options=[f"步骤{i}" for i in range(n)], answer=list(answer))
    return question, list(response)


@given(order_case())
def test_order_score_properties(case):
    question, response = case
    result = grade(question, response)
    n = len(response)
    assert 0 < result.score <= 1.0
    assert result.correct == (response == list(question.answer))
    assert len(result.misplaced) == round(n * (1 - result.score))
    assert grade(question, list(question.answer)).score == 1.0


@given(st.sets(st.sampled_from("ABCD")))
def test_partial_multiple_score_bounds(chosen):
    if not chosen:
        return
    result = grade(PARTIAL, sorted(chosen))
    assert 0.0 <= result.score <= 1.0
    assert result.correct == (chosen == {"A", "C"})
    if chosen - {"A", "C"}:
        assert result.score == 0.0


@given(st.dictionaries(st.sampled_from(["支委会", "党员大会"]), st.sampled_from(["每月", "每季度", "每年"]), min_size=2))
def test_match_score_is_share_of_right_pairs(response):
    result = grade(MATCH, response)
    right = sum(response[k] == v for k, v in MATCH.answer.items())
    assert result.score == right / 2
