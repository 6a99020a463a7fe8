"""Turning the instructor's tables into files a party school can open: .xlsx and CSV.

Pure: tables in, bytes out; the page decides where the bytes go.  Both formats
are written for Chinese Excel and WPS as they are found in party schools:

- .xlsx: one sheet per table, Chinese headers in bold, the header row frozen and
  filtered, columns wide enough for their Chinese text (a CJK character takes
  two columns' worth of width);
- CSV: UTF-8 *with* a byte-order mark and CRLF line ends.  Without the mark,
  Chinese Excel reads the file as GBK and shows mojibake.

Text that starts like a formula (``=``, ``+``, ``-``, ``@``) is kept as text in
both, so a roster cell or a name can never run as a formula in the instructor's
spreadsheet ("CSV injection").  openpyxl is imported only when a workbook is
written, because trainee pages never write one.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

SHEET_TITLE_MAX = 31  # Excel's limit
MIN_WIDTH = 8
MAX_WIDTH = 60
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_DATE_FORMAT = "yyyy-mm-dd"
_DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
_HEADER_FILL = "FFF3E0"
CSV_BOM = "\ufeff".encode("utf-8")


@dataclass(frozen=True)
class Table:
    """One exported table: its sheet title, Chinese column headers, and rows.

    Cells may be text, numbers (NaN becomes an empty cell), booleans (是/否),
    dates and datetimes (aware ones are shown in the server's local time), or
    ``None`` for an empty cell.
    """

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    @classmethod
    def of(cls, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Table:
        return cls(title, tuple(headers), tuple(tuple(row) for row in rows))


def cell_value(value: Any) -> Any:
    """A cell as both formats should show it: plain Python, no NaN or infinity, no time zone."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy / pandas scalars
        value = value.item()
    if value is None or isinstance(value, (str, int)) and not isinstance(value, bool):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dt.datetime):
        return value.astimezone().replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, dt.date):
        return value
    return str(value)


def cell_text(value: Any) -> str:
    """How a cell reads in CSV and on the page (and how wide it is in a sheet)."""
    value = cell_value(value)
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.10g}"
    return str(value)


def display_width(text: str) -> int:
    """Width in Excel's character units: wide (CJK) characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def column_widths(table: Table) -> list[float]:
    """Each column wide enough for its header and longest cell, within bounds."""
    widths = []
    for index, header in enumerate(table.headers):
        cells = [cell_text(row[index]) for row in table.rows if index < len(row)]
        longest = max([display_width(header), *(display_width(cell) for cell in cells)])
        widths.append(float(min(MAX_WIDTH, max(MIN_WIDTH, longest + 2))))
    return widths


def _defused(text: str) -> str:
    """Text that a spreadsheet will not take for a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def sheet_titles(tables: Sequence[Table]) -> list[str]:
    """Valid, distinct Excel sheet titles: no []:*?/\\, at most 31 characters."""
    titles: list[str] = []
    for table in tables:
        base = _SHEET_FORBIDDEN.sub("_", table.title).strip("' ") or "工作表"
        title = base[:SHEET_TITLE_MAX]
        number = 2
        while title.casefold() in (t.casefold() for t in titles):
            suffix = f"({number})"
            title = base[: SHEET_TITLE_MAX - len(suffix)] + suffix
            number += 1
        titles.append(title)
    return titles


def to_xlsx(tables: Sequence[Table]) -> bytes:
    """A workbook with one sheet per table (at least one table is needed)."""
    if not tables:
        raise ValueError("没有可导出的表格")
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor=_HEADER_FILL)
    for table, title in zip(tables, sheet_titles(tables)):
        sheet = workbook.create_sheet(title)
        sheet.append(list(table.headers))
        for cell in sheet[1]:
            cell.font, cell.fill = header_font, header_fill
            cell.alignment = Alignment(vertical="center", wrap_text=False)
        for row_number, row in enumerate(table.rows, start=2):
            for column, raw in enumerate(row, start=1):
                _write(sheet.cell(row=row_number, column=column), cell_value(raw))
        sheet.freeze_panes = "A2"
        if table.headers:
            last = get_column_letter(len(table.headers))
            sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
        for index, width in enumerate(column_widths(table), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write(cell: Any, value: Any) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters: openpyxl refuses them
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # openpyxl would otherwise store it as a formula
    elif isinstance(value, dt.datetime):
        cell.number_format = _DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.number_format = _DATE_FORMAT


def _csv_cell(value: Any) -> str:
    """Text cells are defused; numbers keep their sign."""
    text = cell_text(value)
    return _defused(text) if isinstance(cell_value(value), str) else text


def to_csv(table: Table) -> bytes:
    """The table as UTF-8 CSV with a byte-order mark, as Chinese Excel expects."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_defused(header) for header in table.headers])
    for row in table.rows:
        writer.writerow([_csv_cell(value) for value in row])
    return CSV_BOM + buffer.getvalue().encode("utf-8")
