"""The query string of a preheated kernel arrives over Voila's query websocket;
a real websocket server on localhost plays Voila's side of that protocol."""
import json
import socket
import threading

from websockets.sync.server import serve

from helpers.ui import request


def test_plain_kernel_reads_the_environment(monkeypatch):
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setenv("QUERY_STRING", "s=abc&x=1")
    assert request.query_parameter("s") == "abc"
    assert request.query_parameter("missing") is None


def test_no_query_string_outside_voila(monkeypatch):
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.delenv("QUERY_STRING", raising=False)
    assert request.query_parameter("s") is None


def test_preheated_kernel_waits_for_the_request(monkeypatch):
    paths = []

    def handler(connection):
        paths.append(connection.request.path)
        connection.send(json.dumps({"QUERY_STRING": "s=tok123", "SERVER_NAME": "localhost"}))

    with serve(handler, "127.0.0.1", 0) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.socket.getsockname()[1]
        monkeypatch.setenv("VOILA_PREHEAT", "True")
        monkeypatch.setenv("VOILA_KERNEL_ID", "kernel-1")
        monkeypatch.setenv("VOILA_APP_PORT", str(port))
        monkeypatch.delenv("QUERY_STRING", raising=False)
        monkeypatch.delenv("VOILA_WS_BASE_URL", raising=False)
        monkeypatch.delenv("VOILA_SERVER_URL", raising=False)
        monkeypatch.delenv("SERVER_NAME", raising=False)
        assert request.query_parameter("s") == "tok123"
        server.shutdown()
    assert paths == ["/voila/query/kernel-1"]


def _preheated(monkeypatch, port):
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_KERNEL_ID", "kernel-2")
    monkeypatch.setenv("VOILA_APP_PORT", str(port))
    for name in ("QUERY_STRING", "VOILA_WS_BASE_URL", "VOILA_SERVER_URL", "SERVER_NAME"):
        monkeypatch.delenv(name, raising=False)


def test_a_dropped_connection_is_opened_again_and_a_proxy_setting_is_ignored(monkeypatch):
    connections = []

    def handler(connection):
        connections.append(connection.request.path)
        if len(connections) == 1:
            return  # a busy server dropping the first wait
        connection.send(json.dumps({"QUERY_STRING": "s=tok456"}))

    monkeypatch.setattr(request, "RETRY_PAUSE_S", 0.0)
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # a classroom PC's proxy must not be asked
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    with serve(handler, "127.0.0.1", 0) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        _preheated(monkeypatch, server.socket.getsockname()[1])
        assert request.query_parameter("s") == "tok456"
        server.shutdown()
    assert connections == ["/voila/query/kernel-2"] * 2


def test_with_no_server_to_ask_the_page_opens_without_the_query(monkeypatch):
    monkeypatch.setattr(request, "RETRY_PAUSE_S", 0.0)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # bound, never listened on, closed: connections are refused
    _preheated(monkeypatch, port)
    assert request.query_parameter("s") is None
