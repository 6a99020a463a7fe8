"""Writing into questions.yaml: appended as text (comments kept), ids
numbered after the module's highest, and all or nothing."""
import os
from pathlib import Path

import pytest
import yaml
from interchange_support import SOURCE, row, snapshot, xlsx

from helpers.content.interchange import InterchangeError, import_file
from helpers.content.interchange.into_bank import commit, plan_import
from helpers.content.interchange.excel_bank import read_xlsx
from helpers.content.interchange.yaml_text import append_questions
from helpers.content.loader import load_module


def _file(tmp_path: Path, rows: list[list], name: str = "q.xlsx") -> Path:
    return xlsx(tmp_path / name, rows)


def test_appends_text_and_keeps_comments(bank, tmp_path):
    before = (bank / "demo" / "questions.yaml").read_text(encoding="utf-8")
    import_file(_file(tmp_path, [row("判断", "新题。", [], "对", 标签="a、b")]), bank_dir=bank, module="demo")
    after = (bank / "demo" / "questions.yaml").read_text(encoding="utf-8")
    assert after.startswith(before)
    assert after[len(before):] == (
        "\n  - id: dm-009\n    type: judge\n    stem: 新题。\n    answer: 对\n    explanation: 解析文字。\n"
        f"    source: {SOURCE}\n    difficulty: 1\n    tags: [a, b]\n"
    )
    assert [q.id for q in load_module(bank / "demo").questions][-1] == "dm-009"


def test_ids_continue_after_the_highest_never_into_gaps(bank, tmp_path):
    path = bank / "demo" / "questions.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: dm-008", "id: dm-020"), encoding="utf-8")
    plan = import_file(_file(tmp_path, [row("判断", "甲。", [], "对"), row("判断", "乙。", [], "对")]),
                       bank_dir=bank, module="demo")
    assert [q.id for q in plan.changes[0].questions] == ["dm-021", "dm-022"]


def test_several_modules_in_one_file(bank, tmp_path):
    plan = import_file(_file(tmp_path, [row("判断", "甲。", [], "对", 模块="demo"), row("判断", "乙。", [], "对", 模块="other")]),
                       bank_dir=bank)
    assert plan.summary() == "demo（演示模块）1 道：dm-009；other（另一个模块）1 道：other-001"
    assert len(load_module(bank / "other").questions) == 1


@pytest.mark.parametrize("questions_value", ["questions: []", "questions:", "questions: ~", "questions:  # 待补充"])
def test_empty_lists_in_any_spelling(questions_value):
    text = f"schema_version: 1\n{questions_value}\nmodule:\n  id: x\n"
    new = append_questions(text, [_one_question()])
    data = yaml.safe_load(new)
    assert data["questions"][0] == {"id": "x-001", "type": "judge", "stem": "甲：乙 #丙", "answer": "对",
                                    "explanation": "因为。", "source": SOURCE, "difficulty": 1}
    assert data["module"] == {"id": "x"}
    assert ("# 待补充" in new) == ("# 待补充" in text)


def _one_question():
    from helpers.content.schema import JudgeQuestion

    return JudgeQuestion(id="x-001", type="judge", stem="甲：乙 #丙", answer="对", explanation="因为。", source=SOURCE,
                         difficulty=1)


def test_a_flow_list_of_questions_is_refused():
    with pytest.raises(InterchangeError, match="一行形式"):
        append_questions("schema_version: 1\nquestions: [{id: a}]\n", [_one_question()])


def test_a_broken_target_file_is_reported(bank, tmp_path):
    (bank / "other" / "questions.yaml").write_text("schema_version: 1\nquestions: [\n", encoding="utf-8")
    with pytest.raises(InterchangeError, match="模块 other 的题目文件有错误.*YAML 语法错误"):
        import_file(_file(tmp_path, [row("判断", "甲。", [], "对")]), bank_dir=bank, module="other")


def test_a_file_changed_meanwhile_stops_the_import(bank, tmp_path):
    path = _file(tmp_path, [row("判断", "甲。", [], "对")])
    plan = plan_import(read_xlsx(path.read_bytes(), path.name), source=path.name, bank_dir=bank, module="other")
    target = bank / "other" / "questions.yaml"
    target.write_text(target.read_text(encoding="utf-8") + "# 另一位老师刚加的注释\n", encoding="utf-8")
    before = snapshot(bank)
    with pytest.raises(InterchangeError, match="在导入过程中被修改了"):
        commit(plan)
    assert snapshot(bank) == before


def test_a_failed_rename_puts_back_the_files_already_replaced(bank, tmp_path, monkeypatch):
    path = _file(tmp_path, [row("判断", "甲。", [], "对", 模块="demo"), row("判断", "乙。", [], "对", 模块="other")])
    before = snapshot(bank)
    real_replace, calls = os.replace, []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError("disk full")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(InterchangeError, match="写入题库失败，没有导入任何题目"):
        import_file(path, bank_dir=bank)
    assert snapshot(bank) == before


def test_dry_run_writes_nothing(bank, tmp_path):
    before = snapshot(bank)
    plan = import_file(_file(tmp_path, [row("判断", "甲。", [], "对")]), bank_dir=bank, module="other", dry_run=True)
    assert plan.count == 1 and snapshot(bank) == before
