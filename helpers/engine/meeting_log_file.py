"""Reading a branch's uploaded meeting log (CSV or .xlsx) into rows for
:func:`helpers.engine.meetings.audit_meetings`.

This sits in the engine, beside the checker it feeds: it turns a trainee's
bytes into validated rows using the checker's own table of meeting types, and
it touches neither the course content nor the page.

Trainees export from Chinese Excel or WPS, so the reader is forgiving where the
meaning is clear (GBK or UTF-8 with or without BOM, UTF-16 "Unicode 文本",
tab- or comma-separated, a title row above the header, full-width digits,
2026/3/5 or 2026年3月5日) and strict where it is not (a date it cannot read, a
negative head count).  Every problem is reported with its row and column,
up to twenty at once, and nothing but :class:`MeetingLogError` ever leaves.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from helpers.content.interchange.files import MAX_BYTES, check_workbook, decode_text
from helpers.content.interchange.model import NotText, UnknownEncoding, UnreadableFile
from helpers.engine.meetings import MeetingInputError, attendance_problem, normalize_type, summarize_problems

# The size limits (MAX_BYTES, and the unpacked size checked against zip bombs) are those
# of every file the course reads, imported above; the page's upload guard uses
# the same MAX_BYTES.
#
# A branch holds some sixty meetings a year, so even decades of records stay far
# below MAX_ROWS.  The cap bounds the time a file can hold a trainee's kernel:
# openpyxl reads about 7,500 rows a second, so a 5 MB workbook of 180,000 rows
# would take half a minute; 20,000 rows take under three seconds.
MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 10
MAX_COLUMNS = 50
# A message quotes a bad cell so she can find it, but never more than this of
# it: a cell may hold a whole pasted page.
QUOTED_MAX = 30


class MeetingLogError(ValueError):
    """An upload that cannot be read; the message says what to fix, in Chinese."""


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...]
    required: bool


COLUMNS: tuple[Column, ...] = (
    Column("date", "日期", ("日期", "会议日期"), True),
    Column("type", "会议类型", ("会议类型", "类型"), True),
    Column("expected", "应到人数", ("应到人数", "应到"), False),
    Column("present", "实到人数", ("实到人数", "实到"), False),
    Column("topic", "议题", ("议题", "会议议题", "主题"), False),
)
_BY_HEADER = {alias: column for column in COLUMNS for alias in column.aliases}
_COLUMN_NAMES = {column.key: column.header for column in COLUMNS}
EXPECTED_HEADER = "、".join(column.header for column in COLUMNS)

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_COUNT = re.compile(r"\d{1,9}")
_NOTE = re.compile(r"[（(].*?[)）]")

_NOT_TEXT = "的内容不是文字，不是 CSV 或 Excel（.xlsx）表格文件。请上传按模板填写的表格"
_UNKNOWN_ENCODING = "的文字编码无法识别。请在 Excel 中另存为“CSV UTF-8”或 .xlsx 后再上传"


class _CellError(Exception):
    """One bad cell; the caller adds the row and column."""


class _NoHeader(Exception):
    """No header in this sheet; another sheet of the workbook may have one."""

    def __init__(self, first_row: list[str]) -> None:
        super().__init__()
        self.first_row = first_row


def _text(value: object) -> str:
    """A cell as normalized text: full-width digits and letters folded, an
    Excel number 12.0 shown as 12."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _quoted(text: str) -> str:
    """``text`` as a message quotes it: its start, if it is long."""
    return text if len(text) <= QUOTED_MAX else text[:QUOTED_MAX] + "…"


def _topic(value: object) -> str:
    """The 议题 as written: it is shown back to the trainee, so no folding."""
    return "" if value is None else str(value).strip()


def _header_key(value: object) -> str:
    """A header cell without spaces, a leading * or notes in brackets, so
    “应到人数（有表决权）” and “*日期” are recognised."""
    return _NOTE.sub("", "".join(_text(value).split())).lstrip("*")


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    match = _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if match:
        try:
            return dt.date(*map(int, match.groups()))
        except ValueError:
            pass
    raise _CellError(f"无法识别的日期 {_quoted(text)}（请写成 2026-03-05 这样的格式）")


