"""What every view of the instructor dashboard shares: the chosen class, the
bank, tables shown as HTML, and the Excel/CSV links under each view.

A view computes :class:`~helpers.engine.exports.Table` objects once and both
shows and exports those same tables, so what the instructor downloads is what
she saw on the screen.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any, ClassVar

import ipywidgets as w

from helpers.content.loader import Bank, ModuleContent
from helpers.engine.exports import Table, cell_text, to_csv, to_xlsx
from helpers.store import StoreError
from helpers.ui.callbacks import UNEXPECTED, log
from helpers.ui.html import download_link, notice, paragraph

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv;charset=utf-8"
WIDE = w.Layout(width="100%", max_width="1100px")
NO_CLASS = "还没有选中班级。请先在“班级管理”中创建班级，再在页面顶部选择。"
EMPTY = "—"

_CELL = "border:1px solid #ddd;padding:4px 6px;vertical-align:top"
_HEAD = _CELL + ";background:#fff3e0;font-weight:600;text-align:left;white-space:nowrap"
_GROUP = _CELL + ";background:#fff3e0;font-weight:600;text-align:center;min-width:7em"
_SHORT = _CELL + ";white-space:nowrap"
_LONG = _CELL + ";min-width:14em;overflow-wrap:anywhere"
SHORT_CELL = 14  # characters; longer text (a question stem) wraps
GROUP_MARK = "·"  # "模块·完成率(%)": one group heading over its sub-columns


@dataclass
class Context:
    """The dashboard's shared state, handed to every view."""

    store: Any
    bank: Bank
    bank_dir: Path
    class_code: str | None = None
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc)
    classes_changed: Callable[[str | None], None] = lambda code: None
    _questions: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def modules(self) -> list[ModuleContent]:
        """The modules shown on the course home, in its order."""
        return [module for module in self.bank.modules.values() if module.meta is not None]

    def question(self, question_id: str) -> Any | None:
        """A bank question by id, or ``None`` if it was removed since it was answered."""
        if not self._questions:
            self._questions.update((q.id, q) for q in self.bank.questions)
        return self._questions.get(question_id)

    def module_title(self, module_id: str) -> str:
        module = self.bank.modules.get(module_id)
        return module.title if module else module_id

    def today(self) -> dt.date:
        return self.now().astimezone().date()


@dataclass(frozen=True)
class Shown:
    """A view's content: the HTML above its tables, and the tables themselves."""

    intro: str
    tables: tuple[Table, ...] = ()


def module_choices(ctx: Context, everything: str | None) -> list[tuple[str, str]]:
    """Options for a module dropdown; ``everything`` labels a first entry whose
    value is "" (all modules, or none)."""
    choices = [(everything, "")] if everything else []
    return choices + [(f"{n}. {m.title}", m.id) for n, m in enumerate(ctx.modules, start=1)]


def number(value: float | None, digits: int = 1) -> float | None:
    """Rounded for display and export; ``None`` stays empty."""
    return None if value is None else round(float(value), digits)


def _header_rows(headers: Sequence[str]) -> str:
    """One header row, or two when headers are grouped as "group·column": the
    group spans its columns, so a wide table shows each module title once."""
    split = [h.rsplit(GROUP_MARK, 1) for h in headers]
    if all(len(parts) == 1 for parts in split):
        return "<tr>" + "".join(f"<th style='{_HEAD}'>{escape(h)}</th>" for h in headers) + "</tr>"
    top, bottom = [], []
    index = 0
    while index < len(split):
        parts = split[index]
        if len(parts) == 1:
            top.append(f"<th rowspan='2' style='{_HEAD}'>{escape(parts[0])}</th>")
            index += 1
            continue
        span = 1
        while index + span < len(split) and split[index + span][0] == parts[0] and len(split[index + span]) == 2:
            span += 1
        top.append(f"<th colspan='{span}' style='{_GROUP}'>{escape(parts[0])}</th>")
        bottom += [f"<th style='{_HEAD}'>{escape(split[i][1])}</th>" for i in range(index, index + span)]
        index += span
    return f"<tr>{''.join(top)}</tr><tr>{''.join(bottom)}</tr>"


def _cell_html(value: Any) -> str:
    text = cell_text(value) or EMPTY
    return f"<td style='{_SHORT if len(text) <= SHORT_CELL else _LONG}'>{escape(text)}</td>"


def table_html(table: Table) -> str:
    """A plain, scrollable HTML table under its title; empty cells show a dash."""
    body = "".join("<tr>" + "".join(_cell_html(v) for v in row) + "</tr>" for row in table.rows)
    return (
        paragraph(table.title, bold=True) + "<div style='overflow-x:auto;margin:2px 0 10px'>"
        "<table class='course-instructor-table' style='border-collapse:collapse;font-size:92%'>"
        f"{_header_rows(table.headers)}{body}</table></div>"
    )


def export_links(ctx: Context, name: str, tables: Sequence[Table]) -> str:
    """Excel (every table a sheet) and CSV (one file per table) download links."""
    if not tables:
        return ""
    prefix = "_".join(part for part in (ctx.class_code, name, ctx.today().isoformat()) if part)
    links = [download_link(f"{prefix}.xlsx", to_xlsx(tables), XLSX_MIME, "下载 Excel")]
    for table in tables:
        label = "下载 CSV" if len(tables) == 1 else f"下载 CSV（{table.title}）"
        filename = f"{prefix}.csv" if len(tables) == 1 else f"{prefix}_{table.title}.csv"
        links.append(download_link(filename, to_csv(table), CSV_MIME, label))
    return f"<p style='margin:8px 0'>导出：{''.join(links)}</p>"


def observe(widget: w.Widget, action: Callable[[], Any], message: w.HTML, names: str = "value") -> None:
    """Like :func:`helpers.ui.callbacks.on_click`, for a changed value: never a traceback."""

    def handler(_: dict[str, Any]) -> None:
        try:
            action()
        except Exception:
            log.exception("widget observer failed")
            message.value = notice(UNEXPECTED, "error")

    widget.observe(handler, names=names)


class View:
    """One tab of the dashboard: its own controls, then content and exports.

    Subclasses set ``title`` and implement :meth:`build`; :meth:`refresh` shows
    what it returns.  A store error is shown as the store words it.
    """

    title: ClassVar[str] = ""
    needs_class: ClassVar[bool] = True

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.message = w.HTML()
        self.content = w.HTML()
        self.downloads = w.HTML()
        self.widget = w.VBox([*self.controls(), self.message, self.content, self.downloads], layout=WIDE)

    def controls(self) -> list[w.Widget]:
        return []

    def build(self) -> Shown:
        raise NotImplementedError

    def tables(self) -> tuple[Table, ...]:
        """This view's tables for the whole-dashboard workbook (none without a class)."""
        return self.build().tables if self.ctx.class_code or not self.needs_class else ()

    def refresh(self) -> None:
        self.message.value = ""
        if self.needs_class and not self.ctx.class_code:
            self.content.value, self.downloads.value = notice(NO_CLASS, "warn"), ""
            return
        try:
            shown = self.build()
        except StoreError as exc:
            self.content.value, self.downloads.value = notice(str(exc), "error"), ""
            return
        self.content.value = shown.intro + "".join(table_html(t) for t in shown.tables)
        self.downloads.value = export_links(self.ctx, self.title, shown.tables)
