"""Start the course: Voila serving the notebooks folder with the ``course`` template.

Why a subprocess (``python -m voila``) and not Voila in-process: Voila installs
its own signal handlers and IO loop and shuts its kernels down when it stops; as
a child process Ctrl-C, tests and the e2e harness can stop it cleanly and
nothing of it leaks into the caller.

Kernels inherit the server's environment; that is how they learn the data
folder, the hash of the instructor passcode and whether this is self-study.
The passcode itself never reaches a kernel.
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

from helpers.apps.lan import lan_address, qr_text
from helpers.apps.voila_config import (
    CULL_IDLE_TIMEOUT_S,
    CULL_INTERVAL_S,
    FILL_DELAY_S,
    HOME_NOTEBOOK,
    KERNEL_MB,
    ClassPools,
    write_config,
)
from helpers.engine.passcode import ENV_VARIABLE as PASSCODE_HASH_ENV
from helpers.engine.passcode import hash_passcode, new_passcode
from helpers.store.location import SELF_STUDY_ENV, data_folder

REPO = Path(__file__).resolve().parents[2]
SHARE_DIR = Path(__file__).resolve().parent / "share"
TEMPLATE = "course"
DATA_DIR_ENV = "COURSE_DATA_DIR"
PASSCODE_ENV = "COURSE_INSTRUCTOR_PASSCODE"
STARTUP_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0
_WILDCARD_HOSTS = {"", "0.0.0.0", "::"}
_LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


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
    home_reserve: int | None = None,
    open_browser: bool = False,
    passcode_hash: str | None = None,
    self_study: bool = False,
    fill_delay: float = FILL_DELAY_S,
    cull_idle_timeout: int = CULL_IDLE_TIMEOUT_S,
    cull_interval: int = CULL_INTERVAL_S,
) -> tuple[list[str], dict[str, str]]:
    """The Voila command line and environment; writes Voila's config into ``config_dir``.

    Starts nothing, so tests can check exactly what the server will run with.
    ``config_dir`` becomes Voila's only config path: a stray ``voila.json`` in
    the working directory or in ``~/.jupyter`` must not change the course.
    ``SHARE_DIR`` goes first on ``JUPYTER_PATH``: it holds the course template
    and the kernelspec that starts kernels without the debugger
    (:mod:`helpers.apps.kernel`).  Without ``passcode_hash`` the instructor
    page stays locked.  ``self_study`` lets the course home list this
    computer's self-study profiles; it is dropped for any host other machines
    can reach, because the list shows names.
    """
    notebook_dir = Path(notebook_dir).resolve()
    if not (notebook_dir / HOME_NOTEBOOK).is_file():
        raise NotebookDirError(f"找不到课程首页：{notebook_dir / HOME_NOTEBOOK}")
    write_config(config_dir, notebook_dir, home_pool=home_pool, module_pool=module_pool, home_reserve=home_reserve,
                 fill_delay=fill_delay, cull_idle_timeout=cull_idle_timeout, cull_interval=cull_interval)

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
    env[DATA_DIR_ENV] = str(Path(data_dir or data_folder()).resolve())
    env.pop(PASSCODE_ENV, None)
    env.pop(PASSCODE_HASH_ENV, None)
    if passcode_hash:
        env[PASSCODE_HASH_ENV] = passcode_hash
    env.pop(SELF_STUDY_ENV, None)
    if self_study and host in _LOOPBACK_HOSTS:
        env[SELF_STUDY_ENV] = "1"
    return argv, env


def self_study_wanted(*, class_size: int | None, passcode: str | None) -> bool:
    """The one rule: a course started without any classroom option is for self-study.

    A class size or an instructor passcode (given, or in the environment) means
    a class; :func:`build_command` also requires a host only this machine reaches.
    """
    return not (class_size or passcode or os.environ.get(PASSCODE_ENV))


def instructor_passcode(given: str | None) -> tuple[str, bool]:
    """The passcode to start with: ``given``, else ``COURSE_INSTRUCTOR_PASSCODE``, else a new one.

    Returns it with whether it was made up here (and so must be printed).
    """
    chosen = given or os.environ.get(PASSCODE_ENV)
    if chosen is not None and not chosen.strip():
        raise ServeError("授课老师口令不能为空。")
    return (chosen, False) if chosen else (new_passcode(), True)


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


def trainee_url(host: str, port: int) -> str | None:
    """The address other machines use, or None when the server listens on this machine only."""
    if host in _WILDCARD_HOSTS:
        address = lan_address()
        return course_url(address, port) if address else None
    if host in _LOOPBACK_HOSTS:
        return None
    return course_url(host, port)


def startup_message(host: str, port: int, *, passcode: str | None, pools: ClassPools | None,
                    data_dir: Path | None = None, encoding: str | None = "utf-8") -> str:
    """What the instructor reads in the terminal once the course is up (Chinese)."""
    lines = [f"课程已启动：本机请在浏览器打开 {course_url(host, port)}"]
    shared = trainee_url(host, port)
    if shared:
        lines += [f"学员（同一局域网的电脑、手机）请打开 {shared} ，或用手机扫描下面的二维码：", qr_text(shared, encoding)]
    elif host in _WILDCARD_HOSTS:
        lines.append("没有检测到局域网地址：请确认本机已连接教室网络，再查看本机的 IP 地址告诉学员。")
    if pools is not None:
        lines.append(
            f"班级人数 {pools.class_size}：课程首页预热 {pools.home_pool} 个内核"
            + (f"（学员到齐后保留 {pools.home_reserve} 个备用）" if pools.home_reserve is not None else "")
            + "，模块在首页内打开、不另占内核；"
            f"每名学员约 {KERNEL_MB} MB，全班约需 {pools.needed_mb / 1024:.1f} GB，"
            f"本机当前可用 {pools.available_mb / 1024:.1f} GB。预热需要一两分钟，请在学员进入前启动。"
        )
        if not pools.fits:
            lines.append("注意：本机可用内存可能不够全班同时使用，请关闭其他程序，或换一台内存更大的电脑。")
    if data_dir is not None:
        lines.append(f"学习记录保存在：{data_dir}（备份：python -m helpers backup）")
    if passcode is not None:
        lines.append(f"本次授课老师口令：{passcode}（打开教师看板时输入；请勿告诉学员。"
                     f"下次启动会换新口令，也可用 --instructor-passcode 或环境变量 {PASSCODE_ENV} 指定）")
    return "\n".join(lines)


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
    pools: ClassPools | None = None,
    passcode: str | None = None,
    open_browser: bool = False,
    self_study: bool = False,
) -> int:
    """Run the course until Voila stops; returns Voila's exit code.

    ``pools`` (from :func:`~helpers.apps.voila_config.class_pools`) replaces
    ``home_pool``/``module_pool`` and is reported at start.
    """
    check_port_free(host, port)
    chosen, generated = instructor_passcode(passcode)
    home_reserve = None
    if pools is not None:
        home_pool, module_pool, home_reserve = pools.home_pool, pools.module_pool, pools.home_reserve
    with tempfile.TemporaryDirectory(prefix="course-voila-") as config_dir:
        argv, env = build_command(
            notebook_dir, host, port, config_dir=Path(config_dir), data_dir=data_dir,
            home_pool=home_pool, module_pool=module_pool, home_reserve=home_reserve, open_browser=open_browser,
            passcode_hash=hash_passcode(chosen), self_study=self_study,
        )
        process = subprocess.Popen(argv, env=env)
        # A service manager stops us with SIGTERM; pass it on so Voila shuts its
        # kernels down instead of being orphaned with them.
        previous = signal.signal(signal.SIGTERM, lambda *_: process.terminate())
        try:
            if wait_until_listening(process, host, port, STARTUP_TIMEOUT_S):
                print(startup_message(host, port, passcode=chosen if generated else None, pools=pools,
                                      data_dir=Path(env[DATA_DIR_ENV]), encoding=sys.stdout.encoding), flush=True)
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
