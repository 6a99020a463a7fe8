"""班级管理: create a class, import its roster from Excel or CSV, list classes.

The roster is read by :func:`helpers.content.roster.parse_roster`, which names
every bad row; nothing is imported unless the whole file is good, so the
instructor fixes the file and uploads it again without cleaning up half a class.
"""
from __future__ import annotations

from typing import Any

import ipywidgets as w

from helpers.engine.exports import Table, to_xlsx
from helpers.store import StoreError
from helpers.ui.callbacks import on_click
from helpers.ui.html import download_link, notice, paragraph, problems_html
from helpers.ui.instructor_common import XLSX_MIME, Shown, View
from helpers.ui.uploads import limited_upload

ROSTER_HEADERS = ("姓名", "学员编号", "单位", "职务")
_FIELD = w.Layout(width="22em", max_width="100%")
_BUTTON = w.Layout(width="9em", height="40px")


def roster_template() -> bytes:
    """An empty roster workbook with the columns the importer expects (no example
    row: one left in by mistake would put a stranger on the roster)."""
    return to_xlsx([Table.of("花名册", ROSTER_HEADERS, [])])


class ClassesView(View):
    title = "班级管理"
    needs_class = False

    def controls(self) -> list[w.Widget]:
        self.name = w.Text(description="班级名称", placeholder="例如：2026年第一期书记培训班", layout=_FIELD)
        self.code = w.Text(description="班级代码", placeholder="字母、数字、- 或 _，如 2026-01", layout=_FIELD)
        self.starts_on = w.DatePicker(description="开始日期", layout=_FIELD)
        self.ends_on = w.DatePicker(description="结束日期", layout=_FIELD)
        self.create = w.Button(description="创建班级", button_style="danger", layout=_BUTTON)
        self.create_message = w.HTML()
        self.upload = limited_upload("选择花名册", ".xlsx,.csv")
        self.import_roster = w.Button(description="导入花名册", button_style="danger", layout=_BUTTON)
        self.import_target = w.HTML()
        self.import_message = w.HTML()
        on_click(self.create, self.create_class, self.create_message)
        on_click(self.import_roster, self.import_file, self.import_message)
        template = download_link("花名册模板.xlsx", roster_template(), XLSX_MIME, "下载花名册模板（Excel）")
        return [
            w.HTML("<h3 style='margin:6px 0'>新建班级</h3>"),
            self.name, self.code, w.HBox([self.starts_on, self.ends_on]), self.create, self.create_message,
            w.HTML("<h3 style='margin:12px 0 6px'>导入花名册</h3>" + paragraph(
                "表格第一行为表头：姓名、学员编号（必填），单位、职务（可不填），每位学员一行；支持 .xlsx 和 .csv。"
                "导入后，学员须用班级代码、花名册上的学员编号和姓名登录。同一编号再次导入会更新单位和职务。"
            ) + f"<p style='margin:4px 0'>{template}</p>"),
            self.import_target, w.HBox([self.upload, self.import_roster]), self.import_message,
            w.HTML("<h3 style='margin:12px 0 6px'>全部班级</h3>"),
        ]

    def create_class(self) -> Any | None:
        name, code = self.name.value.strip(), self.code.value.strip()
        if not name:
            self.create_message.value = notice("请填写班级名称。", "warn")
            return None
        if not code:
            self.create_message.value = notice("请填写班级代码（学员登录时填写，只能用字母、数字、- 和 _）。", "warn")
            return None
        starts, ends = self.starts_on.value, self.ends_on.value
        if starts and ends and ends < starts:
            self.create_message.value = notice("结束日期不能早于开始日期。", "warn")
            return None
        try:
            created = self.ctx.store.create_class(code, name, starts, ends)
        except StoreError as exc:
            self.create_message.value = notice(str(exc), "warn")
            return None
        self.create_message.value = notice(
            f"已创建班级“{created.name}”，班级代码 {created.code}。学员登录时填写这个班级代码。", "ok"
        )
        self.name.value = self.code.value = ""
        self.ctx.classes_changed(created.code)
        return created

    def import_file(self) -> int | None:
        from helpers.content.roster import RosterError, parse_roster

        code = self.ctx.class_code
        if not code:
            self.import_message.value = notice("请先创建班级，并在页面顶部选中它。", "warn")
            return None
        if not self.upload.value:
            self.import_message.value = notice("请先点“选择花名册”，选好 .xlsx 或 .csv 文件。", "warn")
            return None
        upload = self.upload.value[0]
        name = str(upload.get("name", ""))
        try:
            entries = parse_roster(bytes(upload["content"]), name)
            count = self.ctx.store.import_roster(code, entries)
        except (RosterError, StoreError) as exc:
            self.import_message.value = problems_html(f"“{name}”中的学员一个也没有导入，请改正以下问题后重新上传：\n{exc}")
            return None
        self.import_message.value = notice(f"已从“{name}”导入 {count} 名学员到班级 {code}。", "ok")
        self.upload.value = ()
        self.ctx.classes_changed(code)
        return count

    def build(self) -> Shown:
        code = self.ctx.class_code
        self.import_target.value = paragraph(
            f"导入到当前班级：{code}（在页面顶部切换班级）" if code else "请先创建班级。", bold=True
        )
        classes = self.ctx.store.list_classes()
        listing = Table.of(
            "班级列表",
            ("班级代码", "班级名称", "开始日期", "结束日期", "学员人数"),
            [(c.code, c.name, c.starts_on, c.ends_on, c.trainee_count) for c in classes],
        )
        tables = [listing]
        if code:
            tables.append(Table.of(
                f"花名册 {code}",
                ("学员编号", "姓名", "单位", "职务"),
                [(e.number, e.name, e.unit, e.position) for e in self.ctx.store.roster(code)],
            ))
        intro = "" if classes else notice("还没有班级。填写上面的表单创建第一个班级。")
        return Shown(intro, tuple(tables))
