"""In class: the live, anonymous answer distribution of one question, and
setting the module the class works on now.

The discussion view shows counts only — no names, no ranking — so it can go
on the projector while trainees are still answering.  The correct answer is
hidden until the instructor ticks "显示正确答案", so the class can discuss first.
"""
from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as w

from helpers.content.schema import TYPE_NAMES
from helpers.engine.exports import Table
from helpers.ui.callbacks import on_click
from helpers.ui.class_pacing import current_module_key
from helpers.ui.html import notice, paragraph
from helpers.ui.instructor_common import Shown, View, module_choices, number, observe
from helpers.ui.instructor_results import CHOICE_TYPES, answer_key, class_people
from helpers.ui.repeater import Repeater

REFRESH_SECONDS = 5.0
# Auto-refresh stops by itself after a lesson's length, so a forgotten
# projector tab does not keep the instructor's kernel busy all day.
AUTO_REFRESH_LIMIT_SECONDS = 2 * 60 * 60
JUDGE_OPTIONS = "对错"
_OUTCOMES = ("答对", "部分正确", "答错")


def distribution_html(rows: list[tuple[str, int, bool]], total: int, show_answer: bool) -> str:
    """Bars of how many chose each option; ✓ marks the right ones when shown."""
    biggest = max((count for _, count, _ in rows), default=0) or 1
    parts = []
    for label, count, right in rows:
        mark = " ✓" if show_answer and right else ""
        color = "#2e7d32" if show_answer and right else "#1565c0"
        parts.append(
            '<div class="course-bar" style="display:flex;align-items:center;gap:8px;margin:6px 0;font-size:110%">'
            f'<span style="flex:0 0 40%;overflow-wrap:anywhere">{escape(label + mark)}</span>'
            '<span style="flex:1;background:#eee;border-radius:3px;height:22px;min-width:60px">'
            f'<span style="display:block;width:{100 * count / biggest:.1f}%;height:100%;background:{color};'
            'border-radius:3px"></span></span>'
            f'<span style="flex:0 0 7em;text-align:right">{count} 人（{100 * count / (total or 1):.0f}%）</span></div>'
        )
    return "".join(parts)


