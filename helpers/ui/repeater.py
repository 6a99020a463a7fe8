"""Doing something every few seconds in a kernel, for pages that follow the class live.

Shared by the instructor's live views and the trainee's class-pacing banner;
it lives apart from both so a trainee's kernel does not import instructor code.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger("helpers.ui")


class Repeater:
    """Calls ``action`` every ``interval`` seconds on a daemon thread until stopped.

    Widget updates from a thread reach the browser like any others (ipykernel
    sends comm messages from any thread); a failing call is logged and the
    repeating goes on.
    """

    def __init__(self, action: Callable[[], Any], interval: float, limit: float,
                 on_expired: Callable[[], Any] = lambda: None) -> None:
        self._action, self.interval, self._limit, self._on_expired = action, interval, limit, on_expired
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(self._stop,), daemon=True, name="auto-refresh")
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self, stop: threading.Event) -> None:
        ends = time.monotonic() + self._limit
        while not stop.wait(self.interval):
            if time.monotonic() > ends:
                self._on_expired()
                return
            try:
                self._action()
            except Exception:
                log.exception("auto-refresh failed")
