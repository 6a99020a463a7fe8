"""Finding a course server's kernel processes, for tests that measure or kill them.

A plain module (not a test file), shared by the classroom and fault tests.
"""
from __future__ import annotations

import json

import psutil


def kernels(server) -> list[psutil.Process]:
    """The course kernels the server has running now (pooled ones included)."""
    found = []
    for child in psutil.Process(server.process.pid).children(recursive=True):
        try:
            if "helpers.apps.kernel" in child.cmdline():
                found.append(child)
        except psutil.NoSuchProcess:
            pass
    return found


def page_kernel(server, page) -> psutil.Process:
    """The kernel process serving ``page`` (its id is in the page's Jupyter config)."""
    kernel_id = json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]
    return next(k for k in kernels(server) if any(kernel_id in arg for arg in k.cmdline()))
