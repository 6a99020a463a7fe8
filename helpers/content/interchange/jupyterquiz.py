"""Import of jupyterquiz JSON (https://github.com/jmshea/jupyterquiz): a list
of questions of type ``multiple_choice`` (→ 单选), ``many_choice`` (→ 多选) or
``numeric`` (→ 数值).

jupyterquiz has per-answer feedback but no explanation, source or difficulty,
so a question carries them as extra keys, which jupyterquiz itself ignores:
``explanation``/``解析``, ``source``/``出处``, ``difficulty``/``难度``,
``tags``/``标签`` (a list or “a、b”), ``id``/``编号``, ``module``/``模块``,
``unit``/``单位`` and ``scoring``/``计分``.  Answer feedback such as
“Correct.” is not taken as the explanation: it rarely explains anything.
A numeric question needs exactly one correct value (or range, read as its
midpoint ± half its width); ``precision`` is display rounding and is dropped.
"""
from __future__ import annotations

import json
from functools import partial
from typing import Any

from helpers.content.interchange.files import decode_text, line_of
from helpers.content.interchange.model import FIELD_LABELS, Draft, Parsed, RowError, UnreadableFile
from helpers.content.interchange.values import DETAIL_KEYS, detail_fields, number_text
from helpers.content.schema import LETTERS

_TYPES = {"multiple_choice": "single", "many_choice": "multiple", "numeric": "numeric"}
_KEYS = {key: key for key in DETAIL_KEYS} | {FIELD_LABELS[key]: key for key in DETAIL_KEYS}


def _elements(text: str) -> list[tuple[int, Any]]:
    """Each element of the top-level list with the line it starts on.  The
    json module keeps no positions, so once the whole text is known to be
    valid JSON the list is walked again with ``raw_decode``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableFile(f"第 {exc.lineno} 行第 {exc.colno} 列：不是有效的 JSON（{exc.msg}）") from exc
    if not isinstance(data, list):
        raise UnreadableFile("jupyterquiz 文件的最外层应是题目列表 [ {…}, {…} ]")
    decoder, index, lines = json.JSONDecoder(), text.index("[") + 1, []
    for _ in data:
        while text[index] in " \t\r\n,":
            index += 1
        lines.append(line_of(text, index))
        _, index = decoder.raw_decode(text, index)
    return list(zip(lines, data))


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    if isinstance(value, float):
        return number_text(value)
    return "" if value is None else str(value)


def _choices(kind: str, answers: list[Any]) -> dict[str, Any]:
    options = [str(answer.get("answer") or answer.get("code") or "") for answer in answers]
    right = [LETTERS[i] for i, answer in enumerate(answers) if answer.get("correct") is True and i < len(LETTERS)]
    if kind == "single":
        if len(right) != 1:
            raise RowError("答案", f"multiple_choice 须恰有一个 \"correct\": true 的答案（现有 {len(right)} 个）；多个正确答案请用 many_choice")
        return {"options": options, "answer": right[0]}
    if not right:
        raise RowError("答案", "many_choice 至少要有一个 \"correct\": true 的答案")
    return {"options": options, "answer": right}


def _numeric(answers: list[Any]) -> dict[str, Any]:
    right = [answer for answer in answers if answer.get("correct") is True and answer.get("type") != "default"]
    if len(right) != 1:
        raise RowError("答案", f"数值题须恰有一个正确的 value 或 range（现有 {len(right)} 个）")
    answer = right[0]
    try:
        if "range" in answer:
            low, high = (float(x) for x in answer["range"])
            return {"answer": (low + high) / 2, "tolerance": abs(high - low) / 2}
        return {"answer": float(answer["value"])}
    except (KeyError, TypeError, ValueError) as exc:
        raise RowError("答案", "数值题的正确答案须写 \"value\": 数，或 \"range\": [下限, 上限]") from exc


def _draft(line: int, item: Any) -> Draft:
    if not isinstance(item, dict):
        raise RowError(None, "每道题须是一个 {…} 对象")
    kind = _TYPES.get(str(item.get("type")))
    if kind is None:
        raise RowError("题型", f"jupyterquiz 题型“{item.get('type')}”本课程不支持，只能导入 {', '.join(_TYPES)}")
    answers = item.get("answers")
    if not isinstance(answers, list) or not all(isinstance(answer, dict) for answer in answers):
        raise RowError("答案", "缺少 \"answers\" 列表")
    stem = "\n".join(_text(item.get(key)) for key in ("question", "code") if item.get(key))
    fields: dict[str, Any] = {"type": kind, "stem": stem}
    fields.update(_numeric(answers) if kind == "numeric" else _choices(kind, answers))
    details = {_KEYS[key]: _text(value) for key, value in item.items() if key in _KEYS}
    fields.update(detail_fields(kind, details))
    return Draft(line, fields, details.get("module") or None)


def read_jupyterquiz(data: bytes, name: str) -> Parsed:
    text, encoding = decode_text(data, name)
    parsed = Parsed(encoding=encoding)
    for line, item in _elements(text):
        parsed.add(line, partial(_draft, line, item))
    return parsed
