"""jupyterquiz JSON import: its three types, our extra keys, problems named
by the line each question starts on."""
import json

import pytest
from interchange_support import SOURCE

from helpers.content.interchange import UnreadableFile, import_file
from helpers.content.interchange.jupyterquiz import read_jupyterquiz
from helpers.content.loader import load_module

DETAILS = {"explanation": "解析。", "source": SOURCE, "difficulty": 1}
QUIZ = [
    {"question": "谈话时限？", "type": "multiple_choice", **DETAILS, "tags": ["谈话"],
     "answers": [{"answer": "一周", "correct": False, "feedback": "太早"},
                 {"answer": "一个月", "correct": True, "feedback": "Correct."}]},
    {"question": "要了解什么？", "type": "many_choice", "解析": "动机和经历。", "出处": SOURCE, "难度": "中", "计分": "部分",
     "answers": [{"answer": "动机", "correct": True}, {"answer": "经历", "correct": True}, {"answer": "收入", "correct": False}]},
    {"question": "4800元交多少？", "type": "numeric", "precision": 2, **DETAILS, "unit": "元", "id": "ot-301",
     "answers": [{"type": "range", "range": [47.5, 48.5], "correct": True},
                 {"type": "value", "value": 480, "correct": False, "feedback": "多了一个零"},
                 {"type": "default", "feedback": "再算算"}]},
    {"question": "写出公式：", "type": "string", **DETAILS, "answers": []},
    {"question": "哪个对？", "type": "multiple_choice", **DETAILS,
     "answers": [{"answer": "甲", "correct": True}, {"answer": "乙", "correct": True}]},
    {"question": "几个？", "type": "numeric", **DETAILS,
     "answers": [{"type": "value", "value": 3, "correct": True}, {"type": "value", "value": 4, "correct": True}]},
]


def test_types_extra_keys_and_line_numbers():
    text = json.dumps(QUIZ, ensure_ascii=False, indent=2)
    parsed = read_jupyterquiz(text.encode("utf-8"), "quiz.json")
    single, multiple, numeric = (d.fields for d in parsed.drafts)
    assert single == {"type": "single", "stem": "谈话时限？", "options": ["一周", "一个月"], "answer": "B",
                      "explanation": "解析。", "source": SOURCE, "difficulty": 1, "tags": ["谈话"]}
    assert (multiple["answer"], multiple["difficulty"], multiple["scoring"]) == (["A", "B"], 2, "partial")
    assert (numeric["answer"], numeric["tolerance"], numeric["unit"], numeric["id"]) == (48.0, 0.5, "元", "ot-301")
    lines = text.splitlines()
    starts = [d.line for d in parsed.drafts] + [p.line for p in parsed.problems]
    assert all(lines[line - 1].strip() == "{" for line in starts)
    assert [p.message for p in parsed.problems] == [
        "jupyterquiz 题型“string”本课程不支持，只能导入 multiple_choice, many_choice, numeric",
        "multiple_choice 须恰有一个 \"correct\": true 的答案（现有 2 个）；多个正确答案请用 many_choice",
        "数值题须恰有一个正确的 value 或 range（现有 2 个）",
    ]


def test_import(bank, tmp_path):
    path = tmp_path / "quiz.json"
    path.write_text(json.dumps(QUIZ[:3], ensure_ascii=False), encoding="utf-8")
    import_file(path, bank_dir=bank, module="other")
    assert [q.id for q in load_module(bank / "other").questions] == ["other-001", "other-002", "ot-301"]


def test_not_json_or_not_a_list(bank, tmp_path):
    path = tmp_path / "quiz.json"
    path.write_text('[\n  {"question": "x",}\n]', encoding="utf-8")
    with pytest.raises(UnreadableFile, match="第 2 行第 20 列：不是有效的 JSON"):
        import_file(path, bank_dir=bank, module="other")
    path.write_text('{"questions": []}', encoding="utf-8")
    with pytest.raises(UnreadableFile, match="最外层应是题目列表"):
        import_file(path, bank_dir=bank, module="other")