def _count(value: object) -> int | None:
    text = _text(value).removesuffix("人").strip()
    if not text:
        return None
    if _COUNT.fullmatch(text):
        return int(text)
    if text.startswith("-") and _COUNT.fullmatch(text[1:]):
        raise _CellError(f"人数不能为负数：{text}")
    raise _CellError(f"人数应为整数：{_quoted(text)}")


def _meeting_type(value: object) -> str:
    try:
        return normalize_type(_quoted(_text(value)))  # no type name is long: a cut one is refused too
    except MeetingInputError as exc:
        raise _CellError(str(exc)) from exc


def _header(rows: Iterator[tuple[int, Any]]) -> dict[str, int]:
    """The column index of each known field, from the first row (among the first
    few non-empty ones) that names both required columns, so a title row above
    the header is skipped."""
    first: list[str] = []
    looked = 0
    for _, cells in rows:
        keys = [_header_key(cell) for cell in cells]
        if not any(keys):
            continue
        first = first or [key for key in keys if key]
        found: dict[str, list[int]] = {}
        for index, key in enumerate(keys):
            if key in _BY_HEADER:
                found.setdefault(_BY_HEADER[key].key, []).append(index)
        if all(column.key in found for column in COLUMNS if column.required):
            twice = [_COLUMN_NAMES[key] for key, indexes in found.items() if len(indexes) > 1]
            if twice:
                names = "、".join(f"“{name}”" for name in twice)
                raise MeetingLogError(f"表头中 {names} 列出现了不止一次，请只保留一列")
            return {key: indexes[0] for key, indexes in found.items()}
        looked += 1
        if looked >= HEADER_SEARCH_ROWS:
            break
    raise _NoHeader(first)


def _row(cells: tuple[Any, ...] | list[Any], columns: dict[str, int]) -> dict[str, Any]:
    return {key: cells[index] if index < len(cells) else None for key, index in columns.items()}


def _convert(number: int, raw: dict[str, Any], problems: list[str]) -> dict[str, Any] | None:
    """One data row as checker input, or None after adding its problems."""
    converters = {"date": _date, "type": _meeting_type, "expected": _count, "present": _count}
    row: dict[str, Any] = {"date": None, "type": None, "expected": None, "present": None, "topic": _topic(raw.get("topic"))}
    before = len(problems)
    for key, convert in converters.items():
        if key not in raw:
            continue
        if key in ("date", "type") and not _text(raw[key]):
            problems.append(f"第 {number} 行“{_COLUMN_NAMES[key]}”列：不能为空")
            continue
        try:
            row[key] = convert(raw[key])
        except _CellError as exc:
            problems.append(f"第 {number} 行“{_COLUMN_NAMES[key]}”列：{exc}")
    if len(problems) > before:
        return None
    if problem := attendance_problem(row["expected"], row["present"]):
        key, reason = problem
        problems.append(f"第 {number} 行“{_COLUMN_NAMES[key]}”列：{reason}")
        return None
    return row


def _table(rows: Iterable[Iterable[Any]]) -> list[dict[str, Any]]:
    numbered = enumerate(rows, start=1)  # spreadsheet row numbers, as Excel shows them
    columns = _header(numbered)
    problems: list[str] = []
    meetings: list[dict[str, Any]] = []
    data_rows = 0
    for number, cells in numbered:
        if number > MAX_ROWS:  # blank rows count too: they take as long to read
            raise MeetingLogError(f"表格超过 {MAX_ROWS} 行，请只上传本支部的会议记录（可以按年份分开上传）")
        raw = _row(cells, columns)
        if not any(_text(value) for value in raw.values()):
            continue
        data_rows += 1
        if (meeting := _convert(number, raw, problems)) is not None:
            meetings.append(meeting)
    if problems:
        raise MeetingLogError(summarize_problems(problems, "会议记录文件中"))
    if not data_rows:
        raise MeetingLogError("表头下面没有会议记录，请每次会议填写一行")
    return meetings


def _header_message(first_row: list[str]) -> str:
    required = "、".join(f"“{c.header}”" for c in COLUMNS if c.required)
    optional = "、".join(f"“{c.header}”" for c in COLUMNS if not c.required)
    found = "、".join(_quoted(cell) for cell in first_row[:10]) if first_row else "（空）"
    return (
        f"没有找到表头。表格第一行应为：{EXPECTED_HEADER}；其中{required}两列必须有，{optional}可以不填。"
        f"文件第一行是：{found}。建议下载模板，按模板填写后再上传"
    )


