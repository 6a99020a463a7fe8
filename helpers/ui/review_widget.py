"""错题本与今日复习: the questions a trainee got wrong, reviewed when FSRS says so.

Two pieces: :class:`ReviewLauncher`, the course home's row with today's count,
and :class:`ReviewWidget`, the view it opens (今日复习, the progress chart and
the 错题本 list).  The schedule is :mod:`helpers.engine.review`'s, replayed
from the stored answers each time the view changes.

The rules of the module quiz hold here too: grade in the kernel, store the
answer (with no attempt, under the question's module, so the module's scores
stay the quiz's), and only then show the feedback.  The answer key reaches the
browser only in feedback, so the 错题本 list shows the right answer of a
question due today only once she has answered it in this view.

The chart is SVG written here: a trainee's kernel loads no plotting library.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timezone
from html import escape
from typing import Any

import ipywidgets as w

from helpers.content.loader import Bank
from helpers.content.schema import LETTERS, TYPE_NAMES
from helpers.engine.grading import GradeResult, ResponseError, grade
from helpers.engine.review import (
    RETIRE_AFTER,
    BookEntry,
    PastAnswer,
    ReviewDay,
    ReviewHistoryError,
    due_today,
    local_day,
    next_review_day,
    review_series,
    wrong_book,
)
from helpers.ui.callbacks import on_click
from helpers.ui.html import notice, paragraph
from helpers.ui.question_inputs import input_for
from helpers.ui.quiz_widget import NOT_SAVED, feedback_html, grade_response, question_widgets

Clock = Callable[[], datetime]
_WEEKDAYS = "一二三四五六日"


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def month_day(day: date) -> str:
    """``11月25日``."""
    return f"{day.month}月{day.day}日"


def day_text(day: date) -> str:
    """``11月25日（星期三）``."""
    return f"{month_day(day)}（星期{_WEEKDAYS[day.weekday()]}）"


def answer_text(question: Any, response: Any) -> str:
    """A stored response as she saw it: option letters with their texts, pairs as ``左 → 右``."""
    if question.type in ("single", "multiple", "order") and isinstance(response, (str, list)):
        letters = [response] if isinstance(response, str) else response
        if all(isinstance(x, str) and x in question.option_letters() for x in letters):
            joiner = " → " if question.type == "order" else "；"
            return joiner.join(f"{x}. {question.options[LETTERS.index(x)]}" for x in letters)
    if question.type == "match" and isinstance(response, dict):
        return "；".join(f"{left} → {right}" for left, right in response.items()) or "（未作答）"
    if question.type == "numeric":
        return f"{response}{question.unit}"
    return str(response)


def progress_chart(series: list[ReviewDay]) -> str:
    """One bar a day, as inline SVG: mastered (green) under still to master (orange), and above
    each bar the number of answers to book questions that day (blue)."""
    if not series:
        return paragraph("还没有错题，暂无复习进度。", small=True)
    top = max(day.booked for day in series) or 1
    slot, chart, base = 22, 90, 104
    bars = []
    for i, day in enumerate(series):
        x = i * slot + 4
        mastered = chart * day.retired / top
        learning = chart * (day.booked - day.retired) / top
        tip = f"{month_day(day.day)}：错题 {day.booked} 题，已掌握 {day.retired} 题，复习 {day.reviewed} 次"
        count = (f'<text x="{x + 7}" y="{base - mastered - learning - 3:.1f}" font-size="10" text-anchor="middle" '
                 f'fill="#1565c0">{day.reviewed}</text>') if day.reviewed else ""
        bars.append(
            f"<g><title>{escape(tip)}</title>"
            f'<rect x="{x}" y="{base - mastered:.1f}" width="14" height="{mastered:.1f}" fill="#2e7d32"/>'
            f'<rect x="{x}" y="{base - mastered - learning:.1f}" width="14" height="{learning:.1f}" fill="#ef6c00"/>'
            f"{count}</g>"
        )
    width = slot * len(series) + 4
    first, last = (f"<span>{escape(month_day(day))}</span>" for day in (series[0].day, series[-1].day))
    return (
        f'<svg class="course-review-chart" role="img" viewBox="0 0 {width} {base + 2}" width="{width}" '
        f'style="max-width:100%;height:auto;display:block"><title>复习进度</title>'
        f'<line x1="0" y1="{base}" x2="{width}" y2="{base}" stroke="#999"/>{"".join(bars)}</svg>'
        '<div style="display:flex;justify-content:space-between;gap:1em;white-space:nowrap;font-size:85%;'
        f'color:#555;max-width:{max(width, 200)}px">{first}{last}</div>'
        + paragraph("绿色：已掌握；橙色：还要复习；蓝色数字：当天复习的次数。", small=True)
    )


def load_book(store: Any, trainee_id: int, known: Iterable[str]) -> tuple[list[PastAnswer], list[BookEntry]]:
    """Her answer history and the 错题本 of the questions still in the bank (``known`` ids).

    A question removed from the bank since cannot be shown or graded, so it is left out.
    """
    history = store.answer_history(trainee_id)
    kept = set(known)
    return history, [entry for entry in wrong_book(history) if entry.question_id in kept]


class ReviewLauncher:
    """The course home's row: the size of the 错题本 and 今日复习（N 题）; hidden until sign-in."""

    def __init__(self, store: Any, bank: Bank, open_review: Callable[[], Any], message: w.HTML, *,
                 clock: Clock = _utc_now):
        self._store, self._clock = store, clock
        self._known = [q.id for q in bank.questions]
        self.status = w.HTML(layout=w.Layout(flex="1 1 20em"))
        self.button = w.Button(description="今日复习", layout=w.Layout(width="auto", height="40px"))
        on_click(self.button, open_review, message)
        self.widget = w.HBox([self.status, self.button], layout=w.Layout(
            display="none", align_items="center", flex_flow="row wrap", border_bottom="1px solid #ddd"))
        self.widget.add_class("course-review-row")

    def show(self, trainee: Any) -> None:
        """Counted afresh from the store; called whenever the home refreshes."""
        if trainee is None or self._store is None:
            self.widget.layout.display = "none"
            return
        self.widget.layout.display = None
        try:
            _, entries = load_book(self._store, trainee.id, self._known)
        except ReviewHistoryError as exc:  # a damaged record: say which, and keep the home usable
            self.status.value, self.button.layout.display = notice(str(exc), "warn"), "none"
            return
        self.button.layout.display = None
        due = len(due_today(entries, local_day(self._clock())))
        mastered = sum(entry.retired for entry in entries)
        self.button.description = f"今日复习（{due} 题）"
        self.button.button_style = "danger" if due else ""
        summary = f"错题本：共 {len(entries)} 题，已掌握 {mastered} 题" if entries else "错题本：还没有错题"
        self.status.value = (
            "<div style='padding:6px 0'><div style='font-size:110%'>错题本与今日复习</div>"
            f"{paragraph(summary, small=True)}</div>"
        )


