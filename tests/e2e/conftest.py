"""End-to-end harness: the real course server and Debian's Chromium, fully offline.

Why a real server and a real browser: what breaks for trainees (a CDN link in a
template, English loading texts, a widget that does not answer) only shows once
Voila streams the page and its JavaScript talks to a kernel.

Timeouts are generous on purpose: the test machine has two shared cores and a
cold kernel takes seconds.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from helpers.apps.serve import REPO, build_command

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about"}
STARTUP_TIMEOUT_S = 120.0
STOP_TIMEOUT_S = 30.0
PAGE_TIMEOUT_MS = 60_000


def free_port() -> int:
    """A port nobody listens on right now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def assert_local_only(urls: list[str]) -> None:
    """Fail if any URL the browser asked for leaves this machine."""
    outside = [
        url for url in urls
        if urlsplit(url).scheme not in LOCAL_SCHEMES and urlsplit(url).hostname not in LOCAL_HOSTS
    ]
    assert not outside, f"页面请求了本机以外的地址：{outside}"


@dataclass
class CourseServer:
    """A running ``serve.build_command`` server and where to find its log."""

    url: str
    notebook_dir: Path
    data_dir: Path
    log_path: Path
    process: subprocess.Popen = field(repr=False)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_for_log(self, pattern: str, timeout: float = STARTUP_TIMEOUT_S) -> re.Match:
        """Wait until the server log matches ``pattern`` (e.g. a pool being filled)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = re.search(pattern, self.log())
            if match:
                return match
            time.sleep(0.2)
        raise AssertionError(f"{timeout:.0f} 秒内服务器日志中没有出现 {pattern!r}：\n{self.log()[-3000:]}")

    def stop(self) -> None:
        """SIGTERM first so Voila shuts its kernels down (they run in their own
        sessions, a group kill would not reach them); SIGKILL if it hangs."""
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def _wait_until_answering(server: CourseServer) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"课程服务器启动失败（退出码 {server.process.returncode}）：\n{server.log()[-3000:]}")
        try:
            with urllib.request.urlopen(server.url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    server.stop()
    raise AssertionError(f"课程服务器 {STARTUP_TIMEOUT_S:.0f} 秒内没有响应：\n{server.log()[-3000:]}")


@pytest.fixture(scope="session")
def start_course_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., CourseServer]]:
    """Start the real server: ``start_course_server(notebook_dir=None, data_dir=None, **serve_options)``.

    ``notebook_dir`` defaults to the repo's ``notebooks/``; each server gets a
    free port and, unless ``data_dir`` names an earlier server's (a restart),
    a fresh ``COURSE_DATA_DIR``. Every server started is stopped at the end of
    the session.
    """
    servers: list[CourseServer] = []

    def start(notebook_dir: Path | None = None, data_dir: Path | None = None, **options: object) -> CourseServer:
        work = tmp_path_factory.mktemp("course-server")
        if data_dir is None:
            data_dir = work / "data"
            data_dir.mkdir()
        config_dir = work / "config"
        config_dir.mkdir()
        port = free_port()
        notebook_dir = Path(notebook_dir or REPO / "notebooks").resolve()
        argv, env = build_command(
            notebook_dir, "127.0.0.1", port,
            config_dir=config_dir, data_dir=data_dir, **options,
        )
        log_path = work / "voila.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                argv, env=env, cwd=work, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        server = CourseServer(
            url=f"http://127.0.0.1:{port}/",
            notebook_dir=notebook_dir,
            data_dir=data_dir,
            log_path=log_path,
            process=process,
        )
        servers.append(server)
        _wait_until_answering(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def course_server(start_course_server: Callable[..., CourseServer]) -> CourseServer:
    """The course as shipped: the repo's ``notebooks/`` with default pools."""
    return start_course_server()


@pytest.fixture
def seen_urls() -> list[str]:
    """Every URL the test's browser context requested, websockets included."""
    return []


@pytest.fixture
def page(browser, seen_urls: list[str]):
    """A fresh page (own cookies) whose requests are checked to stay on this machine."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    context.on("request", lambda request: seen_urls.append(request.url))
    context.on("page", lambda new: new.on("websocket", lambda ws: seen_urls.append(ws.url)))
    course_page = context.new_page()
    yield course_page
    context.close()
    assert_local_only(seen_urls)


@pytest.fixture
def local_only(seen_urls: list[str]) -> Callable[[], None]:
    """Call at the end of a test so an outside request fails the test itself."""
    return lambda: assert_local_only(seen_urls)


SAMPLE_PAINTED_TEXT = """
window.__paintedTexts = new Set();
(function sample() {
  if (document.body) {
    window.__paintedTexts.add(document.body.innerText);
  }
  requestAnimationFrame(sample);
})();
"""


@pytest.fixture
def painted_text(page) -> Callable[[], str]:
    """Every text the current document has shown, sampled once per frame.

    Transient texts (loading messages, widget placeholders) are gone by the
    time a test looks; sampling in requestAnimationFrame sees what was painted.
    """
    page.add_init_script(SAMPLE_PAINTED_TEXT)
    return lambda: "\n".join(page.evaluate("[...window.__paintedTexts]"))
