"""Looking through a page's widget tree the way a trainee reads the page.

A plain module (not a test file) shared by the ui tests, which click buttons
and read texts of pages built from Python, without a browser.
"""
from __future__ import annotations

from collections.abc import Iterator

import ipywidgets as w


def walk(widget: w.Widget) -> Iterator[w.Widget]:
    """``widget`` and everything under it, depth first."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def texts(widget: w.Widget) -> str:
    """Every HTML/Label text and button caption under ``widget``, one per line."""
    return "\n".join(x.value if isinstance(x, (w.HTML, w.Label)) else x.description
                     for x in walk(widget) if isinstance(x, (w.HTML, w.Label, w.Button)))


def button(widget: w.Widget, caption: str) -> w.Button | None:
    """The first button captioned ``caption`` under ``widget``, or None."""
    return next((x for x in walk(widget) if isinstance(x, w.Button) and x.description == caption), None)
