"""A preheated page is built before anyone asks for it and signs in when the request comes.

Voila's side of the query websocket is played by a real websocket server on
localhost, which answers only once the test "requests" the page; the kernel's
event loop is played by ``asyncio.run`` in a thread of its own.
"""
from __future__ import annotations

import asyncio
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from websockets.sync.server import serve

from helpers.engine.identity import validate_identity
from helpers.store.location import SELF_STUDY_ENV
from helpers.ui.pages import CourseHome, ModulePage


@pytest.fixture
def voila_query(monkeypatch):
    """``request(query)`` makes the page's request arrive with ``query``."""
    requested = threading.Event()
    sent: dict[str, str] = {}

    def handler(connection):
        requested.wait(10)
        connection.send(json.dumps({"QUERY_STRING": sent["query"]}))

    def request(query: str) -> None:
        sent["query"] = query
        requested.set()

    with serve(handler, "127.0.0.1", 0) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        monkeypatch.setenv("VOILA_PREHEAT", "True")
        monkeypatch.setenv("VOILA_KERNEL_ID", "kernel-3")
        monkeypatch.setenv("VOILA_APP_PORT", str(server.socket.getsockname()[1]))
        for name in ("QUERY_STRING", "VOILA_WS_BASE_URL", "VOILA_SERVER_URL"):
            monkeypatch.delenv(name, raising=False)
        yield request
        requested.set()
        server.shutdown()


def run_in_kernel(kernel):
    """Run ``kernel()`` on an event loop of its own, as a kernel's cells run on the kernel's.

    A thread of its own: another test may have left an event loop running in this one
    (Playwright's synchronous API does).
    """
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, kernel()).result()


async def _until(condition, timeout: float = 5.0) -> None:
    for _ in range(int(timeout / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the request was not applied")


def test_the_home_is_complete_before_the_request_and_signs_in_from_its_link(voila_query, store, session, bank_dir):
    async def kernel() -> CourseHome:
        home = CourseHome(bank_dir=bank_dir, store=store, poll_seconds=3600)
        assert home.trainee is None and home.sign_in_form is not None  # built, waiting for nobody
        voila_query(f"s={session.token}")
        await _until(lambda: home.trainee is not None)
        return home

    home = run_in_kernel(kernel)
    assert home.trainee.id == session.trainee.id and home.session_token == session.token
    shown = home.widget.children[2].children[0].value
    assert f"当前学员：{session.trainee.name}" in shown
    assert all(button.layout.display is None for button in home._enter.values())  # 进入 for a signed-in trainee


def test_a_module_page_builds_its_quiz_once_the_link_signs_in(voila_query, store, session, bank_dir):
    async def kernel() -> tuple[ModulePage, object]:
        page = ModulePage("demo", bank_dir=bank_dir, store=store)
        quiz = page.quiz()  # a later cell: waits like for the sign-in form
        assert "登录后即可作答" in quiz.children[0].value
        voila_query(f"s={session.token}&x=1")
        await _until(lambda: page.trainee is not None)
        return page, quiz

    page, quiz = run_in_kernel(kernel)
    assert "登录后即可作答" not in str(getattr(quiz.children[0], "value", ""))


def test_a_link_without_a_valid_token_leaves_the_sign_in_form(voila_query, store, bank_dir):
    async def kernel() -> CourseHome:
        home = CourseHome(bank_dir=bank_dir, store=store, poll_seconds=3600)
        voila_query("s=not-a-token")
        await asyncio.sleep(0.3)
        return home

    home = run_in_kernel(kernel)
    assert home.trainee is None and home.sign_in_form is not None


def test_a_preheated_home_lists_the_profiles_of_when_it_is_requested(voila_query, monkeypatch, store, bank_dir):
    """At home the pool's kernel starts while she makes her profile; opened later, it must list her."""
    monkeypatch.setenv(SELF_STUDY_ENV, "1")

    async def kernel() -> CourseHome:
        home = CourseHome(bank_dir=bank_dir, store=store, poll_seconds=3600)
        assert home.picker.profiles.children == ()
        store.sign_in(validate_identity("李四", "zx000002", ""))  # in another page, after this kernel started
        voila_query("")
        await _until(lambda: len(home.picker.profiles.children) == 1)
        return home

    home = run_in_kernel(kernel)
    assert home.picker.profiles.children[0].description == "继续：李四"
