"""The Excel 题库 (.xlsx, and the same table saved as CSV): one row per question.

This is the layout Chinese question banks commonly use — 题型, 题干, 选项A … 选项F,
答案, 解析, 出处, 难度, 模块, 标签 — so an instructor can paste in a bank she already
keeps.  Columns are found by their header (in any order, a title row above it
is skipped, “*出处（必填）” is recognised), and answers are read the way people
write them: ``AC`` or ``A、C``, ``对``/``√``, several accepted 填空 answers
separated by ``|`` or ``；``, 连线 pairs as ``左项=右项；左项=右项``.  Anything the
row means that the bank cannot hold is a :class:`RowError` for that row.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from helpers.content.interchange.files import check_workbook, decode_text
from helpers.content.interchange.model import Draft, Parsed, RowError, UnreadableFile, question_type, type_name
from helpers.content.interchange.values import detail_fields, detail_texts, fold, judge_word, number, number_text
from helpers.content.schema import LETTERS, QUESTION_TYPES as TYPE_ORDER

HEADER_SEARCH_ROWS = 10
MAX_ROWS = 20_000  # far above any course bank; bounds the time one file can take
MAX_COLUMNS = 60
MIN_OPTION_COLUMNS = 6  # the template shows 选项A … 选项F


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...]
    required: bool


COLUMNS: tuple[Column, ...] = (
    Column("type", "题型", ("题型", "题目类型", "试题类型"), True),
    Column("stem", "题干", ("题干", "题目", "题目内容", "试题内容"), True),
    Column("answer", "答案", ("答案", "正确答案", "参考答案", "标准答案"), True),
    Column("explanation", "解析", ("解析", "答案解析", "试题解析"), True),
    Column("source", "出处", ("出处", "依据", "出处依据", "法规依据"), True),
    Column("difficulty", "难度", ("难度", "难易程度", "难度等级"), True),
    Column("module", "模块", ("模块", "所属模块"), False),
    Column("tags", "标签", ("标签", "知识点"), False),
    Column("id", "编号", ("编号", "题目编号", "ID"), False),
    Column("tolerance", "误差", ("误差", "允许误差"), False),
    Column("unit", "单位", ("单位",), False),
    Column("scoring", "计分", ("计分", "计分方式"), False),
)
_BY_ALIAS = {alias.upper(): column for column in COLUMNS for alias in column.aliases}
_OPTION_HEADER = re.compile(r"^(?:选项)?([A-Z])$")
_NOTE = re.compile(r"\(.*?\)")

_CHOICE_TYPES = ("single", "multiple", "order")
_FILL_SEPARATORS = re.compile(r"[|｜;；]")
_PAIR_SEPARATORS = re.compile(r"[;；\n]")
_LETTER_NOISE = re.compile(r"[\s,，、;；/|→>\-]")


# ───────────── reading ─────────────

def _text(value: object) -> str:
    """A cell as text, an Excel number 2.0 shown as 2."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _header_key(value: object) -> str:
    """“*出处（必填）” → 出处, “选项 Ａ” → 选项A."""
    return _NOTE.sub("", "".join(fold(_text(value)).split())).lstrip("*").upper()


@dataclass(frozen=True)
class _Layout:
    columns: dict[str, int]
    options: tuple[int, ...]  # column index of 选项A, 选项B, …


def _layout(keys: list[str]) -> _Layout | None:
    """The columns of a header row, or None if the row is not the header."""
    columns: dict[str, int] = {}
    options: dict[str, int] = {}
    for index, key in enumerate(keys):
        if key in _BY_ALIAS:
            column = _BY_ALIAS[key]
            if column.key in columns:
                raise UnreadableFile(f"表头中“{column.header}”列出现了不止一次，请只保留一列")
            columns[column.key] = index
        elif match := _OPTION_HEADER.match(key):
            letter = match.group(1)
            if letter in options:
                raise UnreadableFile(f"表头中“选项{letter}”列出现了不止一次，请只保留一列")
            options[letter] = index
    if "type" not in columns or "stem" not in columns:
        return None
    missing = [c.header for c in COLUMNS if c.required and c.key not in columns]
    if missing:
        raise UnreadableFile(f"缺少“{'”“'.join(missing)}”列。{_EXPECTED}")
    letters = "".join(sorted(options))
    if letters != LETTERS[: len(letters)]:
        gap = next(letter for letter in LETTERS if letter not in options)
        raise UnreadableFile(f"表头缺少“选项{gap}”列：选项列须从选项A起连续排列")
    return _Layout(columns, tuple(options[letter] for letter in letters))


