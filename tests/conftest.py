"""Fixtures shared across test folders.

One Playwright session serves every browser test: Playwright's sync API
refuses to start a second session in a process that already runs one.
"""
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# Chromium as root needs --no-sandbox; the rest stops it from calling Google
# services, which would show up as outside requests (or hang with no network).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; each launch gets a fresh profile."""
    if not CHROMIUM.exists():
        pytest.skip(f"!!! 未运行浏览器测试：找不到 {CHROMIUM}（请 apt-get install chromium fonts-noto-cjk）")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
