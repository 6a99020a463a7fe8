"""One trainee's exam paper: drafts saved as she goes, a kernel-side clock, grading on hand-in.

Why it is built this way:

- The answer key stays in the kernel.  Questions are shown through the same
  inputs as the module quizzes, which show only what she may see, with the
  options in her own order (:func:`shuffle_options` with her attempt's seed).
  Feedback, right answers, explanations and sources enter a widget only after
  the paper is stored as handed in, and only when review is allowed.
- Nothing she has chosen is lost: every change is saved as a draft at once, so
  a killed kernel or a reload rebuilds the same paper from the stored question
  ids and seed and puts her answers back.
- The clock is the kernel's, not the browser's: a thread updates the countdown
  every second and hands the paper in at the deadline.  A change that arrives
  after the deadline (a slow phone, or a hand-made comm message) is not kept.
- Stored before shown: the score reaches the page only after ``submit_exam``
  returned, so a trainee never sees a result the instructor does not have.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timezone
from html import escape
from typing import Any

import ipywidgets as w

from helpers.content.blueprint import Blueprint
from helpers.content.schema import TYPE_NAMES
from helpers.engine.exam_draw import shuffle_options
from helpers.engine.grading import GradeResult, ResponseError, grade
from helpers.store import ExamClosed
from helpers.ui.callbacks import on_click
from helpers.ui.html import notice, paragraph
from helpers.ui.question_inputs import input_for
from helpers.ui.quiz_widget import feedback_html

log = logging.getLogger("helpers.ui")

_HURRY_S = 5 * 60
_SHOWN_UNANSWERED = 12
_UNPAIRED = "（未配对）"
_HANDED_IN = "已交卷。"
_TIMED_OUT = "考试时间已到，系统已按保存的答案自动交卷。"
_ELSEWHERE = "这份试卷已经在另一个页面交卷，下面是保存的结果。"


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def paper_questions(paper: list[str], seed: int, bank: Mapping[str, Any]) -> list[Any]:
    """The paper as she sees it: her questions with her option order.

    A question deleted from the bank since the draw is left out (and so not
    counted) rather than making the whole paper unusable.
    """
    return [shuffle_options(bank[question_id], seed) for question_id in paper if question_id in bank]


def _key_response(question: Any) -> Any:
    """A response that the grader accepts as fully right, to name the right answer
    of a question she left blank."""
    answer = question.answer
    if question.type == "fill":
        return answer[0]
    if question.type in ("multiple", "order"):
        return list(answer)
    if question.type == "match":
        return dict(answer)
    return answer


def _is_blank(response: Any) -> bool:
    return response is None or response == "" or response == [] or response == {}


def grade_answer(question: Any, response: Any) -> GradeResult:
    """Like :func:`grade`, but a blank or ungradable answer scores 0 instead of
    asking her to try again: in an exam there is no second try."""
    right = grade(question, _key_response(question)).correct_answer
    if _is_blank(response):
        return GradeResult(0.0, False, "未作答。", right)
    if question.type == "match" and isinstance(response, Mapping):
        # the quiz asks her to pair every item; here an unpaired item is simply wrong
        response = {left: response.get(left) or _UNPAIRED for left in question.answer}
    try:
        return grade(question, response)
    except ResponseError as exc:
        return GradeResult(0.0, False, f"答案无法判分（{exc}）", right)


def submit_paper(
    store: Any, blueprint: Blueprint, questions: list[Any], record: Any, answers: Mapping[str, Any]
) -> tuple[Any, dict[str, GradeResult]]:
    """Grade a paper and store the result; returns the stored record and each question's result.

    The score is a percentage of the points of the questions still in the bank,
    compared with the blueprint's pass mark (also a percentage).
    """
    results = {q.id: grade_answer(q, answers.get(q.id)) for q in questions}
    points = blueprint.points_for(list(record.paper))
    total = sum(points[q.id] for q in questions)
    earned = sum(points[q.id] * results[q.id].score for q in questions)
    score = round(100 * earned / total, 1) if total else 0.0
    stored = store.submit_exam(
        record.id, {qid: (r.score, r.correct) for qid, r in results.items()}, score, score >= blueprint.pass_mark
    )
    return stored, results


def result_text(blueprint: Blueprint, record: Any) -> str:
    verdict = "合格" if record.passed else "未合格"
    return f"{blueprint.title}：成绩 {record.score:g} 分（合格线 {blueprint.pass_mark:g} 分），{verdict}。"


def _clock_text(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def _countdown_html(seconds_left: float) -> str:
    hurry = seconds_left <= _HURRY_S
    color = "#b3261e" if hurry else "#1f4e79"
    tail = "　时间不多了，请抓紧检查并交卷" if hurry else ""
    return (
        f'<div class="exam-countdown" style="font-size:120%;font-weight:600;color:{color};margin:4px 0">'
        f"剩余时间 {_clock_text(seconds_left)}{escape(tail)}</div>"
    )


def _button(description: str, style: str = "", width: str = "8em") -> w.Button:
    # each button its own Layout: a shared one would hide or resize them all together
    return w.Button(description=description, button_style=style, layout=w.Layout(width=width, height="40px"))


def _widgets_in(widget: w.Widget) -> Iterator[w.Widget]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _widgets_in(child)


class ExamWidget:
    """One attempt at one exam: in progress, or handed in and shown with its result.

    ``review`` is asked at hand-in (and when a handed-in attempt is opened), so
    an instructor who allows review during the exam is obeyed.
    """

    def __init__(
        self,
        blueprint: Blueprint,
        bank: Mapping[str, Any],
        store: Any,
        record: Any,
        *,
        review: Callable[[], bool],
        clock: Callable[[], datetime] = utc_now,
        on_leave: Callable[[], None] | None = None,
    ):
        self.blueprint, self.record = blueprint, record
        self.questions = paper_questions(list(record.paper), record.seed, bank)
        self._points = blueprint.points_for(list(record.paper))
        self._store, self._review, self._clock = store, review, clock
        self._answers: dict[str, Any] = dict(store.exam_responses(record.id))
        self._saved: dict[str, Any] = dict(self._answers)
        self._inputs: dict[str, Any] = {}
        self._lock = threading.RLock()
        self._stopped = threading.Event()
        self._timer: threading.Thread | None = None
        self.results: dict[str, GradeResult] = {}
        self.review_shown = False
        self._index = 0

        self.intro = w.HTML(
            f"<h2 style='margin:8px 0'>{escape(blueprint.title)}</h2>"
            + paragraph(
                f"共 {len(self.questions)} 题，满分 {blueprint.total_points:g} 分，{blueprint.pass_mark:g} 分合格，"
                f"限时 {blueprint.time_limit_minutes} 分钟。每道题的答案一改动就自动保存；"
                "刷新页面或断线后重新打开本页，会回到这份试卷。",
                small=True,
            )
        )
        self.countdown = w.HTML()
        self.progress_label = w.HTML()
        self.jump = w.Dropdown(
            options=[(f"第 {i} 题 · {TYPE_NAMES[q.type]}", i - 1) for i, q in enumerate(self.questions, start=1)],
            description="跳到", layout=w.Layout(width="16em", max_width="100%"),
        )
        self.header = w.HTML()
        self.stem = w.HTML()
        self.input_box = w.Box(layout=w.Layout(width="100%"))
        self.previous = _button("上一题")
        self.next = _button("下一题")
        self.message = w.HTML()
        self.submit = _button("交卷", "danger")
        self.confirm_text = w.HTML()
        self.confirm = _button("确认交卷", "danger")
        self.cancel = _button("继续作答")
        self.leave = _button("返回考试列表", width="10em")
        self.actions = w.VBox([self.submit])
        self.result = w.HTML()
        self.feedback = w.HTML()

        on_click(self.previous, lambda: self.go(self._index - 1), self.message)
        on_click(self.next, lambda: self.go(self._index + 1), self.message)
        on_click(self.submit, self.ask_to_confirm, self.message)
        on_click(self.confirm, self.hand_in, self.message)
        on_click(self.cancel, self._close_confirm, self.message)
        if on_leave is not None:
            on_click(self.leave, on_leave, self.message)
        self.jump.observe(self._jumped, names="value")
        self._on_leave = on_leave

        self.widget = w.VBox(
            [
                self.intro, self.countdown, self.result, self.progress_label, self.jump, self.header,
                self.stem, self.input_box, w.HBox([self.previous, self.next]), self.message, self.feedback,
                self.actions,
            ],
            layout=w.Layout(width="100%", max_width="760px"),
        )
        if not self.questions:
            self.message.value = notice("这份试卷的题目已不在题库中，请联系授课老师。", "error")
            return
        if self.submitted:
            self.results = {q.id: grade_answer(q, self._answers.get(q.id)) for q in self.questions}
            self._show_handed_in(_HANDED_IN)
        elif self.seconds_left() <= 0:
            self.hand_in(timed_out=True)
        self.go(0)

    # -- state -------------------------------------------------------------
    @property
    def submitted(self) -> bool:
        return self.record.submitted_at is not None

    @property
    def current(self) -> Any:
        return self.questions[self._index]

    def seconds_left(self) -> float:
        return (self.record.deadline - self._clock()).total_seconds()

    def unanswered(self) -> list[int]:
        """Numbers (from 1) of the questions without an answer yet."""
        return [i for i, q in enumerate(self.questions, start=1) if _is_blank(self._answers.get(q.id))]

    # -- showing questions -------------------------------------------------
    def _input(self, question: Any) -> Any:
        """The question's input, made when first shown, with her draft put back."""
        entry = self._inputs.get(question.id)
        if entry is None:
            entry = self._inputs[question.id] = input_for(question)
            if question.id in self._answers:
                entry.show(self._answers[question.id])
            for widget in _widgets_in(entry.widget):
                names = [name for name in ("value", "options") if widget.has_trait(name)]
                if names:
                    widget.observe(lambda _change, q=question.id, e=entry: self._changed(q, e), names=names)
        entry.lock(self.submitted)
        return entry

    def go(self, index: int) -> None:
        self._index = max(0, min(index, len(self.questions) - 1))
        question = self.current
        entry = self._input(question)
        self.header.value = paragraph(
            f"第 {self._index + 1} / {len(self.questions)} 题 · {TYPE_NAMES[question.type]} · "
            f"{self._points.get(question.id, 0):g} 分",
            small=True,
        )
        self.stem.value = f'<div style="font-size:110%;margin:6px 0">{paragraph(question.stem)}</div>'
        self.input_box.children = [entry.widget]
        self.previous.disabled = self._index == 0
        self.next.disabled = self._index == len(self.questions) - 1
        self.jump.value = self._index
        self.feedback.value = (
            feedback_html(question, self.results[question.id]) if self.review_shown else ""
        )
        self._update_progress()

    def _jumped(self, change: dict) -> None:
        if change["new"] is not None and change["new"] != self._index:
            self._guarded(lambda: self.go(change["new"]))

    def _update_progress(self) -> None:
        missing = self.unanswered()
        text = f"已答 {len(self.questions) - len(missing)} / {len(self.questions)}"
        if missing and not self.submitted:
            listed = "、".join(str(n) for n in missing[:_SHOWN_UNANSWERED])
            text += f"；未答：第 {listed} 题" + ("等" if len(missing) > _SHOWN_UNANSWERED else "")
        self.progress_label.value = paragraph(text, small=True)

    # -- drafts ------------------------------------------------------------
    def _guarded(self, action: Callable[[], Any]) -> None:
        """Run a change handler; like :func:`on_click`, never a traceback on the page."""
        try:
            action()
        except Exception:
            log.exception("exam change handler failed")
            self.message.value = notice("出了点问题，这一步没有完成。请刷新页面后继续作答。", "error")

    def _changed(self, question_id: str, entry: Any) -> None:
        self._guarded(lambda: self._keep(question_id, entry.response()))

    def _keep(self, question_id: str, response: Any) -> None:
        with self._lock:
            if self.submitted or response == self._answers.get(question_id):
                return
            if self.seconds_left() <= 0:
                self.message.value = notice("考试时间已到，之后的改动不再保存。", "warn")
                return
            self._answers[question_id] = response
            self._save(question_id)
        self._update_progress()

    def _save(self, question_id: str) -> bool:
        try:
            self._store.save_exam_response(self.record.id, question_id, self._answers[question_id])
        except ExamClosed:  # handed in from another tab or kernel: show that result
            self._hand_in(flush=False, heading=_ELSEWHERE)
            return False
        except Exception:
            log.exception("saving an exam draft failed")
            self.message.value = notice(
                "刚才的答案暂时没有保存成功；再改动一次或交卷时会重试。如果一直失败，请联系授课老师。", "error"
            )
            return False
        self._saved[question_id] = self._answers[question_id]
        self.message.value = ""
        return True

    # -- the clock ---------------------------------------------------------
    def start_countdown(self, interval: float = 1.0) -> None:
        """Start the kernel thread that shows the time left and hands in at the deadline."""
        if self.submitted or self._timer is not None:
            return
        self._timer = threading.Thread(target=self._run_clock, args=(interval,), name="exam-clock", daemon=True)
        self._timer.start()

    def stop_countdown(self) -> None:
        self._stopped.set()

    def _run_clock(self, interval: float) -> None:
        while not self._stopped.is_set():
            try:
                if not self.tick():
                    return
            except Exception:  # keep ticking: a passing database hiccup must not stop the hand-in
                log.exception("exam clock tick failed")
            self._stopped.wait(interval)

    def tick(self) -> bool:
        """Show the time left; at the deadline hand the paper in.  False once handed in."""
        if self.submitted:
            return False
        left = self.seconds_left()
        if left <= 0:
            self.hand_in(timed_out=True)
            return not self.submitted
        self.countdown.value = _countdown_html(left)
        return True

    # -- handing in --------------------------------------------------------
    def ask_to_confirm(self) -> None:
        if self.submitted:
            return
        missing = self.unanswered()
        if missing:
            listed = "、".join(str(n) for n in missing[:_SHOWN_UNANSWERED]) + ("等" if len(missing) > _SHOWN_UNANSWERED else "")
            text = f"还有 {len(missing)} 题未作答（第 {listed} 题）。交卷后不能再修改，确定交卷吗？"
        else:
            text = "交卷后不能再修改，确定交卷吗？"
        self.confirm_text.value = notice(text, "warn")
        self.actions.children = [self.submit, self.confirm_text, w.HBox([self.confirm, self.cancel])]

    def _close_confirm(self) -> None:
        self.actions.children = [self.submit]

    def hand_in(self, *, timed_out: bool = False) -> bool:
        """Grade her saved answers in the kernel, store the result, then show it.

        What is graded is what the store holds, not this kernel's memory: an
        abandoned tab whose kernel is still alive hands in at the deadline too,
        and must not grade the answers she has since changed in a new tab.  A
        click first retries any draft whose save had failed; the deadline does
        not (a late change is not hers to add).  Safe to call from the clock
        thread and a click at once: the second call finds the paper handed in.
        If storing fails nothing is shown as handed in and she (or the clock, a
        second later) can try again.
        """
        return self._hand_in(flush=not timed_out, heading=_TIMED_OUT if timed_out else _HANDED_IN)

    def _flush(self) -> None:
        """Save the drafts whose save had failed; raises if one still fails."""
        for question_id, response in self._answers.items():
            if self._saved.get(question_id) != response:
                self._store.save_exam_response(self.record.id, question_id, response)
                self._saved[question_id] = response

    def _hand_in(self, *, flush: bool, heading: str) -> bool:
        with self._lock:
            if self.submitted:
                return True
            self.confirm.disabled = True
            try:
                if flush:
                    try:
                        self._flush()
                    except ExamClosed:
                        heading = _ELSEWHERE  # submit_exam below returns that first result
                answers = self._store.exam_responses(self.record.id)
                self.record, self.results = submit_paper(self._store, self.blueprint, self.questions, self.record, answers)
                self._answers, self._saved = answers, dict(answers)
            except Exception:
                log.exception("handing in an exam failed")
                self.message.value = notice(
                    "交卷没有成功，你的答案都还在。请稍候再点“确认交卷”；到时间后系统会继续自动交卷。", "error"
                )
                self.confirm.disabled = False
                return False
        self.stop_countdown()
        self._show_handed_in(heading)
        self.go(self._index)
        return True

    def _show_handed_in(self, heading: str) -> None:
        for question_id, entry in self._inputs.items():
            if question_id in self._answers:
                entry.show(self._answers[question_id])  # what was graded, if this tab had fallen behind
            entry.lock(True)
        self.review_shown = bool(self._review())
        self.countdown.value = paragraph(heading, bold=True)
        self.actions.children = [self.leave] if self._on_leave is not None else []
        right = sum(1 for r in self.results.values() if r.correct)
        parts = [
            notice(result_text(self.blueprint, self.record), "ok" if self.record.passed else "warn"),
            paragraph(f"答对 {right} / {len(self.questions)} 题。"),
        ]
        if self.review_shown:
            parts.append(paragraph("可以用“上一题/下一题”逐题查看你的答案、正确答案、解析和依据。", small=True))
        else:
            parts.append(notice("答案解析暂未开放：授课老师开放后，重新打开考试页面即可查看。"))
        self.result.value = "".join(parts)
        self.message.value = ""
