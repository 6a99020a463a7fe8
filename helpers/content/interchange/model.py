"""What every reader produces and the bank step consumes: a question as found
in a file (:class:`Draft`), what was wrong with one (:class:`RowProblem`), and
the errors an import or export can end in.

Readers only translate syntax.  They do not decide whether a question is good:
that is the bank's own validator, run once in :mod:`.into_bank` for every
format, so an Excel row and a GIFT question are held to exactly the rules a
hand-written ``questions.yaml`` entry is.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from helpers.content.schema import LETTERS

# Field names of questions.yaml → the words an instructor sees in the Excel
# template, used for every format's messages so one vocabulary is learnt.
FIELD_LABELS = {
    "id": "编号",
    "type": "题型",
    "stem": "题干",
    "options": "选项",
    "answer": "答案",
    "explanation": "解析",
    "source": "出处",
    "difficulty": "难度",
    "tags": "标签",
    "module": "模块",
    "tolerance": "误差",
    "unit": "单位",
    "scoring": "计分",
    "distractors": "干扰项",
}

# The short names Chinese banks use, first one per type is what we write.
TYPE_NAMES: dict[str, tuple[str, ...]] = {
    "single": ("单选", "单选题", "单项选择", "单项选择题", "single"),
    "multiple": ("多选", "多选题", "多项选择", "多项选择题", "不定项选择", "不定项选择题", "multiple"),
    "judge": ("判断", "判断题", "是非题", "judge"),
    "fill": ("填空", "填空题", "fill"),
    "numeric": ("数值", "数值题", "计算", "计算题", "numeric"),
    "order": ("排序", "排序题", "order"),
    "match": ("连线", "连线题", "匹配", "匹配题", "配对", "配对题", "match"),
}
_TYPE_BY_NAME = {name.lower(): kind for kind, names in TYPE_NAMES.items() for name in names}
TYPE_CHOICES = "、".join(names[0] for names in TYPE_NAMES.values())


def question_type(name: str) -> str:
    """The schema's type for a 题型 cell such as “单选题” or “single”."""
    folded = unicodedata.normalize("NFKC", name).strip().lower()
    if folded in _TYPE_BY_NAME:
        return _TYPE_BY_NAME[folded]
    shown = name.strip() or "（空）"
    raise RowError("题型", f"未知题型“{shown}”，应为 {TYPE_CHOICES} 之一（或英文 {'/'.join(TYPE_NAMES)}）")


def type_name(kind: str) -> str:
    """The short Chinese name written into exported files."""
    return TYPE_NAMES[kind][0]


def stem_key(stem: str) -> str:
    """A stem reduced to what makes it the same question: widths folded, case,
    white space and punctuation dropped, so “申请入党的年龄？” and
    “申请入党的年龄 ?” are caught as duplicates."""
    folded = unicodedata.normalize("NFKC", stem).lower()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PZC")


def field_label(path: str | None) -> str | None:
    """``options.2`` → 选项C, ``answer`` → 答案: where a validator problem sits,
    in the template's words."""
    if not path:
        return None
    head, _, rest = path.partition(".")
    if head == "options" and rest.split(".")[0].isdigit():
        return f"选项{LETTERS[int(rest.split('.')[0])]}"
    return FIELD_LABELS.get(head, head)


class InterchangeError(ValueError):
    """An import or export that cannot go ahead; the message says why, in Chinese."""


class UnreadableFile(InterchangeError):
    """The file as a whole cannot be read: too large, wrong encoding, no header…"""


class NotText(UnreadableFile):
    """Binary content where text was expected (a Word file, an image…)."""


class UnknownEncoding(UnreadableFile):
    """Text in neither UTF-8/UTF-16 nor GBK/GB18030."""


class UnknownModule(InterchangeError):
    """``--module`` names a module the bank does not have."""


class RowError(InterchangeError):
    """One question cannot be read; the reader adds the row or line number."""

    def __init__(self, label: str | None, message: str):
        super().__init__(message)
        self.label = label
        self.message = message


@dataclass(frozen=True)
class RowProblem:
    """Why one question of an import file was rejected."""

    line: int | None
    message: str
    label: str | None = None

    def __str__(self) -> str:
        where = f"第 {self.line} 行" if self.line is not None else "文件"
        return f"{where}：{self.label}：{self.message}" if self.label else f"{where}：{self.message}"


class RowsRejected(InterchangeError):
    """Some questions were rejected, so none was imported."""

    def __init__(self, source: str, problems: list[RowProblem]):
        self.source = source
        self.problems = sorted(problems, key=lambda p: (p.line is None, p.line or 0))
        lines = "\n".join(f"{source}：{problem}" for problem in self.problems)
        super().__init__(f"{lines}\n共 {len(self.problems)} 处问题，没有导入任何题目。")


@dataclass(frozen=True)
class Draft:
    """One question as a file states it, in questions.yaml's field names.

    ``line`` is where it starts (the spreadsheet row, or the text line), so
    every problem found later can point there.  ``module`` is the module the
    file itself names for it, if any (an id or a title).
    """

    line: int
    fields: dict[str, Any]
    module: str | None = None


@dataclass
class Parsed:
    """What a reader made of a file: the questions it could read and the
    problems with the rest."""

    drafts: list[Draft] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    encoding: str | None = None

    def add(self, line: int, read: Callable[[], Draft | None]) -> None:
        """Run ``read()`` for the question starting at ``line``; a
        :class:`RowError` becomes that line's problem."""
        try:
            draft = read()
        except RowError as error:
            self.problems.append(RowProblem(line, error.message, error.label))
            return
        if draft is not None:
            self.drafts.append(draft)
