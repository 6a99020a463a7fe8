"""GIFT, Moodle's text format for question banks, both ways.

GIFT expresses 单选 (``{=对的 ~错的}``), 多选 (``{~%50%甲 ~%50%乙 ~%-100%丙}``),
判断 (``{T}``/``{F}``), 填空 (``{=答案一 =答案二}``), 数值 (``{#5:0.5}``) and
连线 (``{=左 -> 右 = -> 干扰项}``); it has no 排序题.  The question's explanation
is GIFT's general feedback (``####…``).  What GIFT has no place for — 出处, 难度,
模块, 单位, 计分 — travels in comment lines (``// 出处：《…》第五条``), which
Moodle skips; the id and tags use the ``// [id:…] [tag:…]`` comment form.
Questions are separated by a blank line, as Moodle requires.
"""
from __future__ import annotations

import html
import re
from functools import partial
from typing import Any

from helpers.content.interchange.files import decode_text
from helpers.content.interchange.model import Draft, Parsed, RowError
from helpers.content.interchange.values import detail_fields, detail_lines, number, number_text, read_detail_line
from helpers.content.schema import LETTERS

_SPECIAL = "~=#{}:"
_PLACEHOLDER = {ch: chr(0xE000 + i) for i, ch in enumerate(_SPECIAL + "\\")}
_NEWLINE = chr(0xE010)
_RESTORE = {v: k for k, v in _PLACEHOLDER.items()} | {_NEWLINE: "\n"}
_FORMAT = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d*)?)%")
_MOODLE_MARK = re.compile(r"\[(id|tag):([^\]]*)\]")
_TRUE_FALSE = {"T": "对", "TRUE": "对", "F": "错", "FALSE": "错"}
# Details written as comment lines; id and tags go in Moodle's [id:] [tag:] form.
_COMMENT_KEYS = ("module", "source", "difficulty", "unit", "scoring")
BLANK = "（    ）"


# ───────────── reading ─────────────

def _protect(text: str) -> str:
    """Escaped characters (``\\=``, ``\\n``…) out of the way of the structure."""
    out, i = [], 0
    while i < len(text):
        pair = text[i:i + 2]
        if pair == "\\n":
            out.append(_NEWLINE)
        elif len(pair) == 2 and pair[0] == "\\" and pair[1] in _PLACEHOLDER:
            out.append(_PLACEHOLDER[pair[1]])
        else:
            out.append(text[i])
            i += 1
            continue
        i += 2
    return "".join(out)


def _clean(text: str, html_default: bool = False) -> str:
    """A piece of GIFT text as plain text: format prefix dropped (HTML
    un-tagged), escapes restored, white space trimmed."""
    is_html = html_default
    if match := _FORMAT.match(text):
        is_html = match.group(1).lower() == "html"
        text = text[match.end():]
    if is_html:
        text = html.unescape(_TAG.sub("", text))
    return "".join(_RESTORE.get(ch, ch) for ch in text).strip()


def _chunks(text: str) -> list[tuple[int, list[str], list[str]]]:
    """(first line number, comment lines, body lines) of each blank-line
    separated block."""
    chunks, comments, body, start = [], [], [], 0
    for line_number, line in enumerate(text.splitlines() + [""], start=1):
        if not line.strip():
            if body:
                chunks.append((start, comments, body))
            comments, body = [], []
        elif line.strip().startswith("//"):
            comments.append(line.strip()[2:])
        elif line.strip().startswith("$CATEGORY:"):
            continue  # Moodle's category; the module comes from “// 模块：” or --module
        else:
            start = start if body else line_number
            body.append(line)
    return chunks


