"""GIFT import: the Moodle syntax of each type, our comment lines, and
problems named by the line the question starts on."""
import pytest

from helpers.content.interchange import RowsRejected, import_file, read_questions
from helpers.content.interchange.gift import escape, read_gift
from hypothesis import given, strategies as st

SOURCE_LINE = "// 出处：《中国共产党发展党员工作细则》（2026年修订）第七条\n// 难度：2"

MOODLE_STYLE = f"""// 从 Moodle 导出后补上出处的题目
$CATEGORY: $course$/top/默认

// question: 12  name: Q1
// [id:ot-101] [tag:谈话] [tag:时限]
{SOURCE_LINE}
::Q1::[html]<p>收到申请书后多久内谈话？</p>{{
  ~一周内#太早了
  =一个月内#对
  ~三个月内
  ####<p>第七条规定“一个月内”&amp;不是一周。</p>
}}

{SOURCE_LINE}
::Q2:: 谈话要了解哪些情况？{{
  ~%50%入党动机
  ~%50%工作经历
  ~%-100%收入明细
  ####动机和经历都要了解。
}}

{SOURCE_LINE}
// 计分：部分
支部委员会会议可以代替党员大会。{{FALSE####党员大会不能被代替。}}

{SOURCE_LINE}
党组织应在收到申请书后 {{=一个月 =1个月 =%100%30天 ####时限是一个月。}} 内派人谈话。

{SOURCE_LINE}
// 单位：元
月收入4800元应交党费多少元？{{#47.5..48.5####4800×1%=48元。}}

{SOURCE_LINE}
把会议和频次配起来。{{
  =支委会 -> 每月
  =党员大会 -> 每季度
  = -> 每半年
  ####支委会每月，党员大会每季度。
}}

{SOURCE_LINE}
数值题的另一种写法：{{#=5:0 =%50%4:1####五。}}

{SOURCE_LINE}
特殊字符 \\= \\# \\{{ \\}} \\~ \\: 和\\n换行{{T####对。}}
"""


def _parse(text: str):
    return read_gift(text.encode("utf-8"), "t.gift")


def test_moodle_syntax_of_every_type():
    text = MOODLE_STYLE.replace("// 计分：部分\n", "")
    parsed = _parse(text)
    assert parsed.problems == []
    single, multiple, judge, fill, numeric, match, numeric2, judge2 = [d.fields for d in parsed.drafts]
    assert single == {
        "type": "single", "stem": "收到申请书后多久内谈话？", "options": ["一周内", "一个月内", "三个月内"], "answer": "B",
        "id": "ot-101", "tags": ["谈话", "时限"], "explanation": "第七条规定“一个月内”&不是一周。",
        "source": "《中国共产党发展党员工作细则》（2026年修订）第七条", "difficulty": 2,
    }
    assert (multiple["type"], multiple["answer"]) == ("multiple", ["A", "B"])
    assert judge["answer"] == "错"
    assert fill["stem"] == "党组织应在收到申请书后（    ）内派人谈话。" and fill["answer"] == ["一个月", "1个月", "30天"]
    assert (numeric["answer"], numeric["tolerance"], numeric["unit"]) == (48.0, 0.5, "元")
    assert match["answer"] == {"支委会": "每月", "党员大会": "每季度"} and match["distractors"] == ["每半年"]
    assert numeric2["answer"] == 5.0 and "tolerance" not in numeric2
    assert judge2["stem"] == "特殊字符 = # { } ~ : 和\n换行" and judge2["answer"] == "对"
    lines = text.splitlines()
    assert [lines[d.line - 1][:4] for d in parsed.drafts] == ["::Q1", "::Q2", "支部委员", "党组织应", "月收入4", "把会议和",
                                                              "数值题的", "特殊字符"]


def test_comment_details_only_for_their_types(bank, tmp_path):
    path = tmp_path / "q.gift"
    path.write_text(MOODLE_STYLE, encoding="utf-8")
    with pytest.raises(RowsRejected) as rejected:
        import_file(path, bank_dir=bank, module="other")
    assert [str(p) for p in rejected.value.problems] == ["第 27 行：计分：只有多选题可以写“计分”"]


def test_import_writes_the_questions(bank, tmp_path):
    path = tmp_path / "q.txt"
    path.write_text(MOODLE_STYLE.replace("// 计分：部分\n", ""), encoding="utf-8")
    plan = import_file(path, bank_dir=bank, module="other")
    assert plan.count == 8
    assert [q.id for q in plan.changes[0].questions][:3] == ["ot-101", "other-001", "other-002"]


GIFT_ERRORS = {
    "{=甲 ~乙": "花括号 { } 不配对",
    "这是一段说明文字。": "没有答案块 {…}",
    "谈谈体会。{}": "GIFT 问答题（空的 {}）本课程不支持",
    "哪个对？{=甲 =乙 ~丙}": "单选题须恰有一个以 = 标出的正确答案",
    "哪些对？{~%-50%甲 ~乙}": "没有正确答案",
    "填空 {=甲 =%50%乙}": "不能带部分得分",
    "数值 {#=5 =6}": "数值题须恰有一个全对的答案（现有 2 个）",
    "连线 {=甲 -> 乙 =丙}": "连线项“丙”应写成 =左项 -> 右项",
    "::没有结束的名称 {T}": "题目名称的 :: 没有配对",
}


@pytest.mark.parametrize("text", GIFT_ERRORS)
def test_errors_name_the_line(text):
    parsed = _parse(f"// 第一行注释\n\n{text}\n")
    assert len(parsed.problems) == 1
    assert parsed.problems[0].line == 3
    assert GIFT_ERRORS[text] in parsed.problems[0].message


def test_gbk_file_is_read(tmp_path):
    path = tmp_path / "gbk.gift"
    path.write_bytes(f"{SOURCE_LINE}\n党员大会每季度召开一次。{{T####对。}}\n".encode("gbk"))
    parsed = read_questions(path)
    assert parsed.encoding == "gb18030" and parsed.drafts[0].fields["stem"] == "党员大会每季度召开一次。"


@given(st.text(alphabet=st.sampled_from("甲乙 =#{}~:\\\nabc%-"), min_size=1))
def test_escaped_text_reads_back(text):
    text = text.strip()
    if not text:
        return
    parsed = _parse(f"{escape(text)}{{T####{escape(text)}}}\n")
    (draft,) = parsed.drafts
    assert draft.fields["explanation"] == text


def test_a_category_line_directly_above_a_question():
    parsed = _parse(f"$CATEGORY: $course$/top/fazhan\n{SOURCE_LINE}\n甲。{{T####因为。}}\n")
    assert parsed.problems == [] and parsed.drafts[0].line == 4
