"""The exam page: the exams a trainee may take, and her paper once she starts one.

Who may take what (settings are the store's, written from the instructor dashboard):

- A class exam is open only while ``exam:<id>:open`` is ``"1"``; nobody can
  start it before the instructor opens it.  Each trainee has the blueprint's
  number of attempts.
- Self-study practice: a self-study trainee on a server that has no class (her
  own copy of the course) may take every exam whose ``open`` setting is not
  ``"0"``, as often as she likes, and sees the review after handing in.  There
  is no instructor there to open anything, and nothing is secret: the same
  questions, with answers, are in the module quizzes.  On a classroom server
  (one with classes) self-study trainees wait for the instructor like everyone.
- Review after hand-in: ``exam:<id>:review`` ``"1"`` or ``"0"`` when the
  instructor has set it, otherwise the blueprint's ``review``.

An attempt in progress is reopened at once when she comes back (reload, killed
kernel, another device); one whose time ran out while she was away is handed
in with her saved answers before the list is shown.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as w

from helpers.content.blueprint import Blueprint, load_exam_blueprints
from helpers.content.loader import default_bank_dir, load_bank
from helpers.engine.exam_draw import BlueprintError, draw
from helpers.ui.callbacks import on_click
from helpers.ui.exam_widget import ExamWidget, paper_questions, result_text, submit_paper, utc_now
from helpers.ui.html import notice, paragraph
from helpers.ui.pages import TOKEN_PARAMETER, _Page
from helpers.ui.request import query_parameter

HOME = "index.ipynb"
# Seeds fit a signed 32-bit column on every database.
_SEED_LIMIT = 2**31 - 1


def open_key(exam_id: str) -> str:
    return f"exam:{exam_id}:open"


def review_key(exam_id: str) -> str:
    return f"exam:{exam_id}:review"


def review_allowed(store: Any, blueprint: Blueprint) -> bool:
    """Review after hand-in in a class exam: the instructor's setting, else the blueprint's ``review``."""
    setting = store.get_setting(review_key(blueprint.id))
    return blueprint.review if setting is None else setting == "1"


def _blueprint_problems(problems: list[Any]) -> str:
    """Trainees only need to know an exam is missing and whom to tell; the
    instructor's dashboard shows the details."""
    if not problems:
        return ""
    files = "；".join(f"{Path(p.file).name}：{p.message}" for p in problems[:5])
    return notice(f"有考试的组卷方案文件有问题，这些考试暂不显示，请告诉授课老师（{files}）。", "warn")


