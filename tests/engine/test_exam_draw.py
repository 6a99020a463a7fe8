import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter

from helpers.content.errors import BankError
from helpers.content.schema import Question
from helpers.exam import Blueprint, BlueprintError, draw, load_blueprint, shuffle_options
from helpers.quiz import grade

SRC = "《中国共产党章程》（2022年修改）第七条"
Q = TypeAdapter(Question)


def question(i, module="m1", type_="single", tags=()):
    fields = {"id": f"{module}-{type_}-{i}", "module": module, "type": type_, "stem": "题", "explanation": "解",
              "source": SRC, "difficulty": 1, "tags": list(tags)}
    if type_ == "single":
        fields.update(options=["甲", "乙", "丙", "丁"], answer="C")
    elif type_ == "multiple":
        fields.update(options=["甲", "乙", "丙", "丁"], answer=["A", "D"])
    else:
        fields.update(answer="对")
    return Q.validate_python(fields)


BANK = ([question(i) for i in range(10)] + [question(i, type_="judge") for i in range(5)]
        + [question(i, module="m2", tags=["党费"]) for i in range(6)])
BLUEPRINT = Blueprint.model_validate({
    "id": "final", "title": "结业考试", "time_limit_minutes": 30, "pass_mark": 60,
    "sections": [{"module": "m1", "type": "single", "count": 4, "points": 2},
                 {"tag": "党费", "count": 3, "points": 3},
                 {"type": "judge", "count": 2, "points": 1}],
})


def test_counts_and_no_duplicates():
    paper = draw(BLUEPRINT, BANK, seed=1)
    assert len(paper) == 9 and len(set(paper)) == 9
    assert all(i.startswith("m1-single") for i in paper[:4])
    assert all(i.startswith("m2-") for i in paper[4:7])
    assert all("judge" in i for i in paper[7:])
    assert BLUEPRINT.total_points == 4 * 2 + 3 * 3 + 2


@given(st.integers())
def test_same_seed_same_paper(seed):
    assert draw(BLUEPRINT, BANK, seed) == draw(BLUEPRINT, list(reversed(BANK)), seed)


def test_different_seeds_usually_differ():
    papers = {tuple(draw(BLUEPRINT, BANK, seed)) for seed in range(20)}
    assert len(papers) > 10


def test_not_enough_questions_names_module_and_type():
    too_many = BLUEPRINT.model_copy(update={"sections": (BLUEPRINT.sections[0].model_copy(update={"count": 11}),)})
    with pytest.raises(BlueprintError, match="模块 m1.*单选题.*需要 11 道，只有 10 道"):
        draw(too_many, BANK, 1)


@given(st.integers())
def test_shuffled_options_grade_like_the_original(seed):
    for original in (BANK[0], question(0, type_="multiple")):
        shuffled = shuffle_options(original, seed)
        assert sorted(shuffled.options) == sorted(original.options)
        right = shuffled.answer
        assert grade(shuffled, right).correct
        texts = {shuffled.options["ABCD".index(x)] for x in (right if isinstance(right, tuple) else [right])}
        assert texts == {original.options["ABCD".index(x)] for x in
                         (original.answer if isinstance(original.answer, tuple) else [original.answer])}


def test_blueprint_file_errors_name_the_field(tmp_path):
    path = tmp_path / "exam.yaml"
    path.write_text("schema_version: 1\nblueprint:\n  id: e\n  title: 考试\n  time_limit_minutes: 0\n"
                    "  pass_mark: 60\n  sections:\n    - {type: essay, count: 1, points: 1}\n", encoding="utf-8")
    with pytest.raises(BankError) as info:
        load_blueprint(path)
    text = str(info.value)
    assert "time_limit_minutes: 须不小于 1" in text and "未知题型 'essay'" in text
