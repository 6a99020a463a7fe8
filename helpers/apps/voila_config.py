"""The Voila settings of the course, written as config files Voila reads at start.

Why files and not command-line flags: per-notebook kernel pools are a dict keyed
by notebook path, which the command line cannot express readably, and Voila reads
``voila.json`` / ``voila.py`` from its config paths before it builds its kernel
manager. ``voila.py`` exists only for what JSON cannot hold: a handler class.

Why pools per notebook: Voila keeps ``pool_size`` kernels alive for *every*
notebook under the root, each one having already run its notebook. Only the pages
trainees open first and often deserve that memory: the course home and the topic
modules. Everything else (instructor pages, future pages) starts a kernel on
demand.
"""
from __future__ import annotations

import inspect
import json
import math
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tornado import web

HOME_NOTEBOOK = "index.ipynb"
MODULE_PATTERN = "modules/*.ipynb"

# Tabs closed without Voila's unload beacon (phones often skip it) leave
# kernels behind; culling is the only thing that frees them.  Only kernels with
# no page connected are culled, after 15 minutes idle: a phone whose screen
# locked through part of a lecture usually still has its page afterwards, and
# a stray kernel is gone within 16 minutes.
CULL_INTERVAL_S = 60
CULL_IDLE_TIMEOUT_S = 900


# Memory of one trainee's kernel: the course home after sign-in with two
# modules opened in place measured 58 MB proportional share (PSS; 73 MB RSS,
# of which the shared libraries are counted once per machine, not per kernel).
KERNEL_MB = 60
SERVER_MB = 150
# What the class may use of the memory free at start; the rest is for the
# system and the instructor's own programs.
MEMORY_SHARE = 0.8
MIN_HOME_POOL = 2
# Voila's default: refill a pool one second after a kernel is taken.
FILL_DELAY_S = 1.0
# The key of a notebook's pool settings (beside Voila's ``pool_size``) that
# :func:`with_course_pools` reads; Voila ignores keys it does not know.
RESERVE_KEY = "reserve"


class PoolSizeError(ValueError):
    """A kernel pool size that Voila would silently treat as zero."""


def available_memory_mb() -> int:
    """Memory the system can give to new processes now (psutil's "available")."""
    import psutil

    return psutil.virtual_memory().available // 2**20


@dataclass(frozen=True)
class ClassPools:
    """Kernel pools for a class, and the memory they were sized against."""

    class_size: int
    home_pool: int
    module_pool: int
    home_reserve: int | None  # what the home pool keeps once the class has taken the rest; None: refill it all
    needed_mb: int  # the class's kernels plus the server, pools not counted
    available_mb: int

    @property
    def fits(self) -> bool:
        return self.needed_mb <= self.available_mb * MEMORY_SHARE


def class_pools(class_size: int, available_mb: int) -> ClassPools:
    """Pools for ``class_size`` trainees on a machine with ``available_mb`` free.

    Every trainee keeps one home kernel for the whole class (modules open
    inside it), so the module pools are 0 and the home pool is what makes the
    first minute fast.  When memory allows, the home pool holds the class plus
    a reserve of 10% for latecomers and reloads; once the class has taken its
    kernels only the reserve is kept (:func:`with_course_pools`), so the
    machine holds the class plus the reserve, not the class plus a second full
    pool (measured with Voila's own refill: 210 kernels, 11.2 GB, for a class
    of 100, and 80 s of both cores spent starting them while the class
    worked).  With less memory the pool is whatever fits beside the class and
    is refilled as Voila does, one second after each take: late arrivals then
    wait a few seconds (10 kernels start in 7.7 s on 2 cores).
    """
    if class_size < 1:
        raise PoolSizeError(f"班级人数必须是正整数：{class_size}")
    needed = class_size * KERNEL_MB + SERVER_MB
    usable = available_mb * MEMORY_SHARE
    reserve = max(MIN_HOME_POOL, math.ceil(class_size / 10))
    if needed + reserve * KERNEL_MB <= usable:
        return ClassPools(class_size, class_size + reserve, 0, reserve, needed, available_mb)
    spare = math.floor((usable - needed) / KERNEL_MB)
    return ClassPools(class_size, max(MIN_HOME_POOL, spare), 0, None, needed, available_mb)


