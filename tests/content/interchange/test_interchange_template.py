"""The downloadable 题库导入模板 in quiz_bank/_templates: the header the importer
reads, and examples that pass the bank's validator."""
from pathlib import Path

import pytest
from interchange_support import REAL_BANK, empty_copy
from openpyxl import Workbook, load_workbook

from helpers.content.interchange import RowsRejected, import_file
from helpers.content.interchange.excel_bank import COLUMNS, TEMPLATE_NOTES, headers
from helpers.content.loader import load_bank
from helpers.content.schema import QUESTION_TYPES

TEMPLATE = REAL_BANK / "_templates" / "题库导入模板.xlsx"


def _examples_as_a_file(tmp_path: Path) -> Path:
    """The 填写示例 sheet as the first sheet of a workbook, as an instructor would fill it."""
    copy = Workbook()
    for row in load_workbook(TEMPLATE)["填写示例"].iter_rows(values_only=True):
        copy.active.append(row)
    copy.save(tmp_path / "examples.xlsx")
    return tmp_path / "examples.xlsx"


def test_first_sheet_is_an_empty_table_with_the_columns():
    workbook = load_workbook(TEMPLATE)
    assert workbook.sheetnames == ["题库", "填写示例", "填写说明"]
    rows = list(workbook["题库"].iter_rows(values_only=True))
    assert rows == [tuple(headers(6))]
    assert rows[0][:8] == ("题型", "题干", "选项A", "选项B", "选项C", "选项D", "选项E", "选项F")
    assert {c.header for c in COLUMNS} <= set(rows[0])
    assert [row[0] for row in workbook["填写说明"].iter_rows(values_only=True)] == list(TEMPLATE_NOTES)


def test_examples_cover_every_type_and_import_cleanly(tmp_path):
    path = _examples_as_a_file(tmp_path)
    target = empty_copy(REAL_BANK, tmp_path)
    plan = import_file(path, bank_dir=target)
    assert plan.count == len(QUESTION_TYPES)
    assert sorted(q.type for q in load_bank(target).questions) == sorted(QUESTION_TYPES)


def test_the_examples_are_already_in_the_bank_so_they_are_never_imported_twice(tmp_path):
    with pytest.raises(RowsRejected) as rejected:
        import_file(_examples_as_a_file(tmp_path), bank_dir=REAL_BANK, dry_run=True)
    assert len(rejected.value.problems) == len(QUESTION_TYPES)
    assert all("中已有的题目" in p.message for p in rejected.value.problems)