class ReviewWidget:
    """错题本与今日复习 for one signed-in trainee, over the questions of ``bank``."""

    def __init__(self, bank: Bank, store: Any, trainee_id: int, *, clock: Clock = _utc_now):
        self._store, self._trainee, self._clock = store, trainee_id, clock
        self._questions = {q.id: q for q in bank.questions}
        self._module_of = {q.id: module.id for module in bank.modules.values() for q in module.questions}
        self._titles = {module.id: module.title for module in bank.modules.values()}
        self._entries: list[BookEntry] = []
        self._round: set[str] = set()  # answered in this view: not asked again until 再复习一轮
        self._current: BookEntry | None = None
        self._input: Any = None
        self._stored = False

        self.status = w.HTML()
        self.header, self.stem, self.input_box, self.submit, self.message, self.feedback = question_widgets()
        # A layout each: they are shown and hidden one by one.
        self.next = w.Button(description="下一题", layout=w.Layout(width="8em", height="40px", margin="4px 12px 4px 0"))
        self.again = w.Button(description="再复习一轮", layout=w.Layout(width="8em", height="40px"))
        self.chart = w.HTML()
        self.book = w.HTML()
        on_click(self.submit, self.submit_current, self.message)
        on_click(self.next, self.show_next, self.message)
        on_click(self.again, self.start_again, self.message)
        self.question = w.VBox([self.header, self.stem, self.input_box, self.submit])
        self.widget = w.VBox(
            [
                w.HTML("<h2 style='margin:8px 0'>错题本与今日复习</h2>"),
                w.HTML("<h3 style='margin:12px 0 4px'>今日复习</h3>"), self.status, self.question,
                self.message, self.feedback, w.HBox([self.next, self.again], layout=w.Layout(flex_flow="row wrap")),
                w.HTML("<h3 style='margin:18px 0 4px'>复习进度</h3>"), self.chart,
                self.book,
            ],
            layout=w.Layout(width="100%", max_width="760px"),
        )
        self._reload()
        self.show_next()

    # -- state -------------------------------------------------------------
    def _today(self) -> date:
        return local_day(self._clock())

    def _reload(self) -> None:
        """Replay her answers: the schedule, the chart and the list as they are now."""
        history, self._entries = load_book(self._store, self._trainee, self._questions)
        self.chart.value = progress_chart(review_series(history, self._today()))
        self.book.value = self._book_html()

    def _queue(self) -> list[BookEntry]:
        return [e for e in due_today(self._entries, self._today()) if e.question_id not in self._round]

    # -- actions -----------------------------------------------------------
    def show_next(self) -> None:
        """The longest-waiting question due today, or what is left to do."""
        queue = self._queue()
        self.message.value = self.feedback.value = ""
        self.next.layout.display = "none"
        self.again.layout.display = "none"
        if not queue:
            self._current = None
            self.question.layout.display = "none"
            left = due_today(self._entries, self._today())
            if left:
                self.again.layout.display = None
            self.status.value = self._done_html(len(left))
            return
        entry = self._current = queue[0]
        question = self._questions[entry.question_id]
        self._input, self._stored = input_for(question), False
        self.question.layout.display = None
        self.status.value = paragraph(f"今天还要复习 {len(queue)} 题。答对的题会隔几天再来，"
                                      f"连续答对 {RETIRE_AFTER} 次就算掌握。", small=True)
        self.header.value = paragraph(
            f"{self._titles[self._module_of[question.id]]} · {TYPE_NAMES[question.type]} · "
            f"以前答错 {entry.wrong_count} 次", small=True)
        self.stem.value = f'<div style="font-size:110%;margin:6px 0">{paragraph(question.stem)}</div>'
        self.input_box.children = [self._input.widget]
        self.submit.disabled = False

    def submit_current(self) -> GradeResult | None:
        """Grade, store, then show; a question already stored ignores further clicks."""
        entry = self._current
        if entry is None or self._stored:
            return None
        question = self._questions[entry.question_id]
        graded = grade_response(question, self._input, self.submit, self.message)
        if graded is None:
            return None
        response, result = graded
        try:
            self._store.record_answer(self._trainee, self._module_of[question.id], question.id, response,
                                      result.score, result.correct)
        except Exception:  # any storage failure: keep her answer on screen and let her retry
            self.message.value = notice(NOT_SAVED, "error")
            self.submit.disabled = False
            return None
        self._stored = True
        self._input.lock(True)
        self._round.add(question.id)
        self.message.value = ""
        self.feedback.value = feedback_html(question, result)
        self._reload()
        self.next.layout.display = None
        self.next.description = "下一题" if self._queue() else "完成"
        return result

    def start_again(self) -> None:
        """Another pass over what is still due today: the questions answered wrong in this one."""
        self._round.clear()
        self.show_next()

    # -- what is shown -------------------------------------------------------
    def _done_html(self, left: int) -> str:
        """What to say once nothing is left in this round; ``left`` are still due today (answered wrong in it)."""
        if not self._entries:
            return notice("错题本里还没有题目。各模块测验中答错的题会自动收进来，到时候在这里复习。", "ok")
        if left:
            return notice(f"这一轮复习完了。还有 {left} 道题刚才没答对，今天可以点“再复习一轮”再练一次。", "info")
        upcoming = next_review_day(self._entries, self._today())
        if upcoming is None:
            return notice(f"错题本里的 {len(self._entries)} 道题都已掌握，目前没有要复习的题。", "ok")
        count = sum(entry.review_on == upcoming for entry in self._entries if not entry.retired)
        return notice(f"今天的复习都完成了，很好！下次复习：{day_text(upcoming)}，共 {count} 题。", "ok")

    def _book_html(self) -> str:
        """The list by module, in course order; a question still due today shows no answer yet."""
        hidden = {e.question_id for e in due_today(self._entries, self._today())} - self._round
        mastered = sum(entry.retired for entry in self._entries)
        parts = [f"<h3 style='margin:18px 0 4px'>错题本（共 {len(self._entries)} 题，已掌握 {mastered} 题）</h3>"]
        for module, title in self._titles.items():
            entries = [entry for entry in self._entries if self._module_of[entry.question_id] == module]
            if entries:
                parts.append(f"<h4 style='margin:12px 0 4px'>{escape(title)}（{len(entries)} 题）</h4>")
                parts.extend(self._item_html(entry, entry.question_id in hidden) for entry in entries)
        return "".join(parts)

    def _item_html(self, entry: BookEntry, due: bool) -> str:
        question = self._questions[entry.question_id]
        if entry.retired:
            state = "已掌握"
        elif due:
            state = "今天待复习"
        else:
            state = f"下次复习：{day_text(entry.review_on)}"
        parts = [paragraph(question.stem, bold=True), paragraph(f"答错 {entry.wrong_count} 次 · {state}", small=True)]
        if due:
            parts.append(paragraph("在上面的“今日复习”中作答后，这里会显示你的答案、正确答案和解析。", small=True))
        else:
            parts.append(paragraph(f"你上次答错的答案：{answer_text(question, entry.last_wrong.response)}"))
            try:
                parts.append(feedback_html(question, grade(question, entry.last_wrong.response)))
            except (ResponseError, KeyError, TypeError, ValueError):
                parts.append(paragraph("这道题在你作答后修改过，下次复习时请重新作答。", small=True))
        style = "padding:6px 0;border-bottom:1px solid #eee"
        return f"<div class='course-review-item' style='{style}'>{''.join(parts)}</div>"