def kernel_pools(notebook_dir: Path, home_pool: int, module_pool: int,
                 home_reserve: int | None = None) -> dict[str, dict[str, int]]:
    """Pool sizes keyed the way Voila looks them up: the path relative to the root.

    Voila matches keys exactly (no patterns), so the module notebooks present at
    start-up are listed one by one; a module added later gets the default (0)
    until the server restarts.  ``home_reserve``: see :func:`with_course_pools`.
    """
    for name, size in (("课程首页", home_pool), ("模块页", module_pool)):
        if size < 0:
            raise PoolSizeError(f"{name}预热内核数不能为负数：{size}")
    pools = {"default": {"pool_size": 0}, HOME_NOTEBOOK: {"pool_size": home_pool}}
    if home_reserve is not None:
        if not 0 <= home_reserve <= home_pool:
            raise PoolSizeError(f"课程首页备用内核数须在 0 到 {home_pool} 之间：{home_reserve}")
        pools[HOME_NOTEBOOK][RESERVE_KEY] = home_reserve
    for notebook in sorted(notebook_dir.glob(MODULE_PATTERN)):
        pools[notebook.relative_to(notebook_dir).as_posix()] = {"pool_size": module_pool}
    return pools


def voila_config(notebook_dir: Path, *, home_pool: int, module_pool: int, home_reserve: int | None = None,
                 fill_delay: float = FILL_DELAY_S, cull_idle_timeout: int = CULL_IDLE_TIMEOUT_S,
                 cull_interval: int = CULL_INTERVAL_S) -> dict[str, Any]:
    """The content of ``voila.json`` for serving ``notebook_dir``.

    Preheating is switched off entirely when every pool is empty, so Voila runs
    its plain code path instead of a pool manager with nothing in it.

    Kernels talk to the server over Unix sockets where there are any: with
    TCP the server picks free ports and the kernel binds them a moment later,
    and when a class's pool of 60 kernels starts at once some of those ports
    are taken in between ("Address already in use", measured: 8 failed binds
    and one kernel given up for dead).  Windows has only TCP.
    """
    pools = kernel_pools(notebook_dir, home_pool, module_pool, home_reserve)
    transport = {"KernelManager": {"transport": "ipc"}} if os.name == "posix" else {}
    return {
        **transport,
        "VoilaConfiguration": {"preheat_kernel": home_pool > 0 or module_pool > 0},
        "VoilaKernelManager": {"kernel_pools_config": pools, "fill_delay": fill_delay},
        "MappingKernelManager": {
            "cull_interval": cull_interval,
            "cull_idle_timeout": cull_idle_timeout,
            "cull_connected": False,
        },
    }


class NotFoundHandler(web.RequestHandler):
    """Answers URLs that no Voila handler matches, with the course's Chinese 404.

    Without it Tornado replies with its own English one-line page; Voila's
    handlers already render the template's ``404.html`` for missing notebooks.
    """

    def prepare(self) -> None:
        raise web.HTTPError(404)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        template = self.settings["voila_jinja2_env"].get_template("404.html")
        self.finish(template.render(base_url=self.settings["base_url"]))


