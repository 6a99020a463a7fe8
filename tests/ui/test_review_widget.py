"""错题本与今日复习 driven from Python: the review, the list, the chart, and the course home's row.

Answers get their times from a clock the test owns (the store's ``now`` is
patched), so what is due "today" never depends on when the test runs.
"""
from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone

import ipywidgets as w
import pytest

from helpers.content.loader import load_bank
from helpers.store import Store
from helpers.store import store as store_module
from helpers.store.location import folder_url
from helpers.ui.pages import CourseHome, review_page
from helpers.ui.review_widget import ReviewWidget, answer_text

from widget_tree import button, texts, walk

# Monday 2 March 2026, 09:00 in Beijing.
MONDAY = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
KEY_TEXTS = ("党章规定预备期为一年", "预备党员没有表决权", "正确答案：", "依据：")


class Clock:
    """A time that moves only when told (and a second per reading, so answers keep their order)."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        self.at += timedelta(seconds=1)
        return self.at


@pytest.fixture
def clock(monkeypatch):
    ticking = Clock(MONDAY)
    monkeypatch.setattr(store_module, "now", ticking)
    return ticking


@pytest.fixture
def bank(bank_dir):
    return load_bank(bank_dir)


def quiz_answers(store, trainee_id, *answers):
    """A finished module quiz run with (question, response, score) answers."""
    attempt = store.start_attempt(trainee_id, "demo")
    for question, response, score in answers:
        store.record_answer(trainee_id, "demo", question, response, score, score >= 1, attempt)
    store.finish_attempt(attempt, 25.0)


def choose(review, value):
    review._input.widget.value = value
    review.submit.click()


def test_due_questions_come_one_at_a_time_with_no_answer_key_before_submission(bank, store, session, clock):
    quiz_answers(store, session.trainee.id, ("demo-1", "A", 0.0), ("demo-2", "对", 0.0), ("demo-3", ["A", "B", "C"], 1))
    review = ReviewWidget(bank, store, session.trainee.id, clock=clock)
    assert "今天还要复习 2 题" in review.status.value and "以前答错 1 次" in review.header.value
    assert "预备党员的预备期为多长？" in review.stem.value
    state = repr([x.get_state() for x in walk(review.widget)])
    assert not [text for text in KEY_TEXTS if text in state]
    assert "今天待复习" in review.book.value and "<rect" in review.chart.value


def test_the_answer_is_stored_before_the_feedback_and_without_an_attempt(bank, store, session, clock, monkeypatch):
    quiz_answers(store, session.trainee.id, ("demo-1", "A", 0.0))
    before = store.progress(session.trainee.id)
    review = ReviewWidget(bank, store, session.trainee.id, clock=clock)
    real = store.record_answer
    seen = []

    def recording(*args, **kwargs):
        seen.append((review.feedback.value, args, kwargs))
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "record_answer", recording)
    choose(review, "B")
    [(feedback_then, args, kwargs)] = seen
    assert feedback_then == "" and args[1:3] == ("demo", "demo-1") and "attempt_id" not in kwargs and len(args) == 6
    assert "回答正确" in review.feedback.value and "党章规定预备期为一年" in review.feedback.value
    assert store.answer_history(session.trainee.id)[-1].correct
    assert store.progress(session.trainee.id) == before  # the module's 答对 and scores are the quiz's

    review.submit.click()  # a second click on a stored answer stores nothing
    assert len(store.answer_history(session.trainee.id)) == 2


def test_a_failed_save_shows_no_feedback_and_can_be_submitted_again(bank, store, session, clock, monkeypatch):
    quiz_answers(store, session.trainee.id, ("demo-1", "A", 0.0))
    review = ReviewWidget(bank, store, session.trainee.id, clock=clock)
    real = store.record_answer

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(store, "record_answer", broken)
    choose(review, "B")
    assert "答案没有保存成功" in review.message.value and review.feedback.value == "" and not review.submit.disabled
    monkeypatch.setattr(store, "record_answer", real)
    review.submit.click()
    assert "回答正确" in review.feedback.value


def test_after_the_last_question_the_next_review_day_is_given_and_the_list_shows_the_answers(
    bank, store, session, clock
):
    quiz_answers(store, session.trainee.id, ("demo-1", "A", 0.0), ("demo-2", "对", 0.0))
    review = ReviewWidget(bank, store, session.trainee.id, clock=clock)
    choose(review, "B")
    assert review.next.description == "下一题" and review.again.layout.display == "none"
    review.next.click()
    assert "预备党员有表决权。" in review.stem.value and "今天还要复习 1 题" in review.status.value
    choose(review, "错")
    assert review.next.description == "完成"
    review.next.click()
    assert "今天的复习都完成了" in review.status.value and "下次复习：3月3日（星期二），共 2 题" in review.status.value
    assert review.question.layout.display == "none"

    book = review.book.value
    assert "错题本（共 2 题，已掌握 0 题）" in book and "演示模块（2 题）" in book
    assert "你上次答错的答案：A. 半年" in book and "正确答案：B. 一年" in book and "你上次答错的答案：对" in book
    assert "解析：党章规定预备期为一年。" in book and "依据：《中国共产党章程》（2022年修改）第七条" in book
    assert "今天待复习" not in book and "下次复习：3月3日" in book


def test_a_question_missed_again_can_be_taken_once_more_today(bank, store, session, clock):
    quiz_answers(store, session.trainee.id, ("demo-1", "A", 0.0))
    review = ReviewWidget(bank, store, session.trainee.id, clock=clock)
    choose(review, "C")
    assert "回答错误" in review.feedback.value
    review.next.click()
    assert "还有 1 道题刚才没答对" in review.status.value
    assert (review.again.layout.display, review.next.layout.display) == (None, "none")
    review.again.click()
    assert "预备党员的预备期为多长？" in review.stem.value and review.question.layout.display is None


def test_an_empty_book_and_a_mastered_one_say_so(bank, store, session, clock):
    review = ReviewWidget(bank, store, session.trainee.id, clock=clock)
    assert "错题本里还没有题目" in review.status.value and "暂无复习进度" in review.chart.value

    quiz_answers(store, session.trainee.id, ("demo-1", "A", 0.0))
    for days in (1, 3, 9):
        clock.at = MONDAY + timedelta(days=days)
        store.record_answer(session.trainee.id, "demo", "demo-1", "B", 1.0, True)
    review = ReviewWidget(bank, store, session.trainee.id, clock=clock)
    assert "1 道题都已掌握" in review.status.value and "已掌握 1 题" in review.book.value


def test_her_typed_answer_is_escaped_in_the_list(tmp_path, store, session, clock):
    folder = tmp_path / "fill"
    folder.mkdir()
    (folder / "questions.yaml").write_text(
        "schema_version: 1\n"
        "module: {id: fill, title: 填空模块, order: 1, notebook: modules/01_fill.ipynb}\n"
        "questions:\n"
        "  - id: fill-1\n"
        "    type: fill\n"
        "    stem: 预备党员的预备期为____。\n"
        "    answer: [一年]\n"
        "    explanation: 党章规定预备期为一年。\n"
        "    source: 《中国共产党章程》（2022年修改）第七条\n"
        "    difficulty: 1\n",
        encoding="utf-8",
    )
    store.record_answer(session.trainee.id, "fill", "fill-1", "<b>半年</b>", 0.0, False)
    store.record_answer(session.trainee.id, "fill", "fill-1", "一年", 1.0, True)
    review = ReviewWidget(load_bank(tmp_path), store, session.trainee.id, clock=clock)
    assert "&lt;b&gt;半年&lt;/b&gt;" in review.book.value and "<b>半年" not in review.book.value


def test_answers_read_as_she_gave_them(bank):
    questions = {q.id: q for q in bank.questions}
    assert answer_text(questions["demo-1"], "A") == "A. 半年"
    assert answer_text(questions["demo-3"], ["C", "A", "B"]) == "C. 入党宣誓 → A. 支部大会讨论 → B. 递交入党申请书"
    assert answer_text(questions["demo-4"], {"支委会": "一般每年1次"}) == "支委会 → 一般每年1次"
    assert answer_text(questions["demo-1"], "Z") == "Z"  # a letter the question no longer has


# -- the course home -----------------------------------------------------------


@pytest.fixture
def two_days_ago(monkeypatch):
    """Answers stored two days ago, so they are due today whenever the test runs (the home reads the real time)."""
    ticking = Clock(datetime.now(timezone.utc) - timedelta(days=2))
    monkeypatch.setattr(store_module, "now", ticking)
    return ticking


def test_home_shows_todays_count_and_opens_the_review_in_place(bank_dir, store, session, two_days_ago, tmp_path):
    quiz_answers(store, session.trainee.id, ("demo-1", "A", 0.0), ("demo-2", "对", 0.0))
    two_days_ago.at = datetime.now(timezone.utc)  # she reviews now
    home = CourseHome(bank_dir=bank_dir, store=store, token=session.token, notebook_dir=tmp_path, poll_seconds=3600)
    assert home.review.button.description == "今日复习（2 题）" and "错题本：共 2 题" in home.review.status.value

    home.review.button.click()
    view = home.body.children[0]
    assert "错题本与今日复习" in texts(view) and "预备党员的预备期为多长？" in texts(view)
    radio = next(x for x in walk(view) if isinstance(x, w.RadioButtons))
    radio.value = "B"
    button(view, "提交").click()
    assert "回答正确" in texts(view)

    button(view, "← 返回课程首页").click()
    assert home.body.children == (home.home_view,)
    assert home.review.button.description == "今日复习（1 题）"
    assert "已答 2 / 4，答对 0" in home._rows["demo"].value  # the review answer is not a quiz answer


def test_the_row_waits_for_sign_in(bank_dir, store, tmp_path):
    home = CourseHome(bank_dir=bank_dir, store=store, token="", notebook_dir=tmp_path, poll_seconds=3600)
    assert home.review.widget.layout.display == "none"
    form = home.sign_in_form
    form.name.value, form.number.value = "王五", "2026003"
    form.button.click()
    assert home.review.widget.layout.display is None and home.review.button.description == "今日复习（0 题）"
    assert "错题本：还没有错题" in home.review.status.value


def test_the_review_notebook_opens_the_home_at_the_review(bank_dir, tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_DB_URL", raising=False)
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COURSE_BANK_DIR", str(bank_dir))
    store = Store.open(folder_url(tmp_path))
    try:
        from helpers.engine.identity import validate_identity

        session = store.sign_in(validate_identity("张三", "zx000001", ""))
        monkeypatch.setenv("QUERY_STRING", f"s={session.token}")
        page = review_page()
        assert "错题本与今日复习" in texts(page) and "← 返回课程首页" in texts(page)
    finally:
        store.close()


def test_the_review_imports_no_plotting_or_data_library():
    code = ("import sys, helpers.ui.review_widget\n"
            "print(','.join(m for m in ('pandas', 'numpy', 'matplotlib') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert result.stdout.strip() == ""
