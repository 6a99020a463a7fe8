"""The shipped bank keeps the promises of the curriculum, counted from the data."""
import re

import pytest

from helpers.content.loader import load_bank
from helpers.content.sources import citation_problem


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def test_the_shipped_bank_is_valid(bank):
    assert bank.problems == []


def test_fazhan_module_is_complete(bank):
    module = bank.modules["fazhan"]
    questions = module.questions
    assert len(questions) >= 40
    assert len({q.type for q in questions}) >= 5
    assert any(q.type == "order" and len(q.options) == 25 for q in questions), "an ordering question over the 25 steps"
    dated = [q for q in questions if "scenario" in q.tags and re.search(r"\d{4}年\d{1,2}月\d{1,2}日", q.stem)]
    assert len(dated) >= 5, "scenario questions with dates"
    assert len(module.checklists["fazhan-archive"].items) >= 12


def test_every_item_cites_regulation_and_article(bank):
    for question in bank.questions:
        assert citation_problem(question.source) is None, question.id
        assert question.explanation.strip(), question.id
    for module in bank.modules.values():
        for checklist in module.checklists.values():
            assert sum(item.points for item in checklist.items) == pytest.approx(100), checklist.id
            for item in checklist.items:
                assert citation_problem(item.source) is None, item.id


def test_the_25_steps_are_never_attributed_to_the_rules_text(bank):
    for question in bank.questions:
        if re.search(r"(25|二十五)\s*个?步", question.stem + question.explanation):
            assert "流程图" in question.source, question.id


MODULES = ["renshi", "zuzhi", "fazhan", "shenghuo", "guanli", "zuoyong", "biaozhun", "dangan"]
STANDARD_DIMENSIONS = ["组织设置", "职责任务", "议事决策", "基本制度", "档案资料", "党员管理", "作用发挥", "工作保障"]


def test_eight_modules_in_course_order(bank):
    assert list(bank.modules) == MODULES
    assert [m.meta.order for m in bank.modules.values()] == list(range(1, 9))


def test_quantity_of_questions(bank):
    questions = bank.questions
    assert len(questions) >= 320
    assert {q.type for q in questions} == {"single", "multiple", "judge", "fill", "numeric", "order", "match"}
    for module in bank.modules.values():
        assert len(module.questions) >= 30, module.id
        assert len({q.type for q in module.questions}) >= 4, module.id


def test_a_third_are_scenarios_and_difficulty_is_spread(bank):
    questions = bank.questions
    scenarios = [q for q in questions if "scenario" in q.tags]
    assert len(scenarios) * 3 >= len(questions)
    for level in (1, 2, 3):
        assert sum(q.difficulty == level for q in questions) >= len(questions) // 10, level


def test_every_module_has_a_checklist(bank):
    for module in bank.modules.values():
        assert module.checklists, module.id
        assert max(len(c.items) for c in module.checklists.values()) >= 10, module.id


def test_branch_standardization_audit(bank):
    checklist = bank.modules["biaozhun"].checklists["biaozhun-audit"]
    assert len(checklist.items) >= 40
    assert [d.title for d in checklist.dimensions] == STANDARD_DIMENSIONS
