"""A class's home pool, once taken, keeps only its reserve: on the real Voila server.

Voila alone refills a pool to its full size after every take; a pool sized
for a class would so be started a second time behind the class.  Renders are
plain HTTP GETs here: a render is what takes a kernel from the pool.
"""
from __future__ import annotations

import time
import urllib.request

import pytest
from server_kernels import kernels

pytestmark = pytest.mark.e2e

POOL, RESERVE = 3, 1
SETTLE_S = 6.0  # several times Voila's one-second refill delay


def render_home(server) -> None:
    with urllib.request.urlopen(f"{server.url}voila/render/index.ipynb", timeout=120) as response:
        assert response.status == 200


def kernel_count_after(server, seconds: float) -> int:
    time.sleep(seconds)
    return len(kernels(server))


def wait_for_kernels(server, count: int, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while len(kernels(server)) < count:
        assert time.monotonic() < deadline, f"{len(kernels(server))} kernels, expected {count}"
        time.sleep(0.5)


def test_the_pool_is_not_refilled_until_it_falls_below_its_reserve(start_course_server):
    server = start_course_server(home_pool=POOL, home_reserve=RESERVE, module_pool=0)
    wait_for_kernels(server, POOL)

    render_home(server)
    render_home(server)  # two trainees in, one kernel left in the pool: the reserve
    assert kernel_count_after(server, SETTLE_S) == POOL

    render_home(server)  # the reserve taken: the pool is brought back to it, and no further
    wait_for_kernels(server, POOL + RESERVE)
    assert kernel_count_after(server, SETTLE_S) == POOL + RESERVE