_EXPECTED = (
    "表头应为：题型、题干、选项A … 选项F、答案、解析、出处、难度，可加 模块、标签、编号、误差、单位、计分；"
    "可从 quiz_bank/_templates/题库导入模板.xlsx 复制"
)


def _read_table(rows: Iterable[tuple[int, list[Any]]], parsed: Parsed) -> None:
    """Header, then one draft (or one problem) per non-empty row."""
    numbered = iter(rows)
    layout, first = None, None
    for looked, (_, cells) in enumerate(numbered):
        keys = [_header_key(cell) for cell in cells]
        if not any(keys):
            continue
        first = first or [k for k in keys if k]
        layout = _layout(keys)
        if layout is not None or looked >= HEADER_SEARCH_ROWS:
            break
    if layout is None:
        found = "、".join(first[:12]) if first else "（空）"
        raise UnreadableFile(f"没有找到表头（须有“题型”和“题干”列）。{_EXPECTED}。文件第一行是：{found}")
    for row_number, cells in numbered:
        if row_number > MAX_ROWS:
            raise UnreadableFile(f"表格超过 {MAX_ROWS} 行，请分成几个文件导入")
        values = {key: _text(cells[i]) if i < len(cells) else "" for key, i in layout.columns.items()}
        options = [_text(cells[i]) if i < len(cells) else "" for i in layout.options]
        if any(values.values()) or any(options):
            parsed.add(row_number, partial(_draft, row_number, values, options))


def _draft(row_number: int, cells: dict[str, str], option_cells: list[str]) -> Draft:
    kind = question_type(cells["type"])
    fields: dict[str, Any] = {"type": kind, **_answer_fields(kind, cells["answer"], _options(option_cells))}
    if cells["stem"]:
        fields["stem"] = cells["stem"]
    fields.update(detail_fields(kind, cells))
    return Draft(row_number, fields, cells.get("module") or None)


def _options(cells: list[str]) -> list[str]:
    """The filled option cells, which must not leave a gap."""
    filled = len(cells)
    while filled and not cells[filled - 1]:
        filled -= 1
    for letter, cell in zip(LETTERS, cells[:filled]):
        if not cell:
            raise RowError(f"选项{letter}", "是空的，但后面还有选项；请把选项从 A 起连续填写")
    return cells[:filled]


def _answer_fields(kind: str, answer: str, options: list[str]) -> dict[str, Any]:
    """The answer (and options or distractors) as the schema wants them."""
    if not answer:
        raise RowError("答案", "不能为空")
    if kind in _CHOICE_TYPES:
        letters = _letters(answer, kind)
        if kind == "single" and len(letters) != 1:
            raise RowError("答案", f"单选题的答案应为一个选项字母，如 B（现为“{answer}”）")
        return {"options": options, "answer": letters[0] if kind == "single" else letters}
    if kind == "judge":
        return {"answer": _judge(answer, options)}
    if kind == "match":
        return {"answer": _pairs(answer), **({"distractors": options} if options else {})}
    if options:
        raise RowError("选项", f"{type_name(kind)}题不用填选项")
    if kind == "fill":
        return {"answer": [part.strip() for part in _FILL_SEPARATORS.split(answer) if part.strip()]}
    return {"answer": number(answer, "答案")}


def _letters(answer: str, kind: str) -> list[str]:
    letters = _LETTER_NOISE.sub("", fold(answer).upper())
    if not letters or not all(ch in LETTERS for ch in letters):
        example = {"single": "B", "multiple": "AC", "order": "CAB"}[kind]
        raise RowError("答案", f"“{answer}”应写成选项字母，如 {example}")
    return list(letters)


def _judge(answer: str, options: list[str]) -> str:
    """对 or 错, also from √/×, T/F, or a letter naming an option 正确/错误."""
    words = [judge_word(option) for option in options]
    if None in words:
        raise RowError("选项", "判断题不用填选项（若填，只能是“对”“错”或“正确”“错误”）")
    letter = fold(answer).upper()
    word = words[LETTERS.index(letter)] if len(letter) == 1 and letter in LETTERS[: len(words)] else judge_word(answer)
    if word is None:
        raise RowError("答案", f"判断题的答案应为“对”或“错”（现为“{answer}”）")
    return word