def _details(comments: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    tags: list[str] = []
    for comment in comments:
        for key, value in _MOODLE_MARK.findall(comment):
            if key == "tag":
                tags.append(value.strip())
            else:
                values["id"] = value.strip()
        if found := read_detail_line(_MOODLE_MARK.sub("", comment)):
            values[found[0]] = found[1]
    if tags:
        values["tags"] = "、".join(tags)
    return values


def _split_feedback(text: str) -> str:
    return text.split("#", 1)[0]


def _choice(inside: str, is_html: bool) -> dict[str, Any]:
    entries: list[tuple[str, float]] = []
    for part in inside.replace("=", "~=").split("~"):
        part = part.strip()
        if not part:
            continue
        if part.startswith("="):
            weight, part = 100.0, part[1:]
        elif match := _WEIGHT.match(part):
            weight, part = float(match.group(1)), part[match.end():]
        else:
            weight = 0.0
        entries.append((_clean(_split_feedback(part), is_html), weight))
    options = [text for text, _ in entries]
    if "=" in inside:
        right = [LETTERS[i] for i, (_, weight) in enumerate(entries) if weight == 100 and i < len(LETTERS)]
        if len(right) != 1:
            raise RowError("答案", "单选题须恰有一个以 = 标出的正确答案；多选题请给每个正确答案写正分数，如 ~%50%")
        return {"type": "single", "options": options, "answer": right[0]}
    right = [LETTERS[i] for i, (_, weight) in enumerate(entries) if weight > 0 and i < len(LETTERS)]
    if not right:
        raise RowError("答案", "没有正确答案：单选题用 = 标出正确答案，多选题给正确答案写正分数，如 ~%50%")
    return {"type": "multiple", "options": options, "answer": right}


def _match(inside: str, is_html: bool) -> dict[str, Any]:
    pairs: dict[str, str] = {}
    distractors: list[str] = []
    for part in (p.strip() for p in inside.split("=")):
        if not part:
            continue
        if "->" not in part:
            raise RowError("答案", f"连线项“{_clean(part)}”应写成 =左项 -> 右项")
        left, right = (_clean(side, is_html) for side in part.split("->", 1))
        if not left:
            distractors.append(right)
        elif left in pairs:
            raise RowError("答案", f"连线题的左项“{left}”出现了两次")
        else:
            pairs[left] = right
    return {"type": "match", "answer": pairs, **({"distractors": distractors} if distractors else {})}


def _full_credit(part: str) -> str | None:
    """The answer of ``=答案`` or ``=%100%答案``; None for a partial-credit one."""
    match = _WEIGHT.match(part)
    if match and float(match.group(1)) != 100:
        return None
    return part[match.end():] if match else part


def _fill(inside: str, is_html: bool) -> dict[str, Any]:
    answers = []
    for part in (p.strip() for p in inside.split("=")):
        if not part:
            continue
        text = _full_credit(part)
        if text is None:
            raise RowError("答案", "填空题的每个可接受答案都算全对，不能带部分得分（%…%）")
        answers.append(_clean(_split_feedback(text), is_html))
    return {"type": "fill", "answer": answers}


def _numeric(inside: str) -> dict[str, Any]:
    body = inside[1:].strip()
    if body.startswith("="):
        full = [text for p in body.split("=") if p.strip() and (text := _full_credit(p.strip())) is not None]
        if len(full) != 1:
            raise RowError("答案", f"数值题须恰有一个全对的答案（现有 {len(full)} 个）")
        body = full[0]
    spec = _clean(_split_feedback(body))
    if ".." in spec:
        low, high = (number(side, "答案") for side in spec.split("..", 1))
        return {"type": "numeric", "answer": (low + high) / 2, "tolerance": abs(high - low) / 2}
    value, _, tolerance = spec.partition(":")
    fields: dict[str, Any] = {"type": "numeric", "answer": number(value, "答案")}
    if tolerance.strip() and number(tolerance, "误差"):
        fields["tolerance"] = number(tolerance, "误差")
    return fields


def _answers(inside: str, is_html: bool) -> dict[str, Any]:
    """Type and answer fields from what is inside ``{…}``, decided the way Moodle does."""
    if not inside:
        raise RowError("题型", "GIFT 问答题（空的 {}）本课程不支持")
    if inside.startswith("#"):
        return _numeric(inside)
    if "~" in inside:
        return _choice(inside, is_html)
    if "=" in inside and "->" in inside:
        return _match(inside, is_html)
    head = _split_feedback(inside).strip()
    if head in _TRUE_FALSE:
        return {"type": "judge", "answer": _TRUE_FALSE[head]}
    return _fill(inside, is_html)


def _draft(line: int, comments: list[str], body: list[str]) -> Draft:
    text = _protect("\n".join(body)).strip()
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            raise RowError("题干", "题目名称的 :: 没有配对（文字中的冒号须写成 \\:）")
        text = text[end + 2:].strip()
    start, end = text.find("{"), text.find("}")
    if start < 0 and end < 0:
        raise RowError(None, "没有答案块 {…}：这段文字不是题目（GIFT 的“说明”不能导入），请删除或补上答案")
    if start < 0 or end < start or "{" in text[start + 1:]:
        raise RowError(None, "花括号 { } 不配对，或一道题有两个答案块；文字中的 { } 须写成 \\{ \\}")
    inside, _, general = text[start + 1:end].partition("####")
    before, after = text[:start], text[end + 1:]
    is_html = bool((match := _FORMAT.match(before)) and match.group(1).lower() == "html")
    stem = _clean(before) + (BLANK + _clean(after, is_html) if after.strip() else "")
    fields = {**_answers(inside.strip(), is_html), "stem": stem}
    details = _details(comments)
    if general.strip():
        details["explanation"] = _clean(general, is_html)
    fields.update(detail_fields(fields["type"], details))
    return Draft(line, {k: v for k, v in fields.items() if v != ""}, details.get("module") or None)


def read_gift(data: bytes, name: str) -> Parsed:
    text, encoding = decode_text(data, name)
    parsed = Parsed(encoding=encoding)
    for line, comments, body in _chunks(text):
        parsed.add(line, partial(_draft, line, comments, body))
    return parsed


# ───────────── writing ─────────────

def escape(text: str) -> str:
    """Text safe inside GIFT: the six control characters and new lines escaped."""
    text = text.replace("\\", "\\\\")
    for ch in _SPECIAL:
        text = text.replace(ch, "\\" + ch)
    return text.replace("\n", "\\n")


def _weight(count: int) -> str:
    return f"{100 / count:.5f}".rstrip("0").rstrip(".")


def _answer_lines(question: Any) -> list[str]:
    kind = question.type
    if kind == "single":
        return [("=" if letter == question.answer else "~") + escape(option)
                for letter, option in zip(LETTERS, question.options)]
    if kind == "multiple":
        right = f"~%{_weight(len(question.answer))}%"
        return [(right if letter in question.answer else "~%-100%") + escape(option)
                for letter, option in zip(LETTERS, question.options)]
    if kind == "judge":
        return ["T" if question.answer == "对" else "F"]
    if kind == "fill":
        return ["=" + escape(answer) for answer in question.answer]
    if kind == "numeric":
        tolerance = f":{number_text(question.tolerance)}" if question.tolerance else ""
        return [f"#{number_text(question.answer)}{tolerance}"]
    pairs = [f"={escape(left)} -> {escape(right)}" for left, right in question.answer.items()]
    return pairs + [f"= -> {escape(item)}" for item in question.distractors]


def _question_text(question: Any) -> str:
    marks = " ".join([f"[id:{question.id}]", *(f"[tag:{tag}]" for tag in question.tags)])
    comments = [f"// {marks}", *(f"// {line}" for line in detail_lines(question, _COMMENT_KEYS))]
    answers = "\n".join(f"\t{line}" for line in [*_answer_lines(question), "####" + escape(question.explanation)])
    return "\n".join([*comments, f"::{question.id}::{escape(question.stem)}{{", answers, "}"])


def unsupported(question: Any) -> str | None:
    """Why GIFT cannot carry a question so that it reads back the same, or None."""
    if question.type == "order":
        return "GIFT 没有排序题"
    if any("[" in tag or "]" in tag for tag in question.tags):
        return "标签中含有方括号"
    if any("\n" in text for text in detail_lines(question, _COMMENT_KEYS)):
        return "出处等信息中含有换行"
    if question.type == "fill" and (
        any("->" in answer for answer in question.answer)
        or (len(question.answer) == 1 and question.answer[0] in _TRUE_FALSE)
    ):
        return "填空答案会被 GIFT 读成别的题型（含 -> 或只有 T/F）"
    if question.type == "match" and any("->" in item for item in [*question.answer, *question.answer.values()]):
        return "连线项中含有 ->"
    options = getattr(question, "options", ())
    if any(_WEIGHT.match(option) or _FORMAT.match(option) for option in options):
        return "选项以 %数字% 或 [html] 这样的 GIFT 标记开头"
    return None


def write_gift(questions: list[Any], plain: bool = False) -> bytes:
    """The questions as a UTF-8 GIFT file, one ``$CATEGORY`` per module
    (``plain`` changes nothing: Moodle skips our comment lines anyway)."""
    blocks = ["// 由 python -m helpers export 导出的 GIFT 题库（UTF-8）。\n"
              "// “// 出处：”“// 难度：”等注释行供本课程导回时使用，Moodle 导入时会忽略。"]
    module = None
    for question in questions:
        if question.module != module:
            module = question.module
            blocks.append(f"$CATEGORY: {module}")
        blocks.append(_question_text(question))
    return ("\n\n".join(blocks) + "\n").encode("utf-8")
