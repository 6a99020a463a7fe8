"""200 clicks on 提交 as fast as the page can send them: one stored answer, a page that still answers."""
from __future__ import annotations

import pytest

from trainee_steps import answer, choose_option, fazhan, sign_in_and_open, stored_answers, wrong_letter

pytestmark = pytest.mark.e2e

NUMBER = "flood-001"
FLOOD = 200

# All clicks in one task: the kernel's "disabled" cannot reach the button in
# between, so every one of them is sent to the kernel.
CLICK_SUBMIT = """count => {
  const submit = [...document.querySelectorAll("button")].find(b => b.textContent.trim() === "提交");
  for (let i = 0; i < count; i++) submit.click();
}"""


def _is_click(payload: str | bytes) -> bool:
    """A button's click message (JSON text or the binary kernel protocol's JSON parts)."""
    text = payload if isinstance(payload, str) else payload.decode("utf-8", "replace")
    return '"event":"click"' in text.replace(" ", "")


def test_a_flood_of_submit_clicks_stores_one_answer(course_server, page, local_only):
    module = fazhan()
    q1, q2 = module.questions[:2]
    clicks: list[int] = []
    page.on("websocket", lambda ws: ws.on(
        "framesent", lambda payload: clicks.append(1) if _is_click(payload) else None))
    sign_in_and_open(page, course_server.url, module, "孙三", NUMBER)
    choose_option(page, q1, q1.answer)
    before = len(clicks)
    page.evaluate(CLICK_SUBMIT, FLOOD)
    page.get_by_text("回答正确。").wait_for()
    assert len(clicks) - before >= FLOOD, "the flood did not reach the kernel"

    # Clicks are handled in order, so once q2's feedback is shown the flood is over.
    page.get_by_role("button", name="下一题").click()
    answer(page, q2, wrong_letter(q2))
    assert stored_answers(course_server.data_dir, NUMBER) == [(q1.id, 1), (q2.id, 0)]
    assert page.get_by_text("出了点问题").count() == 0
    page.get_by_text(f"已答 2 / {len(module.questions)}").wait_for()
    local_only()
