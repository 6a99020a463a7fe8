"""The checklist self-audit: one choice per item, a score, a chart and a
rectification list (整改清单), saved before it is shown."""
from __future__ import annotations

from typing import Any

import ipywidgets as w

from helpers.content.schema import Checklist
from helpers.engine.audit_scoring import ANSWERS, AuditInputError, AuditResult, score
from helpers.ui.callbacks import on_click
from helpers.ui.html import bar_chart, notice, paragraph


def result_html(result: AuditResult) -> str:
    parts = [notice(f"自查得分 {result.total:g} 分，评定：{result.rating}", "ok" if result.total >= 60 and not result.vetoed else "warn")]
    if result.vetoed:
        names = "；".join(item.text for item in result.vetoed)
        parts.append(notice(f"一票否决项未达标：{names}（评定直接为最低档）", "error"))
    parts.append(paragraph("各方面得分", bold=True))
    parts.append(bar_chart(result.by_dimension))
    if result.gaps:
        parts.append(paragraph("整改清单（按失分从多到少）", bold=True))
        rows = "".join(
            f"<li style='margin:6px 0'>{paragraph(f'{gap.item.text}（{gap.answer}，失 {gap.lost:g} 分）', bold=True)}"
            f"{paragraph(f'整改：{gap.fix}')}{paragraph(f'依据：{gap.source}', small=True)}</li>"
            for gap in result.gaps
        )
        parts.append(f"<ol style='padding-left:1.4em'>{rows}</ol>")
    else:
        parts.append(notice("所有适用项均已达标。", "ok"))
    return "".join(parts)


def trend_html(history: list[Any]) -> str:
    """Earlier audits beside the latest, so a branch sees whether its work pays off."""
    if len(history) < 2:
        return ""
    recent = history[-8:]
    change = recent[-1].total - recent[-2].total
    trend = f"比上次{'提高' if change > 0 else '降低'} {abs(change):g} 分" if change else "与上次持平"
    chart = bar_chart({f"{record.created_at:%Y-%m-%d %H:%M}（{record.rating}）": record.total for record in recent})
    return paragraph(f"历次自查（最近 {len(recent)} 次）：{trend}", bold=True) + chart


class AuditWidget:
    """One checklist for one signed-in trainee; restores her latest audit."""

    def __init__(self, checklist: Checklist, store: Any, trainee_id: int, module: str):
        self.checklist = checklist
        self._store, self._trainee, self._module = store, trainee_id, module
        self.choices: dict[str, w.ToggleButtons] = {}
        sections: list[w.Widget] = [w.HTML(paragraph(checklist.intro))] if checklist.intro else []
        for dimension in checklist.dimensions:
            sections.append(w.HTML(f"<h4 style='margin:14px 0 4px'>{paragraph(dimension.title, bold=True)}</h4>"))
            for item in dimension.items:
                toggle = w.ToggleButtons(options=list(ANSWERS), value=None, style={"button_width": "5.5em"})
                self.choices[item.id] = toggle
                veto = "【一票否决】" if item.veto else ""
                sections.append(w.VBox([
                    w.HTML(paragraph(f"{veto}{item.text}（{item.points:g} 分 · {item.method}）")
                           + paragraph(f"扣分：{item.deduction}", small=True)),
                    toggle,
                ], layout=w.Layout(margin="4px 0 10px 0")))
        self.submit = w.Button(description="计算得分", button_style="danger", layout=w.Layout(width="9em", height="40px"))
        self.message = w.HTML()
        self.result = w.HTML()
        on_click(self.submit, self.evaluate, self.message)
        self.widget = w.VBox([*sections, self.submit, self.message, self.result],
                             layout=w.Layout(width="100%", max_width="760px"))
        self._restore()

    def _restore(self) -> None:
        saved = self._store.latest_audit(self._trainee, self.checklist.id)
        if saved is None:
            return
        for item_id, value in saved.answers.items():
            if item_id in self.choices and value in ANSWERS:
                self.choices[item_id].value = value
        try:
            self.result.value = (
                paragraph(f"上次自查：{saved.created_at:%Y-%m-%d %H:%M}", small=True)
                + result_html(score(self.checklist, saved.answers))
                + trend_html(self._store.audit_history(self._trainee, self.checklist.id))
            )
        except AuditInputError:
            pass  # the checklist changed since; her choices stay filled in

    def evaluate(self) -> AuditResult | None:
        answers = {item_id: toggle.value for item_id, toggle in self.choices.items() if toggle.value}
        missing = [item for item in self.checklist.items if item.id not in answers]
        if missing:
            self.message.value = notice(f"还有 {len(missing)} 项没有选择，第一项是：{missing[0].text}", "warn")
            return None
        try:
            result = score(self.checklist, answers)
        except AuditInputError as exc:
            self.message.value = notice(str(exc), "warn")
            return None
        try:
            self._store.save_audit(self._trainee, self._module, self.checklist.id, answers, result.total, result.rating)
        except Exception:
            self.message.value = notice("自查结果没有保存成功，请稍候再试。", "error")
            return None
        self.message.value = ""
        self.result.value = result_html(result) + trend_html(
            self._store.audit_history(self._trainee, self.checklist.id)
        )
        return result
