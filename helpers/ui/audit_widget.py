"""The checklist self-audit: one choice per item, a score, a chart and a
rectification list (整改清单), saved before it is shown.

Once a result is saved it can be taken away: as a Word report to sign and
file, or as a print-friendly page.  Both are built from the *stored* audit
(answers and time as saved), so what is printed is what the record says.
"""
from __future__ import annotations

from typing import Any

import ipywidgets as w
from ipywidgets.widgets.widget_string import HTMLStyle  # not exported at the top level

from helpers.content.schema import Checklist
from helpers.engine.audit_scoring import ANSWERS, AuditInputError, AuditResult, score
from helpers.engine.print_page import audit_print_html
from helpers.engine.reports import DOCX_MIME
from helpers.engine.reports.text import local_date
from helpers.store.records import AuditRecord
from helpers.ui.callbacks import on_click
from helpers.ui.downloads import HTML_MIME, Document, download_button, filename
from helpers.ui.html import bar_chart, notice, paragraph

PRINT_NOTE = "保存后用浏览器打开这个文件，点页面上的“打印 / 另存为 PDF”即可打印；手机上可用浏览器的“分享 → 打印”。"


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

    def __init__(self, checklist: Checklist, store: Any, trainee_id: int, module: str, *, trainee_name: str = ""):
        self.checklist = checklist
        self._store, self._trainee, self._module = store, trainee_id, module
        self._trainee_name = trainee_name
        self._saved: AuditRecord | None = None  # the stored audit the reports are made from
        self.choices: dict[str, w.ToggleButtons] = {}
        # Every widget also makes a Layout and a Style model unless given one, and
        # each model is a message when a module opens; the items share theirs,
        # which halves what a class sends when it moves on to a module together.
        plain, text_style = w.Layout(), HTMLStyle()
        below_item, toggle_style = w.Layout(margin="0 0 10px 0"), w.ToggleButtonsStyle(button_width="5.5em")

        def text(html: str) -> w.HTML:
            return w.HTML(html, layout=plain, style=text_style)

        sections: list[w.Widget] = [text(paragraph(checklist.intro))] if checklist.intro else []
        for dimension in checklist.dimensions:
            sections.append(text(f"<h4 style='margin:14px 0 4px'>{paragraph(dimension.title, bold=True)}</h4>"))
            for item in dimension.items:
                toggle = w.ToggleButtons(options=list(ANSWERS), value=None, style=toggle_style, layout=below_item)
                self.choices[item.id] = toggle
                veto = "【一票否决】" if item.veto else ""
                sections += [
                    text(paragraph(f"{veto}{item.text}（{item.points:g} 分 · {item.method}）")
                         + paragraph(f"扣分：{item.deduction}", small=True)),
                    toggle,
                ]
        self.submit = w.Button(description="计算得分", button_style="danger", layout=w.Layout(width="9em", height="40px"))
        self.message = w.HTML()
        self.result = w.HTML()
        on_click(self.submit, self.evaluate, self.message)
        self.widget = w.VBox([*sections, self.submit, self.message, self.result, self._reports_box()],
                             layout=w.Layout(width="100%", max_width="760px"))
        self._restore()

    def _reports_box(self) -> w.VBox:
        """支部名称 and the two report buttons, hidden until there is a saved result."""
        self.branch = w.Text(value=self._store.branch_name(self._trainee), description="支部名称",
                             placeholder="例如：某某科技有限公司党支部（印在报告上）",
                             layout=w.Layout(width="32em", max_width="100%"))
        self.download = w.HTML()
        self.word_button = download_button("下载 Word 报告", self._word_report, self.download, primary=True)
        self.print_button = download_button("打印版", self._print_page, self.download)
        self.reports = w.VBox([
            w.HTML(paragraph("打印、存档本次自查结果", bold=True)), self.branch,
            w.HBox([self.word_button, self.print_button], layout=w.Layout(flex_flow="row wrap")), self.download,
        ], layout=w.Layout(display="none", margin="12px 0 0 0"))
        return self.reports

    def _show_reports(self, saved: AuditRecord) -> None:
        self._saved = saved
        self.download.value = ""  # a link made for an earlier result must not be saved by mistake
        self.reports.layout.display = None

    def _report_arguments(self) -> dict[str, Any]:
        """What both printouts are made from: the stored audit, the typed branch name, the trainee."""
        branch = self.branch.value
        if branch != self._store.branch_name(self._trainee):
            branch = self.branch.value = self._store.set_branch_name(self._trainee, branch)
        saved = self._saved
        return {
            "result": score(self.checklist, saved.answers),
            "checklist": self.checklist,
            "branch": branch,
            "trainee": self._trainee_name,
            "when": saved.created_at,
            "answers": saved.answers,
            "history": self._store.audit_history(self._trainee, self.checklist.id),
        }

    def _filename(self, suffix: str) -> str:
        day = local_date(self._saved.created_at).isoformat()
        return filename((self.branch.value, self.checklist.title, day), suffix)

    def _word_report(self) -> Document:
        from helpers.engine.reports import audit_report_docx  # python-docx only when a report is asked for

        data = audit_report_docx(**self._report_arguments())
        return Document(self._filename(".docx"), data, DOCX_MIME)

    def _print_page(self) -> Document:
        page = audit_print_html(**self._report_arguments())
        return Document(self._filename("（打印版）.html"), page.encode("utf-8"), HTML_MIME, PRINT_NOTE)

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
            return  # the checklist changed since; her choices stay filled in
        self._show_reports(saved)

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
        history = self._store.audit_history(self._trainee, self.checklist.id)
        self.result.value = result_html(result) + trend_html(history)
        self._show_reports(history[-1])
        return result