def _pairs(answer: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for item in (part.strip() for part in _PAIR_SEPARATORS.split(answer)):
        if not item:
            continue
        match = re.fullmatch(r"(.*?)[=＝](.*)", item, re.S)
        left, right = (match.group(1).strip(), match.group(2).strip()) if match else ("", "")
        if not left or not right:
            raise RowError("答案", f"连线题的“{item}”应写成“左项=右项”，各对之间用“；”分开")
        if left in pairs:
            raise RowError("答案", f"连线题的左项“{left}”出现了两次")
        pairs[left] = right
    return pairs


def _xlsx_rows(data: bytes, name: str) -> Iterator[tuple[int, list[Any]]]:
    """Rows of the first worksheet, numbered as Excel shows them.  openpyxl is
    imported here: most course pages never read a workbook."""
    from openpyxl import load_workbook

    check_workbook(data, name)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged workbook raises zip, XML, key or value errors alike
        raise UnreadableFile(f"无法打开 Excel 文件“{name}”，文件可能已损坏；请重新保存为 .xlsx 后再导入") from exc
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some exporters write wrong dimensions; read every row
        for row_number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            yield row_number, list(row)
    except UnreadableFile:
        raise
    except Exception as exc:  # damage inside a sheet only shows while reading it
        raise UnreadableFile(f"读取 Excel 文件“{name}”时出错，文件可能已损坏；请重新保存为 .xlsx 后再导入") from exc
    finally:
        workbook.close()


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """Records of a CSV, each numbered by the line it starts on (a quoted cell
    may span lines); comma, tab or semicolon, whichever the first line uses."""
    first = next((line for line in text[:4096].splitlines() if line.strip()), "")
    delimiter = max((",", "\t", ";"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for record in reader:
            yield start, record
            start = reader.line_num + 1
    except csv.Error as exc:
        raise UnreadableFile(f"第 {reader.line_num} 行无法按 CSV 格式读取（{exc}），请在 Excel 中另存为 CSV 或 .xlsx") from exc


def read_xlsx(data: bytes, name: str) -> Parsed:
    parsed = Parsed()
    _read_table(_xlsx_rows(data, name), parsed)
    return parsed


def read_csv(data: bytes, name: str) -> Parsed:
    text, encoding = decode_text(data, name)
    parsed = Parsed(encoding=encoding)
    _read_table(_csv_rows(text), parsed)
    return parsed


# ───────────── writing ─────────────

def answer_text(question: Any) -> str:
    """The 答案 cell for a question, in the syntax :func:`_answer_fields` reads."""
    kind = question.type
    if kind in ("single", "judge"):
        return question.answer
    if kind in ("multiple", "order"):
        return "".join(question.answer)
    if kind == "fill":
        return "|".join(question.answer)
    if kind == "numeric":
        return number_text(question.answer)
    return "；".join(f"{left}={right}" for left, right in question.answer.items())


def unsupported(question: Any) -> str | None:
    """Why a question cannot be written to the table so that it reads back the
    same, or None.  Only separators inside answers can get in the way."""
    if question.type == "fill" and any(_FILL_SEPARATORS.search(a) for a in question.answer):
        return "填空答案中含有分隔符 | 或 ；"
    if question.type == "match":
        items = [*question.answer, *question.answer.values()]
        if any(re.search(r"[=＝;；\n]", item) for item in items):
            return "连线项中含有 = 或 ；"
    return None


def _options_of(question: Any) -> tuple[str, ...]:
    return tuple(getattr(question, "options", ()) or getattr(question, "distractors", ()))


def headers(option_count: int) -> list[str]:
    main = [c.header for c in COLUMNS[:2]]
    rest = [c.header for c in COLUMNS[2:]]
    return [*main, *(f"选项{letter}" for letter in LETTERS[:option_count]), *rest]


def row_values(question: Any, option_count: int, *, with_id: bool = True) -> list[Any]:
    """One question as a row under :func:`headers`."""
    options = list(_options_of(question))
    values: dict[str, Any] = {
        **detail_texts(question),
        "type": type_name(question.type),
        "stem": question.stem,
        "answer": answer_text(question),
        "difficulty": question.difficulty,
    }
    if not with_id:
        values["id"] = ""
    cells = [values[c.key] for c in COLUMNS]
    return [*cells[:2], *options, *[""] * (option_count - len(options)), *cells[2:]]


def write_sheet(sheet: Any, questions: list[Any], *, with_id: bool = True) -> None:
    """Header and rows, as text cells (a stem starting with “=” must not become
    a formula), with widths that make a bank readable on screen."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    option_count = max([MIN_OPTION_COLUMNS, *(len(_options_of(q)) for q in questions)])
    names = headers(option_count)
    rows = [names, *(row_values(q, option_count, with_id=with_id) for q in questions)]
    for values in rows:
        sheet.append(values)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2DCDB")
    widths = {"题干": 48, "解析": 40, "出处": 32, "答案": 14, "标签": 16}
    for index, name in enumerate(names, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(name, 18 if name.startswith("选项") else 8)
    sheet.freeze_panes = "C2"


def write_xlsx(questions: list[Any], plain: bool = False) -> bytes:
    """The questions as a 题库 workbook (``plain`` has no meaning here)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "题库"
    write_sheet(sheet, questions)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# ───────────── the downloadable template ─────────────

TEMPLATE_NOTES = (
    "每行一道题。导入时只读第一张工作表“题库”，表头（第一行）请不要改动；“填写示例”一页只供参考，不会被导入。",
    "题型：单选、多选、判断、填空、数值、排序、连线（也可写“单选题”或英文 single 等）。",
    "选项A … 选项F：单选、多选、排序题填选项，从 A 起连续填写；不够可在右边加“选项G”“选项H”列。"
    "连线题的选项列可填多余的右侧干扰项；判断、填空、数值题不填。",
    "答案：单选写一个字母，如 B；多选写 AC；判断写 对 或 错；填空的多个可接受答案用 | 或 ；隔开；"
    "数值写一个数（单位写在“单位”列，允许的误差写在“误差”列）；排序按正确顺序写字母，如 CAB；"
    "连线写 左项=右项，各对之间用 ；隔开。",
    "解析：必填，讲清为什么对、常见的错误想法为什么错。",
    "出处：必填，须用《》写明法规名称和条款，如《中国共产党章程》（2022年修改）第七条。",
    "难度：1（识记）、2（理解）、3（应用），也可写 易、中、难。",
    "模块：模块 id（如 fazhan）或模块名称；不填则用导入命令中的 --module。",
    "标签：用 、 或 , 隔开；情境题加标签 scenario。",
    "编号：一般不填，导入时按模块自动编号；填了则须未被使用，如 fz-101。",
    "计分：多选题可填“部分”（选错任一项得 0 分，否则按选对比例得分），不填为全对才得分。",
    "导入：python -m helpers import 本文件.xlsx --module fazhan（先加 --dry-run 只检查）。"
    "有任何一行不合格，一题也不导入，并逐行列出原因。",
)


def template_bytes(examples: list[Any]) -> bytes:
    """The 题库导入模板: an empty 题库 sheet with drop-down lists, a sheet of
    worked examples (one per type, taken from the bank) and the notes."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "题库"
    write_sheet(sheet, [])
    names = headers(MIN_OPTION_COLUMNS)
    for header, choices in (("题型", [type_name(kind) for kind in TYPE_ORDER]), ("难度", ["1", "2", "3"]),
                            ("计分", ["全对", "部分"])):
        column = get_column_letter(names.index(header) + 1)
        validation = DataValidation(type="list", formula1=f'"{",".join(choices)}"', allow_blank=True)
        validation.add(f"{column}2:{column}2000")
        sheet.add_data_validation(validation)
    write_sheet(workbook.create_sheet("填写示例"), examples, with_id=False)
    notes = workbook.create_sheet("填写说明")
    notes.column_dimensions["A"].width = 120
    for note in TEMPLATE_NOTES:
        notes.append([note])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def build_template(questions: list[Any]) -> bytes:
    """The template with, as examples, the first question of each type among
    ``questions`` (the bank's, in course order) that fits in 选项A … 选项F.
    ``quiz_bank/_templates/题库导入模板.xlsx`` is this, for the shipped bank."""
    examples = []
    for kind in TYPE_ORDER:
        example = next((q for q in questions if q.type == kind and len(_options_of(q)) <= MIN_OPTION_COLUMNS), None)
        if example is not None:
            examples.append(example)
    return template_bytes(examples)
