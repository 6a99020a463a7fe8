"""The class's results: roster with progress, score distribution, weakest
knowledge points, and item analysis.

Everything here reads the store's class queries; only item analysis needs
pandas, and imports it when that tab is opened.
"""
from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from html import escape
from typing import Any

import ipywidgets as w

from helpers.content.schema import TYPE_NAMES
from helpers.engine.exports import Table
from helpers.ui.html import bar_chart, notice, paragraph
from helpers.ui.instructor_common import Context, Shown, View, module_choices, number, observe

UNTAGGED = "（未标注知识点）"
CHOICE_TYPES = ("single", "multiple")
CHART_ROWS = 15
# Score bands of the distribution, best first: (lowest whole score, label).
BANDS = ((90, "90 分及以上"), (80, "80～89 分"), (70, "70～79 分"), (60, "60～69 分"), (0, "60 分以下"))
_BAND_COLORS = {90: "#2e7d32", 80: "#1565c0", 70: "#1565c0", 60: "#ef6c00", 0: "#c62828"}


@dataclass(frozen=True)
class Person:
    """A row of the class: on the roster, signed in, or both."""

    number: str
    name: str
    unit: str
    position: str
    trainee_id: int | None


def class_people(ctx: Context, code: str) -> list[Person]:
    """Roster order first, then anyone who signed in with the code but is not on it
    (a class without a roster, or a roster imported after they signed in)."""
    signed_in = {t.number: t for t in ctx.store.class_trainees(code)}
    people = [
        Person(e.number, e.name, e.unit, e.position, signed_in[e.number].id if e.number in signed_in else None)
        for e in ctx.store.roster(code)
    ]
    listed = {p.number for p in people}
    people += [Person(t.number, t.name, "", "", t.id) for n, t in sorted(signed_in.items()) if n not in listed]
    return people


def _completion(progress: Any, total: int) -> float | None:
    if progress is None or not total:
        return None
    return number(100 * min(progress.answered, total) / total, 0)


class RosterView(View):
    title = "花名册与进度"

    def build(self) -> Shown:
        code = self.ctx.class_code
        people = class_people(self.ctx, code)
        progress = self.ctx.store.class_progress(code)
        modules = self.ctx.modules
        headers = ["学员编号", "姓名", "单位", "职务", "登录状态"]
        for module in modules:
            headers += [f"{module.title}·完成率(%)", f"{module.title}·最高分"]
        headers.append("完成模块数")
        rows = []
        for person in people:
            mine = progress.get(person.trainee_id, {}) if person.trainee_id is not None else {}
            row: list[Any] = [person.number, person.name, person.unit, person.position,
                              "已登录" if person.trainee_id is not None else "未登录"]
            done = 0
            for module in modules:
                completion = _completion(mine.get(module.id), len(module.questions))
                best = mine[module.id].best_score if module.id in mine else None
                done += completion == 100
                row += [completion, number(best)]
            rows.append(row + [done])
        signed = sum(1 for p in people if p.trainee_id is not None)
        intro = paragraph(
            f"共 {len(people)} 名学员，已登录 {signed} 名。完成率 = 已作答题数 ÷ 模块题数；"
            "最高分为该模块各次完成测验中的最高得分（百分制）。"
        )
        return Shown(intro, (Table.of("花名册与进度", headers, rows),))


def band_of(score: float) -> int:
    """The lowest whole score of the band ``score`` falls in (89.5 is in 80～89)."""
    return next(low for low, _ in BANDS if math.floor(score) >= low)


