"""Writing new questions into a ``questions.yaml`` as text, the way an author
would type them.

The file is never re-dumped: its comments (the ``# ── 第一阶段 ──`` section
heads), blank lines and key order are what authors maintain by hand, and a
YAML round trip would lose them.  Instead each new question is rendered in the
bank's style (block options, flow tags, one line per scalar) and the text is
inserted where the ``questions:`` list ends.  PyYAML renders each value, so
quoting is always right; :mod:`.into_bank` reloads the result with the bank's
own loader before anything is written.
"""
from __future__ import annotations

from typing import Any

import yaml

from helpers.content.interchange.model import InterchangeError

# Field order of the documented example in docs/quiz-bank.md.
_ORDER = ("id", "type", "scoring", "stem", "options", "answer", "tolerance", "unit", "distractors",
          "explanation", "source", "difficulty", "tags")
_BLOCK = ("options",)  # lists written one item a line; other lists stay [a, b], mappings block
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Dumper(yaml.SafeDumper):
    """Indents a block list under its key (``options:\\n  - 甲``), as the bank does."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:  # noqa: ARG002
        super().increase_indent(flow, False)


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def question_lines(question: Any) -> list[str]:
    """One question as YAML lines in the bank's field order, defaults and the
    module (implied by the folder) left out; the list item's ``- `` not included."""
    fields = type(question).model_fields
    dumped = question.model_dump()
    lines: list[str] = []
    for key in _ORDER:
        if key not in dumped or (not fields[key].is_required() and dumped[key] == fields[key].default):
            continue
        value = _plain(dumped[key])
        flow = isinstance(value, list) and key not in _BLOCK  # tags: [a, b]; answer: [A, C]
        text = yaml.dump({key: value}, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                         default_flow_style=None if flow else False, width=2**31 - 1)
        lines.extend(text.rstrip("\n").split("\n"))
    return lines


def _list_item(question: Any, indent: str) -> str:
    first, *rest = question_lines(question)
    return "\n".join([f"{indent}- {first}", *(f"{indent}  {line}" for line in rest)])


def _questions_node(text: str) -> tuple[yaml.Node, yaml.Node | None]:
    """The value node of ``questions:`` and the key node that follows it, if any."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise InterchangeError(f"题目文件有 YAML 语法错误，请先修好（python -m helpers validate）：{exc}") from exc
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        raise InterchangeError("题目文件的顶层不是 schema_version、module、questions 这样的键值映射")
    keys = [key.value for key, _ in root.value]
    if "questions" not in keys:
        raise InterchangeError("题目文件中没有 questions:")
    index = keys.index("questions")
    following = root.value[index + 1][0] if index + 1 < len(root.value) else None
    return root.value[index][1], following


def append_questions(text: str, questions: list[Any]) -> str:
    """``text`` with ``questions`` added at the end of its ``questions:`` list,
    every other character kept as it was."""
    value, following = _questions_node(text)
    lines = text.splitlines(keepends=True)
    indent = "  "
    if isinstance(value, yaml.SequenceNode) and value.value and not value.flow_style:
        indent = " " * value.start_mark.column
    elif isinstance(value, yaml.SequenceNode) and value.value:
        raise InterchangeError("questions 写成了 [ … ] 的一行形式，无法追加；请改成每题一段的写法")
    elif isinstance(value, yaml.SequenceNode) or (isinstance(value, yaml.ScalarNode) and value.tag.endswith(":null")):
        line = value.start_mark.line  # “questions: []” or “questions: ~”: drop the empty value, keep a comment
        if value.end_mark.line != line:
            raise InterchangeError("无法识别 questions: 后面的写法")
        head = lines[line][: value.start_mark.column].rstrip(" ")
        tail = lines[line][value.end_mark.column:].strip()
        lines[line] = head + (f" {tail}" if tail else "") + _newline(text)
    else:
        raise InterchangeError("questions: 后面应是题目列表")
    newline = _newline(text)
    block = "".join(newline + _list_item(q, indent).replace("\n", newline) + newline for q in questions)
    if following is not None:
        at = following.start_mark.line
        return "".join(lines[:at]) + block.lstrip("\r\n") + newline + "".join(lines[at:])
    body = "".join(lines)
    if body and not body.endswith("\n"):
        body += newline
    return body + block


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"
