"""Writing the bank (or one module) out as Excel, GIFT or Aiken.

Each format says which questions it cannot carry faithfully (GIFT has no
排序题, Aiken only 单选题…); those are left out and listed rather than written
in a form that would come back different.  The output file is replaced by
rename, so a failed export never leaves half a file behind.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers.content.interchange.formats import EXPORT_FORMATS, FORMATS
from helpers.content.interchange.into_bank import resolve_module, usable_modules
from helpers.content.interchange.model import InterchangeError
from helpers.content.loader import default_bank_dir, load_bank


@dataclass
class ExportReport:
    written: list[Any] = field(default_factory=list)
    skipped: list[tuple[Any, str]] = field(default_factory=list)
    bank_problems: int = 0


def select(fmt: str, questions: list[Any]) -> ExportReport:
    """Split questions into those the format can carry and those it cannot (with why)."""
    unsupported = FORMATS[fmt].unsupported
    report = ExportReport()
    for question in questions:
        reason = unsupported(question) if unsupported else None
        if reason:
            report.skipped.append((question, reason))
        else:
            report.written.append(question)
    return report


def _write_atomically(out: Path, data: bytes) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(name, out)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def export_file(fmt: str, out: Path, *, bank_dir: Path | None = None, module: str | None = None,
                plain: bool = False) -> ExportReport:
    """Write the valid questions of the bank (or of ``module``) to ``out``."""
    if fmt not in EXPORT_FORMATS:
        raise InterchangeError(f"不能导出为“{fmt}”；可用：{'、'.join(EXPORT_FORMATS)}")
    bank = load_bank(bank_dir or default_bank_dir())
    modules = usable_modules(bank)
    chosen = resolve_module(module, bank)
    questions = [q for m in modules.values() if chosen in (None, m.id) for q in m.questions]
    report = select(fmt, questions)
    report.bank_problems = len(bank.problems)
    if not report.written:
        raise InterchangeError("没有可以导出的题目" + (f"（{report.skipped[0][1]}）" if report.skipped else ""))
    _write_atomically(out, FORMATS[fmt].write(report.written, plain))
    return report
