"""Aiken, Moodle's simplest text format, both ways: 单选题 only.

::

    题干（一行）
    A. 选项
    B. 选项
    ANSWER: B
    解析：……
    出处：《中国共产党发展党员工作细则》（2026年修订）第五条
    难度：1
    标签：申请入党、入党条件
    编号：fz-001
    模块：fazhan

The lines after ``ANSWER:`` are this course's extension: Aiken has no place for
an explanation or a source, and the bank refuses a question without them.
Moodle's Aiken import stops at lines it does not know, so ``--plain`` leaves
them out for a file meant for Moodle (such a file cannot come back into this
course without adding 出处 and 解析).  Reading is lenient where Chinese editors
differ from Moodle: ``A．``, ``A、`` and ``A）`` open an option, ``答案：`` may
stand for ``ANSWER:``, and a stem may run over several lines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from helpers.content.interchange.files import decode_text
from helpers.content.interchange.model import Draft, Parsed, RowError, RowProblem
from helpers.content.interchange.values import detail_fields, detail_lines, fold, read_detail_line
from helpers.content.schema import LETTERS

_OPTION = re.compile(r"^([A-Z])\s*[.)．）、]\s*(.*)$")
_ANSWER = re.compile(r"^(?:ANSWER|答案)\s*[:：]\s*(.*)$", re.IGNORECASE)
_EXTRA_KEYS = ("explanation", "source", "difficulty", "tags", "id", "module")


@dataclass
class _Question:
    line: int
    stem: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    answer: str | None = None
    details: dict[str, str] = field(default_factory=dict)
    error: str | None = None


def _draft(question: _Question) -> Draft:
    if question.error:
        raise RowError(None, question.error)
    letter = fold(question.answer or "").upper()
    if len(letter) != 1 or letter not in LETTERS:
        raise RowError("答案", f"Aiken 格式只能有一个正确答案（一个字母，如 ANSWER: B），现为“{question.answer}”；"
                             "多选题请用 Excel 或 GIFT 导入")
    fields: dict[str, Any] = {"type": "single", "stem": "\n".join(question.stem),
                              "options": question.options, "answer": letter}
    fields.update(detail_fields("single", question.details))
    return Draft(question.line, fields, question.details.get("module") or None)


def _finish(question: _Question, parsed: Parsed) -> None:
    if question.answer is None and not question.error:
        question.error = "缺少 ANSWER: 行（答案须紧跟在选项之后）" if question.options else "只有题干，没有选项和 ANSWER: 行"
    parsed.add(question.line, partial(_draft, question))


def read_aiken(data: bytes, name: str) -> Parsed:
    text, encoding = decode_text(data, name)
    parsed = Parsed(encoding=encoding)
    current: _Question | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if current is not None and current.answer is not None:
            if detail := read_detail_line(line):
                current.details[detail[0]] = detail[1]
                continue
            _finish(current, parsed)
            current = None
        head = fold(line[:3]) + line[3:]  # “Ａ．” typed full-width
        if option := _OPTION.match(head):
            if current is None:
                current = _Question(number, error="选项前面缺少题干")
            expected = LETTERS[len(current.options)] if len(current.options) < len(LETTERS) else "?"
            if option.group(1) != expected and not current.error:
                current.error = f"第 {number} 行的选项字母应为 {expected}（选项须按 A、B、C…顺序排列）"
            current.options.append(option.group(2).strip())
        elif answer := _ANSWER.match(head):
            if current is None:
                parsed.problems.append(RowProblem(number, "ANSWER: 行前面没有题目"))
                continue
            if not current.options and not current.error:
                current.error = "ANSWER: 行前面没有选项"
            current.answer = answer.group(1).strip()
        elif current is not None and not current.options:
            current.stem.append(line)  # a stem running over several lines
        else:
            if current is not None:
                _finish(current, parsed)
            current = _Question(number, stem=[line])
    if current is not None:
        _finish(current, parsed)
    return parsed


def _starts_like_markup(text: str) -> bool:
    head = fold(text[:3]) + text[3:]
    return bool(_OPTION.match(head) or _ANSWER.match(head) or read_detail_line(text))


def unsupported(question: Any) -> str | None:
    """Why Aiken cannot carry a question so that it reads back the same, or None."""
    if question.type != "single":
        return "Aiken 只能表达单选题"
    texts = [question.stem, *question.options, *detail_lines(question, _EXTRA_KEYS)]
    if any("\n" in text for text in texts):
        return "文字中含有换行，而 Aiken 每一项只能占一行"
    if _starts_like_markup(question.stem):
        return "题干以“A.”“ANSWER:”或“出处：”这样的标记开头"
    return None


def write_aiken(questions: list[Any], plain: bool = False) -> bytes:
    """The questions as a UTF-8 Aiken file; ``plain`` leaves out the extension
    lines (解析、出处…) that Moodle's Aiken import does not accept."""
    blocks = []
    for question in questions:
        lines = [question.stem, *(f"{letter}. {option}" for letter, option in zip(LETTERS, question.options)),
                 f"ANSWER: {question.answer}"]
        if not plain:
            lines += detail_lines(question, _EXTRA_KEYS)
        blocks.append("\n".join(lines))
    return ("\n\n".join(blocks) + "\n").encode("utf-8")
