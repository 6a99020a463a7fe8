"""A class roster (花名册): who may sign in to a class, as the instructor's file lists them.

The file is read with the same safe readers as question-bank imports (size
before reading, GBK or UTF-8 text, a real .xlsx); every bad row is named and
nothing is imported unless the whole file is good.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from helpers.content.interchange.files import MAX_BYTES, check_workbook, decode_text
from helpers.content.interchange.model import UnreadableFile

COLUMNS = {"姓名": "name", "学员编号": "number", "单位": "unit", "职务": "position"}
REQUIRED = ("姓名", "学员编号")
MAX_PROBLEMS = 20
# No roster field is longer (the store allows 100 for 单位 and 职务, less for
# the others); a longer cell is refused here, before any message quotes it.
CELL_MAX = 100


class RosterError(ValueError):
    """The roster file cannot be imported; the message lists every bad row."""


@dataclass(frozen=True)
class RosterEntry:
    """One trainee on a roster; ``number`` and ``name`` are what she types to sign in."""

    number: str
    name: str
    unit: str = ""
    position: str = ""


def _cell(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores 2026001 as 2026001.0
    return "" if value is None else str(value).strip()


def _rows(data: bytes, filename: str) -> list[list[str]]:
    if filename.lower().endswith(".xlsx"):
        check_workbook(data, filename, holds="学员名单", template="花名册（列：姓名、学员编号、单位、职务）")
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
            return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        except Exception as exc:  # a damaged workbook raises zip, XML, key or value errors alike
            raise RosterError(f"无法读取“{filename}”，文件可能已损坏；请在 Excel 或 WPS 中重新保存为 .xlsx 后再导入") from exc
    if filename.lower().endswith((".xls", ".docx", ".pdf")):
        raise RosterError(f"“{filename}”不是 .xlsx 或 .csv 表格；请在 Excel 或 WPS 中另存为 .xlsx 后再导入")
    text, _ = decode_text(data, filename)
    return [[_cell(v) for v in row] for row in csv.reader(io.StringIO(text))]


def parse_roster(data: bytes, filename: str) -> list[RosterEntry]:
    """Entries of a roster file with columns 姓名, 学员编号 (required), 单位, 职务."""
    if len(data) > MAX_BYTES:
        raise RosterError(f"“{filename}”超过 {MAX_BYTES // 1024 // 1024} MB，没有读取")
    if not data.strip():
        raise RosterError(f"“{filename}”是空的")
    try:
        rows = _rows(data, filename)
    except UnreadableFile as exc:
        raise RosterError(str(exc)) from None
    if not rows:
        raise RosterError(f"“{filename}”里没有内容")
    header = {name: i for i, name in enumerate(rows[0]) if name in COLUMNS}
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise RosterError(f"花名册缺少列：{'、'.join(missing)}。第一行须是列名：姓名、学员编号、单位、职务（后两列可空）")
    entries, problems, seen = [], [], {}
    for number, row in enumerate(rows[1:], start=2):
        values = {COLUMNS[name]: (row[i] if i < len(row) else "") for name, i in header.items()}
        if not any(values.values()):
            continue
        overlong = [name for name in header if len(values[COLUMNS[name]]) > CELL_MAX]
        if overlong:
            problems += [f"第 {number} 行：{name}超过 {CELL_MAX} 个字符" for name in overlong]
            continue
        if not values["name"]:
            problems.append(f"第 {number} 行：姓名为空")
        if not values["number"]:
            problems.append(f"第 {number} 行：学员编号为空")
        elif values["number"] in seen:
            problems.append(f"第 {number} 行：学员编号 {values['number']} 与第 {seen[values['number']]} 行重复")
        else:
            seen[values["number"]] = number
        entries.append(RosterEntry(values["number"], values["name"], values.get("unit", ""), values.get("position", "")))
    if problems:
        more = f"（另有 {len(problems) - MAX_PROBLEMS} 处）" if len(problems) > MAX_PROBLEMS else ""
        raise RosterError("\n".join(problems[:MAX_PROBLEMS]) + more)
    if not entries:
        raise RosterError(f"“{filename}”里只有列名，没有学员")
    return entries
