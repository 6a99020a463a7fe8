"""Reading uploaded meeting logs: what Chinese Excel and WPS actually produce,
and every kind of wrong file a trainee may pick, each with its message."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from helpers.content.interchange import files
from helpers.engine import meeting_log_file
from helpers.engine.meeting_log_file import EXPECTED_HEADER, MAX_BYTES, MeetingLogError, check_size, parse_meeting_log
from helpers.engine.meetings import audit_meetings

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "quiz_bank" / "_templates"
HEADER = "日期,会议类型,应到人数,实到人数,议题"
D = dt.date


def csv_bytes(*lines: str, encoding: str = "utf-8", newline: str = "\r\n") -> bytes:
    return newline.join(lines).encode(encoding)


def refused(data: bytes, filename: str = "记录.csv") -> str:
    with pytest.raises(MeetingLogError) as error:
        parse_meeting_log(data, filename)
    return str(error.value)


def xlsx_bytes(path: Path, *sheets: tuple[str, list[list[object]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path.read_bytes()


# --- the templates -------------------------------------------------------------

def test_both_templates_parse_to_the_same_rows_and_audit():
    from_csv = parse_meeting_log((TEMPLATES / "会议记录模板.csv").read_bytes(), "会议记录模板.csv")
    from_xlsx = parse_meeting_log((TEMPLATES / "会议记录模板.xlsx").read_bytes(), "会议记录模板.xlsx")
    assert from_csv == from_xlsx
    assert from_csv[0] == {"date": D(2026, 1, 8), "type": "支委会", "expected": 5, "present": 5,
                           "topic": "研究本月工作安排（示例行，请换成本支部的记录）"}
    assert from_csv[3]["topic"] == ""
    assert audit_meetings(from_csv, 2026, today=D(2026, 2, 1))


def test_csv_template_opens_in_chinese_excel():
    assert (TEMPLATES / "会议记录模板.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel needs the BOM for UTF-8


# --- encodings and separators --------------------------------------------------

ROW = "2026-03-05,支委会,5,4,研究发展党员工作"
PARSED = [{"date": D(2026, 3, 5), "type": "支委会", "expected": 5, "present": 4, "topic": "研究发展党员工作"}]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_encodings_of_chinese_excel_and_wps(encoding):
    assert parse_meeting_log(csv_bytes(HEADER, ROW, encoding=encoding), "记录.csv") == PARSED


def test_tab_separated_unicode_text_export():
    data = csv_bytes(HEADER.replace(",", "\t"), ROW.replace(",", "\t"), encoding="utf-16")
    assert parse_meeting_log(data, "记录.txt") == PARSED


def test_unix_newlines_quotes_and_a_trailing_blank_line():
    data = csv_bytes(HEADER, '2026-03-05,支委会,5,4,"研究发展党员工作"', "", newline="\n")
    assert parse_meeting_log(data, "记录.csv") == PARSED


# --- header --------------------------------------------------------------------

def test_title_row_notes_in_headers_extra_and_reordered_columns():
    data = csv_bytes(
        "2026年某公司党支部会议记录,,,",
        "备注,会议类型,*日期,议题,实到人数,应到人数（有表决权）",
        "无,支委会,2026-03-05,研究发展党员工作,4,5",
    )
    assert parse_meeting_log(data, "记录.csv") == PARSED


def test_only_the_required_columns():
    data = csv_bytes("日期,会议类型", "2026-03-05,党课")
    assert parse_meeting_log(data, "记录.csv") == [{"date": D(2026, 3, 5), "type": "党课", "expected": None, "present": None, "topic": ""}]


def test_missing_columns_list_what_is_expected():
    message = refused(csv_bytes("日期,议题,人数", "2026-03-05,学习,5"))
    assert "没有找到表头" in message and EXPECTED_HEADER in message
    assert "“日期”、“会议类型”两列必须有" in message and "文件第一行是：日期、议题、人数" in message


def test_header_is_looked_for_only_near_the_top():
    lines = ["说明"] * 10 + [HEADER, ROW]
    assert "没有找到表头" in refused(csv_bytes(*lines))
    assert parse_meeting_log(csv_bytes(*lines[1:]), "记录.csv") == PARSED


def test_duplicate_column_is_refused():
    assert "“日期” 列出现了不止一次" in refused(csv_bytes("日期,会议类型,会议日期", "2026-03-05,党课,2026-03-06"))


# --- cells ---------------------------------------------------------------------

@pytest.mark.parametrize(
    "text", ["2026-03-05", "2026/3/5", "2026年3月5日", "2026.3.5", "20260305", "2026-03-05 00:00:00", "２０２６－０３－０５", " 2026-3-5 "]
)
def test_date_formats(text):
    assert parse_meeting_log(csv_bytes("日期,会议类型", f"{text},党课"), "记录.csv")[0]["date"] == D(2026, 3, 5)


def test_bad_date_names_row_and_column():
    message = refused(csv_bytes(HEADER, ROW, ROW, ROW, "2026-13-40,支委会,5,4,"))
    assert "第 5 行“日期”列：无法识别的日期 2026-13-40" in message


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("2026-03-05,支部会,5,4,", "第 2 行“会议类型”列：未知的会议类型“支部会”"),
        (",支委会,5,4,", "第 2 行“日期”列：不能为空"),
        ("2026-03-05,,5,4,", "第 2 行“会议类型”列：不能为空"),
        ("2026-03-05,支委会,-5,4,", "第 2 行“应到人数”列：人数不能为负数：-5"),
        ("2026-03-05,支委会,5,四,", "第 2 行“实到人数”列：人数应为整数：四"),
        ("2026-03-05,支委会,5,4.5,", "第 2 行“实到人数”列：人数应为整数：4.5"),
        ("2026-03-05,支委会,5,6,", "第 2 行“实到人数”列：实到人数 6 大于应到人数 5"),
        ("2026-03-05,支委会,0,0,", "第 2 行“应到人数”列：应到人数须大于 0"),
        ("3/5/2026,支委会,5,4,", "第 2 行“日期”列：无法识别的日期 3/5/2026"),
    ],
)
def test_bad_cells_name_row_and_column(row, expected):
    assert expected in refused(csv_bytes(HEADER, row))


def test_counts_with_a_unit_and_full_width_digits():
    rows = parse_meeting_log(csv_bytes(HEADER, "2026-03-05,支委会,５人,4人,"), "记录.csv")
    assert (rows[0]["expected"], rows[0]["present"]) == (5, 4)


def test_blank_rows_are_skipped_and_row_numbers_stay_those_excel_shows():
    message = refused(csv_bytes(HEADER, ROW, ",,,,", "", "2026-02-30,支委会,5,4,"))
    assert "第 5 行“日期”列" in message


def test_up_to_twenty_problems_in_one_message():
    message = refused(csv_bytes(HEADER, *["2026-13-01,支委会,5,4,"] * 30))
    assert "发现 30 处问题" in message and "第 21 行" in message and "第 22 行" not in message
    assert "另有 10 处问题未列出" in message


def test_too_many_rows_are_refused_blank_ones_included(monkeypatch):
    monkeypatch.setattr(meeting_log_file, "MAX_ROWS", 4)
    assert "表格超过 4 行" in refused(csv_bytes(HEADER, ROW, ",,,,", ",,,,", ROW))
    assert len(parse_meeting_log(csv_bytes(HEADER, *[ROW] * 3), "记录.csv")) == 3


def test_header_without_rows():
    assert "表头下面没有会议记录" in refused(csv_bytes(HEADER, ",,,,"))


# --- xlsx ----------------------------------------------------------------------

def test_real_xlsx_with_date_cells_float_counts_and_a_notes_sheet_first(tmp_path):
    data = xlsx_bytes(
        tmp_path / "记录.xlsx",
        ("说明", [["请在下一张表填写"]]),
        ("会议记录", [
            ["日期", "会议类型", "应到人数", "实到人数", "议题", "备注"],
            [dt.datetime(2026, 3, 5), "支委会", 5.0, 4, "研究发展党员工作", "x"],
            [],
            [D(2026, 4, 2), "党员大会", None, None, None],
            ["2026年4月9日", "主题党日", 20, 18, 12345],
        ]),
    )
    rows = parse_meeting_log(data, "记录.xlsx")
    assert rows == [
        PARSED[0],
        {"date": D(2026, 4, 2), "type": "党员大会", "expected": None, "present": None, "topic": ""},
        {"date": D(2026, 4, 9), "type": "主题党日", "expected": 20, "present": 18, "topic": "12345"},
    ]


def test_xlsx_error_names_excel_row(tmp_path):
    data = xlsx_bytes(tmp_path / "x.xlsx", ("Sheet1", [["日期", "会议类型"], [D(2026, 1, 1), "党课"], [46086, "党课"]]))
    assert "第 3 行“日期”列：无法识别的日期 46086" in refused(data, "x.xlsx")


def test_xlsx_without_header(tmp_path):
    data = xlsx_bytes(tmp_path / "x.xlsx", ("Sheet1", [["姓名", "党费"], ["张三", 42]]))
    assert "文件第一行是：姓名、党费" in refused(data, "x.xlsx")


def test_xlsx_that_would_unpack_too_large(monkeypatch):
    monkeypatch.setattr(files, "MAX_UNPACKED_BYTES", 1000)
    assert "解压后过大" in refused((TEMPLATES / "会议记录模板.xlsx").read_bytes(), "t.xlsx")


def test_damaged_xlsx():
    good = (TEMPLATES / "会议记录模板.xlsx").read_bytes()
    assert "已损坏" in refused(good[: len(good) // 2], "t.xlsx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not-a-workbook")
    assert "已损坏" in refused(buffer.getvalue(), "t.xlsx")


# --- files that are not spreadsheets --------------------------------------------

def zip_with(name: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (b"", "空.csv", "是空的"),
        (b"  \r\n ", "空.csv", "是空的"),
        (b"\xef\xbb\xbf", "空.csv", "是空的"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "记录.pdf", "这是 PDF 文件"),
        (zip_with("word/document.xml"), "记录.docx", "是 Word 文档"),
        (zip_with("readme.txt"), "记录.zip", "不是 Excel 工作簿"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "记录.xls", "旧版 Office 文件"),
        (b"\x89PNG\r\n\x1a\n" + bytes(50), "照片.png", "这是图片"),
        (bytes(range(256)) * 40, "junk.csv", "内容不是文字"),
        (b"\x81\x30\x20\x07\x1b\x02abc,def", "junk.csv", "编码无法识别"),
        (b"abc\x00def", "junk.csv", "内容不是文字"),
        (b"abc\x07def,ghi", "junk.csv", "内容不是文字"),
    ],
)
def test_non_spreadsheets_get_a_clear_message(data, filename, expected):
    message = refused(data, filename)
    assert expected in message


# --- size ----------------------------------------------------------------------

def test_file_over_five_megabytes_is_refused_before_parsing(monkeypatch):
    def fail(*_):
        raise AssertionError("parsed a file that was too large")

    for name in ("_decode", "_check_zip", "_table", "_describe_binary"):
        monkeypatch.setattr(meeting_log_file, name, fail)
    message = refused(b"PK\x03\x04" + b"x" * (6 * 1024 * 1024), "大文件.xlsx")
    assert "6.0 MB" in message and "超过 5 MB 的上限" in message


def test_size_limit_is_inclusive():
    check_size(MAX_BYTES, "a.csv")
    with pytest.raises(MeetingLogError):
        check_size(MAX_BYTES + 1, "a.csv")


def test_a_file_just_under_the_limit_is_read():
    lines = [HEADER]
    size = len(HEADER.encode()) + 2
    row = "2026-03-05,支委会,5,4," + "研究发展党员工作并部署下一阶段的学习安排" * 6  # ~360 bytes: rows stay under MAX_ROWS
    while size + len(row.encode()) + 2 <= MAX_BYTES:
        lines.append(row)
        size += len(row.encode()) + 2
    data = csv_bytes(*lines)
    assert MAX_BYTES - 200 < len(data) <= MAX_BYTES
    assert len(parse_meeting_log(data, "大.csv")) == len(lines) - 1


def test_a_cell_too_large_for_csv():
    assert "无法按 CSV 格式读取" in refused(csv_bytes(HEADER, "2026-03-05,党课,,," + "x" * 200_000))


# --- never a traceback -----------------------------------------------------------

def parses_or_explains(data: bytes, filename: str) -> None:
    try:
        rows = parse_meeting_log(data, filename)
    except MeetingLogError as error:
        assert str(error)
    else:
        assert isinstance(rows, list)


@settings(max_examples=300)
@given(st.binary(max_size=2000), st.sampled_from(["a.csv", "a.xlsx", "a.pdf"]))
def test_random_bytes_never_raise_anything_else(data, filename):
    parses_or_explains(data, filename)


@settings(max_examples=200)
@given(st.text(max_size=300), st.sampled_from(["utf-8", "utf-16", "gb18030"]))
def test_random_text_never_raises_anything_else(text, encoding):
    parses_or_explains((HEADER + "\n" + text).encode(encoding, errors="replace"), "a.csv")


@settings(max_examples=100)
@given(st.integers(min_value=0, max_value=6000), st.binary(min_size=1, max_size=64))
def test_damaged_workbooks_never_raise_anything_else(cut, junk):
    good = (TEMPLATES / "会议记录模板.xlsx").read_bytes()
    parses_or_explains(good[:cut] + junk + good[cut + len(junk):], "a.xlsx")
