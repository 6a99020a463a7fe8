"""The load generator: N trainees as asyncio clients, run as its own process.

Why a separate process: on a 2-core machine the clients compete with the
server and its kernels for CPU; in their own process that cost is visible
(``cpu_s`` in every report) instead of hidden inside the server's numbers.

Talks JSON lines: one report per phase on stdout; between phases it waits for
a line on stdin so the parent can measure memory and CPU with everyone still
in (``prepared``: every trainee has found her 进入 button, the module burst
starts on the next line).

A trainee is *ready* when the page HTML has arrived and its kernel answers a
``kernel_info_request`` over ``/api/kernels/<id>/channels`` (what the page's
JavaScript does first).  Moving to a module is driven exactly like the 进入
button: the button's ``click`` comm message, timed until the kernel is idle
again after handling it (every new widget of the module has been sent by
then).  Feedback is timed from the 提交 click to the update of the feedback
widget.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import re
import struct
import sys
import time
import uuid
from datetime import datetime, timezone
from typing import Any

import websockets
from tornado.httpclient import AsyncHTTPClient, HTTPRequest

KERNEL_ID = re.compile(r'"kernelId"\s*:\s*"([0-9a-f-]{36})"')
# The widget control protocol the page's widget manager speaks.  ipywidgets'
# kernel side refuses a control comm_open without it (stderr "Exception opening
# comm", then comm_close), so request_states would never be answered.
CONTROL_PROTOCOL_VERSION = "1.0.0"
HTTP_TIMEOUT_S = 300.0
WS_TIMEOUT_S = 20.0  # bounded: a reply that never comes is an error, not a hang


def _decode(frame: str | bytes) -> dict[str, Any]:
    """A kernel message from jupyter_server's legacy websocket protocol.

    We ask for no websocket subprotocol, so the server does not use
    ``v1.kernel.websocket.jupyter.org``: every message is a JSON text frame,
    except one with buffers, which is binary (count, offsets, JSON, buffers).
    Checked by logging raw frames: all replies of a course page are text.
    """
    if isinstance(frame, str):
        return json.loads(frame)
    count = struct.unpack("!I", frame[:4])[0]
    offsets = struct.unpack(f"!{count}I", frame[4:4 + 4 * count])
    end = offsets[1] if count > 1 else len(frame)
    return json.loads(frame[offsets[0]:end].decode("utf-8"))


class Trainee:
    """One browser tab: its page, its kernel websocket, and the widget models it knows."""

    def __init__(self, index: int, base: str, token: str | None):
        self.index, self.base, self.token = index, base.rstrip("/"), token
        self.session = uuid.uuid4().hex
        self.ws: Any = None
        self.kernel_id = ""
        self.waiters: list[tuple[Any, asyncio.Future]] = []
        self.reader: asyncio.Task | None = None
        self.trace: list[tuple[float, dict[str, Any]]] | None = None  # (arrival, message) while timing

    def _message(self, msg_type: str, content: dict[str, Any], metadata: dict[str, Any]) -> dict[str, Any]:
        return {
            "header": {"msg_id": uuid.uuid4().hex, "username": "bench", "session": self.session,
                       "msg_type": msg_type, "version": "5.3",
                       "date": datetime.now(timezone.utc).isoformat()},
            "parent_header": {}, "metadata": metadata, "content": content, "channel": "shell", "buffers": [],
        }

    async def _read(self) -> None:
        async for frame in self.ws:
            message = _decode(frame)
            if self.trace is not None:
                self.trace.append((time.perf_counter(), message))
            for waiter in list(self.waiters):
                match, future = waiter
                if not future.done() and match(message):
                    future.set_result(message)
                    self.waiters.remove(waiter)

    def expect(self, match: Any) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self.waiters.append((match, future))
        return future

    async def send(self, msg_type: str, content: dict[str, Any], *, until: str = "idle",
                   match: Any = None, metadata: dict[str, Any] | None = None) -> dict[str, Any]:
        """Send a shell message; wait for its reply / idle status / a message ``match`` picks."""
        message = self._message(msg_type, content, metadata or {})
        msg_id = message["header"]["msg_id"]

        def ours(m: dict[str, Any]) -> bool:
            if m.get("parent_header", {}).get("msg_id") != msg_id:
                return False
            if match is not None:
                return match(m)
            if until == "idle":
                return m["header"]["msg_type"] == "status" and m["content"].get("execution_state") == "idle"
            return m["header"]["msg_type"] == until

        future = self.expect(ours)
        await self.ws.send(json.dumps(message))
        return await asyncio.wait_for(future, WS_TIMEOUT_S)

    async def open_page(self, client: AsyncHTTPClient, path: str) -> dict[str, float]:
        start = time.perf_counter()
        url = f"{self.base}/{path}" + (f"?s={self.token}" if self.token else "")
        response = await client.fetch(HTTPRequest(url, request_timeout=HTTP_TIMEOUT_S,
                                                  connect_timeout=HTTP_TIMEOUT_S))
        html_s = time.perf_counter() - start
        found = KERNEL_ID.search(response.body.decode("utf-8", "replace"))
        if not found:
            raise RuntimeError("no kernel id in the page")
        self.kernel_id = found.group(1)
        ws_url = f"{self.base.replace('http', 'ws', 1)}/api/kernels/{self.kernel_id}/channels?session_id={self.session}"
        self.ws = await websockets.connect(ws_url, max_size=None, open_timeout=WS_TIMEOUT_S)
        self.reader = asyncio.create_task(self._read())
        await self.send("kernel_info_request", {}, until="kernel_info_reply")
        return {"html_s": html_s, "ready_s": time.perf_counter() - start}

    async def states(self) -> dict[str, Any]:
        """All widget models, as the page's widget manager asks for them."""
        comm_id = uuid.uuid4().hex
        await self.send("comm_open", {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}},
                        metadata={"version": CONTROL_PROTOCOL_VERSION})
        reply = await self.send(
            "comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}},
            match=lambda m: m["header"]["msg_type"] == "comm_msg"
            and m["content"]["data"].get("method") == "update_states",
        )
        return reply["content"]["data"]["states"]

    async def click(self, model_id: str, **wait: Any) -> dict[str, Any]:
        return await self.send("comm_msg", {"comm_id": model_id, "data": {"method": "custom",
                                                                         "content": {"event": "click"}}}, **wait)

    async def update(self, model_id: str, state: dict[str, Any]) -> None:
        await self.send("comm_msg", {"comm_id": model_id, "data": {"method": "update", "state": state,
                                                                  "buffer_paths": []}})

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            self.reader.cancel()


