import io

import pytest
from openpyxl import Workbook

from helpers.content.roster import RosterEntry, RosterError, parse_roster


def test_csv_in_gbk_and_utf8():
    text = "姓名,学员编号,单位,职务\n刘一,001,丙公司党支部,书记\n陈二,002,,\n"
    for data in (text.encode("gbk"), text.encode("utf-8-sig")):
        assert parse_roster(data, "花名册.csv") == [RosterEntry("001", "刘一", "丙公司党支部", "书记"),
                                                   RosterEntry("002", "陈二")]


def test_xlsx_with_numeric_numbers():
    book = Workbook()
    book.active.append(["学员编号", "姓名"])
    book.active.append([2026001, "张三"])
    out = io.BytesIO()
    book.save(out)
    assert parse_roster(out.getvalue(), "r.xlsx") == [RosterEntry("2026001", "张三")]


@pytest.mark.parametrize("data, name, message", [
    ("姓名,学员编号\n刘一,001\n,002\n陈二,001\n".encode(), "r.csv", "第 3 行：姓名为空\n第 4 行：学员编号 001 与第 2 行重复"),
    ("名字,编号\n刘一,001\n".encode(), "r.csv", "缺少列：姓名、学员编号"),
    (b"", "r.csv", "是空的"),
    ("姓名,学员编号\n".encode(), "r.csv", "没有学员"),
    (b"\x00\x01binary", "r.csv", "不是文本文件"),
    (b"PK\x03\x04junk", "r.xlsx", "已损坏"),
    (b"x" * (5 * 1024 * 1024 + 1), "r.csv", "超过 5 MB"),
])
def test_bad_files(data, name, message):
    with pytest.raises(RosterError, match=message):
        parse_roster(data, name)
