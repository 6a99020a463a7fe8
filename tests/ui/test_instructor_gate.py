"""The instructor dashboard's passcode lock, and trainee pages staying light."""
from __future__ import annotations

import subprocess
import sys

import pytest

from helpers.engine.passcode import ENV_VARIABLE, hash_passcode
from helpers.ui.instructor import (
    FAILURE_SCOPE,
    MAX_WAIT_SECONDS,
    NO_PASSCODE,
    WRONG,
    InstructorGate,
    failure_wait,
    instructor_dashboard,
)

PASSCODE = "20261123"
HASH = hash_passcode(PASSCODE)


def texts(widget):
    """Every HTML value and description on the page, to prove what is (not) shown."""
    found = [str(getattr(widget, "value", "")), str(getattr(widget, "description", ""))]
    for child in getattr(widget, "children", ()):
        found.append(texts(child))
    return "\n".join(found)


def gate(store, bank_dir, waits=None):
    return InstructorGate(store, passcode_hash=HASH, sleep=(waits.append if waits is not None else lambda s: None),
                          bank_dir=bank_dir)


def test_without_a_passcode_the_page_says_so_and_nothing_else(monkeypatch):
    monkeypatch.delenv(ENV_VARIABLE, raising=False)
    widget = instructor_dashboard()
    shown = texts(widget)
    assert "没有设置教师口令" in shown and "--instructor-passcode" in shown
    assert NO_PASSCODE in shown
    assert [type(child).__name__ for child in widget.children] == ["HTML", "HTML"]  # no form, no dashboard


def test_the_hash_comes_from_the_environment(monkeypatch, store, bank_dir):
    monkeypatch.setenv(ENV_VARIABLE, HASH)
    page = InstructorGate(store, bank_dir=bank_dir)
    page.passcode.value = PASSCODE
    page.enter.click()
    assert page.dashboard is not None


def test_wrong_passcode_shows_a_message_and_nothing_else(store, bank_dir):
    page = gate(store, bank_dir)
    page.passcode.value = "00000000"
    page.enter.click()
    assert WRONG in page.message.value
    assert page.dashboard is None and "班级管理" not in texts(page.widget)
    assert store.recent_failures(FAILURE_SCOPE, 600) == 1
    assert page.passcode.value == ""  # the typed passcode does not stay in the page


def test_right_passcode_opens_the_dashboard(store, bank_dir):
    page = gate(store, bank_dir)
    page.passcode.value = PASSCODE
    page.enter.click()
    assert page.dashboard is not None
    shown = texts(page.widget)
    assert "教师看板" in shown and "班级管理" in page.dashboard.tabs.titles
    assert page.passcode.value == ""


def test_empty_passcode_is_not_counted(store, bank_dir):
    page = gate(store, bank_dir)
    page.enter.click()
    assert "请输入教师口令" in page.message.value and store.recent_failures(FAILURE_SCOPE, 600) == 0


def test_failures_slow_down_the_next_tries_even_after_a_reload(store, bank_dir):
    waits: list[float] = []
    for _ in range(3):
        page = gate(store, bank_dir, waits)  # a new page, as after reloading
        page.passcode.value = "11111111"
        page.enter.click()
    assert waits == [1.0, 2.0]
    page = gate(store, bank_dir, waits)
    page.passcode.value = PASSCODE
    page.enter.click()
    assert waits == [1.0, 2.0, 4.0]  # even the right passcode waits: the wait comes before the check
    assert page.dashboard is not None and not page.enter.disabled


def test_wait_grows_and_is_capped():
    assert [failure_wait(n) for n in range(5)] == [0.0, 1.0, 2.0, 4.0, 8.0]
    assert failure_wait(100) == MAX_WAIT_SECONDS


@pytest.mark.parametrize("module", ["helpers.ui.pages", "helpers.ui.quiz_widget", "helpers.ui.instructor"])
def test_trainee_pages_and_the_locked_dashboard_import_neither_pandas_nor_openpyxl(module):
    code = (f"import sys, {module}\n"
            "heavy = sorted(m for m in ('pandas', 'openpyxl', 'numpy') if m in sys.modules)\n"
            "print(','.join(heavy))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert result.stdout.strip() == ""
