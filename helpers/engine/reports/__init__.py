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

from .audit_report import audit_report_docx
from .certificate_doc import COURSE_TITLE, certificate_docx
from .class_report import class_report_docx
from .errors import NotCompleted, ReportInputError

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

__all__ = [
    "COURSE_TITLE",
    "DOCX_MIME",
    "NotCompleted",
    "ReportInputError",
    "audit_report_docx",
    "certificate_docx",
    "class_report_docx",
]
