"""The page's query string, in a plain or a preheated Voila kernel.

A preheated kernel ran the notebook before anyone asked for the page, so the
query string reaches it later over Voila's ``/voila/query/<kernel id>``
websocket.  ``voila.utils.get_query_string`` does exactly this, but importing
it pulls in the whole Voila server: measured 1.7 s and ~35 MB in every trainee
kernel.  This module speaks the same one-message protocol with the
``websockets`` client Voila already depends on.

Pages do not wait for the request in the notebook's cells: they are built
as before sign-in and :func:`when_requested` applies the link's token once
the page is requested.  So a pooled kernel has run its whole notebook in
advance and Voila returns the page at once; the sign-in then reaches the
page as widget updates, the way a sign-in from the form does.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

log = logging.getLogger("helpers.ui")
CONNECT_ATTEMPTS = 5
OPEN_TIMEOUT_S = 60.0
RETRY_PAUSE_S = 1.0


def _query_url() -> str:
    protocol = os.environ.get("VOILA_WS_PROTOCOL", "ws")
    host = os.environ.get("VOILA_APP_IP", "127.0.0.1")
    port = os.environ.get("VOILA_APP_PORT", "8866")
    base = os.environ.get("VOILA_WS_BASE_URL", os.environ.get("VOILA_SERVER_URL", "/"))
    return f"{protocol}://{host}:{port}{base}voila/query/{os.environ['VOILA_KERNEL_ID']}"


def awaiting_request() -> bool:
    """Whether this is a preheated kernel whose page has not been requested yet."""
    return os.environ.get("VOILA_PREHEAT", "False") != "False" and "QUERY_STRING" not in os.environ


def query_string() -> str:
    """Block (in a preheated kernel) until the page is requested; return its query."""
    if awaiting_request():
        os.environ.update(_request_info())
    return os.environ.get("QUERY_STRING", "")


def when_requested(apply: Callable[[str], Any]) -> None:
    """Call ``apply(query string)`` once the page has been requested, on the kernel's main thread.

    A second thread waits for the request; the call itself is handed to the
    kernel's event loop (cells run inside it), so widgets are never built or
    changed while the kernel is answering the browser's request for their
    state.  Outside an event loop (a script, a test) it waits here instead.
    """
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        apply(query_string())
        return

    def wait() -> None:
        info = _request_info() if awaiting_request() else {}
        loop.call_soon_threadsafe(_apply_query, apply, info)

    threading.Thread(target=wait, name="page-request", daemon=True).start()


def _apply_query(apply: Callable[[str], Any], info: dict[str, str]) -> None:
    os.environ.update(info)
    try:
        apply(os.environ.get("QUERY_STRING", ""))
    except Exception:  # on the event loop nobody would see it: log it, keep the kernel serving
        log.exception("applying the page's request failed")


def _request_info() -> dict[str, str]:
    """Voila's request info for this kernel, waited for as long as it takes.

    A pooled kernel may wait many minutes for its trainee, while the server
    starts a class's pool of 100+ kernels on two cores.  So: no keepalive pings
    (a server too busy to answer one within 20 s made the client drop the
    connection, and the page came up without its sign-in: 77 of 100 trainees
    in one benchmark run), no proxy (the server is this machine, whatever
    ``HTTP_PROXY`` says), and a dropped connection is opened again: Voila keeps
    the request info for a kernel that is not connected and sends it when it
    comes back.  Only after :data:`CONNECT_ATTEMPTS` failures does the page
    give up, and then it opens without the query: she signs in by hand.
    """
    from websockets.exceptions import WebSocketException
    from websockets.sync.client import connect

    for attempt in range(1, CONNECT_ATTEMPTS + 1):
        try:
            with connect(_query_url(), open_timeout=OPEN_TIMEOUT_S, ping_interval=None, proxy=None,
                         compression=None) as socket:
                return json.loads(socket.recv())
        except (OSError, WebSocketException, ValueError):
            log.warning("waiting for the page's request failed (attempt %d)", attempt, exc_info=True)
            time.sleep(RETRY_PAUSE_S)
    return {}


def query_parameter(name: str) -> str | None:
    return parameter(query_string(), name)


def parameter(query: str, name: str) -> str | None:
    """The first value of ``name`` in a query string, or None."""
    values = parse_qs(query).get(name)
    return values[0] if values else None
