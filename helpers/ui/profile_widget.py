"""Self-study on the course home: 本机学习档案 before sign-in, 学习记录 export/import after.

At home there is no class code and nobody to ask for one's trainee number, so
a profile on this computer is continued with one tap, and a new one needs only
a name.  Progress moves between computers as a file the trainee keeps herself
(:mod:`helpers.store.portable`); everything is offline.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import ipywidgets as w

from helpers.engine.identity import IdentityError, validate_identity
from helpers.store import StoreError
from helpers.store.location import serving_self_study
from helpers.store.portable import ImportSummary, export_file_name, read_progress_file
from helpers.ui.callbacks import on_click
from helpers.ui.html import download_link, notice, paragraph
from helpers.ui.uploads import limited_upload

_FIELD = w.Layout(width="20em", max_width="100%")
_BUTTON = w.Layout(width="auto", min_width="8em", height="40px", margin="4px 12px 4px 0")
_BOX = w.Layout(width="100%", max_width="760px")


def _uploaded(upload: w.FileUpload) -> bytes | None:
    """The chosen file's bytes; the page refused anything over the upload limit before reading it."""
    return bytes(upload.value[0]["content"]) if upload.value else None


def summary_text(summary: ImportSummary) -> str:
    """What an import added, in the words of the course (attempts are implied by answers)."""
    if not (summary.answers or summary.audits or summary.attempts):
        return "这个文件中的记录此前都已导入过，没有新增。"
    return f"导入了 {summary.answers} 条作答、{summary.audits} 次自查。"


class ProfilePicker:
    """本机学习档案: one button per self-study profile, a new profile, or one from a file.

    Shows nothing unless the course is served for self-study (names must not be
    listed on a classroom server) and the store is usable.
    """

    def __init__(self, store: Any, on_signed_in: Callable[[Any], None], *, self_study: bool | None = None):
        self._store, self._on_signed_in = store, on_signed_in
        self.widget = w.VBox(layout=_BOX)
        self.widget.add_class("course-profiles")
        self.message = w.HTML()
        self._listing = store is not None and (serving_self_study() if self_study is None else self_study)
        if not self._listing:
            return
        self.profiles = w.HBox(layout=w.Layout(flex_flow="row wrap"))
        self.name = w.Text(description="姓名", placeholder="新档案的姓名", layout=_FIELD)
        self.number = w.Text(description="学员编号", placeholder="可不填，自动生成", layout=_FIELD)
        self.create = w.Button(description="新建档案", layout=_BUTTON)
        self.upload = limited_upload("选择文件", ".json", layout=_BUTTON)
        self.import_button = w.Button(description="导入并继续", layout=_BUTTON)
        on_click(self.create, self.create_profile, self.message)
        on_click(self.import_button, self.import_and_continue, self.message)
        self.widget.children = [
            w.HTML("<h3 style='margin:8px 0 4px'>本机学习档案</h3>"
                   + paragraph("在这台电脑上自学，不需要班级代码，学习记录保存在本机。点自己的名字即可接着学。")),
            self.profiles,
            w.HTML(paragraph("第一次来：新建档案（学员编号可以不填）", bold=True)),
            self.name, self.number, self.create,
            w.HTML(paragraph("换了电脑：选择从另一台电脑导出的学习记录文件（.json），导入后继续", bold=True)),
            w.HBox([self.upload, self.import_button], layout=w.Layout(flex_flow="row wrap")),
            self.message,
            w.HTML("<hr>" + paragraph("参加培训班的学员，请在下面填写班级代码登录。", small=True)),
        ]
        self.refresh()

    def refresh(self) -> None:
        """One 继续 button per profile; a name shared by two profiles shows its number too.

        Called again when a preheated page is requested: its kernel listed the
        profiles when it started, maybe before the newest one was made.
        """
        if not self._listing:
            return
        try:
            found = self._store.self_study_profiles()
        except StoreError as exc:
            self.message.value = notice(str(exc), "error")
            return
        names = [t.name for t in found]
        buttons = []
        for trainee in found:
            label = trainee.name if names.count(trainee.name) == 1 else f"{trainee.name}（{trainee.number}）"
            button = w.Button(description=f"继续：{label}", button_style="danger", layout=_BUTTON,
                              tooltip=f"学员编号 {trainee.number}")
            on_click(button, lambda t=trainee: self.continue_as(t.name, t.number), self.message)
            buttons.append(button)
        self.profiles.children = buttons

    def hide(self) -> None:
        """Once someone is signed in: keep only the message (an import's summary)."""
        self.widget.children = [self.message]

    def continue_as(self, name: str, number: str) -> Any | None:
        return self._sign_in(lambda: validate_identity(name, number, ""))

    def create_profile(self) -> Any | None:
        number = self.number.value.strip() or self._store.unused_self_study_number()
        return self._sign_in(lambda: validate_identity(self.name.value, number, ""))

    def import_and_continue(self) -> Any | None:
        """Sign in as the file's owner (making the profile if new), then merge the file.

        The whole file is checked first, so a bad file creates no profile.
        """
        data = _uploaded(self.upload)
        if data is None:
            self.message.value = notice("请先点“选择文件”，选好学习记录文件（.json）。", "warn")
            return None
        try:
            progress = read_progress_file(data)
        except StoreError as exc:
            self.message.value = notice(str(exc), "error")
            return None
        return self._sign_in(lambda: validate_identity(progress.name, progress.number, ""),
                             lambda session: self._store.import_progress(session.trainee.id, progress))

    def _sign_in(self, identify: Callable[[], Any],
                 then: Callable[[Any], ImportSummary] | None = None) -> Any | None:
        try:
            session = self._store.sign_in(identify())
            summary = then(session) if then is not None else None
        except IdentityError as exc:
            self.message.value = notice(str(exc), "warn")
            return None
        except StoreError as exc:
            self.message.value = notice(str(exc), "error")
            return None
        self.message.value = notice(summary_text(summary), "ok") if summary is not None else ""
        self._on_signed_in(session)
        return session


