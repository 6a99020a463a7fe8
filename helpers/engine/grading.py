"""Grading a response to a question: pure functions, so they run in the kernel
(the answer key never leaves it) and are tested without one.

Rules, per type:

- ``single``, ``judge``: right or wrong.
- ``multiple``: all-or-nothing by default.  With ``scoring: partial`` any wrong
  choice gives 0, otherwise the share of right choices picked (guessing
  everything never pays).
- ``fill``: right when the normalised text (widths folded, spaces and edge
  punctuation dropped) equals one accepted answer.
- ``numeric``: right when within ``tolerance`` of the answer.
- ``order``: partial credit = the longest run of items already in the right
  relative order (a longest common subsequence) over the number of items; the
  other items are reported as misplaced.  Moving one step to the wrong end of a
  25-step list costs one step, not the whole list.
- ``match``: the share of pairs matched correctly.
"""
from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from helpers.content.schema import LETTERS
from helpers.content.text import normalize_answer


class ResponseError(ValueError):
    """The response cannot be graded (for example text where a number is due);
    the page shows the message and stores nothing."""


@dataclass(frozen=True)
class GradeResult:
    score: float
    correct: bool
    feedback: str
    correct_answer: str
    misplaced: tuple[str, ...] = ()


def _verdict(score: float) -> str:
    if score >= 1.0:
        return "回答正确。"
    if score > 0:
        return f"部分正确，得 {round(score * 100)}% 。"
    return "回答错误。"


def _result(score: float, correct_answer: str, detail: str = "", misplaced: tuple[str, ...] = ()) -> GradeResult:
    score = max(0.0, min(1.0, score))
    feedback = _verdict(score) + (detail if score < 1.0 else "")
    return GradeResult(score, score >= 1.0, feedback, correct_answer, misplaced)


def _letters(response: Any, question: Any) -> list[str]:
    raw = [response] if isinstance(response, str) else list(response or [])
    letters = [str(x).strip().upper() for x in raw]
    letters = [c for x in letters for c in x] if len(letters) == 1 else letters
    allowed = question.option_letters()
    if any(x not in allowed for x in letters):
        raise ResponseError("请从给出的选项中选择。")
    return letters


def _labelled(question: Any, letters: Iterable[str]) -> str:
    return "；".join(f"{x}. {question.options[LETTERS.index(x)]}" for x in letters)


def _grade_single(question: Any, response: Any) -> GradeResult:
    letters = _letters(response, question)
    if len(letters) != 1:
        raise ResponseError("请选择一个选项。")
    return _result(float(letters[0] == question.answer), _labelled(question, question.answer))


def _grade_multiple(question: Any, response: Any) -> GradeResult:
    chosen = set(_letters(response, question))
    if not chosen:
        raise ResponseError("请至少选择一个选项。")
    right = set(question.answer)
    if question.scoring == "partial":
        score = 0.0 if chosen - right else len(chosen & right) / len(right)
    else:
        score = float(chosen == right)
    return _result(score, _labelled(question, sorted(right)))


def _grade_judge(question: Any, response: Any) -> GradeResult:
    value = {True: "对", False: "错"}.get(response, response) if isinstance(response, bool) else response
    if value not in ("对", "错"):
        raise ResponseError("请选择“对”或“错”。")
    return _result(float(value == question.answer), question.answer)


def _grade_fill(question: Any, response: Any) -> GradeResult:
    if not isinstance(response, str) or not normalize_answer(response):
        raise ResponseError("请先填写答案。")
    accepted = {normalize_answer(a) for a in question.answer}
    return _result(float(normalize_answer(response) in accepted), question.answer[0])


def _number(response: Any) -> float:
    if isinstance(response, bool):
        raise ResponseError("请输入一个数字。")
    if isinstance(response, (int, float)):
        value = float(response)
    else:
        text = unicodedata.normalize("NFKC", str(response)).strip().replace(",", "")
        try:
            value = float(text)
        except ValueError:
            raise ResponseError("请输入一个数字（阿拉伯数字，如 5）。") from None
    if not math.isfinite(value):
        raise ResponseError("请输入一个有限的数字。")
    return value


def _format_number(question: Any) -> str:
    value = int(question.answer) if float(question.answer).is_integer() else question.answer
    return f"{value}{question.unit}"


def _grade_numeric(question: Any, response: Any) -> GradeResult:
    value = _number(response)
    return _result(float(abs(value - question.answer) <= question.tolerance + 1e-9), _format_number(question))


def _kept_in_order(ranks: list[int]) -> set[int]:
    """The ranks forming one longest increasing subsequence (O(n²): n ≤ 26)."""
    best: list[list[int]] = []
    for rank in ranks:
        candidates = [seq for seq in best if seq[-1] < rank]
        longest = max(candidates, key=len, default=[])
        best.append(longest + [rank])
    return set(max(best, key=len, default=[]))


def _grade_order(question: Any, response: Any) -> GradeResult:
    letters = _letters(response, question)
    if sorted(letters) != sorted(question.option_letters()):
        raise ResponseError("请把全部步骤都排进顺序里，每项一次。")
    rank = {letter: i for i, letter in enumerate(question.answer)}
    ranks = [rank[x] for x in letters]
    kept = _kept_in_order(ranks)
    misplaced = tuple(question.options[LETTERS.index(x)] for x in letters if rank[x] not in kept)
    detail = f"位置不对的步骤：{'、'.join(misplaced)}。" if misplaced else ""
    correct = " → ".join(question.options[LETTERS.index(x)] for x in question.answer)
    return _result(len(kept) / len(ranks), correct, detail, misplaced)


def _grade_match(question: Any, response: Any) -> GradeResult:
    if not isinstance(response, Mapping):
        raise ResponseError("请为每一项选择对应内容。")
    wrong = [left for left, right in question.answer.items() if response.get(left) != right]
    if any(not response.get(left) for left in question.answer):
        raise ResponseError("还有未配对的项，请全部配好再提交。")
    detail = f"配错的项：{'、'.join(wrong)}。" if wrong else ""
    correct = "；".join(f"{left} → {right}" for left, right in question.answer.items())
    return _result(1 - len(wrong) / len(question.answer), correct, detail, tuple(wrong))


_GRADERS = {
    "single": _grade_single,
    "multiple": _grade_multiple,
    "judge": _grade_judge,
    "fill": _grade_fill,
    "numeric": _grade_numeric,
    "order": _grade_order,
    "match": _grade_match,
}


def grade(question: Any, response: Any) -> GradeResult:
    """Grade ``response`` to ``question``; raises :class:`ResponseError` when the
    response is incomplete or of the wrong kind (nothing to store then)."""
    return _GRADERS[question.type](question, response)
