"""Small HTML fragments for ipywidgets.HTML, always escaping what they are given.

Names and answers typed by trainees are shown back to them; escaping happens
here, in one place, so no page can forget it.
"""
from __future__ import annotations

import base64
from html import escape

_TONES = {
    "info": ("#1f4e79", "#eef5fc"),
    "ok": ("#1b5e20", "#edf7ee"),
    "warn": ("#7a4f01", "#fff6e0"),
    "error": ("#8b1a1a", "#fdeeee"),
}


def notice(text: str, tone: str = "info") -> str:
    """A coloured message box; ``text`` is plain text (escaped)."""
    color, background = _TONES[tone]
    return (
        f'<div class="course-notice course-notice-{tone}" style="color:{color};background:{background};'
        f'border-left:4px solid {color};padding:8px 12px;margin:6px 0;border-radius:4px;text-align:left;'
        f'overflow-wrap:anywhere">{escape(text)}</div>'
    )


def paragraph(text: str, *, bold: bool = False, small: bool = False) -> str:
    style = "margin:4px 0;overflow-wrap:anywhere;" + ("font-weight:600;" if bold else "") + (
        "font-size:90%;color:#555;" if small else ""
    )
    return f'<p style="{style}">{escape(text)}</p>'


def link(text: str, href: str) -> str:
    return f'<a href="{escape(href, quote=True)}" style="color:#b3261e;font-weight:600">{escape(text)}</a>'


def download_link(filename: str, data: bytes, mime: str, label: str | None = None) -> str:
    """A link that saves ``data`` as ``filename``.  The bytes travel inside a
    data: URL, so it works offline and needs no file server or kernel handler;
    fine for the small files of a course (Chromium caps a URL at 2 MB)."""
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f'<a download="{escape(filename, quote=True)}" href="data:{escape(mime, quote=True)};base64,{encoded}" '
        f'style="color:#b3261e;font-weight:600;margin-right:1.5em">{escape(label or "下载" + filename)}</a>'
    )


def problems_html(message: str) -> str:
    """An error with one problem per line: the first line as the notice, the rest as a list."""
    first, *rest = message.split("\n")
    items = "".join(f"<li style='margin:2px 0;overflow-wrap:anywhere'>{escape(line)}</li>" for line in rest)
    return notice(first, "warn") + (f"<ul style='margin:4px 0 8px;padding-left:1.4em'>{items}</ul>" if items else "")


def bar_chart(values: dict[str, float], *, maximum: float = 100.0, unit: str = "分") -> str:
    """Horizontal CSS bars: light, offline, and the browser's own Chinese fonts."""
    rows = []
    for label, value in values.items():
        width = max(0.0, min(100.0, 100 * value / maximum))
        color = "#2e7d32" if value >= 90 else "#1565c0" if value >= 75 else "#ef6c00" if value >= 60 else "#c62828"
        rows.append(
            '<div class="course-bar" style="display:flex;align-items:center;gap:8px;margin:4px 0">'
            f'<span style="flex:0 0 9em;overflow-wrap:anywhere">{escape(label)}</span>'
            '<span style="flex:1;background:#eee;border-radius:3px;height:14px;min-width:60px">'
            f'<span style="display:block;width:{width:.1f}%;height:100%;background:{color};border-radius:3px"></span>'
            f'</span><span style="flex:0 0 4.5em;text-align:right">{value:g} {escape(unit)}</span></div>'
        )
    return "".join(rows)
