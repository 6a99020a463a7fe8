"""One input widget per question type.

Each input shows only what the trainee may see before she answers: option
texts in the bank's order (ordering questions are authored out of order) and,
for matching, the right-hand texts shuffled.  Nothing here knows the answer.
Every input offers ``response()`` (what ``grade`` takes), ``show(response)``
to restore a stored answer, and ``lock()``.
"""
from __future__ import annotations

import random
from typing import Any

import ipywidgets as w

from helpers.content.schema import LETTERS
from helpers.ui.html import notice, paragraph

_FULL = w.Layout(width="100%")
_PLACEHOLDER = "（请选择）"
# A fill-in answer is a word or a phrase, a numeric one a number: this leaves
# room for a sentence and bounds what one answer can put in the database.
ANSWER_MAX = 200


def _label(question: Any, index: int) -> str:
    return f"{LETTERS[index]}. {question.options[index]}"


class _Input:
    widget: w.Widget

    def response(self) -> Any:
        raise NotImplementedError

    def show(self, response: Any) -> None:
        raise NotImplementedError

    def lock(self, locked: bool = True) -> None:
        for child in self._controls():
            child.disabled = locked

    def _controls(self) -> list[w.Widget]:
        return [self.widget]


class SingleInput(_Input):
    def __init__(self, question: Any):
        self._letters = question.option_letters()
        self.widget = w.RadioButtons(
            options=[(_label(question, i), letter) for i, letter in enumerate(self._letters)],
            value=None, layout=_FULL,
        )

    def response(self) -> Any:
        return self.widget.value

    def show(self, response: Any) -> None:
        self.widget.value = response if response in self._letters else None


class MultipleInput(_Input):
    def __init__(self, question: Any):
        self._boxes = {
            letter: w.Checkbox(description=_label(question, i), value=False, indent=False, layout=_FULL)
            for i, letter in enumerate(question.option_letters())
        }
        self.widget = w.VBox(list(self._boxes.values()))

    def response(self) -> Any:
        return [letter for letter, box in self._boxes.items() if box.value]

    def show(self, response: Any) -> None:
        for letter, box in self._boxes.items():
            box.value = letter in (response or [])

    def _controls(self) -> list[w.Widget]:
        return list(self._boxes.values())


class JudgeInput(_Input):
    def __init__(self, question: Any):
        self.widget = w.ToggleButtons(options=["对", "错"], value=None, style={"button_width": "6em"})

    def response(self) -> Any:
        return self.widget.value

    def show(self, response: Any) -> None:
        self.widget.value = response if response in ("对", "错") else None


class TextInput(_Input):
    """Fill-in and numeric questions: typed text, graded in the kernel.

    The browser sends whatever is typed or pasted, and ipywidgets' Text has no
    length limit of its own, so the kernel cuts the text to :data:`ANSWER_MAX`
    characters the moment it arrives and says so under the box: a pasted page
    of text is neither graded nor stored, and she sees why her answer is short.
    """

    def __init__(self, question: Any):
        unit = getattr(question, "unit", "")
        self._text = w.Text(placeholder="在此输入答案", layout=w.Layout(width="16em", max_width="100%"))
        self._too_long = w.HTML(
            notice(f"答案最多 {ANSWER_MAX} 个字，超出的部分已删去。", "warn"), layout=w.Layout(display="none")
        )
        self._text.observe(self._trim, names="value")
        row = w.HBox([self._text, w.Label(unit)] if unit else [self._text])
        self.widget = w.VBox([row, self._too_long])

    def _trim(self, change: dict[str, Any]) -> None:
        text = change["new"]
        if len(text) > ANSWER_MAX:
            self._too_long.layout.display = None
            self._text.value = text[:ANSWER_MAX]  # comes back here at exactly ANSWER_MAX: the note stays
        elif len(text) < ANSWER_MAX:
            self._too_long.layout.display = "none"

    def response(self) -> Any:
        return self._text.value

    def show(self, response: Any) -> None:
        self._text.value = "" if response is None else str(response)

    def _controls(self) -> list[w.Widget]:
        return [self._text]


class OrderInput(_Input):
    """A list the trainee reorders with 上移/下移: workable for 25 steps on a phone."""

    def __init__(self, question: Any):
        self._text = {letter: question.options[i] for i, letter in enumerate(question.option_letters())}
        self._order = list(self._text)
        self._list = w.Select(rows=min(len(self._order), 12), layout=_FULL)
        self._up = w.Button(description="上移", layout=w.Layout(width="6em"))
        self._down = w.Button(description="下移", layout=w.Layout(width="6em"))
        self._up.on_click(lambda _: self._move(-1))  # list moves cannot fail
        self._down.on_click(lambda _: self._move(+1))
        self._refresh(None)
        hint = w.HTML('<span style="font-size:90%;color:#555">先点选一项，再用“上移/下移”调整位置。</span>')
        self.widget = w.VBox([hint, self._list, w.HBox([self._up, self._down])])

    def _refresh(self, selected: str | None) -> None:
        self._list.options = [(f"{n}. {self._text[x]}", x) for n, x in enumerate(self._order, start=1)]
        self._list.value = selected

    def _move(self, step: int) -> None:
        letter = self._list.value
        if letter is None:
            return
        i = self._order.index(letter)
        j = i + step
        if 0 <= j < len(self._order):
            self._order[i], self._order[j] = self._order[j], self._order[i]
            self._refresh(letter)

    def response(self) -> Any:
        return list(self._order)

    def show(self, response: Any) -> None:
        if response and sorted(response) == sorted(self._order):
            self._order = list(response)
            self._refresh(None)

    def _controls(self) -> list[w.Widget]:
        return [self._list, self._up, self._down]


class MatchInput(_Input):
    def __init__(self, question: Any):
        # Sorted first: the order shown must not depend on the order of the key's pairs.
        rights = sorted([*question.answer.values(), *question.distractors])
        random.Random(question.id).shuffle(rights)
        self._choices = {
            left: w.Dropdown(options=[_PLACEHOLDER, *rights], value=_PLACEHOLDER, layout=w.Layout(width="auto", max_width="100%"))
            for left in question.answer
        }
        rows = [
            w.VBox([w.HTML(paragraph(f"{i}. {left}")), box], layout=w.Layout(margin="2px 0 6px 0"))
            for i, (left, box) in enumerate(self._choices.items(), start=1)
        ]
        self.widget = w.VBox(rows)

    def response(self) -> Any:
        return {left: box.value for left, box in self._choices.items() if box.value != _PLACEHOLDER}

    def show(self, response: Any) -> None:
        for left, box in self._choices.items():
            value = (response or {}).get(left)
            box.value = value if value in box.options else _PLACEHOLDER

    def _controls(self) -> list[w.Widget]:
        return list(self._choices.values())


_INPUTS = {
    "single": SingleInput,
    "multiple": MultipleInput,
    "judge": JudgeInput,
    "fill": TextInput,
    "numeric": TextInput,
    "order": OrderInput,
    "match": MatchInput,
}


def input_for(question: Any) -> _Input:
    return _INPUTS[question.type](question)
