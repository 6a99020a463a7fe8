"""Plain-text helpers every printout shares (no Word or HTML in here).

The Word reports and the print page must word numbers and dates the same way
as each other and as the course pages, so they all take them from here.
"""
from __future__ import annotations

import re
from datetime import date, datetime

# Characters XML 1.0 cannot hold: a pasted control character would make lxml refuse the whole document.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: object) -> str:
    """Text safe for a document: anything XML cannot hold dropped, ends stripped."""
    return _NOT_XML.sub("", str(text)).strip()


def score_text(value: float) -> str:
    """A score as the course shows it everywhere: ``87.5``, ``90`` (never ``90.0``)."""
    return f"{value:g}"


def bar_color(value: float) -> str:
    """The same four colours as the on-screen bar chart, so the printout matches the page."""
    return "2E7D32" if value >= 90 else "1565C0" if value >= 75 else "EF6C00" if value >= 60 else "C62828"


def local_date(when: date | datetime | None) -> date:
    """The day to print: aware datetimes (the store's, in UTC) in the server's local time."""
    if when is None:
        return date.today()
    if isinstance(when, datetime):
        return (when.astimezone() if when.tzinfo else when).date()
    return when


def chinese_date(day: date) -> str:
    """``2026年11月2日``: how a Chinese form is dated."""
    return f"{day.year}年{day.month}月{day.day}日"