def _children(states: dict[str, Any], model_id: str) -> list[str]:
    return [c.removeprefix("IPY_MODEL_") for c in states[model_id]["state"].get("children", [])]


NOTICE = re.compile(r'class="course-notice[^>]*>([^<]*)')


def enter_button(states: dict[str, Any], title: str) -> str:
    """The 进入 button on the course-home row whose text shows ``title``.

    Without one, the error says how many module rows the page has and the
    first notice it shows (what a trainee would read instead).
    """
    rows = [i for i, m in states.items() if "course-module-row" in m["state"].get("_dom_classes", [])]
    for model_id in rows:
        text, button = _children(states, model_id)[:2]
        if title in states[text]["state"].get("value", ""):
            return button
    notices = (NOTICE.search(str(m["state"].get("value", ""))) for m in states.values())
    shown = next((found.group(1) for found in notices if found), "no notice")
    raise RuntimeError(f"no 进入 button for {title}: {len(rows)} module rows, page says: {shown[:120]}")


def quiz_parts(states: dict[str, Any]) -> tuple[str, str | None, str]:
    """(submit button, input widget, feedback HTML) of the quiz shown, from QuizWidget's layout.

    On the baseline notebook (no quiz) it is its Submit button, no input, and
    the HTML beside the button that the click fills.
    """
    submits = [i for i, m in states.items() if m["state"].get("description") == "提交"]
    for model_id, model in states.items():
        children = _children(states, model_id) if model["state"].get("children") else []
        for submit in submits:
            if len(children) > 7 and children[5] == submit:
                entry = _children(states, children[4])[0]
                return submit, entry, children[7]
        if len(children) == 2 and states[children[0]]["state"].get("description") == "Submit":
            return children[0], None, children[1]
    raise RuntimeError("no quiz on the page")


async def answer_first_option(trainee: Trainee, states: dict[str, Any], entry: str) -> None:
    name = states[entry]["model_name"]
    if name in ("RadioButtonsModel", "ToggleButtonsModel", "DropdownModel"):
        await trainee.update(entry, {"index": 0})
    elif name in ("TextModel", "TextareaModel"):
        await trainee.update(entry, {"value": "1"})
    elif states[entry]["state"].get("children"):
        await trainee.update(_children(states, entry)[0], {"value": True})


def _summary(times: list[float], errors: list[str], wall: float, cpu: float) -> dict[str, Any]:
    return {"times": times, "errors": len(errors), "error_samples": errors[:5], "wall_s": wall,
            "cpu_s": cpu, "cpu_share_of_2_cores": cpu / wall / 2 if wall else 0.0}


