"""The course home's 结业证明 area: the certificate once earned, else what is left.

Judged by :func:`helpers.engine.certificate.completion_status` with the pass
mark the instructor set (:meth:`Store.pass_mark`), the same rule the
certificate itself and the instructor's class report use, so the home never
promises a certificate the document would refuse.  Scores are each module's
best finished quiz run (最高分), as everywhere else in the course.
"""
from __future__ import annotations

from typing import Any

import ipywidgets as w

from helpers.engine.certificate import completion_status, counted_score
from helpers.engine.reports import DOCX_MIME
from helpers.ui.downloads import Document, download_button, filename
from helpers.ui.html import notice, problems_html


class CertificatePanel:
    """Shown for a signed-in trainee; ``modules`` is module id → title of every quiz that counts."""

    def __init__(self, store: Any, modules: dict[str, str]) -> None:
        self._store, self._modules = store, modules
        self._trainee: Any = None
        self.status = w.HTML()
        self.download = w.HTML()
        self.button = download_button("下载结业证明（Word）", self._certificate, self.download, primary=True)
        self.widget = w.VBox(
            [w.HTML("<h3 style='margin:18px 0 4px'>结业证明</h3>"), self.status, self.button, self.download],
            layout=w.Layout(display="none"),
        )
        self.widget.add_class("course-certificate")

    def show(self, trainee: Any, progress: dict[str, Any]) -> None:
        """Say where ``trainee`` stands, from her ``Store.progress``; hidden when nobody is signed in."""
        self._trainee = trainee
        self.download.value = ""
        if trainee is None or self._store is None or not self._modules:
            self.widget.layout.display = "none"
            return
        self.widget.layout.display = None
        try:
            mark = self._store.pass_mark()
        except ValueError as exc:
            self.status.value, self.button.layout.display = notice(str(exc), "error"), "none"
            return
        done, missing = completion_status(progress, list(self._modules), mark)
        self.button.layout.display = None if done else "none"
        if done:
            self.status.value = notice(
                f"你已通过全部 {len(self._modules)} 个模块的测验（最高分均达到 {mark:g} 分），可以下载结业证明。", "ok")
            return
        lines = [f"全部 {len(self._modules)} 个模块测验的最高分都达到 {mark:g} 分后，可在这里下载结业证明。"
                 f"还差 {len(missing)} 个模块："]
        for module in missing:
            score = counted_score(progress.get(module))
            got = "尚未完成测验" if score is None else f"最高分 {score:g} 分"
            lines.append(f"{self._modules[module]}：{got}（需达到 {mark:g} 分）")
        self.status.value = problems_html("\n".join(lines))

    def _certificate(self) -> Document:
        """Built from the store at the moment of the click, so it never trusts what the page last showed."""
        from helpers.engine.reports import certificate_docx  # python-docx only when a certificate is asked for

        trainee = self._trainee
        data = certificate_docx(trainee, self._store.progress(trainee.id), self._modules,
                                pass_mark=self._store.pass_mark())
        return Document(filename(("结业证明", trainee.name), ".docx"), data, DOCX_MIME)