class ProgressTransfer:
    """学习记录: export for anyone signed in; import only into a self-study profile."""

    def __init__(self, store: Any, trainee: Any, on_imported: Callable[[], None], *, today: date | None = None):
        self._store, self._trainee, self._on_imported = store, trainee, on_imported
        self._today = today
        self.message = w.HTML()
        self.download = w.HTML()
        self.export = w.Button(description="导出我的学习记录", layout=_BUTTON)
        on_click(self.export, self.export_file, self.message)
        parts: list[w.Widget] = [
            w.HTML("<hr><h3 style='margin:8px 0 4px'>我的学习记录</h3>"
                   + paragraph("导出的文件可以带到另一台电脑，在课程首页导入后接着学。", small=True)),
            self.export, self.download,
        ]
        if not trainee.class_code:
            self.upload = limited_upload("选择文件", ".json", layout=_BUTTON)
            self.import_button = w.Button(description="导入学习记录", layout=_BUTTON)
            on_click(self.import_button, self.import_file, self.message)
            parts.append(w.HBox([self.upload, self.import_button], layout=w.Layout(flex_flow="row wrap")))
        self.widget = w.VBox([*parts, self.message], layout=_BOX)
        self.widget.add_class("course-progress-transfer")

    def export_file(self) -> bytes | None:
        try:
            data = self._store.export_progress(self._trainee.id)
        except StoreError as exc:
            self.message.value = notice(str(exc), "error")
            return None
        name = export_file_name(self._trainee, self._today or date.today())
        self.download.value = download_link(name, data, "application/json", f"保存文件：{name}")
        self.message.value = notice("请点上面的链接保存文件，再拷到另一台电脑，在课程首页“导入”。")
        return data

    def import_file(self) -> ImportSummary | None:
        data = _uploaded(self.upload)
        if data is None:
            self.message.value = notice("请先点“选择文件”，选好学习记录文件（.json）。", "warn")
            return None
        try:
            summary = self._store.import_progress(self._trainee.id, read_progress_file(data))
        except StoreError as exc:
            self.message.value = notice(str(exc), "error")
            return None
        self.message.value = notice(summary_text(summary), "ok")
        self._on_imported()
        return summary