def _describe_binary(data: bytes) -> str | None:
    """What a non-spreadsheet upload probably is, for the message; None for text."""
    if data.startswith(b"%PDF"):
        return "这是 PDF 文件"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "这是旧版 Office 文件（.xls 或 .doc），请在 Excel 中另存为 .xlsx 或 CSV 后再上传"
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "这是图片"
    return None


def _decode(data: bytes, filename: str) -> str:
    """Text of a CSV, read as question-bank imports read theirs (UTF-16 by BOM,
    UTF-8, then GB18030 for Chinese Excel's GBK exports), with this page's words."""
    try:
        return decode_text(data, filename)[0]
    except NotText:
        raise MeetingLogError(f"“{filename}”{_NOT_TEXT}") from None
    except UnknownEncoding:
        raise MeetingLogError(f"“{filename}”{_UNKNOWN_ENCODING}") from None


def _csv_rows(text: str) -> Iterator[list[str]]:
    """Comma-, tab- or semicolon-separated, whichever the first line uses most."""
    first = next((line for line in text[:4096].splitlines() if line.strip()), "")
    delimiter = max((",", "\t", ";"), key=first.count)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as exc:
        raise MeetingLogError(f"无法按 CSV 格式读取这个文件（{exc}），请在 Excel 中另存为 CSV 后再上传") from exc


def _xlsx_tables(data: bytes, filename: str) -> list[dict[str, Any]]:
    """The first worksheet that has a header; openpyxl is imported here, not at
    module import, because most pages never read a workbook."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged workbook raises zip, XML, key or value errors alike
        raise MeetingLogError(f"无法打开 Excel 文件“{filename}”，文件可能已损坏；请在 Excel 中重新保存为 .xlsx 后再上传") from exc
    first_row: list[str] | None = None
    try:
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()  # some exporters write wrong dimensions; read every row
            try:
                return _table(sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True))
            except _NoHeader as missing:
                first_row = first_row if first_row is not None else missing.first_row
    except MeetingLogError:
        raise
    except Exception as exc:  # damage inside a sheet only shows while reading it
        raise MeetingLogError(f"读取 Excel 文件“{filename}”时出错，文件可能已损坏；请在 Excel 中重新保存为 .xlsx 后再上传") from exc
    finally:
        workbook.close()
    raise _NoHeader(first_row or [])


def _check_zip(data: bytes, filename: str) -> None:
    """Refuse a zip that is not a workbook, or that would unpack too large."""
    try:
        check_workbook(data, filename, holds="会议记录", template="模板（.csv 或 .xlsx）", verb="上传")
    except UnreadableFile as exc:
        raise MeetingLogError(str(exc)) from exc


def check_size(size: int, filename: str) -> None:
    """Refuse a file over :data:`MAX_BYTES`; a page calls this with the size the
    browser reported, before it touches the content."""
    if size > MAX_BYTES:
        raise MeetingLogError(
            f"文件“{filename}”有 {size / 1024 / 1024:.1f} MB，超过 {MAX_BYTES // 1024 // 1024} MB 的上限；"
            "会议记录表一般只有几十 KB，请检查是否选错了文件"
        )


def parse_meeting_log(data: bytes, filename: str) -> list[dict[str, Any]]:
    """Rows of an uploaded meeting log, ready for ``audit_meetings``.

    Each row is ``{"date", "type", "expected", "present", "topic"}`` with the
    type in its canonical name and missing counts as None.  The size is checked
    before anything is read.  Raises :class:`MeetingLogError` with a Chinese
    message for every problem; no other exception escapes.
    """
    check_size(len(data), filename)
    if not data.strip():
        raise MeetingLogError(f"文件“{filename}”是空的，请填写会议记录后再上传")
    try:
        if data.startswith(b"PK\x03\x04"):
            _check_zip(data, filename)
            return _xlsx_tables(data, filename)
        if (what := _describe_binary(data)) is not None:
            raise MeetingLogError(f"“{filename}”不是 CSV 或 Excel（.xlsx）表格文件：{what}。请上传按模板填写的表格")
        text = _decode(data, filename)
        if not text.strip():
            raise MeetingLogError(f"文件“{filename}”是空的，请填写会议记录后再上传")
        return _table(_csv_rows(text))
    except _NoHeader as missing:
        raise MeetingLogError(_header_message(missing.first_row)) from None
