"""Exports open in Excel as an instructor expects: Chinese intact, header frozen,
columns readable, nothing runs as a formula."""
import csv
import datetime as dt
import io
import math

import pytest
from openpyxl import load_workbook

from helpers.engine.exports import CSV_BOM, Table, column_widths, display_width, sheet_titles, to_csv, to_xlsx

ROSTER = Table.of(
    "花名册与进度",
    ["学员编号", "姓名", "单位", "完成率(%)", "最高分", "已登录", "首次登录"],
    [
        ["2026001", "张三", "某某科技有限公司党支部", 87.5, 92.0, True, dt.datetime(2026, 11, 2, 1, 30, tzinfo=dt.timezone.utc)],
        ["2026002", "李四", "", 0, math.nan, False, None],
    ],
)


def workbook(tables):
    return load_workbook(io.BytesIO(to_xlsx(tables)))


def test_one_sheet_per_table_with_chinese_headers_and_frozen_header():
    scores = Table.of("成绩分布", ["分数段", "人数"], [["90–100 分", 3]])
    book = workbook([ROSTER, scores])
    assert book.sheetnames == ["花名册与进度", "成绩分布"]
    sheet = book["花名册与进度"]
    assert [c.value for c in sheet[1]] == list(ROSTER.headers)
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    assert sheet.auto_filter.ref == "A1:G3"
    assert [c.value for c in sheet[2]][:6] == ["2026001", "张三", "某某科技有限公司党支部", 87.5, 92, "是"]
    assert sheet["E3"].value is None  # NaN → empty cell
    assert sheet["G2"].value == dt.datetime(2026, 11, 2, 1, 30, tzinfo=dt.timezone.utc).astimezone().replace(tzinfo=None)
    assert book["成绩分布"].freeze_panes == "A2"


def test_column_widths_fit_chinese_text():
    sheet = workbook([ROSTER])["花名册与进度"]
    unit = sheet.column_dimensions["C"].width
    assert unit >= display_width("某某科技有限公司党支部") == 22
    assert sheet.column_dimensions["A"].width >= len("2026001")
    assert sheet.column_dimensions["B"].width >= 8  # a floor, so short columns stay clickable
    long = Table.of("长", ["题干"], [["很" * 500]])
    assert column_widths(long) == [60.0]


def test_formula_like_text_stays_text():
    table = Table.of("名单", ["姓名", "单位"], [["=1+1", "+86 支部"], ["@SUM(A1)", "-1"]])
    sheet = workbook([table])["名单"]
    assert sheet["A2"].value == "=1+1" and sheet["A2"].data_type == "s"
    text = to_csv(table).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1] == ["'=1+1", "'+86 支部"] and rows[2] == ["'@SUM(A1)", "'-1"]
    numbers = list(csv.reader(io.StringIO(to_csv(Table.of("数", ["差"], [[-1.5]])).decode("utf-8-sig"))))
    assert numbers[1] == ["-1.5"]


def test_control_characters_do_not_break_the_workbook():
    sheet = workbook([Table.of("表", ["单位"], [["某\x07支部"]])])["表"]
    assert sheet["A2"].value == "某支部"


def test_csv_has_bom_and_round_trips_chinese():
    data = to_csv(ROSTER)
    assert data.startswith(CSV_BOM) and data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == list(ROSTER.headers)
    assert rows[1][:6] == ["2026001", "张三", "某某科技有限公司党支部", "87.5", "92", "是"]
    assert rows[2][3:5] == ["0", ""]
    assert b"\r\n" in data


def test_sheet_titles_are_valid_and_distinct():
    tables = [Table.of(t, ["列"], []) for t in ("题目分析[第1/2部分]", "题目分析[第1/2部分]", "x" * 40, "")]
    titles = sheet_titles(tables)
    assert titles == ["题目分析_第1_2部分_", "题目分析_第1_2部分_(2)", "x" * 31, "工作表"] and all(0 < len(t) <= 31 for t in titles)
    assert not any(ch in t for t in titles for ch in "[]:*?/\\")
    book = workbook(tables)
    assert book.sheetnames == titles


def test_empty_table_still_has_its_header_and_no_tables_is_an_error():
    sheet = workbook([Table.of("空表", ["姓名"], [])])["空表"]
    assert sheet["A1"].value == "姓名" and sheet.max_row == 1
    with pytest.raises(ValueError, match="没有可导出的表格"):
        to_xlsx([])
