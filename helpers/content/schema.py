"""The question-bank and checklist schema (``schema_version`` 1).

Written with pydantic so that every rule an author must follow lives in one
place and is checked the same way by the validator, the loader and the import
tools.  The format is documented for authors in ``docs/quiz-bank.md``.
"""
from __future__ import annotations

import string
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator, model_validator

from helpers.content.sources import citation_problem

SCHEMA_VERSION = 1
LETTERS = string.ascii_uppercase

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Ident = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$", max_length=64)]
Letter = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z]$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_source(value: str) -> str:
    problem = citation_problem(value)
    if problem:
        raise ValueError(problem)
    return value


class _Question(_Strict):
    id: Ident
    module: Ident | None = None
    stem: Text
    explanation: Text
    source: Text
    difficulty: Literal[1, 2, 3]
    tags: tuple[Text, ...] = ()

    _source = field_validator("source")(_check_source)

    def option_letters(self) -> str:
        """The labels shown before the options: A, B, C…"""
        return LETTERS[: len(getattr(self, "options", ()))]


def _check_letters(letters: tuple[str, ...], info: ValidationInfo) -> None:
    """Answer letters must name existing options (checked on the ``answer`` field
    so the validator can point at its line)."""
    options = info.data.get("options")
    if options is None:
        return
    allowed = LETTERS[: len(options)]
    outside = [x for x in letters if x not in allowed]
    if outside:
        raise ValueError(f"答案 {''.join(outside)} 不在选项 {allowed[0]}–{allowed[-1]} 之中")


class SingleQuestion(_Question):
    type: Literal["single"]
    options: tuple[Text, ...] = Field(min_length=2, max_length=8)
    answer: Letter

    @field_validator("answer")
    @classmethod
    def _answer_is_an_option(cls, value: str, info: ValidationInfo) -> str:
        _check_letters((value,), info)
        return value


class MultipleQuestion(_Question):
    type: Literal["multiple"]
    options: tuple[Text, ...] = Field(min_length=2, max_length=8)
    answer: tuple[Letter, ...] = Field(min_length=1)
    scoring: Literal["all", "partial"] = "all"

    @field_validator("answer", mode="before")
    @classmethod
    def _split_letters(cls, value: object) -> object:
        return list(value) if isinstance(value, str) else value

    @field_validator("answer")
    @classmethod
    def _answers_are_options(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError("答案中有重复的字母")
        _check_letters(value, info)
        return value


class JudgeQuestion(_Question):
    type: Literal["judge"]
    answer: Literal["对", "错"]


class FillQuestion(_Question):
    type: Literal["fill"]
    answer: tuple[Text, ...] = Field(min_length=1)

    @field_validator("answer", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return [str(value)]
        return [value] if isinstance(value, str) else value


class NumericQuestion(_Question):
    type: Literal["numeric"]
    answer: float
    tolerance: float = Field(default=0.0, ge=0)
    unit: str = ""


class OrderQuestion(_Question):
    type: Literal["order"]
    options: tuple[Text, ...] = Field(min_length=2, max_length=26)
    answer: tuple[Letter, ...]

    @field_validator("answer")
    @classmethod
    def _answer_is_a_permutation(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        options = info.data.get("options")
        if options is not None and sorted(value) != list(LETTERS[: len(options)]):
            raise ValueError(f"排序题的答案须把 {LETTERS[: len(options)]} 每个字母恰好各用一次")
        return value


class MatchQuestion(_Question):
    type: Literal["match"]
    answer: dict[Text, Text] = Field(min_length=2)
    distractors: tuple[Text, ...] = Field(default=(), validate_default=True)

    @field_validator("distractors")
    @classmethod
    def _rights_are_distinct(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        rights = list((info.data.get("answer") or {}).values()) + list(value)
        if len(set(rights)) != len(rights):
            raise ValueError("连线题右侧各项（含干扰项）不能重复")
        return value


Question = Annotated[
    Union[SingleQuestion, MultipleQuestion, JudgeQuestion, FillQuestion, NumericQuestion, OrderQuestion, MatchQuestion],
    Field(discriminator="type"),
]
QUESTION_TYPES = ("single", "multiple", "judge", "fill", "numeric", "order", "match")
TYPE_NAMES = {
    "single": "单选题",
    "multiple": "多选题",
    "judge": "判断题",
    "fill": "填空题",
    "numeric": "数值题",
    "order": "排序题",
    "match": "连线题",
}


class ModuleMeta(_Strict):
    id: Ident
    title: Text
    order: int = Field(ge=0)
    notebook: Text
    summary: str = ""


class ChecklistItem(_Strict):
    id: Ident
    text: Text
    points: float = Field(gt=0)
    method: Literal["查台账", "看现场", "问询"]
    deduction: Text
    fix: Text
    source: Text
    veto: bool = False

    _source = field_validator("source")(_check_source)


class Dimension(_Strict):
    id: Ident
    title: Text
    items: tuple[ChecklistItem, ...] = Field(min_length=1)


class Band(_Strict):
    name: Text
    min: float = Field(ge=0, le=100)


DEFAULT_BANDS = (Band(name="优秀", min=90), Band(name="良好", min=75), Band(name="合格", min=60), Band(name="不合格", min=0))


class Checklist(_Strict):
    id: Ident
    module: Ident
    title: Text
    intro: str = ""
    bands: tuple[Band, ...] = DEFAULT_BANDS
    dimensions: tuple[Dimension, ...] = Field(min_length=1)

    @property
    def items(self) -> list[ChecklistItem]:
        """All items in reading order, whatever dimension they sit in."""
        return [item for dimension in self.dimensions for item in dimension.items]

    @model_validator(mode="after")
    def _ids_and_bands(self) -> "Checklist":
        ids = [item.id for item in self.items]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"自查项 id 重复：{'、'.join(duplicates)}")
        if not any(band.min == 0 for band in self.bands):
            raise ValueError("评定档次中须有一档 min 为 0，保证任何得分都有档次")
        return self

    @property
    def lowest_band(self) -> str:
        return min(self.bands, key=lambda band: band.min).name