async def burst(trainees: list[Trainee], window: float, act: Any) -> dict[str, Any]:
    """``act(trainee)`` for each trainee, starts spread evenly over ``window`` seconds."""
    start, cpu = time.perf_counter(), time.process_time()
    times: list[float] = []
    errors: list[str] = []

    async def one(i: int, trainee: Trainee) -> None:
        await asyncio.sleep(start + i * window / len(trainees) - time.perf_counter())
        try:
            times.append(await act(trainee))
        except Exception as exc:  # counted, not raised: the run goes on
            errors.append(f"{type(exc).__name__}: {exc}"[:200])

    await asyncio.gather(*(one(i, t) for i, t in enumerate(trainees)))
    return _summary(times, errors, time.perf_counter() - start, time.process_time() - cpu)


def _sent_at(message: dict[str, Any]) -> float:
    """When the kernel (or we) stamped a message, in seconds since the epoch (same machine, same clock)."""
    return datetime.fromisoformat(message["header"]["date"]).timestamp()


async def feedback_times(trainees: list[Trainee]) -> dict[str, Any]:
    """提交 click → feedback update, one trainee after the other (the kernel's own latency, no queueing).

    Also splits each round trip with the kernel's own timestamps (header
    ``date``): ``to_kernel`` = click sent → the kernel's ``busy`` for it (the
    way in through the server and the kernel's shell channel), ``in_kernel``
    = busy → the feedback update stamped (our handler), ``back`` = stamped →
    arrived here (the way out).
    """
    times: list[float] = []
    phases: dict[str, list[float]] = {"to_kernel": [], "in_kernel": [], "back": []}
    errors: list[str] = []
    cpu, wall = time.process_time(), time.perf_counter()
    for t in trainees:
        try:
            states = await t.states()
            submit, entry, feedback = quiz_parts(states)
            if entry is not None:
                await answer_first_option(t, states, entry)
            t.trace = []
            start, sent = time.perf_counter(), time.time()
            reply = await t.click(submit, match=lambda m, f=feedback: m["header"]["msg_type"] == "comm_msg"
                                  and m["content"].get("comm_id") == f
                                  and "value" in m["content"]["data"].get("state", {}))
            arrived = time.time()
            times.append(time.perf_counter() - start)
            click_id = reply["parent_header"]["msg_id"]
            busy = next(m for _, m in t.trace if m["parent_header"].get("msg_id") == click_id
                        and m["header"]["msg_type"] == "status" and m["content"]["execution_state"] == "busy")
            phases["to_kernel"].append(_sent_at(busy) - sent)
            phases["in_kernel"].append(_sent_at(reply) - _sent_at(busy))
            phases["back"].append(arrived - _sent_at(reply))
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}"[:200])
        finally:
            t.trace = None
    return {**_summary(times, errors, time.perf_counter() - wall, time.process_time() - cpu), "phases": phases}


async def main(args: argparse.Namespace) -> None:
    AsyncHTTPClient.configure(None, max_clients=args.n + 10)
    client = AsyncHTTPClient()
    tokens = json.loads(open(args.tokens).read()) if args.tokens else [None] * args.n
    trainees = [Trainee(i, args.url, tokens[i]) for i in range(args.n)]

    def report(event: str, data: dict[str, Any]) -> None:
        print(json.dumps({"event": event, **data}), flush=True)

    async def home(t: Trainee) -> float:
        return (await t.open_page(client, args.path))["ready_s"]

    result = await burst(trainees, args.window, home)
    report("home", {**result, "kernel_ids": [t.kernel_id for t in trainees if t.kernel_id]})
    sys.stdin.readline()
    ready = [t for t in trainees if t.ws is not None]
    try:
        if args.module_title:
            buttons: dict[int, str] = {}
            unprepared: list[str] = []

            async def prepare(t: Trainee) -> None:
                try:
                    buttons[t.index] = enter_button(await t.states(), args.module_title)
                except Exception as exc:  # this trainee's click then counts as an error
                    unprepared.append(f"finding 进入: {type(exc).__name__}: {exc}"[:200])

            await asyncio.gather(*(prepare(t) for t in ready))
            report("prepared", {"errors": len(unprepared)})
            sys.stdin.readline()

            async def enter(t: Trainee) -> float:
                start = time.perf_counter()
                await t.click(buttons[t.index])
                return time.perf_counter() - start

            moved = await burst(ready, args.window, enter)
            moved["error_samples"] = (unprepared + moved["error_samples"])[:5]
            report("module", moved)
            sys.stdin.readline()
        if args.feedback:
            report("feedback", await feedback_times(ready[:args.feedback]))
    finally:
        await asyncio.gather(*(t.close() for t in trainees), return_exceptions=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--path", default="")
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--window", type=float, required=True)
    parser.add_argument("--tokens", help="JSON list of session tokens, one per trainee")
    parser.add_argument("--module-title", help="open this module in place after the home burst")
    parser.add_argument("--feedback", type=int, default=0, help="time this many quiz submissions")
    asyncio.run(main(parser.parse_args()))
