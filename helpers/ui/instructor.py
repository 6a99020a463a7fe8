"""The instructor dashboard's door: nothing of the class is shown, or even
loaded, until the instructor passcode is entered.

The server hashes the passcode it was started with into
``COURSE_INSTRUCTOR_PASSCODE_HASH``; a kernel without it has no passcode to
check against, so the page says so and shows nothing else.  Wrong passcodes
are counted in the store (not in this kernel), and each try after recent
failures waits longer before it is checked: reloading the page gives a new
kernel but not a fresh count.  The wait comes *before* the check, so a
guesser cannot learn the answer early and abandon the wait.

pandas and openpyxl are imported only once the dashboard is in use, so this
page's kernel stays as light as a trainee's until the passcode is right.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from helpers.engine.passcode import ENV_VARIABLE, verify_passcode
from helpers.store import Store, StoreError
from helpers.ui.callbacks import on_click
from helpers.ui.html import notice, paragraph

FAILURE_SCOPE = "instructor-passcode"
FAILURE_WINDOW_SECONDS = 600
MAX_WAIT_SECONDS = 30
_WIDE = w.Layout(width="100%", max_width="1100px")

NO_PASSCODE = (
    "服务器启动时没有设置教师口令，教师看板无法使用。请关闭课程服务器，用 python3 run.py serve 重新启动"
    "（启动时会在命令行窗口显示教师口令，也可以用 --instructor-passcode 指定口令）。"
)
WRONG = "口令不正确。"


def failure_wait(failures: int) -> float:
    """Seconds to wait before checking a passcode after ``failures`` recent wrong
    ones: none at first, then 1, 2, 4 … up to half a minute."""
    return 0.0 if failures <= 0 else float(min(2 ** (failures - 1), MAX_WAIT_SECONDS))


class InstructorGate:
    """The passcode form; replaced by the dashboard once the passcode is right."""

    def __init__(self, store: Any | None = None, *, passcode_hash: str | None = None,
                 sleep: Callable[[float], None] = time.sleep, **dashboard_options: Any) -> None:
        self._hash = passcode_hash if passcode_hash is not None else os.environ.get(ENV_VARIABLE, "")
        self._sleep, self._options = sleep, dashboard_options
        self.dashboard: Any = None
        self.widget = w.VBox(layout=_WIDE)
        heading = w.HTML("<h1 style='margin:8px 0'>教师看板</h1>")
        if not self._hash:
            self.widget.children = [heading, w.HTML(notice(NO_PASSCODE, "error"))]
            return
        try:
            self.store = store if store is not None else Store.open()
        except StoreError as exc:
            self.widget.children = [heading, w.HTML(notice(str(exc), "error"))]
            return
        self.passcode = w.Password(description="教师口令", layout=w.Layout(width="20em", max_width="100%"))
        self.enter = w.Button(description="进入看板", button_style="danger", layout=w.Layout(width="8em", height="40px"))
        self.message = w.HTML()
        on_click(self.enter, self.unlock, self.message)
        self.widget.children = [
            heading, w.HTML(paragraph("请输入教师口令。口令在启动课程服务器时显示在命令行窗口中。")),
            self.passcode, self.enter, self.message,
        ]

    def unlock(self) -> bool:
        typed, self.passcode.value = self.passcode.value, ""  # not left in the page's widget state
        if not typed:
            self.message.value = notice("请输入教师口令。", "warn")
            return False
        failures = self.store.recent_failures(FAILURE_SCOPE, FAILURE_WINDOW_SECONDS)
        wait = failure_wait(failures)
        if wait:
            self.message.value = notice(f"最近口令已输错 {failures} 次，请等待 {wait:g} 秒……", "warn")
            self.enter.disabled = True
            try:
                self._sleep(wait)
            finally:
                self.enter.disabled = False
        if not verify_passcode(typed, self._hash):
            self.store.record_failure(FAILURE_SCOPE)
            self.message.value = notice(WRONG, "error")
            return False
        from helpers.ui.instructor_dashboard import InstructorDashboard

        self.message.value = ""
        self.dashboard = InstructorDashboard(self.store, **self._options)
        self.widget.children = [self.dashboard.widget]
        return True


def instructor_dashboard() -> w.Widget:
    """The one call of ``notebooks/instructor.ipynb``."""
    return InstructorGate().widget
