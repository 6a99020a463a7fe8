"""The exam page: who may start what, resuming, bad blueprints, and no key in widget state."""
import json
import re
import shutil
from datetime import timedelta
from html import escape
from pathlib import Path

import pytest
from ipywidgets.widgets.widget import _instances  # every live widget: what the browser can ask for

from helpers.content.blueprint import load_exam_blueprints
from helpers.content.loader import default_bank_dir, load_bank
from helpers.engine.identity import validate_identity
from helpers.exam import draw
from helpers.ui.exam_page import ExamPage, open_key, review_key
from helpers.ui.exam_widget import ExamWidget, _key_response

from widget_tree import walk

EXAM_BANK = Path(__file__).parent / "exam_bank"


@pytest.fixture
def session(store):
    """A trainee of a class that exists (signing in to an unknown class is refused)."""
    store.create_class("exam-class", "考试测试班")
    return store.sign_in(validate_identity("张三", "2026001", "exam-class"))


@pytest.fixture
def open_exam(store):
    store.set_setting(open_key("kaoshi"), "1")


def page_for(store, session, bank_dir=EXAM_BANK, **kwargs):
    return ExamPage(bank_dir=bank_dir, store=store, token=session.token, **kwargs)


def buttons(widget):
    return {child.description: child for child in walk(widget) if hasattr(child, "on_click")}


def page_text(widget):
    return "".join(child.value for child in walk(widget) if isinstance(getattr(child, "value", None), str))


def test_a_class_exam_is_closed_until_the_instructor_opens_it(store, session):
    page = page_for(store, session)
    assert "考试尚未开放" in page_text(page.widget) and "开始考试" not in buttons(page.widget)
    store.set_setting(open_key("kaoshi"), "1")
    page = page_for(store, session)
    assert "每人可考 2 次，你已考 0 次" in page_text(page.widget)
    assert "开始考试" in buttons(page.widget)


def test_starting_draws_her_own_paper_with_a_deadline(store, session, open_exam):
    page = page_for(store, session)
    buttons(page.widget)["开始考试"].click()
    exam = page.exam
    (record,) = store.exams_for(session.trainee.id, "kaoshi")
    assert exam.record.id == record.id and len(record.paper) == 7
    assert timedelta(minutes=29) < record.deadline - record.started_at <= timedelta(minutes=30, seconds=1)
    assert "剩余时间" in exam.countdown.value or exam._timer.is_alive()
    exam.hand_in()
    exam.leave.click()
    assert page.exam is None and "你已考 1 次" in page_text(page.widget)
    assert "最近一次：单元测试考试：成绩 0 分" in page_text(page.widget)


def test_attempts_run_out(store, session, open_exam):
    page = page_for(store, session)
    for _ in range(2):
        page.start("kaoshi").hand_in()
        page.show_list()
    assert "考试次数已用完" in page_text(page.widget) and "开始考试" not in buttons(page.widget)
    assert page.start("kaoshi") is None and "不能开始" in page.message.value
    assert len(store.exams_for(session.trainee.id, "kaoshi")) == 2
    assert "查看试卷" in buttons(page.widget)


def test_each_attempt_gets_its_own_seed(store, session, open_exam):
    page = page_for(store, session)
    seeds = set()
    for _ in range(2):
        seeds.add(page.start("kaoshi").record.seed)
        page.exam.hand_in()
    assert len(seeds) == 2


def test_self_study_practice_only_where_there_is_no_class(store):
    self_study = store.sign_in(validate_identity("王五", "s-01", ""))
    page = page_for(store, self_study)
    assert "自学模拟" in page_text(page.widget) and "开始考试" in buttons(page.widget)
    exam = page.start("kaoshi")
    exam.hand_in()
    assert exam.review_shown  # practice: review after hand-in
    store.create_class("class-b", "第一期培训班")
    page = page_for(store, self_study)
    assert "考试尚未开放" in page_text(page.widget)


def test_closing_an_exam_explicitly_closes_practice_too(store):
    self_study = store.sign_in(validate_identity("王五", "s-01", ""))
    store.set_setting(open_key("kaoshi"), "0")
    assert "考试尚未开放" in page_text(page_for(store, self_study).widget)


