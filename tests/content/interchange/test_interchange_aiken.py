"""Aiken import: Moodle's layout, our lines after ANSWER:, what Chinese
editors type, and problems named by the line the question starts on."""
import pytest
from interchange_support import SOURCE

from helpers.content.interchange import RowsRejected, import_file
from helpers.content.interchange.aiken import read_aiken

AIKEN = f"""收到入党申请书后，党组织应在多长时间内派人谈话？
A. 一周内
B) 一个月内
C、三个月内
ANSWER: B
解析：第七条规定一个月内。
出处：{SOURCE}
难度：中
标签：谈话、时限
编号：ot-201
模块：other
某企业有党员5名，
其中正式党员3名，可以计入“三人以上”的有几名？
Ａ．5名
Ｂ．3名
答案：B
解析：只计正式党员。
出处：《中国共产党章程》（2022年修改）第三十条
难度：2
"""


def _parse(text: str):
    return read_aiken(text.encode("utf-8"), "t.txt")


def test_moodle_layout_with_extension_lines():
    parsed = _parse(AIKEN)
    assert parsed.problems == []
    first, second = parsed.drafts
    assert first.fields == {
        "type": "single", "stem": "收到入党申请书后，党组织应在多长时间内派人谈话？", "options": ["一周内", "一个月内", "三个月内"],
        "answer": "B", "id": "ot-201", "explanation": "第七条规定一个月内。", "source": SOURCE, "difficulty": 2,
        "tags": ["谈话", "时限"],
    }
    assert first.module == "other" and first.line == 1
    assert second.fields["stem"] == "某企业有党员5名，\n其中正式党员3名，可以计入“三人以上”的有几名？"
    assert (second.line, second.fields["options"], second.module) == (12, ["5名", "3名"], None)


def test_import(bank, tmp_path):
    path = tmp_path / "aiken.txt"
    path.write_text(AIKEN, encoding="gbk")
    plan = import_file(path, bank_dir=bank, module="other")
    assert [q.id for q in plan.changes[0].questions] == ["ot-201", "other-001"]
    assert plan.encoding == "gb18030"


AIKEN_ERRORS = {
    "题干\nA. 甲\nB. 乙\n": (1, "缺少 ANSWER: 行"),
    "题干\nA. 甲\nB. 乙\nANSWER: AB\n": (1, "Aiken 格式只能有一个正确答案"),
    "A. 甲\nB. 乙\nANSWER: A\n": (1, "选项前面缺少题干"),
    "题干\nA. 甲\nC. 乙\nANSWER: A\n": (1, "第 9 行的选项字母应为 B"),
    "题干\nANSWER: A\n": (1, "ANSWER: 行前面没有选项"),
    "只有题干\n": (1, "只有题干，没有选项和 ANSWER: 行"),
}


@pytest.mark.parametrize("text", AIKEN_ERRORS)
def test_errors_name_the_line(text):
    good = f"好题\nA. 甲\nB. 乙\nANSWER: A\n出处：{SOURCE}\n\n"
    parsed = _parse(good + text)
    line, message = AIKEN_ERRORS[text]
    assert [(p.line, message in p.message) for p in parsed.problems] == [(line + 6, True)]
    assert len(parsed.drafts) == 1


def test_a_stray_answer_line(bank, tmp_path):
    path = tmp_path / "a.aiken"
    path.write_text("题干\nA. 甲\nB. 乙\nANSWER: A\n\nANSWER: B\n", encoding="utf-8")
    with pytest.raises(RowsRejected) as rejected:
        import_file(path, bank_dir=bank, module="other")
    assert "第 6 行：ANSWER: 行前面没有题目" in [str(p) for p in rejected.value.problems]


def test_answer_outside_the_options_and_no_source(bank, tmp_path):
    path = tmp_path / "a.aiken"
    path.write_text("题干\nA. 甲\nB. 乙\nANSWER: D\n解析：因为。\n难度：1\n", encoding="utf-8")
    with pytest.raises(RowsRejected) as rejected:
        import_file(path, bank_dir=bank, module="other")
    assert sorted(str(p) for p in rejected.value.problems) == [
        "第 1 行：出处：缺少出处：须用《》写明法规名称并写明条款，如《中国共产党章程》（2022年修改）第七条",
        "第 1 行：答案：答案 D 不在选项 A–B 之中",
    ]
