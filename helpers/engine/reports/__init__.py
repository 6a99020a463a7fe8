"""Printable documents built from course records: pure functions, records in, bytes out.

The page decides where the bytes go (a download link, a file).  Each
function's docstring lists its arguments:

- :func:`audit_report_docx`: a self-audit result as a Word document;
- :func:`certificate_docx`: the completion certificate (结业证明);
- :func:`class_report_docx`: an instructor's report on a whole class.

The print-friendly HTML page of an audit result is
:func:`helpers.engine.print_page.audit_print_html`; the completion rule is
:func:`helpers.engine.certificate.completion_status`.  Every error raised is a
``ValueError`` with a Chinese message a page can show as it is.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

from .errors import NotCompleted, ReportInputError

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Imported on first use: python-docx (and lxml) cost every trainee's kernel
# memory, while the store and the print page need only the plain-text parts
# of this package (names, dates, errors).
_LAZY = {
    "COURSE_TITLE": ".certificate_doc",
    "audit_report_docx": ".audit_report",
    "certificate_docx": ".certificate_doc",
    "class_report_docx": ".class_report",
}

__all__ = [
    "COURSE_TITLE",
    "DOCX_MIME",
    "NotCompleted",
    "ReportInputError",
    "audit_report_docx",
    "certificate_docx",
    "class_report_docx",
]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value
