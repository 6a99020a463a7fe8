"""Each kind of authoring mistake has a fixture folder and a message that names
file, line, item and field."""
from pathlib import Path

import pytest

from helpers.content.loader import load_bank, load_module

FIXTURES = Path(__file__).parent / "fixtures"

CASES = {
    "answer_not_in_options": ("x-001", "answer", "答案 D 不在选项 A–B 之中"),
    "unknown_type": ("x-001", "type", "未知题型 'essay'"),
    "duplicate_id": ("x-001", "id", "题目 id 重复"),
    "missing_source": ("x-001", "source", "缺少必填字段"),
    "source_without_article": ("x-001", "source", "出处须写明条款"),
    "empty_stem": ("x-001", "stem", "不能为空"),
    "order_not_permutation": ("x-001", "answer", "每个字母恰好各用一次"),
    "unknown_field": ("x-001", "colour", "未知字段"),
    "bad_difficulty": ("x-001", "difficulty", "应为 1, 2, 3 之一"),
    "judge_answer": ("x-001", "answer", "'对', '错'"),
    "yaml_syntax": (None, None, "YAML 语法错误"),
    "schema_version": (None, "schema_version", "须为 1"),
    "module_mismatch": ("module", "id", "须与文件夹名"),
    "bad_checklist": ("c-02", "method", "'查台账', '看现场', '问询'"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_problem_kind_is_named(case):
    item_id, field, text = CASES[case]
    problems = load_module(FIXTURES / case).problems
    assert problems, case
    problem = problems[0]
    assert problem.item_id == item_id
    assert problem.field == field
    assert text in problem.message
    assert problem.line is not None
    assert str(problem).startswith(f"{problem.file}:{problem.line}: ")


def test_checklist_item_problems_name_the_item():
    problems = load_module(FIXTURES / "bad_checklist").problems
    assert [(p.item_id, p.field) for p in problems] == [("c-02", "method"), ("c-03", "points")]
    assert "须大于 0" in problems[1].message


def test_yaml_syntax_error_points_at_the_line():
    (problem,) = load_module(FIXTURES / "yaml_syntax").problems
    assert problem.line == 6


def test_broken_files_do_not_stop_other_modules(tmp_path):
    bank = load_bank(FIXTURES)
    assert len(bank.modules) == len(CASES)
    # the duplicate_id module still offers its first question
    assert [q.id for q in bank.modules["duplicate_id"].questions] == ["x-001"]


def test_ids_must_be_unique_across_modules(tmp_path):
    for name in ("a", "b"):
        folder = tmp_path / name
        folder.mkdir()
        text = (FIXTURES / "duplicate_id" / "questions.yaml").read_text(encoding="utf-8")
        (folder / "questions.yaml").write_text(text.replace("duplicate_id", name), encoding="utf-8")
    bank = load_bank(tmp_path)
    cross = [p for p in bank.problems if "与模块 a 中的题目重复" in p.message]
    assert cross and cross[0].item_id == "x-001" and cross[0].line is not None
    assert [q.id for q in bank.modules["b"].questions] == []
