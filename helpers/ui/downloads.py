"""Documents made when a button is pressed and saved from a plain link.

Why a button and then a link: a report depends on what is on the page at that
moment (the branch name just typed, the class just chosen), so the kernel
builds it on the click; the browser then saves it from an ordinary
``<a download>`` with a ``data:`` URL (:func:`helpers.ui.html.download_link`).
No popup, no script, no file server: it works offline, on phones, and where
``window.open`` is blocked.  The trainee taps the link herself, which is also
what phone browsers require before they save a file.

Anything a build raises as ``ValueError`` (a name too long, a course not yet
completed, a store that is down) is one of our Chinese messages and is shown
in place of the link.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import ipywidgets as w

from helpers.ui.callbacks import on_click
from helpers.ui.html import download_link, notice, paragraph

HTML_MIME = "text/html;charset=utf-8"
_NOT_IN_FILENAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
WECHAT_HINT = "在微信里打开本页的，可能无法保存文件：请点右上角“…”，选“在浏览器打开”后再保存。"


@dataclass(frozen=True)
class Document:
    """A finished file to offer: its name, bytes and type, and a line on how to use it."""

    filename: str
    data: bytes
    mime: str
    note: str = ""


def filename(parts: Iterable[str], suffix: str) -> str:
    """``a_b_c.docx`` from the non-blank parts, without characters Windows or a phone refuses in a name."""
    cleaned = (" ".join(_NOT_IN_FILENAMES.sub(" ", part).split()) for part in parts)
    return "_".join(part for part in cleaned if part) + suffix


def offer(target: w.HTML, build: Callable[[], Document]) -> None:
    """Build the document and put its link (or why there is none) into ``target``."""
    try:
        document = build()
    except ValueError as exc:
        target.value = notice(str(exc), "warn")
        return
    link = download_link(document.filename, document.data, document.mime, f"点击保存：{document.filename}")
    note = paragraph(document.note, small=True) if document.note else ""
    hint = paragraph(WECHAT_HINT, small=True)
    target.value = f'<div class="course-download" style="margin:6px 0">{link}{note}{hint}</div>'


def download_button(description: str, build: Callable[[], Document], target: w.HTML, *,
                    primary: bool = False) -> w.Button:
    """A button whose click offers ``build()``'s document in ``target``."""
    button = w.Button(description=description, button_style="danger" if primary else "",
                      layout=w.Layout(width="auto", height="40px", margin="4px 12px 4px 0"))
    on_click(button, lambda: offer(target, build), target)
    return button
