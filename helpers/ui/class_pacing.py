"""The module the instructor has opened for the class, as a banner on a trainee's course home.

The instructor's dashboard stores the module id under the class's setting; each
trainee's home kernel reads it every few seconds while she is on the home view
(one indexed single-row query: 100 trainees polling every 3 s is ~33 small
reads a second) and offers a one-click 进入.  Polling pauses while she studies
a module and stops with the kernel (daemon thread).
"""
from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

import ipywidgets as w

from helpers.store import StoreError
from helpers.ui.callbacks import log, on_click
from helpers.ui.repeater import Repeater

POLL_SECONDS = 3.0
# A tab forgotten on the home page stops asking after a long training day.
POLL_LIMIT_SECONDS = 12 * 60 * 60


def current_module_key(code: str) -> str:
    """The setting trainees' pages read to show the class's current module."""
    return f"class:{code}:current_module"


class ClassPacingBanner:
    """Hidden until the class has a current module; 进入 calls ``open_module(module_id)``."""

    def __init__(self, store: Any, titles: dict[str, str], open_module: Callable[[str], None],
                 *, poll_seconds: float = POLL_SECONDS) -> None:
        self._store, self._titles, self._open_module = store, titles, open_module
        self._class_code = ""
        self._paused = True
        self.module_id = ""
        self.text = w.HTML()
        self.enter = w.Button(description="进入", button_style="danger", layout=w.Layout(width="7em", height="40px"))
        self.message = w.HTML()
        on_click(self.enter, lambda: self._open_module(self.module_id), self.message)
        self.widget = w.VBox(
            [w.HBox([self.text, self.enter], layout=w.Layout(align_items="center", flex_flow="row wrap")),
             self.message],
            layout=w.Layout(display="none", border="2px solid #b3261e", padding="4px 12px", margin="8px 0"),
        )
        self.widget.add_class("course-class-banner")
        self._repeater = Repeater(self.check, poll_seconds, POLL_LIMIT_SECONDS)

    def watch(self, class_code: str) -> None:
        """Start following ``class_code`` (a self-study trainee has none: nothing to follow)."""
        self._class_code = class_code
        if class_code:
            self.resume()
            self._repeater.start()

    def resume(self) -> None:
        """Back on the home view: check at once, then with every poll."""
        self._paused = False
        try:
            self.check()
        except StoreError:
            log.exception("reading the class's current module failed")

    def pause(self) -> None:
        """Off the home view: the thread keeps ticking but reads nothing.

        A flag rather than stopping the thread, so a quick 进入/返回 can never
        leave a stopped thread behind.
        """
        self._paused = True

    def check(self) -> None:
        """Read the setting once and show or hide the banner."""
        if self._paused or not self._class_code:
            return
        module_id = self._store.get_setting(current_module_key(self._class_code)) or ""
        title = self._titles.get(module_id)
        # Assigning an unchanged value sends nothing to the browser, so every
        # poll may set the banner in full.
        self.module_id = module_id if title else ""
        if title:
            self.text.value = (
                f"<span style='font-size:110%;margin-right:1em'>授课老师请全班学习：<b>{escape(title)}</b></span>"
            )
        self.widget.layout.display = "flex" if title else "none"