class DiscussionView(View):
    title = "课堂讨论"

    def controls(self) -> list[w.Widget]:
        self.module = w.Dropdown(options=module_choices(self.ctx, None), description="模块",
                                 layout=w.Layout(width="34em", max_width="100%"))
        self.question = w.Dropdown(description="题目", layout=w.Layout(width="100%", max_width="60em"))
        self.refresh_button = w.Button(description="刷新", button_style="danger", layout=w.Layout(width="7em", height="40px"))
        self.auto = w.Checkbox(value=False, description=f"每 {REFRESH_SECONDS:g} 秒自动刷新", indent=False)
        self.show_answer = w.Checkbox(value=False, description="显示正确答案", indent=False)
        self.repeater = Repeater(self.refresh, REFRESH_SECONDS, AUTO_REFRESH_LIMIT_SECONDS, self._expired)
        self._fill_questions()
        observe(self.module, self._fill_questions, self.message)  # the new question refreshes
        observe(self.question, self.refresh, self.message)
        observe(self.show_answer, self.refresh, self.message)
        observe(self.auto, self._toggle_auto, self.message)
        on_click(self.refresh_button, self.refresh, self.message)
        return [self.module, self.question, w.HBox([self.refresh_button, self.auto, self.show_answer])]

    def _fill_questions(self) -> None:
        module = self.ctx.bank.modules.get(self.module.value) if self.module.value else None
        questions = module.questions if module else []
        self.question.options = [
            (f"{n}. [{TYPE_NAMES.get(q.type, q.type)}] {q.stem[:40]}{'…' if len(q.stem) > 40 else ''}", q.id)
            for n, q in enumerate(questions, start=1)
        ]
        self.question.value = questions[0].id if questions else None  # new options select nothing

    def _toggle_auto(self) -> None:
        if self.auto.value:
            self.repeater.start()
        else:
            self.repeater.stop()

    def _expired(self) -> None:
        self.auto.value = False

    def build(self) -> Shown:
        question = self.ctx.question(self.question.value) if self.question.value else None
        if question is None:
            return Shown(notice("请选择一道题。"))
        answers = [r for r in self.ctx.store.class_responses(self.ctx.class_code, question.module)
                   if r.question_id == question.id]
        rows = self._rows(question, answers)
        show = self.show_answer.value
        head = (f"<div style='font-size:120%;font-weight:600;margin:8px 0'>{escape(question.stem)}</div>"
                + paragraph(f"已有 {len(answers)} 人作答（匿名统计，每人取最近一次作答）。", small=True))
        table = Table.of(
            "课堂讨论", ("题号", "选项", "人数", "占比(%)"),
            [(question.id, label, count, number(100 * count / len(answers)) if answers else None)
             for label, count, _ in rows],
        )
        chart = distribution_html(rows, len(answers), show)
        return Shown(head + chart, (table,) if answers else ())

    def _rows(self, question: Any, answers: list[Any]) -> list[tuple[str, int, bool]]:
        """(label, count, is right) for each option, or for 答对/部分正确/答错."""
        from helpers.report import option_counts

        key = answer_key(question)
        if question.type in CHOICE_TYPES:
            letters = question.option_letters()
            counts = option_counts((r.response for r in answers), letters)
            return [(f"{letter}. {option}", counts[letter], letter in key)
                    for letter, option in zip(letters, question.options)]
        if question.type == "judge":
            counts = option_counts((r.response for r in answers), JUDGE_OPTIONS)
            return [(option, counts[option], option == key) for option in JUDGE_OPTIONS]
        outcome = [sum(1 for r in answers if r.correct), sum(1 for r in answers if not r.correct and r.score > 0),
                   sum(1 for r in answers if r.score <= 0)]
        return [(label, count, label == "答对") for label, count in zip(_OUTCOMES, outcome)]


class PacingView(View):
    title = "课堂进度"

    def controls(self) -> list[w.Widget]:
        self.module = w.Dropdown(options=module_choices(self.ctx, "（不指定）"),
                                 description="当前模块", layout=w.Layout(width="34em", max_width="100%"))
        self.set_button = w.Button(description="设为本班当前模块", button_style="danger",
                                   layout=w.Layout(width="12em", height="40px"))
        on_click(self.set_button, self.set_current, self.message)
        return [w.HTML(paragraph("设定后，本班学员的课程首页会提示这个模块，便于全班一起进入。")), self.module, self.set_button]

    def set_current(self) -> None:
        code = self.ctx.class_code
        if not code:
            self.message.value = notice("请先在页面顶部选择班级。", "warn")
            return
        self.ctx.store.set_setting(current_module_key(code), self.module.value)
        self.refresh()
        title = self.ctx.module_title(self.module.value) if self.module.value else ""
        self.message.value = notice(f"已把班级 {code} 的当前模块设为：{title}。" if title
                                    else f"已取消班级 {code} 的当前模块。", "ok")

    def build(self) -> Shown:
        code = self.ctx.class_code
        current = self.ctx.store.get_setting(current_module_key(code)) or ""
        known = [value for _, value in self.module.options]
        self.module.value = current if current in known else ""
        progress = self.ctx.store.class_progress(code)
        people = class_people(self.ctx, code)
        rows = []
        for n, module in enumerate(self.ctx.modules, start=1):
            started = sum(1 for p in progress.values() if module.id in p and p[module.id].answered > 0)
            finished = sum(1 for p in progress.values()
                           if module.id in p and module.questions and p[module.id].answered >= len(module.questions))
            rows.append((n, module.title, "当前" if module.id == current else "", started, finished))
        now = self.ctx.module_title(current) if current else "未指定"
        intro = paragraph(f"班级 {code} 当前模块：{now}。本班 {len(people)} 名学员。", bold=True)
        return Shown(intro, (Table.of("课堂进度", ("序号", "模块", "当前", "已开始人数", "已答完人数"), rows),))
