"""Button callbacks that can never put a traceback on a trainee's page.

Voila hides tracebacks of cells, not of widget callbacks: an unexpected
exception in a click handler would be shown to the trainee in English.  Every
button in the course is wired through :func:`on_click`, which logs the error
for the instructor's terminal and shows a short Chinese message instead.

It also runs one click of a button at a time.  A click that arrives while the
same button's previous click is still being handled (another thread, or a
handler that lets the kernel process messages) is dropped rather than queued:
tapping 提交 or 登录 repeatedly means "do it", not "do it again".  Clicks that
arrive afterwards run as usual; each action decides whether there is anything
left to do (the quiz ignores 提交 on an answer already stored).
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from helpers.ui.html import notice

log = logging.getLogger("helpers.ui")

UNEXPECTED = "出了点问题，这一步没有完成。请刷新页面后重试；如果仍然不行，请联系授课老师。"


def on_click(button: w.Button, action: Callable[[], Any], message: w.HTML) -> None:
    busy = threading.Lock()

    def handler(_: w.Button) -> None:
        if not busy.acquire(blocking=False):
            return  # the previous click of this button is still running
        try:
            action()
        except Exception:
            log.exception("widget callback failed")
            message.value = notice(UNEXPECTED, "error")
        finally:
            busy.release()

    button.on_click(handler)
