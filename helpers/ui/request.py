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
import os
from urllib.parse import parse_qs


def _query_url() -> str:
    protocol = os.environ.get("VOILA_WS_PROTOCOL", "ws")
    host = os.environ.get("VOILA_APP_IP", "127.0.0.1")
    port = os.environ.get("VOILA_APP_PORT", "8866")
    base = os.environ.get("VOILA_WS_BASE_URL", os.environ.get("VOILA_SERVER_URL", "/"))
    return f"{protocol}://{host}:{port}{base}voila/query/{os.environ['VOILA_KERNEL_ID']}"


def query_string() -> str:
    """Block (in a preheated kernel) until the page is requested; return its query."""
    if os.environ.get("VOILA_PREHEAT", "False") != "False" and "QUERY_STRING" not in os.environ:
        from websockets.sync.client import connect

        with connect(_query_url(), open_timeout=10) as socket:
            os.environ.update(json.loads(socket.recv()))
    return os.environ.get("QUERY_STRING", "")


def query_parameter(name: str) -> str | None:
    values = parse_qs(query_string()).get(name)
    return values[0] if values else None
