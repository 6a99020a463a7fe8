"""Export then import gives the same questions, for each format and the types
it can express: from a small bank with every type and awkward characters, and
from the real 发展党员工作 module."""
from pathlib import Path

import pytest
from interchange_support import empty_copy, fazhan_bank, snapshot

from helpers.content.interchange import RowsRejected, export_file, import_file
from helpers.content.loader import load_bank

EXPRESSES = {
    "xlsx": {"single", "multiple", "judge", "fill", "numeric", "order", "match"},
    "gift": {"single", "multiple", "judge", "fill", "numeric", "match"},
    "aiken": {"single"},
}
SUFFIX = {"xlsx": "xlsx", "gift": "gift", "aiken": "txt"}


def _round_trip(source: Path, fmt: str, tmp_path: Path) -> tuple[list, list, list]:
    out = tmp_path / f"export.{SUFFIX[fmt]}"
    report = export_file(fmt, out, bank_dir=source)
    target = empty_copy(source, tmp_path, f"target-{fmt}")
    import_file(out, bank_dir=target)
    return load_bank(source).questions, load_bank(target).questions, report.skipped


@pytest.mark.parametrize("fmt", sorted(EXPRESSES))
def test_every_type_round_trips(bank, tmp_path, fmt):
    original, imported, skipped = _round_trip(bank, fmt, tmp_path)
    expected = [q for q in original if q.type in EXPRESSES[fmt]]
    assert imported == expected
    assert {q.id for q, _ in skipped} == {q.id for q in original if q.type not in EXPRESSES[fmt]}


@pytest.mark.parametrize("fmt", sorted(EXPRESSES))
def test_the_fazhan_module_round_trips(tmp_path, fmt):
    original, imported, skipped = _round_trip(fazhan_bank(tmp_path), fmt, tmp_path)
    assert imported == [q for q in original if q.type in EXPRESSES[fmt]]
    assert len(imported) + len(skipped) == len(original) >= 40


@pytest.mark.parametrize("fmt", sorted(EXPRESSES))
def test_importing_an_export_into_its_own_bank_is_refused(bank, tmp_path, fmt):
    out = tmp_path / f"export.{SUFFIX[fmt]}"
    export_file(fmt, out, bank_dir=bank, module="demo")
    before = snapshot(bank)
    with pytest.raises(RowsRejected) as rejected:
        import_file(out, bank_dir=bank)
    assert all("已被题库中的题目使用" in p.message or "重复" in p.message for p in rejected.value.problems)
    assert snapshot(bank) == before


def test_plain_aiken_is_moodle_aiken_and_needs_sources_to_come_back(bank, tmp_path):
    out = tmp_path / "moodle.txt"
    export_file("aiken", out, bank_dir=bank, plain=True)
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[:5] == ["收到入党申请书后，党组织应在多长时间内派人谈话？", "A. 一周内", "B. 一个月内", "C. 三个月内",
                                     "ANSWER: B"]
    assert "出处" not in text and "解析" not in text
    with pytest.raises(RowsRejected, match="缺少出处"):
        import_file(out, bank_dir=empty_copy(bank, tmp_path), module="demo")


def test_export_of_one_module_and_the_excel_cells_stay_text(bank, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "demo.xlsx"
    export_file("xlsx", out, bank_dir=bank, module="演示模块")
    sheet = load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 9 and rows[0][:3] == ("题型", "题干", "选项A")
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)