class ExamPage(_Page):
    """Sign-in, the list of exams, and the paper of the attempt she is on."""

    def __init__(
        self,
        *,
        bank_dir: Path | None = None,
        store: Any | None = None,
        token: str | None = None,
        clock: Callable[[], datetime] = utc_now,
    ):
        super().__init__(store)
        bank_dir = bank_dir or default_bank_dir()
        found = load_exam_blueprints(bank_dir)
        self.blueprints: dict[str, Blueprint] = found.blueprints
        self.bank = {q.id: q for q in load_bank(bank_dir).questions}
        self._clock = clock
        self.exam: ExamWidget | None = None
        self.message = w.HTML()
        self.view = w.VBox(layout=w.Layout(width="100%"))
        self._resume(token if token is not None else query_parameter(TOKEN_PARAMETER))
        self.widget = w.VBox(
            [
                w.HTML("<h1 style='margin:8px 0'>考试</h1>" + _blueprint_problems(found.problems)),
                self._identity_bar(HOME),
                self._when_signed_in(self._build),
            ],
            layout=w.Layout(width="100%", max_width="760px"),
        )

    # -- rules -------------------------------------------------------------
    def _practice(self) -> bool:
        return self.trainee.class_code == "" and not self.store.list_classes()

    def _mode(self, blueprint: Blueprint, practice: bool) -> str:
        """"exam", "practice" or "closed" for this trainee."""
        setting = self.store.get_setting(open_key(blueprint.id))
        if setting == "1":
            return "exam"
        return "practice" if practice and setting != "0" else "closed"

    def _review_rule(self, blueprint: Blueprint, mode: str) -> Callable[[], bool]:
        return lambda: mode == "practice" or review_allowed(self.store, blueprint)

    # -- the list ----------------------------------------------------------
    def _build(self) -> w.Widget:
        self.show_list()
        return self.view

    def _records(self, blueprint: Blueprint) -> tuple[list[Any], list[str]]:
        """Her attempts, after handing in any whose time ran out while she was away."""
        records, notes = [], []
        for record in self.store.exams_for(self.trainee.id, blueprint.id):
            if record.submitted_at is None and record.deadline <= self._clock():
                questions = paper_questions(list(record.paper), record.seed, self.bank)
                record, _ = submit_paper(self.store, blueprint, questions, record,
                                         self.store.exam_responses(record.id))
                notes.append(notice(f"上次考试的时间已到，系统已按保存的答案自动交卷。{result_text(blueprint, record)}"))
            records.append(record)
        return records, notes

    def show_list(self) -> None:
        """Every exam with what she may do now; straight into an attempt in progress."""
        self.exam = None
        self.message.value = ""
        if not self.blueprints:
            self.view.children = [w.HTML(notice("目前没有安排考试。"))]
            return
        practice = self._practice()
        rows: list[w.Widget] = []
        for blueprint in self.blueprints.values():
            mode = self._mode(blueprint, practice)
            records, notes = self._records(blueprint)
            ongoing = [r for r in records if r.submitted_at is None]
            if ongoing:
                self._open(blueprint, ongoing[-1], mode)
                return
            rows.append(self._row(blueprint, mode, records, notes))
        self.view.children = [*rows, self.message]

    def _row(self, blueprint: Blueprint, mode: str, records: list[Any], notes: list[str]) -> w.Widget:
        parts = [
            f"<h2 style='margin:12px 0 4px 0'>{escape(blueprint.title)}</h2>",
            paragraph(
                f"共 {blueprint.question_count} 题，满分 {blueprint.total_points:g} 分，{blueprint.pass_mark:g} 分合格，"
                f"限时 {blueprint.time_limit_minutes} 分钟。",
            ),
            *notes,
        ]
        left = blueprint.attempts - len(records)
        if mode == "closed":
            parts.append(notice("考试尚未开放，请等授课老师通知。"))
        elif mode == "practice":
            parts.append(paragraph("自学模拟：不限次数，交卷后可看答案解析。", small=True))
        else:
            parts.append(paragraph(f"每人可考 {blueprint.attempts} 次，你已考 {len(records)} 次。", small=True))
        done = [r for r in records if r.submitted_at is not None]
        if done:
            parts.append(paragraph(f"最近一次：{result_text(blueprint, done[-1])}"))
        buttons = []
        if mode != "closed" and (mode == "practice" or left > 0):
            problem = self._unfillable(blueprint)
            if problem:
                parts.append(notice(f"{problem}。请联系授课老师调整组卷方案。", "error"))
            else:
                start = w.Button(description="开始考试", button_style="danger", layout=w.Layout(width="8em", height="40px"))
                on_click(start, lambda: self.start(blueprint.id), self.message)
                buttons.append(start)
        elif mode == "exam":
            parts.append(paragraph("考试次数已用完。", small=True))
        if done:
            again = w.Button(description="查看试卷", layout=w.Layout(width="8em", height="40px"))
            on_click(again, lambda: self._open(blueprint, done[-1], mode), self.message)
            buttons.append(again)
        return w.VBox([w.HTML("".join(parts)), w.HBox(buttons)])

    def _unfillable(self, blueprint: Blueprint) -> str:
        try:
            draw(blueprint, self.bank.values(), 0)
        except BlueprintError as exc:
            return str(exc)
        return ""

    # -- taking an exam ----------------------------------------------------
    def start(self, exam_id: str) -> ExamWidget | None:
        """Draw her own paper and start the clock; a second click reopens the same attempt."""
        blueprint = self.blueprints[exam_id]
        mode = self._mode(blueprint, self._practice())
        records, _ = self._records(blueprint)
        ongoing = [r for r in records if r.submitted_at is None]
        if ongoing:
            return self._open(blueprint, ongoing[-1], mode)
        if mode == "closed" or (mode == "exam" and len(records) >= blueprint.attempts):
            self.show_list()
            self.message.value = notice("这场考试现在不能开始（未开放或次数已用完）。", "warn")
            return None
        seed = secrets.randbelow(_SEED_LIMIT)
        try:
            paper = draw(blueprint, self.bank.values(), seed)
        except BlueprintError as exc:
            self.message.value = notice(f"{exc}。请联系授课老师调整组卷方案。", "error")
            return None
        deadline = self._clock() + timedelta(minutes=blueprint.time_limit_minutes)
        record = self.store.start_exam(self.trainee.id, blueprint.id, seed, paper, deadline)
        return self._open(blueprint, record, mode)

    def _open(self, blueprint: Blueprint, record: Any, mode: str) -> ExamWidget:
        self.exam = ExamWidget(
            blueprint, self.bank, self.store, record,
            review=self._review_rule(blueprint, mode), clock=self._clock, on_leave=self.show_list,
        )
        self.view.children = [self.exam.widget]
        self.exam.start_countdown()
        return self.exam


def exam_page() -> w.Widget:
    """The one call of the exam notebook."""
    return ExamPage().widget
