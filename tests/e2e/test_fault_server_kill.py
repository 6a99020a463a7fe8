"""The course server killed (kill -9) while a trainee answers a quiz, then started again.

Every answer whose feedback she saw was committed before the feedback was
shown, so it must be in the database even though nothing shut down cleanly;
after the restart on the same data folder her session link (``?s=``) and a
fresh sign-in both bring back her progress. The page meanwhile tells her in
Chinese that the connection is lost.
"""
import os
import signal
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import psutil
import pytest
from trainee_steps import CONNECTION_LOST, answer, fazhan, sign_in_and_open, stored_answers, wrong_letter

from helpers.apps.serve import DATA_DIR_ENV

pytestmark = pytest.mark.e2e

NAME, NUMBER = "周八", "fault-server-1"


def kill_server_and_orphans(server) -> None:
    """kill -9 the server, as a crash would; then its kernels, which run in their own
    sessions and would outlive it (orphans holding the database).

    Kernels are found by the data folder in their environment, so one the
    server was starting at the moment of the kill is found too.
    """
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait()
    orphans = course_processes(server.data_dir)
    for orphan in orphans:
        try:
            orphan.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(orphans, timeout=30)


def course_processes(data_dir: Path) -> list[psutil.Process]:
    wanted = str(data_dir.resolve())
    found = []
    for process in psutil.process_iter():
        try:
            if process.environ().get(DATA_DIR_ENV) == wanted:
                found.append(process)
        except psutil.Error:
            continue
    return found


def test_answers_survive_a_server_kill_and_she_resumes_after_the_restart(start_course_server, page, local_only):
    module = fazhan()
    first, second = module.questions[:2]
    total = len(module.questions)
    server = start_course_server(home_pool=1, module_pool=1)
    sign_in_and_open(page, server.url, module, NAME, NUMBER)
    answer(page, first, first.answer)
    page.get_by_role("button", name="下一题").click()
    answer(page, second, wrong_letter(second))
    token = parse_qs(urlsplit(page.url).query)["s"][0]

    kill_server_and_orphans(server)
    assert course_processes(server.data_dir) == []

    page.get_by_role("alert").get_by_text(CONNECTION_LOST).wait_for()
    assert stored_answers(server.data_dir, NUMBER) == [(first.id, 1), (second.id, 0)]

    restarted = start_course_server(data_dir=server.data_dir)
    page.goto(f"{restarted.url}voila/render/{module.meta.notebook}?s={token}")
    page.get_by_text(f"当前学员：{NAME}").wait_for()
    page.get_by_text(f"已答 2 / {total}").wait_for()

    page.goto(restarted.url)
    page.get_by_placeholder("例如：张三").fill(NAME)
    page.get_by_placeholder("例如：2026001").fill(NUMBER)
    page.get_by_role("button", name="登录").click()
    page.locator(".course-module", has_text=module.title).get_by_text(f"已答 2 / {total}，答对 1").wait_for()
    assert stored_answers(restarted.data_dir, NUMBER) == [(first.id, 1), (second.id, 0)]
    local_only()
