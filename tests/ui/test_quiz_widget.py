"""The quiz driven from Python, as ipywidgets tests its own widgets."""
import pytest

from helpers.content.loader import load_module
from helpers.ui.quiz_widget import QuizWidget

from widget_tree import walk


@pytest.fixture
def questions(bank_dir):
    return load_module(bank_dir / "demo").questions


def make(questions, store, session):
    return QuizWidget(questions, store, session.trainee.id, "demo")


def answer_single(quiz, letter):
    quiz._inputs[quiz.current.id].widget.value = letter
    quiz.submit.click()


def test_right_answer_is_stored_before_feedback(questions, store, session):
    quiz = make(questions, store, session)
    assert quiz.progress_label.value == "已答 0 / 4"
    answer_single(quiz, "B")
    assert "回答正确" in quiz.feedback.value and "党章规定预备期为一年" in quiz.feedback.value
    assert "第七条" in quiz.feedback.value
    assert store.latest_answers(session.trainee.id, "demo")["demo-1"].correct
    assert quiz.progress_label.value == "已答 1 / 4"


def test_wrong_answer_shows_the_right_one(questions, store, session):
    quiz = make(questions, store, session)
    answer_single(quiz, "A")
    assert "回答错误" in quiz.feedback.value and "B. 一年" in quiz.feedback.value


def test_no_answer_key_in_widget_state_before_submission(questions, store, session):
    quiz = make(questions, store, session)
    for i in range(len(questions)):
        quiz.go(i)
        state = repr([child.get_state() for child in walk(quiz.widget)])
        assert "党章规定预备期为一年" not in state and "正确答案" not in state


def test_empty_submission_gets_a_message_and_stores_nothing(questions, store, session):
    quiz = make(questions, store, session)
    quiz.submit.click()
    assert "请选择一个选项" in quiz.message.value
    assert store.latest_answers(session.trainee.id, "demo") == {}


def test_repeated_clicks_store_one_answer(questions, store, session):
    quiz = make(questions, store, session)
    quiz._inputs["demo-1"].widget.value = "B"
    for _ in range(20):
        quiz.submit.click()
    assert len(store.latest_answers(session.trainee.id, "demo")) == 1
    assert quiz.submit.disabled


def test_order_and_match_inputs(questions, store, session):
    quiz = make(questions, store, session)
    quiz.go(2)
    order = quiz._inputs["demo-3"]
    order._list.value = "B"
    order._up.click()
    assert order.response() == ["B", "A", "C"]
    quiz.submit.click()
    assert "回答正确" in quiz.feedback.value
    quiz.go(3)
    match = quiz._inputs["demo-4"]
    match._choices["支委会"].value = "一般每月1次"
    match._choices["党员大会"].value = "一般每年1次"
    quiz.submit.click()
    assert "部分正确" in quiz.feedback.value and "党员大会" in quiz.feedback.value


def test_finishing_and_retrying_wrong_questions(questions, store, session):
    quiz = make(questions, store, session)
    answer_single(quiz, "A")  # wrong
    quiz.go(1)
    quiz._inputs["demo-2"].widget.value = "错"
    quiz.submit.click()
    quiz.go(2)
    quiz.submit.click()  # order as shown: A B C — wrong
    quiz.go(3)
    for left, right in {"支委会": "一般每月1次", "党员大会": "一般每季度1次"}.items():
        quiz._inputs["demo-4"]._choices[left].value = right
    quiz.submit.click()
    assert "本模块测验完成" in quiz.summary.value
    assert store.progress(session.trainee.id)["demo"].last_score == quiz.score
    quiz.retry.click()
    assert quiz.current.id == "demo-1" and not quiz.submit.disabled
    assert quiz.progress_label.value == "已答 2 / 4"


def test_reload_restores_answers(questions, store, session):
    answer_single(make(questions, store, session), "B")
    again = make(questions, store, session)
    assert again.progress_label.value == "已答 1 / 4"
    again.go(0)
    assert "回答正确" in again.feedback.value and again.submit.disabled


def test_a_failing_store_shows_no_feedback(questions, store, session, monkeypatch):
    quiz = make(questions, store, session)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(store, "record_answer", broken)
    answer_single(quiz, "B")
    assert "没有保存成功" in quiz.message.value
    assert quiz.feedback.value == "" and not quiz.submit.disabled


def test_an_unexpected_error_in_a_callback_shows_chinese_not_a_traceback(questions, store, session, monkeypatch):
    quiz = make(questions, store, session)
    monkeypatch.setattr("helpers.ui.quiz_widget.grade", lambda *a: 1 / 0)
    answer_single(quiz, "B")
    assert "出了点问题" in quiz.message.value and "ZeroDivisionError" not in quiz.message.value
