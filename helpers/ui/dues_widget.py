"""The party-dues calculator: an income and a category in, the monthly amount
with its band, its article and the rules on when to pay out."""
from __future__ import annotations

import ipywidgets as w

from helpers.engine.dues import CATEGORIES, DUES_NOTES, DuesInputError, DuesRangeOnlyError, DuesResult, assess_dues, find_category
from helpers.ui.callbacks import on_click
from helpers.ui.html import notice, paragraph


def notes_html() -> str:
    items = "".join(
        f"<li style='margin:4px 0'>{paragraph(text)}{paragraph(f'依据：{source}', small=True)}</li>"
        for text, source in DUES_NOTES
    )
    return paragraph("交纳时请注意", bold=True) + f"<ul style='padding-left:1.4em;margin:4px 0'>{items}</ul>"


def result_html(result: DuesResult) -> str:
    return (
        notice(f"每月应交纳党费 {result.amount} 元", "ok")
        + paragraph(result.reason)
        + paragraph(f"依据：{result.source}", small=True)
        + notes_html()
    )


class DuesWidget:
    """One calculation at a time; nothing is stored."""

    def __init__(self) -> None:
        self.category = w.Dropdown(
            options=[(kind.description, kind.name) for kind in CATEGORIES], value="在职",
            description="党员类别", layout=w.Layout(width="26em", max_width="100%"),
        )
        self.prompt = w.HTML()
        self.income = w.Text(placeholder="例如 4,200", layout=w.Layout(width="14em"))
        self.compute = w.Button(description="计算", button_style="danger", layout=w.Layout(width="8em", height="40px"))
        self.result = w.HTML()
        self.category.observe(lambda _: self._show_category(), names="value")
        on_click(self.compute, self.run, self.result)
        self._show_category()
        self.widget = w.VBox(
            [self.category, self.prompt, self.income, self.compute, self.result],
            layout=w.Layout(width="100%", max_width="760px"),
        )

    def _show_category(self) -> None:
        """Ask for the income only where the category's dues depend on it."""
        kind = find_category(self.category.value)
        self.income.disabled = not kind.needs_income
        text = f"{kind.basis}（元）：" if kind.needs_income else "这一类党员的党费不按收入计算，不需要填写收入。"
        self.prompt.value = paragraph(text)
        self.result.value = ""

    def run(self) -> DuesResult | None:
        kind = find_category(self.category.value)
        try:
            result = assess_dues(self.income.value if kind.needs_income else None, kind.name)
        except DuesRangeOnlyError as exc:
            self.result.value = notice(str(exc), "info") + notes_html()
            return None
        except DuesInputError as exc:
            self.result.value = notice(str(exc), "warn")
            return None
        self.result.value = result_html(result)
        return result
