import pytest
from pydantic import ValidationError

from helpers.content.schema import Checklist, MatchQuestion, MultipleQuestion, FillQuestion
from helpers.content.sources import citation_problem
from helpers.content.text import normalize_answer

SRC = "《中国共产党章程》（2022年修改）第七条"
BASE = {"id": "q1", "stem": "题干", "explanation": "解析", "source": SRC, "difficulty": 2}


def test_multiple_answer_may_be_written_as_a_string():
    q = MultipleQuestion.model_validate({**BASE, "type": "multiple", "options": ["a", "b", "c"], "answer": "ac"})
    assert q.answer == ("A", "C")


def test_fill_answer_may_be_one_string_or_a_number():
    assert FillQuestion.model_validate({**BASE, "type": "fill", "answer": "一年"}).answer == ("一年",)
    assert FillQuestion.model_validate({**BASE, "type": "fill", "answer": 32}).answer == ("32",)


def test_match_rights_must_be_distinct_including_distractors():
    with pytest.raises(ValidationError, match="不能重复"):
        MatchQuestion.model_validate({**BASE, "type": "match", "answer": {"甲": "一", "乙": "一"}})
    with pytest.raises(ValidationError, match="不能重复"):
        MatchQuestion.model_validate({**BASE, "type": "match", "answer": {"甲": "一", "乙": "二"}, "distractors": ["二"]})


@pytest.mark.parametrize(
    "source, ok",
    [(SRC, True), ("《中国共产党发展党员工作细则》（2026年修订）第二章至第五章", True), ("《关于加强社会组织党的建设工作的意见（试行）》（2015年）第二部分", True), ("党章第七条", False), ("《党章》", False), ("", False)],
)
def test_citations(source, ok):
    assert (citation_problem(source) is None) is ok


def test_normalize_answer_folds_width_space_and_punctuation():
    assert normalize_answer(" １ 个月。") == normalize_answer("1个月") == "1个月"


def test_checklist_needs_a_zero_band_and_unique_items():
    item = {"id": "a", "text": "t", "points": 5, "method": "问询", "deduction": "d", "fix": "f", "source": SRC}
    with pytest.raises(ValidationError, match="自查项 id 重复"):
        Checklist.model_validate({"id": "c", "module": "m", "title": "t",
                                  "dimensions": [{"id": "d", "title": "维", "items": [item, item]}]})
    with pytest.raises(ValidationError, match="min 为 0"):
        Checklist.model_validate({"id": "c", "module": "m", "title": "t", "bands": [{"name": "好", "min": 50}],
                                  "dimensions": [{"id": "d", "title": "维", "items": [item]}]})
