"""Getting an import file's bytes and text safely.

Question banks arrive from Chinese Excel, WPS and Notepad, so text files are as
often GBK as UTF-8; we try UTF-8 (with or without BOM) and then GB18030, which
reads GBK and GB2312 too, and say plainly when neither fits.  Size is checked
before a single byte is read, and an .xlsx (a zip) is checked for what it
would unpack to before openpyxl sees it.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from helpers.content.interchange.model import NotText, UnknownEncoding, UnreadableFile

MAX_BYTES = 5 * 1024 * 1024
# A 5 MB workbook is compressed XML; refuse one that would unpack to far more.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

def read_limited(path: Path) -> bytes:
    """The file's bytes, refusing anything over :data:`MAX_BYTES` before reading it."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableFile(f"找不到或无法打开文件“{path}”：{exc.strerror or exc}") from exc
    if not path.is_file():
        raise UnreadableFile(f"“{path}”不是文件")
    if size > MAX_BYTES:
        raise UnreadableFile(
            f"文件“{path.name}”有 {size / 1024 / 1024:.1f} MB，超过 {MAX_BYTES // 1024 // 1024} MB 的上限，没有读取。"
            "请把题库分成几个文件分别导入"
        )
    with path.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)  # the file may have grown since stat()
    if len(data) > MAX_BYTES:
        raise UnreadableFile(f"文件“{path.name}”超过 {MAX_BYTES // 1024 // 1024} MB 的上限，没有读取")
    if not data.strip():
        raise UnreadableFile(f"文件“{path.name}”是空的")
    return data


ENCODING_NAMES = {"utf-8-sig": "UTF-8", "gb18030": "GBK/GB18030", "utf-16": "UTF-16"}


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """The text of a CSV, GIFT, Aiken or JSON file and the encoding it was in."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    elif b"\x00" in data:
        raise NotText(f"“{name}”不是文本文件（可能是 Word、Excel 或图片），无法按文本读取")
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding).lstrip("\ufeff")
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text):
            raise NotText(f"“{name}”不是文本文件，无法按文本读取")
        return text, encoding
    raise UnknownEncoding(
        f"“{name}”的文字编码无法识别（既不是 UTF-8，也不是 GBK/GB18030）。"
        "请用记事本或 WPS 打开后“另存为”UTF-8 编码，再导入"
    )


def check_workbook(data: bytes, name: str, *, holds: str = "题目", template: str = "题库导入模板（.xlsx）",
                   verb: str = "导入") -> None:
    """Refuse a zip that is not an Excel workbook, or that would unpack too large.

    Every workbook the course reads (question banks, rosters, meeting logs) is
    checked here; the messages say what the file should hold (``holds``), which
    template to fill in, and whether the user is importing or uploading.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise UnreadableFile(f"“{name}”已损坏，无法打开；请在 Excel 或 WPS 中重新保存为 .xlsx 后再{verb}") from exc
    if "word/document.xml" in names:
        raise UnreadableFile(f"“{name}”是 Word 文档，不是表格。请把{holds}填进{template}后再{verb}")
    if "xl/workbook.xml" not in names:
        raise UnreadableFile(f"“{name}”不是 Excel 工作簿（.xlsx），请把{holds}填进{template}后再{verb}")
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableFile(f"“{name}”解压后过大，无法读取；请只保留{holds}这一张表后再{verb}")


def line_of(text: str, index: int) -> int:
    """1-based line number of a character offset."""
    return text.count("\n", 0, index) + 1
