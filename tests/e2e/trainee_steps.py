"""What a trainee does in the fault tests, and what the database holds afterwards.

A plain module (not a test file) shared by the tests that break the server or
a kernel half-way through a quiz.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from helpers.content.loader import ModuleContent, default_bank_dir, load_module

CONNECTION_LOST = "连接已中断，请刷新页面继续；你已提交的答案都已保存。"


def fazhan() -> ModuleContent:
    """The module the tests answer; its first questions are single choice."""
    module = load_module(default_bank_dir() / "fazhan")
    assert [q.type for q in module.questions[:2]] == ["single"] * 2, "the tests answer two single-choice questions"
    return module


def sign_in_and_open(page, url: str, module: ModuleContent, name: str, number: str) -> None:
    """Self-study sign-in on the course home, then the module's own page (its link carries ``?s=``)."""
    page.goto(url)
    page.get_by_placeholder("例如：张三").fill(name)
    page.get_by_placeholder("例如：2026001").fill(number)
    page.get_by_role("button", name="登录").click()
    page.get_by_text(f"当前学员：{name}").wait_for()
    page.get_by_role("link", name=module.title).click()
    page.get_by_text(f"当前学员：{name}").wait_for()


def choose_option(page, question, letter: str) -> None:
    """Click the option ``letter`` of a choice question."""
    page.get_by_text(f"{letter}. {question.options['ABCDEFGH'.index(letter)]}", exact=True).click()


def answer(page, question, letter: str) -> None:
    """Choose ``letter``, submit, and wait until the feedback is on screen."""
    choose_option(page, question, letter)
    page.get_by_role("button", name="提交").click()
    page.get_by_text("回答正确。" if letter == question.answer else "回答错误。").wait_for()


def wrong_letter(question) -> str:
    return next(letter for letter in question.option_letters() if letter != question.answer)


def stored_answers(data_dir: Path, number: str) -> list[tuple[str, int]]:
    """(question id, correct) of every answer the trainee numbered ``number`` has in the database."""
    with sqlite3.connect(data_dir / "course.sqlite3") as db:
        return db.execute(
            "SELECT a.question_id, a.correct FROM answers a JOIN trainees t ON t.id = a.trainee_id "
            "WHERE t.number = ? ORDER BY a.id", (number,)
        ).fetchall()