def send_without_delay() -> None:
    """Make Voila's kernel websockets send each message at once (TCP_NODELAY).

    Feedback after 提交 is one small websocket message.  With Nagle's algorithm
    on, the server holds it until the browser acknowledges the previous
    packet, which delayed acknowledgement postpones by up to 40 ms: the
    benchmark measured feedback p50 48 ms, 40 of them this wait.  Tornado's
    advice is to call ``set_nodelay(True)`` in the handler's ``open``; Voila
    registers its own handler class, so its ``open`` is wrapped here, in the
    server process, before the application is built.
    """
    from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler as handler

    if getattr(handler.open, "sends_without_delay", False):
        return
    opened = handler.open

    async def open_without_delay(self: Any, *args: Any, **kwargs: Any) -> None:
        self.set_nodelay(True)
        if inspect.isawaitable(result := opened(self, *args, **kwargs)):
            await result

    open_without_delay.sends_without_delay = True  # type: ignore[attr-defined]
    handler.open = open_without_delay


def adapt_kernel_pools() -> None:
    """Make Voila's pooled kernel manager keep reserves and count a handed-out kernel as active.

    Voila builds its kernel manager class with a factory at start-up, after
    reading this configuration; the factory is wrapped here so that the class
    it builds is :func:`with_course_pools`'s.
    """
    import voila.app

    build = voila.app.voila_kernel_manager_factory
    if getattr(build, "adapts_pools", False):
        return

    def build_course_pools(*args: Any, **kwargs: Any) -> Any:
        return with_course_pools(build(*args, **kwargs))

    build_course_pools.adapts_pools = True  # type: ignore[attr-defined]
    voila.app.voila_kernel_manager_factory = build_course_pools


def with_course_pools(manager_class: type) -> type:
    """``manager_class`` (Voila's pooled kernel manager) with two changes at each take from a pool.

    *Reserve.*  Voila refills a pool to ``pool_size`` as soon as a kernel is
    taken: a pool sized for a whole class would be started a second time
    behind the class.  Voila reads ``pool_size`` afresh at every refill, so
    the first take of a pool with a reserve (see :func:`class_pools`) lowers
    it to the reserve: Voila then starts nothing until fewer than the
    reserve are left, and keeps the reserve from then on.

    *Activity.*  A pooled kernel has run its whole notebook in advance (the
    page signs in only once requested, :mod:`helpers.ui.request`), so it has
    been idle since; once out of the pool Voila's culler would see it idle
    for as long as it waited and could shut it down before the browser
    connects.  The kernel handed to a page counts as active from that moment.
    """
    if not hasattr(manager_class, "get_rendered_notebook"):
        return manager_class  # preheating is off: there are no pools

    class CoursePoolKernelManager(manager_class):  # type: ignore[misc, valid-type]
        async def get_rendered_notebook(self, notebook_name: str, *args: Any, **kwargs: Any) -> Any:
            pools = self.kernel_pools_config
            settings = pools.get(notebook_name, {})
            if RESERVE_KEY in settings and settings["pool_size"] != settings[RESERVE_KEY]:
                lowered = {**settings, "pool_size": settings[RESERVE_KEY]}
                self.kernel_pools_config = {**pools, notebook_name: lowered}
            rendered = await super().get_rendered_notebook(notebook_name, *args, **kwargs)
            kernel_id = rendered[2]  # (render task, rendered cells, kernel id)
            self.get_kernel(kernel_id).last_activity = datetime.now(timezone.utc)
            return rendered

    return CoursePoolKernelManager


PYTHON_CONFIG = """\
# Generated by helpers.apps.voila_config; the rest of the settings are in voila.json.
from helpers.apps.voila_config import NotFoundHandler, adapt_kernel_pools, send_without_delay

c.Voila.tornado_settings = {"default_handler_class": NotFoundHandler}
send_without_delay()
adapt_kernel_pools()
"""


def write_config(config_dir: Path, notebook_dir: Path, **settings: Any) -> None:
    """Write ``voila.json`` (``settings`` as for :func:`voila_config`) and ``voila.py`` into ``config_dir``."""
    config = voila_config(notebook_dir, **settings)
    (config_dir / "voila.json").write_text(json.dumps(config, ensure_ascii=False, indent=2), encoding="utf-8")
    (config_dir / "voila.py").write_text(PYTHON_CONFIG, encoding="utf-8")
