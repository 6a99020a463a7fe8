"""The written forms of a question's details — 难度 “中” or “2”, 标签 “a、b”,
计分 “部分”, a number “4,500” — read once for every format.

Excel cells, GIFT comment lines (``// 出处：…``), Aiken's extra lines after
``ANSWER:`` and the extra keys of a jupyterquiz question all carry the same
details; reading them here keeps one meaning of “部分” or “中” across formats.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from helpers.content.interchange.model import FIELD_LABELS, RowError, type_name

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_TAG_SEPARATORS = re.compile(r"[、,，;；]")
_DIFFICULTY = {
    "1": 1, "易": 1, "容易": 1, "简单": 1, "识记": 1,
    "2": 2, "中": 2, "中等": 2, "适中": 2, "一般": 2, "理解": 2,
    "3": 3, "难": 3, "较难": 3, "困难": 3, "应用": 3,
}
_SCORING = {"部分": "partial", "部分得分": "partial", "按比例": "partial", "partial": "partial",
            "全对": "all", "全对得分": "all", "all": "all"}
TRUE_WORDS = frozenset({"对", "正确", "√", "✓", "✔", "是", "t", "true", "y", "yes"})
FALSE_WORDS = frozenset({"错", "错误", "×", "✗", "✘", "否", "f", "false", "n", "no", "x"})

# Details every format can carry beside the question itself, in the order
# they are written out; 模块 is not a field of the question but of its file.
DETAIL_KEYS = ("id", "module", "explanation", "source", "difficulty", "tags", "tolerance", "unit", "scoring")
_OWNER = {"tolerance": "numeric", "unit": "numeric", "scoring": "multiple"}
_KEY_BY_LABEL = {FIELD_LABELS[key]: key for key in DETAIL_KEYS}
_DETAIL_LINE = re.compile(rf"^\s*({'|'.join(_KEY_BY_LABEL)})\s*[:：]\s*(.*?)\s*$")


def fold(text: str) -> str:
    """Widths folded (full-width digits and letters typed on a phone), trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def number(text: str, label: str) -> float:
    folded = fold(text).replace(",", "")
    if not _NUMBER.fullmatch(folded):
        raise RowError(label, f"“{text}”不是一个数（单位请另写在“单位”里）")
    return float(folded)


def number_text(value: float) -> str:
    """5.0 → “5”, 110.25 → “110.25”: numbers as the bank writes them."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def judge_word(text: str) -> str | None:
    """对 or 错 for a way of writing it (√, ×, 正确, T, false…), else None."""
    word = fold(text).lower()
    return "对" if word in TRUE_WORDS else "错" if word in FALSE_WORDS else None


def detail_fields(kind: str, values: Mapping[str, str]) -> dict[str, Any]:
    """The question fields among ``values`` (keyed as :data:`DETAIL_KEYS`,
    written as text); empty values are left out so the validator names them
    as missing.  误差/单位 belong to 数值题 and 计分 to 多选题 only."""
    fields: dict[str, Any] = {}
    for key in DETAIL_KEYS:
        value = (values.get(key) or "").strip()
        if not value or key == "module":
            continue
        label = FIELD_LABELS[key]
        owner = _OWNER.get(key)
        if owner and kind != owner:
            raise RowError(label, f"只有{type_name(owner)}题可以写“{label}”")
        if key == "difficulty":
            fields[key] = _DIFFICULTY.get(fold(value), value)
        elif key == "tags":
            fields[key] = [tag.strip() for tag in _TAG_SEPARATORS.split(value) if tag.strip()]
        elif key == "tolerance":
            fields[key] = number(value, label)
        elif key == "scoring":
            if fold(value).lower() not in _SCORING:
                raise RowError(label, f"“{value}”应为“全对”或“部分”")
            fields[key] = _SCORING[fold(value).lower()]
        else:
            fields[key] = value
    return fields


def detail_texts(question: Any) -> dict[str, str]:
    """A question's details written out, the inverse of :func:`detail_fields`
    (defaults such as 计分“全对” or 误差 0 are left empty)."""
    tolerance = getattr(question, "tolerance", 0)
    return {
        "id": question.id,
        "module": question.module or "",
        "explanation": question.explanation,
        "source": question.source,
        "difficulty": str(question.difficulty),
        "tags": "、".join(question.tags),
        "tolerance": number_text(tolerance) if tolerance else "",
        "unit": getattr(question, "unit", ""),
        "scoring": "部分" if getattr(question, "scoring", "all") == "partial" else "",
    }


def read_detail_line(line: str) -> tuple[str, str] | None:
    """``出处：《…》第五条`` → (“source”, “《…》第五条”); None for any other line."""
    match = _DETAIL_LINE.match(line)
    return (_KEY_BY_LABEL[match.group(1)], match.group(2)) if match else None


def detail_lines(question: Any, keys: tuple[str, ...]) -> list[str]:
    """``出处：…`` lines for the given detail keys that have a value."""
    texts = detail_texts(question)
    return [f"{FIELD_LABELS[key]}：{texts[key]}" for key in keys if texts[key]]
