"""No page may rely on window.confirm, window.prompt or alert: WeChat's in-app browser blocks them."""
from __future__ import annotations

import re

from helpers.apps.serve import REPO, SHARE_DIR

TEMPLATE_DIR = SHARE_DIR / "voila" / "templates" / "course"
BLOCKING_DIALOGS = re.compile(r"\b(?:window\.)?(?:confirm|prompt|alert)\s*\(")


def test_the_pattern_finds_every_spelling():
    for call in ('window.confirm("删除？")', "prompt('口令')", "alert (1)", "window.alert(x)"):
        assert BLOCKING_DIALOGS.search(call), call
    assert not BLOCKING_DIALOGS.search("confirmed(") and not BLOCKING_DIALOGS.search("prompts = []")


def test_no_page_uses_blocking_dialogs():
    sources = [p for p in (REPO / "helpers").rglob("*") if p.suffix in {".py", ".js", ".html", ".j2", ".css"}]
    assert TEMPLATE_DIR in {p.parent for p in sources}
    found = [f"{p.relative_to(REPO)}:{n}: {line.strip()}"
             for p in sources
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
             if BLOCKING_DIALOGS.search(line)]
    assert not found, "页面不能用 confirm/prompt/alert 弹窗（微信内置浏览器会拦截）：\n" + "\n".join(found)