def histogram_html(counts: dict[int, int]) -> str:
    """Horizontal bars of how many trainees fall in each band; the colour is the
    band's, as on the trainee's own bar chart, the length the share of the class."""
    total = sum(counts.values()) or 1
    biggest = max(counts.values(), default=0) or 1
    rows = []
    for low, label in BANDS:
        count = counts.get(low, 0)
        rows.append(
            '<div class="course-bar" style="display:flex;align-items:center;gap:8px;margin:4px 0">'
            f'<span style="flex:0 0 7em">{escape(label)}</span>'
            '<span style="flex:1;background:#eee;border-radius:3px;height:18px;min-width:60px">'
            f'<span style="display:block;width:{100 * count / biggest:.1f}%;height:100%;'
            f'background:{_BAND_COLORS[low]};border-radius:3px"></span></span>'
            f'<span style="flex:0 0 7em;text-align:right">{count} 人（{100 * count / total:.0f}%）</span></div>'
        )
    return "".join(rows)


class DistributionView(View):
    title = "成绩分布"

    def controls(self) -> list[w.Widget]:
        self.module = w.Dropdown(options=module_choices(self.ctx, "全部模块（每人各模块最高分的平均）"),
                                 description="模块", layout=w.Layout(width="34em", max_width="100%"))
        observe(self.module, self.refresh, self.message)
        return [self.module]

    def _scores(self, progress: dict[int, dict[str, Any]]) -> list[float]:
        """One score per trainee who has one: the module's best, or the mean of her bests."""
        scores = []
        for modules in progress.values():
            bests = [p.best_score for m, p in modules.items()
                     if p.best_score is not None and (self.module.value in ("", m))]
            if bests:
                scores.append(statistics.fmean(bests))
        return scores

    def build(self) -> Shown:
        code = self.ctx.class_code
        progress = self.ctx.store.class_progress(code)
        scores = self._scores(progress)
        counts: dict[int, int] = defaultdict(int)
        for score in scores:
            counts[band_of(score)] += 1
        share = [(label, counts[low], number(100 * counts[low] / len(scores)) if scores else None) for low, label in BANDS]
        distribution = Table.of("成绩分布", ("分数段", "人数", "占比(%)"), share)
        per_module = self._per_module(progress)
        if scores:
            summary = paragraph(
                f"{len(scores)} 名学员有成绩：平均 {statistics.fmean(scores):.1f} 分，中位数 {statistics.median(scores):.1f} 分，"
                f"最高 {max(scores):.1f} 分，最低 {min(scores):.1f} 分。", bold=True
            )
            chart = histogram_html(counts)
        else:
            summary, chart = notice("还没有学员完成所选模块的测验。"), ""
        means = {title: mean for title, _, mean, *_ in per_module.rows if mean is not None}
        module_chart = paragraph("各模块平均分（各人最高分的平均）", bold=True) + bar_chart(means) if means else ""
        return Shown(summary + chart + module_chart, (distribution, per_module))

    def _per_module(self, progress: dict[int, dict[str, Any]]) -> Table:
        """Per module, with the share at or above the certificate's pass mark (the instructor's setting)."""
        mark = self.ctx.store.pass_mark()
        rows = []
        for module in self.ctx.modules:
            bests = [p[module.id].best_score for p in progress.values()
                     if module.id in p and p[module.id].best_score is not None]
            passed = sum(1 for s in bests if s >= mark)
            rows.append((
                module.title, len(bests),
                number(statistics.fmean(bests)) if bests else None,
                number(max(bests)) if bests else None,
                number(min(bests)) if bests else None,
                number(100 * passed / len(bests)) if bests else None,
            ))
        return Table.of("各模块成绩", ("模块", "有成绩人数", "平均分", "最高分", "最低分", f"{mark:g}分以上占比(%)"), rows)


class _ResponsesView(View):
    """A view over the class's latest answers, narrowed to one module or not."""

    def controls(self) -> list[w.Widget]:
        self.module = w.Dropdown(options=module_choices(self.ctx, "全部模块"), description="模块",
                                 layout=w.Layout(width="34em", max_width="100%"))
        observe(self.module, self.refresh, self.message)
        return [self.module]

    def responses(self) -> list[Any]:
        return self.ctx.store.class_responses(self.ctx.class_code, self.module.value or None)


