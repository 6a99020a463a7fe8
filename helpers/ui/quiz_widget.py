"""The module quiz: one question at a time, instant feedback, stored answers.

Order of events on 提交, which is the point of this class: grade in the kernel
→ store the answer (committed) → only then show the feedback.  If storing
fails the trainee sees a message and may submit again; she never sees feedback
for an answer that was not kept.  The key reaches the browser only inside the
feedback, after submission.

One submission stores one answer.  A submission is a click on 提交 for a
question that has no answer yet in this round: while it is being graded and
stored the button is disabled, and clicks that still arrive (a flood of taps
sent before the browser heard of the disabling, or a second thread) are
dropped by :func:`on_click`; once the answer is stored the question is locked,
so further clicks on it do nothing until 重做错题 opens it again.

The same trainee may have the module open in two tabs, each with its own
kernel and its own widget.  The store is the truth, so each widget takes in
what other tabs stored before it stores, navigates or reopens wrong answers:
a question answered in one tab is shown answered in the other instead of being
answered twice, and a finished attempt is scored from every stored answer,
never from one tab's stale view.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import ipywidgets as w

from helpers.content.schema import TYPE_NAMES
from helpers.engine.grading import GradeResult, ResponseError, grade
from helpers.ui.callbacks import on_click
from helpers.ui.html import notice, paragraph
from helpers.ui.question_inputs import input_for

log = logging.getLogger("helpers.ui")

_DIFFICULTY = {1: "识记", 2: "理解", 3: "应用"}
ANSWERED_ELSEWHERE = "这道题已在你打开的另一个页面中作答，下面是那次作答的结果。"


def feedback_html(question: Any, result: GradeResult) -> str:
    tone = "ok" if result.correct else ("warn" if result.score > 0 else "error")
    parts = [
        notice(result.feedback, tone),
        paragraph(f"正确答案：{result.correct_answer}", bold=True),
        paragraph(f"解析：{question.explanation}"),
        paragraph(f"依据：{question.source}", small=True),
    ]
    return "".join(parts)


def question_widgets() -> tuple[w.HTML, w.HTML, w.Box, w.Button, w.HTML, w.HTML]:
    """Header, stem, answer box, 提交, message and feedback: one question on screen, as the quiz
    and 今日复习 both show it."""
    submit = w.Button(description="提交", button_style="danger", layout=w.Layout(width="8em", height="40px"))
    return w.HTML(), w.HTML(), w.Box(layout=w.Layout(width="100%")), submit, w.HTML(), w.HTML()


NOT_SAVED = "答案没有保存成功，请稍候再点“提交”。如果一直失败，请联系授课老师。"


def grade_response(question: Any, entry: Any, submit: w.Button, message: w.HTML) -> tuple[Any, GradeResult] | None:
    """Her response and its grade, 提交 disabled until it is stored; a response that cannot be
    graded (nothing chosen, not a number…) is explained and 提交 given back."""
    submit.disabled = True
    try:
        response = entry.response()
        return response, grade(question, response)
    except ResponseError as exc:
        message.value = notice(str(exc), "warn")
        submit.disabled = False
        return None


class QuizWidget:
    """The quiz of one module for one signed-in trainee."""

    def __init__(self, questions: list[Any], store: Any, trainee_id: int, module: str):
        self.questions = list(questions)
        self._store, self._trainee, self._module = store, trainee_id, module
        self._results: dict[str, GradeResult] = {}
        self._responses: dict[str, Any] = {}
        self._inputs: dict[str, Any] = {}
        # When the latest stored answer to each question was made, as last read:
        # a different time means another tab answered since.
        self._seen: dict[str, dt.datetime] = {}
        self._attempt: int | None = None
        self._index = 0
        self._sync()

        self.progress = w.IntProgress(min=0, max=max(1, len(self.questions)), layout=w.Layout(width="100%"))
        self.progress_label = w.Label()
        self.header, self.stem, self.input_box, self.submit, self.message, self.feedback = question_widgets()
        self.previous = w.Button(description="上一题", layout=w.Layout(width="7em", height="40px"))
        self.next = w.Button(description="下一题", layout=w.Layout(width="7em", height="40px"))
        self.summary = w.HTML()
        self.retry = w.Button(description="重做错题", layout=w.Layout(width="8em", height="40px"))
        on_click(self.submit, self.submit_current, self.message)
        on_click(self.previous, lambda: self.go(self._index - 1), self.message)
        on_click(self.next, lambda: self.go(self._index + 1), self.message)
        on_click(self.retry, self.retry_wrong, self.message)
        self.widget = w.VBox(
            [
                w.HBox([self.progress_label]), self.progress, self.header, self.stem, self.input_box,
                self.submit, self.message, self.feedback, w.HBox([self.previous, self.next]),
                self.summary, self.retry,
            ],
            layout=w.Layout(width="100%", max_width="760px"),
        )
        self._show(self._first_unanswered())  # just synced: no second read

    # -- state -------------------------------------------------------------
    def _sync(self) -> None:
        """Take in every stored answer this widget has not seen: on opening, the
        earlier visits; later, what another tab of the same trainee stored."""
        known = {q.id: q for q in self.questions}
        for question_id, record in self._store.latest_answers(self._trainee, self._module).items():
            question = known.get(question_id)
            if question is None or self._seen.get(question_id) == record.created_at:
                continue
            self._seen[question_id] = record.created_at
            try:
                self._results[question_id] = grade(question, record.response)
                self._responses[question_id] = record.response
            except (ResponseError, KeyError, TypeError, ValueError):
                continue  # the question changed since; let her answer it again

    def _first_unanswered(self) -> int:
        for i, question in enumerate(self.questions):
            if question.id not in self._results:
                return i
        return 0

    @property
    def current(self) -> Any:
        return self.questions[self._index]

    @property
    def answered(self) -> int:
        return len(self._results)

    @property
    def score(self) -> float:
        """Percent over all questions, from the latest answer to each."""
        if not self.questions:
            return 0.0
        return round(100 * sum(r.score for r in self._results.values()) / len(self.questions), 1)

    # -- actions -----------------------------------------------------------
    def go(self, index: int) -> None:
        if not self.questions:
            self.header.value = notice("本模块暂时没有可用的题目。", "warn")
            return
        try:
            self._sync()
        except Exception:  # showing a question must not wait for the store; submitting checks again
            log.exception("could not read stored answers")
        self._show(index)

    def _show(self, index: int) -> None:
        self._index = max(0, min(index, len(self.questions) - 1))
        question = self.current
        if question.id not in self._inputs:
            self._inputs[question.id] = input_for(question)
        entry = self._inputs[question.id]
        done = question.id in self._results
        if done:
            entry.show(self._responses.get(question.id))
        entry.lock(done)
        self.header.value = paragraph(
            f"第 {self._index + 1} / {len(self.questions)} 题 · {TYPE_NAMES[question.type]} · "
            f"{_DIFFICULTY[question.difficulty]}",
            small=True,
        )
        self.stem.value = f'<div style="font-size:110%;margin:6px 0">{paragraph(question.stem)}</div>'
        self.input_box.children = [entry.widget]
        self.submit.disabled = done
        self.message.value = ""
        self.feedback.value = feedback_html(question, self._results[question.id]) if done else ""
        self.previous.disabled = self._index == 0
        self.next.disabled = self._index == len(self.questions) - 1
        self._update_progress()

    def submit_current(self) -> GradeResult | None:
        """Grade, store, then show; repeated clicks on a stored answer do nothing,
        and an answer another tab stored meanwhile is shown instead of a second one."""
        question = self.current
        if question.id in self._results:
            return None
        graded = grade_response(question, self._inputs[question.id], self.submit, self.message)
        if graded is None:
            return None
        response, result = graded
        try:
            self._sync()
            if question.id in self._results:
                self._show(self._index)
                self.message.value = notice(ANSWERED_ELSEWHERE, "info")
                return None
            if self._attempt is None:
                self._attempt = self._store.start_attempt(self._trainee, self._module)
            self._store.record_answer(
                self._trainee, self._module, question.id, response, result.score, result.correct, self._attempt
            )
        except Exception:  # any storage failure: keep her answer on screen and let her retry
            self.message.value = notice(NOT_SAVED, "error")
            self.submit.disabled = False
            return None
        self._results[question.id] = result
        self._responses[question.id] = response
        self._inputs[question.id].lock(True)
        self.message.value = ""
        self.feedback.value = feedback_html(question, result)
        self._update_progress()
        if self.answered == len(self.questions):
            self._finish()
        return result

    def _finish(self) -> None:
        if self._attempt is not None:
            try:
                self._store.finish_attempt(self._attempt, self.score)
            except Exception:
                self.message.value = notice("成绩汇总没有保存成功，你的每道题答案已保存。", "warn")
            self._attempt = None

    def retry_wrong(self) -> None:
        """Clear the wrongly answered questions so she can answer them again.

        Synced first, so the wrong answers are those stored from every tab and
        the cleared ones are not taken in again as if another tab had just
        answered them."""
        self._sync()
        wrong = [q for q in self.questions if q.id in self._results and not self._results[q.id].correct]
        if not wrong:
            self.summary.value = notice("没有错题，不需要重做。", "ok")
            return
        for question in wrong:
            del self._results[question.id]
            self._responses.pop(question.id, None)
            self._inputs.pop(question.id, None)
        self.go(self.questions.index(wrong[0]))

    def _update_progress(self) -> None:
        total = len(self.questions)
        self.progress.value = self.answered
        self.progress_label.value = f"已答 {self.answered} / {total}"
        correct = sum(1 for r in self._results.values() if r.correct)
        if self.answered == total and total:
            self.summary.value = notice(f"本模块测验完成：得分 {self.score:g} 分，答对 {correct} / {total} 题。", "ok")
        else:
            self.summary.value = paragraph(f"目前答对 {correct} 题，还剩 {total - self.answered} 题未答。", small=True)
        self.retry.disabled = correct == self.answered
