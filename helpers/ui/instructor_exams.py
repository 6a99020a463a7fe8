"""考试: open and close each exam of ``quiz_bank/_exams``, allow the review, and
see every trainee's result.

The open/review switches are store settings read by the trainee's exam page
(:mod:`helpers.ui.exam_page`), so they take effect on her next click without
restarting anything.  Whether the bank can fill a blueprint is checked here,
before the instructor opens the exam, with the same draw the trainees get.
"""
from __future__ import annotations

import statistics
from typing import Any

import ipywidgets as w

from helpers.content.blueprint import Blueprint, load_exam_blueprints
from helpers.engine.exam_draw import BlueprintError, draw
from helpers.engine.exports import Table
from helpers.ui.callbacks import on_click
from helpers.ui.exam_page import open_key, review_allowed, review_key
from helpers.ui.html import notice, paragraph, problems_html
from helpers.ui.instructor_common import Shown, View, number, observe
from helpers.ui.instructor_results import class_people

_BUTTON = w.Layout(width="11em", height="40px")
RESULT_HEADERS = ("学员编号", "姓名", "单位", "第几次", "状态", "开始时间", "交卷时间", "成绩", "是否合格")


def describe(blueprint: Blueprint) -> str:
    """The paper in one line, as the instructor would announce it."""
    return (f"共 {blueprint.question_count} 道题、{blueprint.total_points:g} 分，限时 {blueprint.time_limit_minutes} 分钟，"
            f"合格线 {blueprint.pass_mark:g} 分（百分制），每人可考 {blueprint.attempts} 次。")


class ExamsView(View):
    title = "考试"
    needs_class = False

    def controls(self) -> list[w.Widget]:
        found = load_exam_blueprints(self.ctx.bank_dir)
        self.blueprints = found.blueprints
        self.problems = found.problems
        self.exam = w.Dropdown(options=[(b.title, b.id) for b in self.blueprints.values()], description="考试",
                               layout=w.Layout(width="34em", max_width="100%"))
        self.open_button = w.Button(layout=_BUTTON, button_style="danger")
        self.review_button = w.Button(layout=_BUTTON)
        on_click(self.open_button, self.toggle_open, self.message)
        on_click(self.review_button, self.toggle_review, self.message)
        observe(self.exam, self.refresh, self.message)
        return [self.exam, w.HBox([self.open_button, self.review_button])]

    @property
    def blueprint(self) -> Blueprint | None:
        return self.blueprints.get(self.exam.value) if self.exam.value else None

    def is_open(self, blueprint: Blueprint) -> bool:
        return self.ctx.store.get_setting(open_key(blueprint.id)) == "1"

    def review_allowed(self, blueprint: Blueprint) -> bool:
        return review_allowed(self.ctx.store, blueprint)

    def toggle_open(self) -> None:
        blueprint = self.blueprint
        if blueprint is None:
            return
        opening = not self.is_open(blueprint)
        self.ctx.store.set_setting(open_key(blueprint.id), "1" if opening else "0")
        self.refresh()
        self.message.value = notice(
            f"已开放“{blueprint.title}”：学员现在可以在考试页面开始答题。" if opening
            else f"已关闭“{blueprint.title}”：学员不能再开始新的考试（正在答题的可以交卷）。", "ok")

    def toggle_review(self) -> None:
        blueprint = self.blueprint
        if blueprint is None:
            return
        allowing = not self.review_allowed(blueprint)
        self.ctx.store.set_setting(review_key(blueprint.id), "1" if allowing else "0")
        self.refresh()
        self.message.value = notice(
            "已允许学员交卷后查看答卷（正确答案和解析）。" if allowing else "已设为交卷后只显示成绩，不显示答案和解析。", "ok")

    def build(self) -> Shown:
        problems = problems_html("组卷方案文件有问题，相关考试暂不显示：\n" + "\n".join(
            f"{p.file.name} 第 {p.line or '?'} 行 {p.item_id or ''} {p.field or ''}：{p.message}" for p in self.problems
        )) if self.problems else ""
        blueprint = self.blueprint
        self.open_button.layout.display = self.review_button.layout.display = None if blueprint else "none"
        if blueprint is None:
            return Shown(problems + notice("题库的 _exams 文件夹中还没有组卷方案（格式见 docs/quiz-bank.md）。", "warn"))
        opened, review = self.is_open(blueprint), self.review_allowed(blueprint)
        self.open_button.description = "关闭考试" if opened else "开放考试"
        self.review_button.description = "不允许查看答卷" if review else "允许查看答卷"
        state = notice(
            f"“{blueprint.title}”{'已开放' if opened else '未开放'}；交卷后{'可以' if review else '不能'}查看答案和解析。",
            "ok" if opened else "info")
        intro = problems + state + paragraph(describe(blueprint), small=True) + self._fill_check(blueprint)
        if not self.ctx.class_code:
            return Shown(intro + notice("选择班级后，这里显示本班每位学员的考试成绩。"))
        summary, table = self._results(blueprint)
        return Shown(intro + summary, (table,))

    def _fill_check(self, blueprint: Blueprint) -> str:
        try:
            draw(blueprint, self.ctx.bank.questions, seed=0)
        except BlueprintError as exc:
            return notice(f"{exc}。请修改组卷方案或补充题目后再开放考试。", "error")
        return ""

    def _results(self, blueprint: Blueprint) -> tuple[str, Table]:
        code = self.ctx.class_code
        records = self.ctx.store.class_exam_results(code, blueprint.id)
        by_trainee: dict[int, list[Any]] = {}
        for record in sorted(records, key=lambda r: (r.started_at, r.id)):
            by_trainee.setdefault(record.trainee_id, []).append(record)
        now = self.ctx.now()
        people = class_people(self.ctx, code)
        rows = []
        for person in people:
            mine = by_trainee.pop(person.trainee_id, []) if person.trainee_id is not None else []
            if not mine:
                rows.append((person.number, person.name, person.unit, None, "未参加", None, None, None, None))
            for attempt, record in enumerate(mine, start=1):
                rows.append((person.number, person.name, person.unit, attempt, _status(record, now),
                             record.started_at, record.submitted_at, number(record.score),
                             None if record.passed is None else ("合格" if record.passed else "未合格")))
        submitted = [r for r in records if r.submitted_at is not None and r.score is not None]
        best: dict[int, float] = {}
        for record in submitted:
            best[record.trainee_id] = max(best.get(record.trainee_id, 0.0), record.score)
        passed = {r.trainee_id for r in submitted if r.passed}
        taking = {r.trainee_id for r in records}
        mean = f"，平均成绩（每人最好一次）{statistics.fmean(best.values()):.1f} 分" if best else ""
        summary = paragraph(
            f"本班 {len(people)} 人：已参加 {len(taking)} 人，已交卷 {len(best)} 人，"
            f"合格 {len(passed)} 人{mean}。", bold=True)
        return summary, Table.of(f"考试成绩 {blueprint.title}", RESULT_HEADERS, rows)


def _status(record: Any, now: Any) -> str:
    if record.submitted_at is not None:
        return "已交卷"
    return "超时未交卷" if record.deadline <= now else "答题中"
