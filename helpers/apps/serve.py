"""Start the course: Voila serving the notebooks folder with the ``course`` template.

Why a subprocess (``python -m voila``) and not Voila in-process: Voila installs
its own signal handlers and IO loop and shuts its kernels down when it stops; as
a child process Ctrl-C, tests and the e2e harness can stop it cleanly and
nothing of it leaks into the caller.
"""
from __future__ import annotations

import errno
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from helpers.apps.voila_config import HOME_NOTEBOOK, write_config

REPO = Path(__file__).resolve().parents[2]
SHARE_DIR = Path(__file__).resolve().parent / "share"
TEMPLATE = "course"
DATA_DIR_ENV = "COURSE_DATA_DIR"
STARTUP_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0
_WILDCARD_HOSTS = {"", "0.0.0.0", "::"}


class ServeError(ValueError):
    """The course cannot be started as asked."""


class NotebookDirError(ServeError):
    """The notebooks folder has no course home."""


class PortInUseError(ServeError):
    """Another program already listens on the port."""


def build_command(
    notebook_dir: Path,
    host: str = "127.0.0.1",
    port: int = 8866,
    *,
    config_dir: Path,
    data_dir: Path | None = None,
    home_pool: int = 2,
    module_pool: int = 1,
    open_browser: bool = False,
) -> tuple[list[str], dict[str, str]]:
    """The Voila command line and environment; writes Voila's config into ``config_dir``.

    Starts nothing, so tests can check exactly what the server will run with.
    ``config_dir`` becomes Voila's only config path: a stray ``voila.json`` in
    the working directory or in ``~/.jupyter`` must not change the course.
    Kernels inherit the server's environment, which is how ``COURSE_DATA_DIR``
    reaches the notebooks, preheated or not.
    """
    notebook_dir = Path(notebook_dir).resolve()
    if not (notebook_dir / HOME_NOTEBOOK).is_file():
        raise NotebookDirError(f"找不到课程首页：{notebook_dir / HOME_NOTEBOOK}")
    write_config(config_dir, notebook_dir, home_pool=home_pool, module_pool=module_pool)

    argv = [
        sys.executable, "-m", "voila", str(notebook_dir),
        f"--Voila.ip={host}",
        f"--port={port}",
        # Voila would otherwise quietly move to another port and the printed
        # address would be wrong.
        "--Voila.port_retries=0",
        f"--Voila.config_file_paths={config_dir}",
        f"--template={TEMPLATE}",
        "--strip_sources=True",
        "--show_tracebacks=False",
        "--Voila.open_browser=True" if open_browser else "--no-browser",
    ]
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(SHARE_DIR), env.get("JUPYTER_PATH")]))
    env[DATA_DIR_ENV] = str(Path(data_dir or REPO / "data").resolve())
    return argv, env


def check_port_free(host: str, port: int) -> None:
    """Fail early, in Chinese, instead of Voila's English log line."""
    family = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM)[0][0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # Same option the server sets, so a port in TIME_WAIT is not reported busy.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise PortInUseError(
                    f"端口 {port} 已被占用：可能课程已经在运行，或有其他程序在用这个端口。"
                    f"请关闭它，或换一个端口（例如 --port {port + 1}）。"
                ) from error
            raise


def course_url(host: str, port: int) -> str:
    """The address to open; a wildcard host is reachable on this machine as 127.0.0.1."""
    shown = "127.0.0.1" if host in _WILDCARD_HOSTS else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def wait_until_listening(process: subprocess.Popen, host: str, port: int, timeout: float) -> bool:
    """True once the server accepts connections; False if it exited or timed out."""
    target = "127.0.0.1" if host in _WILDCARD_HOSTS else host
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection((target, port), timeout=1):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def serve(
    notebook_dir: Path,
    host: str = "127.0.0.1",
    port: int = 8866,
    *,
    data_dir: Path | None = None,
    home_pool: int = 2,
    module_pool: int = 1,
    open_browser: bool = False,
) -> int:
    """Run the course until Voila stops; returns Voila's exit code."""
    check_port_free(host, port)
    with tempfile.TemporaryDirectory(prefix="course-voila-") as config_dir:
        argv, env = build_command(
            notebook_dir, host, port, config_dir=Path(config_dir), data_dir=data_dir,
            home_pool=home_pool, module_pool=module_pool, open_browser=open_browser,
        )
        process = subprocess.Popen(argv, env=env)
        # A service manager stops us with SIGTERM; pass it on so Voila shuts its
        # kernels down instead of being orphaned with them.
        previous = signal.signal(signal.SIGTERM, lambda *_: process.terminate())
        try:
            if wait_until_listening(process, host, port, STARTUP_TIMEOUT_S):
                print(f"课程已启动：请在浏览器打开 {course_url(host, port)}", flush=True)
            return process.wait()
        except KeyboardInterrupt:
            # From a terminal Voila got the same Ctrl-C; from anywhere else it did
            # not. SIGTERM makes it stop and shut its kernels down either way.
            process.terminate()
            try:
                return process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                return process.wait()
        finally:
            signal.signal(signal.SIGTERM, previous)
