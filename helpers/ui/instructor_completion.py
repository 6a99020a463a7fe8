"""The dashboard's 结业与报告 tab: the pass mark, who can graduate, the class report.

The pass mark is a store setting (:meth:`Store.set_pass_mark`) because the
trainees' course homes, each in its own kernel, must show the certificate under
the mark set here.  Who has completed is judged by
:func:`helpers.engine.certificate.completion_status`, the rule of the
certificate and of the Word class report, so the table, the report and the
trainees' pages agree.
"""
from __future__ import annotations

from typing import Any

import ipywidgets as w

from helpers.engine.certificate import completion_status, counted_modules, counted_score
from helpers.engine.exports import Table
from helpers.engine.reports import DOCX_MIME, ReportInputError
from helpers.ui.callbacks import on_click
from helpers.ui.downloads import Document, download_button, filename
from helpers.ui.html import notice, paragraph
from helpers.ui.instructor_common import NO_CLASS, Shown, View
from helpers.ui.instructor_results import class_people


class CompletionView(View):
    title = "结业与报告"

    def controls(self) -> list[w.Widget]:
        self.pass_mark = w.FloatText(description="结业及格分", layout=w.Layout(width="14em"))
        self.save = w.Button(description="保存及格分", layout=w.Layout(width="8em", height="36px"))
        self.report_link = w.HTML()
        self.report_button = download_button("班级报告（Word）", self._class_report, self.report_link, primary=True)
        on_click(self.save, self._save_pass_mark, self.message)
        return [
            w.HBox([self.pass_mark, self.save], layout=w.Layout(flex_flow="row wrap", align_items="center")),
            w.HTML(paragraph("及格分对所有班级生效：学员每个模块测验的最高分都达到及格分，即可在课程首页下载结业证明。",
                             small=True)),
            self.report_button, self.report_link,
        ]

    def _modules(self) -> dict[str, str]:
        return counted_modules(self.ctx.modules)

    def _save_pass_mark(self) -> None:
        try:
            mark = self.ctx.store.set_pass_mark(self.pass_mark.value)
        except ValueError as exc:
            self.message.value = notice(str(exc), "warn")
            return
        self.refresh()
        self.message.value = notice(f"已保存：结业及格分为 {mark:g} 分，学员回到课程首页即按新的及格分显示。", "ok")

    def refresh(self) -> None:
        self.report_link.value = ""  # a report of another class, or under another pass mark, must not linger
        super().refresh()

    def build(self) -> Shown:
        mark = self.ctx.store.pass_mark()
        self.pass_mark.value = mark
        modules = self._modules()
        if not modules:
            return Shown(notice("题库中没有带测验题的模块，无法判断结业。", "warn"))
        code = self.ctx.class_code
        progress = self.ctx.store.class_progress(code)
        rows, done = [], 0
        for person in class_people(self.ctx, code):
            mine = progress.get(person.trainee_id, {}) if person.trainee_id is not None else {}
            missing = completion_status(mine, list(modules), mark).missing
            done += not missing
            lacking = "；".join(f"{modules[m]}（{_best(mine.get(m))}）" for m in missing)
            rows.append([person.number, person.name, person.unit, len(modules) - len(missing),
                         "否" if missing else "是", lacking])
        table = Table.of("结业情况", ("学员编号", "姓名", "单位", "达标模块数", "可以结业", "未达标的模块（最高分）"), rows)
        intro = paragraph(f"结业及格分 {mark:g} 分，需通过 {len(modules)} 个模块的测验。本班 {len(rows)} 名学员中，"
                          f"可以结业 {done} 名。", bold=True)
        return Shown(intro, (table,))

    def _class_report(self) -> Document:
        """Built from the store on the click: the roster, everyone's progress and the pass mark as they are now."""
        from helpers.engine.reports import class_report_docx  # python-docx only when a report is asked for

        code = self.ctx.class_code
        if not code:
            raise ReportInputError(NO_CLASS)
        progress = self.ctx.store.class_progress(code)
        members: list[tuple[Any, Any]] = [
            (person, progress.get(person.trainee_id, {}) if person.trainee_id is not None else {})
            for person in class_people(self.ctx, code)
        ]
        found = self.ctx.store.get_class(code)
        name = found.name if found is not None else code
        data = class_report_docx(members, self._modules(), class_name=name, pass_mark=self.ctx.store.pass_mark(),
                                 when=self.ctx.now())
        return Document(filename((name, "学习情况报告", self.ctx.today().isoformat()), ".docx"), data, DOCX_MIME)


def _best(progress: Any) -> str:
    score = counted_score(progress)
    return "未完成" if score is None else f"{score:g} 分"
