"""The unlocked instructor dashboard: a class picker above one tab per view.

Only the visible tab is computed, when it is shown, when the class changes or
on 刷新数据, so opening the dashboard for a class of 200 stays quick and a
tab nobody looks at costs nothing.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w

from helpers.content.loader import default_bank_dir, load_bank
from helpers.engine.exports import to_xlsx
from helpers.ui.callbacks import on_click
from helpers.ui.html import download_link, notice
from helpers.ui.instructor_classes import ClassesView
from helpers.ui.instructor_common import WIDE, XLSX_MIME, Context, View, observe
from helpers.ui.instructor_completion import CompletionView
from helpers.ui.instructor_exams import ExamsView
from helpers.ui.instructor_live import DiscussionView, PacingView
from helpers.ui.instructor_results import DistributionView, ItemAnalysisView, RosterView, WeakTagsView

# Lumino cuts tab titles at a fixed width; ours are short Chinese words, shown whole.
# An HTML widget grows to its widest line (a wide table) unless allowed to shrink;
# then its text wraps to the page and only the table scrolls.
_STYLE = ("<style>.course-instructor .jupyter-widgets.course-instructor-tabs > .lm-TabBar .lm-TabBar-tab"
          "{flex:0 1 auto;padding:0 12px}"
          ".course-instructor .widget-html-content{min-width:0}</style>")
VIEWS: tuple[type[View], ...] = (
    ClassesView, RosterView, DistributionView, WeakTagsView, ItemAnalysisView, DiscussionView, PacingView, ExamsView,
    CompletionView,
)


class InstructorDashboard:
    def __init__(self, store: Any, *, bank_dir: Path | None = None,
                 now: Callable[[], dt.datetime] | None = None) -> None:
        bank_dir = bank_dir or default_bank_dir()
        bank = load_bank(bank_dir)
        self.ctx = Context(store, bank, bank_dir, classes_changed=self.reload_classes)
        if now is not None:
            self.ctx.now = now
        self.message = w.HTML()
        self.class_picker = w.Dropdown(description="班级", layout=w.Layout(width="26em", max_width="100%"))
        self.refresh_button = w.Button(description="刷新数据", layout=w.Layout(width="8em", height="36px"))
        self.export_button = w.Button(description="导出全部（Excel）", layout=w.Layout(width="12em", height="36px"))
        self.export_link = w.HTML()
        self.views = [view(self.ctx) for view in VIEWS]
        self.tabs = w.Tab(children=[v.widget for v in self.views], titles=[v.title for v in self.views])
        self.tabs.add_class("course-instructor-tabs")
        problems = (notice(f"题库中有 {len(bank.problems)} 处问题，相关题目未计入统计；"
                           "用 python -m helpers validate 查看。", "warn") if bank.problems else "")
        self.widget = w.VBox([
            w.HTML(_STYLE + "<h1 style='margin:8px 0'>教师看板</h1>" + problems),
            w.HBox([self.class_picker, self.refresh_button, self.export_button], layout=w.Layout(flex_flow="row wrap")),
            self.export_link, self.message, self.tabs,
        ], layout=WIDE)
        self.widget.add_class("course-instructor")
        self._filling = False
        observe(self.class_picker, self._class_chosen, self.message)
        observe(self.tabs, self.refresh, self.message, names="selected_index")
        on_click(self.refresh_button, self.refresh, self.message)
        on_click(self.export_button, self.export_all, self.message)
        self.reload_classes(None)

    @property
    def current(self) -> View:
        return self.views[self.tabs.selected_index or 0]

    def reload_classes(self, select: str | None) -> None:
        """Fill the picker from the store and show the chosen class: ``select`` if
        given, else the one already chosen, else the newest."""
        classes = self.ctx.store.list_classes()
        codes = [c.code for c in classes]
        keep = select if select in codes else self.class_picker.value if self.class_picker.value in codes else None
        self._filling = True
        try:
            self.class_picker.options = [(f"{c.name}（{c.code}）", c.code) for c in classes]
            self.class_picker.value = keep or (codes[0] if codes else None)  # the newest
        finally:
            self._filling = False
        self._use_class()

    def _class_chosen(self) -> None:
        if not self._filling:
            self._use_class()

    def _use_class(self) -> None:
        self.ctx.class_code = self.class_picker.value
        self.export_link.value = ""
        self.refresh()

    def refresh(self) -> None:
        self.message.value = ""
        self.current.refresh()

    def export_all(self) -> None:
        """One workbook with a sheet for every table of every view."""
        tables = [table for view in self.views for table in view.tables()]
        code = self.ctx.class_code or "全部班级"
        name = f"{code}_教师看板_{self.ctx.today().isoformat()}.xlsx"
        self.export_link.value = notice("已生成，点击下载：", "ok") + download_link(name, to_xlsx(tables), XLSX_MIME)
