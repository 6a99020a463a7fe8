"""The page's query string, in a plain or a preheated Voila kernel.

A preheated kernel ran the notebook before anyone asked for the page, so the
query string reaches it later over Voila's ``/voila/query/<kernel id>``
websocket.  ``voila.utils.get_query_string`` does exactly this, but importing
it pulls in the whole Voila server: measured 1.7 s and ~35 MB in every trainee
kernel.  This module speaks the same one-message protocol with the
``websockets`` client Voila already depends on.
"""
from __future__ import annotations

import json
import logging
import os
import time
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


def query_string() -> str:
    """Block (in a preheated kernel) until the page is requested; return its query."""
    if os.environ.get("VOILA_PREHEAT", "False") != "False" and "QUERY_STRING" not in os.environ:
        os.environ.update(_request_info())
    return os.environ.get("QUERY_STRING", "")


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
    values = parse_qs(query_string()).get(name)
    return values[0] if values else None
