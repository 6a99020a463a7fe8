"""The exam in a real browser against the real server: no key reaches the browser before hand-in.

How the test sees "the page's widget state": Voila 0.5's ``lab`` template embeds no
widget state in the HTML; the browser gets every widget model from the kernel over
the kernel websocket (``comm_open`` for each new widget, ``comm_msg`` for every
change, and the ``update_states`` reply of ipywidgets' control comm that carries
the state of *every* live widget, shown or not).  So the test records every frame
the page's websockets receive, decodes them the way jupyter_server encodes them
(JSON text frames, or the binary ``v1.kernel.websocket.jupyter.org`` frames), and
searches every string in them, plus the HTML of the page itself.  That is a
superset of the widget state in the browser, independent of how Voila's frontend
keeps its widget manager.  Two controls keep the search honest: before hand-in the
same strings must contain every question's stem (the decoder does see the paper),
and after hand-in with review allowed they must contain the explanations (it
would see a leak).
"""
from __future__ import annotations

import json
import re
import time
from html import escape
from typing import Any

import pytest
from jupyter_server.services.kernels.connection.base import (
    deserialize_binary_message,
    deserialize_msg_from_ws_v1,
)

from helpers.content.loader import load_bank
from helpers.engine.identity import validate_identity
from helpers.store import Store
from helpers.ui.exam_page import open_key, review_key

pytestmark = pytest.mark.e2e

EXAM_ID = "jieye"
QUESTIONS = 40


def decode_frame(payload: str | bytes) -> list[Any]:
    """The JSON parts (and any binary buffers, as text) of one kernel websocket frame."""
    if isinstance(payload, str):
        return [json.loads(payload)]
    if payload[:1] != b"\x00":  # v1 protocol: a little-endian count of offsets comes first
        channel, parts = deserialize_msg_from_ws_v1(payload)
        decoded: list[Any] = [channel]
        for n, part in enumerate(parts):
            text = bytes(part).decode("utf-8", errors="replace")
            decoded.append(json.loads(text) if n < 4 else text)
        return decoded
    message = deserialize_binary_message(payload)  # legacy protocol with buffers
    return [message, *(bytes(b).decode("utf-8", errors="replace") for b in message.pop("buffers"))]


def strings_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*strings_in(k), *strings_in(v))]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in strings_in(v)]
    return []


def shown_texts(question: Any) -> list[str]:
    """What the trainee may see of a question before handing in."""
    texts = [question.stem, *getattr(question, "options", ()), getattr(question, "unit", "")]
    if question.type == "match":
        texts += [*question.answer, *question.answer.values(), *question.distractors]
    return texts


def received_text(frames: list[str | bytes]) -> str:
    return "\n".join(s for frame in frames for part in decode_frame(frame) for s in strings_in(part))


def test_exam_paper_keeps_its_key_in_the_kernel_until_hand_in(course_server, page, local_only):
    store = Store.open(f"sqlite:///{course_server.data_dir / 'course.sqlite3'}")
    session = store.sign_in(validate_identity("考生甲", "e2e-exam-1", ""))
    store.set_setting(open_key(EXAM_ID), "1")
    store.set_setting(review_key(EXAM_ID), "1")
    bank = {q.id: q for q in load_bank().questions}

    frames: list[str | bytes] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(payload)))
    timings = {}
    started = time.monotonic()
    documents = [page.goto(f"{course_server.url}voila/render/exam.ipynb?s={session.token}").text()]
    assert page.title() == "考试 · “两新”组织党组织书记培训课程"
    page.get_by_role("button", name="开始考试").click()
    page.get_by_text("剩余时间").wait_for()
    timings["page to paper"] = time.monotonic() - started

    first_count = page.locator(".exam-countdown").inner_text()
    page.wait_for_function(
        "shown => document.querySelector('.exam-countdown').innerText !== shown", arg=first_count, timeout=5_000,
    )

    stem = page.locator(".widget-html", has_text="第 1 / 40 题")
    stem.wait_for()
    page.locator(".widget-radio-box label").first.click()  # question 1 is a single choice
    page.get_by_text("已答 1 / 40").wait_for()
    started = time.monotonic()
    for number in range(2, QUESTIONS + 1):
        page.get_by_role("button", name="下一题").click()
        page.get_by_text(f"第 {number} / {QUESTIONS} 题").wait_for()
    timings["visit 40 questions"] = time.monotonic() - started

    (attempt,) = store.exams_for(session.trainee.id, EXAM_ID)
    paper = attempt.paper
    assert len(paper) == QUESTIONS
    first_stem = bank[paper[0]].stem

    # A reload is a new kernel: the same paper comes back with her draft.
    started = time.monotonic()
    documents.append(page.reload().text())
    page.get_by_text("已答 1 / 40").wait_for()
    page.get_by_text(first_stem).first.wait_for()
    timings["reload to resumed paper"] = time.monotonic() - started
    assert [a.id for a in store.exams_for(session.trainee.id, EXAM_ID)] == [attempt.id]

    before = received_text(frames) + "\n".join(documents)
    missing = [qid for qid in paper if bank[qid].stem not in before]
    assert not missing, f"解码后的 websocket 消息里应当有每道题的题干，缺少：{missing}"
    # A citation may also be quoted in a stem (rs-004 asks about 党章第三十三条): that is shown, not a key.
    shown = "\n".join(text for qid in paper for text in shown_texts(bank[qid]))
    secrets = {s for qid in paper for text in (bank[qid].explanation, bank[qid].source) for s in (text, escape(text))}
    secrets = {s for s in secrets if s not in shown} | {"正确答案", "解析："}
    leaked = sorted(s for s in secrets if s in before)
    assert not leaked, f"交卷前浏览器收到了答案或解析：{leaked}"
    assert not re.search(r'"answer"\s*:', before), "no question model serialised into any widget"

    handed_in_from = len(frames)
    page.get_by_role("button", name="交卷").click()
    page.get_by_text("还有 39 题未作答").wait_for()
    page.get_by_role("button", name="确认交卷").click()
    result = page.get_by_text(re.compile(r"结业考试：成绩 [0-9.]+ 分"))
    result.wait_for()
    (attempt,) = store.exams_for(session.trainee.id, EXAM_ID)
    assert attempt.submitted_at is not None and f"成绩 {attempt.score:g} 分" in result.inner_text()
    page.get_by_text("解析：").first.wait_for()
    after = received_text(frames[handed_in_from:])
    assert escape(bank[paper[0]].explanation) in after, "after hand-in the same decoding sees the review"

    print("\n" + "；".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items()))
    local_only()
