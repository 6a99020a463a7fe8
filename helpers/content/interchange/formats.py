"""Which formats there are, what each can carry, and which one a file is in."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers.content.interchange import aiken, excel_bank, gift, jupyterquiz
from helpers.content.interchange.model import Parsed, UnreadableFile


@dataclass(frozen=True)
class Format:
    name: str
    title: str
    read: Callable[[bytes, str], Parsed]
    write: Callable[[list[Any], bool], bytes] | None = None
    unsupported: Callable[[Any], str | None] | None = None


FORMATS: dict[str, Format] = {
    "xlsx": Format("xlsx", "Excel 题库（.xlsx）", excel_bank.read_xlsx, excel_bank.write_xlsx, excel_bank.unsupported),
    "csv": Format("csv", "Excel 题库另存的 CSV", excel_bank.read_csv),
    "gift": Format("gift", "GIFT（Moodle）", gift.read_gift, gift.write_gift, gift.unsupported),
    "aiken": Format("aiken", "Aiken（Moodle）", aiken.read_aiken, aiken.write_aiken, aiken.unsupported),
    "jupyterquiz": Format("jupyterquiz", "jupyterquiz JSON", jupyterquiz.read_jupyterquiz),
}
IMPORT_FORMATS = tuple(FORMATS)
EXPORT_FORMATS = tuple(name for name, f in FORMATS.items() if f.write is not None)

_BY_SUFFIX = {
    ".xlsx": "xlsx", ".xlsm": "xlsx", ".csv": "csv", ".gift": "gift", ".aiken": "aiken", ".json": "jupyterquiz",
}
_REFUSED = {
    ".xls": "是旧版 Excel 文件（.xls），请在 Excel 或 WPS 中另存为 .xlsx 后再导入",
    ".doc": "是 Word 文档，请把题目填进题库导入模板（.xlsx）后再导入",
    ".docx": "是 Word 文档，请把题目填进题库导入模板（.xlsx）后再导入",
    ".pdf": "是 PDF 文件，无法导入；请把题目填进题库导入模板（.xlsx）",
}


def detect_format(path: Path, data: bytes) -> str:
    """The format by file extension; a .txt is GIFT if it has an answer block
    ``{…}`` and Aiken if it has ``ANSWER:`` lines (Moodle writes both as .txt)."""
    suffix = path.suffix.lower()
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    if suffix in _REFUSED:
        raise UnreadableFile(f"“{path.name}”{_REFUSED[suffix]}")
    if suffix == ".txt":
        sample = data[:200_000]
        has_answer_line = any(line.strip().upper().startswith((b"ANSWER:", b"ANSWER\xef\xbc\x9a"))
                              for line in sample.splitlines())
        has_block = b"{" in sample and b"}" in sample
        if has_answer_line != has_block:
            return "aiken" if has_answer_line else "gift"
        raise UnreadableFile(f"无法判断“{path.name}”是 GIFT 还是 Aiken 格式，请加 --format gift 或 --format aiken")
    known = "、".join(sorted({*_BY_SUFFIX, ".txt"}))
    raise UnreadableFile(f"不认识“{path.name}”的文件类型；能导入的有 {known}（或用 --format 指定）")