def test_a_reload_resumes_the_same_paper_with_her_drafts(store, session, open_exam):
    first = page_for(store, session).start("kaoshi")
    question = first.questions[0]
    first.go(0)
    first._inputs[question.id].show(_key_response(question))
    first.stop_countdown()  # the old kernel is gone
    again = page_for(store, session)
    assert again.exam is not None and again.exam.record.id == first.record.id
    assert [q.options if hasattr(q, "options") else None for q in again.exam.questions] == \
        [q.options if hasattr(q, "options") else None for q in first.questions]
    assert "已答 1 / 7" in again.exam.progress_label.value
    assert again.exam._inputs[question.id].response() == first._inputs[question.id].response()
    again.exam.stop_countdown()


def test_an_attempt_that_ran_out_while_away_is_handed_in_on_return(store, session, open_exam):
    first = page_for(store, session).start("kaoshi")
    first.stop_countdown()
    question = first.questions[0]
    store.save_exam_response(first.record.id, question.id, _key_response(question))
    later = first._clock() + timedelta(hours=1)
    page = page_for(store, session, clock=lambda: later)
    assert page.exam is None
    assert "系统已按保存的答案自动交卷" in page_text(page.widget) and "成绩 30 分" in page_text(page.widget)
    (record,) = store.exams_for(session.trainee.id, "kaoshi")
    assert record.submitted_at is not None and record.score == 30


def test_review_follows_the_instructor_setting(store, session, open_exam):
    page = page_for(store, session)
    exam = page.start("kaoshi")
    store.set_setting(review_key("kaoshi"), "1")  # allowed during the exam: applies at hand-in
    exam.hand_in()
    assert exam.review_shown and "解析标记" in exam.feedback.value
    store.set_setting(review_key("kaoshi"), "0")
    page.show_list()
    buttons(page.widget)["查看试卷"].click()
    assert not page.exam.review_shown and page.exam.feedback.value == ""


def test_signing_in_on_the_page_shows_the_exams(store, open_exam):
    page = ExamPage(bank_dir=EXAM_BANK, store=store, token="")
    assert "登录后即可作答" in page_text(page.widget)
    form = page.sign_in_form
    form.name.value, form.number.value, form.class_code.value = "李四", "2026002", ""
    form.button.click()
    assert "开始考试" in buttons(page.widget) and "当前学员：李四" in page_text(page.widget)


@pytest.fixture
def bank_copy(tmp_path):
    shutil.copytree(EXAM_BANK, tmp_path / "bank")
    return tmp_path / "bank"


def test_a_blueprint_the_bank_cannot_fill_names_module_and_type(store, session, bank_copy):
    (bank_copy / "_exams" / "big.yaml").write_text(
        "schema_version: 1\nblueprint:\n  id: big\n  title: 大考\n  time_limit_minutes: 10\n  pass_mark: 60\n"
        "  sections:\n    - {module: kaoshi, type: single, count: 3, points: 1}\n",
        encoding="utf-8",
    )
    store.set_setting(open_key("big"), "1")
    page = page_for(store, session, bank_dir=bank_copy)
    text = page_text(page.widget)
    assert "题库不够组卷：模块 kaoshi、单选题 需要 3 道，只有 1 道可用" in text
    assert list(buttons(page.widget)).count("开始考试") == 0  # kaoshi itself is still closed


def test_a_broken_blueprint_file_is_named_and_the_rest_works(store, session, bank_copy, open_exam):
    (bank_copy / "_exams" / "broken.yaml").write_text("schema_version: 1\nblueprint:\n  id: [\n", encoding="utf-8")
    (bank_copy / "_exams" / "twin.yaml").write_text((bank_copy / "_exams" / "kaoshi.yaml").read_text("utf-8"), "utf-8")
    page = page_for(store, session, bank_dir=bank_copy)
    text = page_text(page.widget)
    assert "broken.yaml" in text and "twin.yaml" in text and "id 与另一个文件重复" in text
    assert "开始考试" in buttons(page.widget)


def test_no_exams_prepared(store, session, tmp_path):
    shutil.copytree(EXAM_BANK / "kaoshi", tmp_path / "kaoshi")
    assert "目前没有安排考试" in page_text(page_for(store, session, bank_dir=tmp_path).widget)


def test_a_failing_store_on_start_is_a_message_not_a_traceback(store, session, open_exam, monkeypatch):
    page = page_for(store, session)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(store, "start_exam", broken)
    buttons(page.widget)["开始考试"].click()
    assert "出了点问题" in page.message.value and page.exam is None


def test_the_shipped_final_exam_is_valid_and_the_bank_can_fill_it():
    found = load_exam_blueprints(default_bank_dir())
    assert not found.problems
    final = found.blueprints["jieye"]
    assert final.question_count == 40 and final.total_points == 100 and final.time_limit_minutes == 60
    questions = load_bank().questions
    modules = {q.id: q.module for q in questions}
    for seed in range(50):
        paper = draw(final, questions, seed)
        assert len(set(paper)) == 40
        assert {modules[i] for i in paper} >= {"renshi", "zuzhi", "fazhan", "shenghuo", "guanli", "zuoyong",
                                               "biaozhun", "dangan"}


