"""Button callbacks that can never put a traceback on a trainee's page.

Voila hides tracebacks of cells, not of widget callbacks: an unexpected
exception in a click handler would be shown to the trainee in English.  Every
button in the course is wired through :func:`on_click`, which logs the error
for the instructor's terminal and shows a short Chinese message instead.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from helpers.ui.html import notice

log = logging.getLogger("helpers.ui")

UNEXPECTED = "出了点问题，这一步没有完成。请刷新页面后重试；如果仍然不行，请联系授课老师。"


def on_click(button: w.Button, action: Callable[[], Any], message: w.HTML) -> None:
    def handler(_: w.Button) -> None:
        try:
            action()
        except Exception:
            log.exception("widget callback failed")
            message.value = notice(UNEXPECTED, "error")

    button.on_click(handler)
