"""The membership-development timeline checker: dates in, each rule ✓/⚠/✗ out."""
from __future__ import annotations

import datetime as dt
from html import escape

import ipywidgets as w

from helpers.engine.findings import Finding
from helpers.engine.timeline import STEPS, TimelineInputError, check_development_timeline
from helpers.ui.callbacks import on_click
from helpers.ui.html import notice

_COLORS = {"✓": "#1b5e20", "⚠": "#7a4f01", "✗": "#8b1a1a"}


def findings_html(findings: list[Finding]) -> str:
    rows = "".join(
        f"<tr><td style='color:{_COLORS[f.symbol]};font-size:120%;padding:4px 8px;vertical-align:top'>{f.symbol}</td>"
        f"<td style='padding:4px 8px;overflow-wrap:anywhere'>{escape(f.message)}"
        f"<br><span style='font-size:90%;color:#555'>{escape(f.source)}</span></td></tr>"
        for f in findings
    )
    failed = sum(1 for f in findings if not f.ok)
    warned = sum(1 for f in findings if f.ok and f.warning)
    summary = notice(
        f"共核对 {len(findings)} 项：{failed} 项不符合，{warned} 项需注意。" if findings else "填写的日期还不足以核对任何一条规定。",
        "error" if failed else "warn" if warned or not findings else "ok",
    )
    return f"{summary}<table class='course-findings' style='border-collapse:collapse;width:100%'>{rows}</table>"


class TimelineWidget:
    """Dates of one candidate; nothing is stored (it is a tool, not a test)."""

    def __init__(self) -> None:
        self.pickers = {
            step.key: w.DatePicker(description=step.name, style={"description_width": "15em"},
                                   layout=w.Layout(width="26em", max_width="100%"))
            for step in STEPS
        }
        self.check = w.Button(description="核对", button_style="danger", layout=w.Layout(width="8em", height="40px"))
        self.clear = w.Button(description="清空", layout=w.Layout(width="6em", height="40px"))
        self.result = w.HTML()
        on_click(self.check, self.run, self.result)
        on_click(self.clear, self.reset, self.result)
        self.widget = w.VBox([*self.pickers.values(), w.HBox([self.check, self.clear]), self.result],
                             layout=w.Layout(width="100%", max_width="760px"))

    def record(self) -> dict[str, dt.date]:
        return {key: picker.value for key, picker in self.pickers.items() if picker.value is not None}

    def run(self) -> list[Finding] | None:
        record = self.record()
        if len(record) < 2:
            self.result.value = notice("请至少填写两个日期再核对。", "warn")
            return None
        try:
            findings = check_development_timeline(record)
        except (TimelineInputError, ValueError) as exc:
            self.result.value = notice(str(exc), "warn")
            return None
        self.result.value = findings_html(findings)
        return findings

    def reset(self) -> None:
        for picker in self.pickers.values():
            picker.value = None
        self.result.value = ""