class WeakTagsView(_ResponsesView):
    title = "薄弱知识点"

    def build(self) -> Shown:
        scores: dict[str, list[float]] = defaultdict(list)
        questions: dict[str, set[str]] = defaultdict(set)
        for response in self.responses():
            question = self.ctx.question(response.question_id)
            if question is None:
                continue
            for tag in question.tags or (UNTAGGED,):
                scores[tag].append(response.score)
                questions[tag].add(question.id)
        rows = sorted(
            ((tag, len(questions[tag]), len(values), number(100 * statistics.fmean(values)),
              number(100 * sum(1 for v in values if v >= 1) / len(values))) for tag, values in scores.items()),
            key=lambda row: (row[3], -row[2], row[0]),
        )
        table = Table.of("薄弱知识点", ("知识点", "题目数", "作答人次", "平均得分率(%)", "答对率(%)"), rows)
        if not rows:
            return Shown(notice("还没有作答记录。"), (table,))
        intro = paragraph(f"按知识点（题目标签）汇总每位学员最近一次作答，得分率最低的排在最前；"
                          f"图中为最薄弱的 {min(len(rows), CHART_ROWS)} 个，全部见下表。", small=True)
        chart = bar_chart({row[0]: row[3] for row in rows[:CHART_ROWS]}, unit="%")
        return Shown(intro + chart, (table,))


def answer_key(question: Any) -> str | None:
    """The key in the form the option counts use, for choice and judge questions."""
    if question.type == "multiple":
        return "".join(question.answer)
    return question.answer if question.type in ("single", "judge") else None


class ItemAnalysisView(_ResponsesView):
    title = "题目分析"

    def build(self) -> Shown:
        import pandas as pd

        from helpers.report import item_analysis, option_counts

        responses = self.responses()
        frame = pd.DataFrame(
            [(r.trainee_id, r.question_id, r.score) for r in responses], columns=["trainee", "question", "score"]
        )
        stats = item_analysis(frame)
        chosen: dict[str, list[Any]] = defaultdict(list)
        for r in responses:
            chosen[r.question_id].append(r.response)
        order = {q.id: i for i, q in enumerate(self.ctx.bank.questions)}
        ids = sorted(stats.index, key=lambda qid: (order.get(qid, len(order)), qid))
        questions = {qid: self.ctx.question(qid) for qid in ids}
        letters = max((len(q.option_letters()) for q in questions.values() if q is not None and q.type in CHOICE_TYPES),
                      default=0)
        headers = ["题号", "模块", "题型", "题干", "正确答案", "作答人数", "难度系数", "区分度",
                   *(f"选{chr(65 + i)}人数" for i in range(letters))]
        rows = []
        for qid in ids:
            q, stat = questions[qid], stats.loc[qid]
            counts = option_counts(chosen[qid], q.option_letters()) if q is not None and q.type in CHOICE_TYPES else {}
            rows.append([
                qid,
                self.ctx.module_title(q.module) if q is not None else "",
                TYPE_NAMES.get(q.type, q.type) if q is not None else "",
                q.stem if q is not None else "（题库中已没有这道题）",
                answer_key(q) if q is not None else None,
                int(stat["responses"]),
                number(stat["facility"]),
                number(stat["discrimination"]),
                *(counts.get(chr(65 + i)) for i in range(letters)),
            ])
        table = Table.of("题目分析", headers, rows)
        if not rows:
            return Shown(notice("还没有作答记录。"), (table,))
        return Shown(paragraph(_LEGEND, small=True), (table,))


_LEGEND = (
    "每位学员每题取最近一次作答。难度系数 = 平均得分率 × 100，越低越难；区分度 = 该题得分与学员其余各题总分的相关系数 × 100"
    "（与 Moodle 测验统计相同）：30 以上区分良好，低于 20 说明掌握好的学员并不更容易答对，"
    "负值常见于题意不清或答案有误，应先检查这些题。作答不足 2 人、或所有人得分相同时无法计算，显示为“—”。"
)