# -- no answer key in any widget state before hand-in --------------------------------

def states_since(before):
    """The state of every widget made since ``before``, as the kernel would send it
    to the browser (``request_states`` sends every live widget, shown or not)."""
    return [(model_id, widget.get_state()) for model_id, widget in list(_instances.items()) if model_id not in before]


def as_text(states):
    return json.dumps(states, ensure_ascii=False, default=str)


def keys_of(question):
    """Strings that would give a question's key away if they reached the browser."""
    secrets = [question.explanation, question.source, "正确答案", "解析"]
    if question.type == "fill":
        secrets += [a for a in question.answer if a not in question.stem]
    return secrets + [escape(s) for s in secrets]


def test_no_answer_key_in_any_widget_state_before_hand_in(store, session, open_exam):
    store.set_setting(review_key("kaoshi"), "1")
    before = set(_instances)
    page = page_for(store, session)
    exam = page.start("kaoshi")
    exam.stop_countdown()
    seen = [as_text(states_since(before))]  # every state the browser was sent, step by step
    for index, question in enumerate(exam.questions):
        exam.go(index)
        if index % 2:  # her own typed text is hers to see; choices are made with the key
            exam._inputs[question.id].show("不知道" if question.type == "fill" else _key_response(question))
        seen.append(as_text(states_since(before)))
    exam.submit.click()  # the confirmation step, not yet handed in
    text = "".join([*seen, as_text(states_since(before))])
    assert all(q.stem in text for q in exam.questions), "the walk must see the paper itself"
    leaked = [s for q in exam.questions for s in keys_of(q) if s in text]
    assert not leaked, f"答案泄露到组件状态中：{leaked}"
    exam.confirm.click()
    after = []
    for index in range(len(exam.questions)):
        exam.go(index)
        after.append(as_text(states_since(before)))
    after = "".join(after)
    assert all(escape(q.explanation) in after for q in exam.questions), "after hand-in the same walk finds the review"


def rekeyed(question):
    """The same question with another key, explanation and source."""
    other = {
        "single": lambda q: next(x for x in q.option_letters() if x != q.answer),
        "multiple": lambda q: tuple(x for x in q.option_letters() if x not in q.answer) or q.answer[:1],
        "judge": lambda q: "对" if q.answer == "错" else "错",
        "fill": lambda q: ("别的答案",),
        "numeric": lambda q: q.answer + 7,
        "order": lambda q: tuple(reversed(q.answer)),
        "match": lambda q: dict(zip(q.answer, [*list(q.answer.values())[1:], list(q.answer.values())[0]])),
    }[question.type](question)
    return question.model_copy(update={"answer": other, "explanation": "另一解析", "source": "另一依据"})


def normalised_states(before):
    """States in creation order with model ids replaced by that order."""
    states = states_since(before)
    index = {model_id: f"IPY_MODEL_{n}" for n, (model_id, _) in enumerate(states)}
    text = as_text([state for _, state in states])
    return re.sub(r"IPY_MODEL_[0-9a-f]+", lambda m: index.get(m.group(0)[10:], "IPY_MODEL_outside"), text)


@pytest.mark.parametrize("kind", ["single", "multiple", "judge", "fill", "numeric", "order", "match"])
def test_widget_state_does_not_depend_on_the_key(store, session, kind):
    """The strongest form of 'no key in the browser': the same paper built from a
    bank with a different key shows exactly the same widget states."""
    bank = {q.id: q for q in load_bank(EXAM_BANK).questions}
    blueprint = load_exam_blueprints(EXAM_BANK).blueprints["kaoshi"]
    changed = {i: (rekeyed(q) if q.type == kind else q) for i, q in bank.items()}
    paper = draw(blueprint, bank.values(), 5)
    record = store.start_exam(session.trainee.id, "kaoshi", 5, paper, exam_deadline())
    texts = []
    for questions in (bank, changed):
        before = set(_instances)
        exam = ExamWidget(blueprint, questions, store, record, review=lambda: True)
        for index in range(len(exam.questions)):
            exam.go(index)
        texts.append(normalised_states(before))
    assert texts[0] == texts[1]


def exam_deadline():
    from helpers.ui.exam_widget import utc_now

    return utc_now() + timedelta(minutes=30)
