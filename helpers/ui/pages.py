"""The two kinds of course page: the course home and a module page.

A notebook cell calls one function here.  Every Voila page is its own kernel,
so who the trainee is travels in the link: the home page signs her in and puts
her random session token in each module link (``?s=…``); a module opened
without one asks her to sign in.  Work that does not depend on the request
(loading the module's questions, opening the database) happens before we wait
for the query string, so a preheated kernel has it done already.
"""
from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path, PurePosixPath
from typing import Any

import ipywidgets as w
from IPython.display import display

from helpers.content.loader import Bank, ModuleContent, default_bank_dir, load_bank, load_module
from helpers.store import Store, StoreError
from helpers.ui.html import link, notice, paragraph
from helpers.ui.request import query_parameter

TOKEN_PARAMETER = "s"
_WIDE = w.Layout(width="100%", max_width="760px")


def _problems_notice(problems: list[Any]) -> str:
    if not problems:
        return ""
    shown = "；".join(f"{Path(p.file).name} 第 {p.line or '?'} 行 {p.item_id or ''} {p.field or ''}：{p.message}"
                     for p in problems[:5])
    more = f"（另有 {len(problems) - 5} 处）" if len(problems) > 5 else ""
    return notice(f"题库文件有问题，相关题目暂不显示，其余内容照常使用。{shown}{more}", "warn")


def _with_token(href: str, token: str | None) -> str:
    return f"{href}?{TOKEN_PARAMETER}={token}" if token else href


class _Page:
    """What both pages share: the store, the signed-in trainee, and widgets that
    wait for sign-in before they fill themselves."""

    def __init__(self, store: Any | None):
        self.store, self.store_error = self._open_store(store)
        self.session_token: str | None = None
        self.trainee: Any = None
        self.sign_in_form: Any = None
        self._waiting: list[Callable[[], None]] = []

    @staticmethod
    def _open_store(store: Any | None) -> tuple[Any, str]:
        if store is not None:
            return store, ""
        try:
            return Store.open(), ""
        except StoreError as exc:
            return None, str(exc)

    def _resume(self, token: str | None) -> None:
        if token and self.store is not None:
            self.trainee = self.store.trainee_for_token(token)
            self.session_token = token if self.trainee else None

    def _signed_in(self, session: Any) -> None:
        self.session_token, self.trainee = session.token, session.trainee
        for fill in self._waiting:
            fill()

    def _when_signed_in(self, build: Callable[[], w.Widget]) -> w.Box:
        """A box that holds ``build()`` once a trainee is known."""
        box = w.VBox(layout=_WIDE)

        def fill() -> None:
            if self.store is None:
                box.children = [w.HTML(notice("作答暂时无法保存，所以先不能答题。请联系授课老师。", "error"))]
                return
            try:
                box.children = [build()]
            except StoreError as exc:
                box.children = [w.HTML(notice(str(exc), "error"))]

        if self.trainee is not None:
            fill()
        else:
            box.children = [w.HTML(notice("登录后即可作答（见本页顶部）。"))]
            self._waiting.append(fill)
        return box

    def _identity_bar(self, home_href: str | None) -> w.Widget:
        from helpers.ui.signin import SignInForm

        bar = w.VBox(layout=_WIDE)

        def show_trainee() -> None:
            t = self.trainee
            who = f"当前学员：{t.name}（编号 {t.number}{'，班级 ' + t.class_code if t.class_code else '，自学'}）"
            parts = [paragraph(who, small=True)]
            if home_href is not None:
                parts.append(link("← 返回课程首页", _with_token(home_href, self.session_token)))
            bar.children = [w.HTML("".join(parts))]

        if self.store_error:
            bar.children = [w.HTML(notice(self.store_error, "error"))]
        elif self.trainee is not None:
            show_trainee()
        else:
            self.sign_in_form = SignInForm(self.store, self._signed_in)
            bar.children = [self.sign_in_form.widget]
            self._waiting.insert(0, show_trainee)
        return bar


class ModulePage(_Page):
    """One topic's page: header, quiz, tools, self-audit, footer."""

    def __init__(self, module_id: str, *, bank_dir: Path | None = None, store: Any | None = None,
                 token: str | None = None):
        super().__init__(store)
        self.bank_dir = bank_dir or default_bank_dir()
        self.content: ModuleContent = load_module(self.bank_dir / module_id)
        self._resume(token if token is not None else query_parameter(TOKEN_PARAMETER))
        title = f"<h1 style='margin:8px 0'>{escape(self.content.title)}</h1>"
        self.header = w.VBox(
            [w.HTML(title + _problems_notice(self.content.problems)), self._identity_bar("../index.ipynb")],
            layout=_WIDE,
        )

    def quiz(self) -> w.Widget:
        from helpers.ui.quiz_widget import QuizWidget

        return self._when_signed_in(
            lambda: QuizWidget(self.content.questions, self.store, self.trainee.id, self.content.id).widget
        )

    def audit(self, checklist_id: str) -> w.Widget:
        from helpers.ui.audit_widget import AuditWidget

        checklist = self.content.checklists.get(checklist_id)
        if checklist is None:
            return w.HTML(notice(f"自查清单 {checklist_id} 暂时无法使用（见本页顶部的题库提示）。", "warn"))
        return self._when_signed_in(
            lambda: AuditWidget(checklist, self.store, self.trainee.id, self.content.id).widget
        )

    def timeline_checker(self) -> w.Widget:
        from helpers.ui.timeline_widget import TimelineWidget

        return TimelineWidget().widget

    def meeting_audit(self) -> w.Widget:
        from helpers.ui.meeting_widget import MeetingAuditWidget

        return MeetingAuditWidget().widget

    def dues_calculator(self) -> w.Widget:
        from helpers.ui.dues_widget import DuesWidget

        return DuesWidget().widget

    def footer(self) -> w.Widget:
        """Links home and onward; built last so the bank is read only once the lesson is up."""
        bank = load_bank(self.bank_dir)
        ids = list(bank.modules)
        parts = []
        here = ids.index(self.content.id) if self.content.id in ids else -1
        following = [bank.modules[i] for i in ids[here + 1:] if bank.modules[i].meta]
        if following:
            nxt = following[0]
            parts.append(link(f"下一模块：{nxt.title} →", _with_token(PurePosixPath(nxt.meta.notebook).name, self.session_token)))
        footer = w.HTML()

        def refresh() -> None:
            home = link("← 返回课程首页", _with_token("../index.ipynb", self.session_token))
            footer.value = "<hr>" + "　　".join([home, *parts])

        refresh()
        self._waiting.append(refresh)
        return footer


class CourseHome(_Page):
    """The course home: sign-in, then every module with the trainee's progress."""

    def __init__(self, *, bank_dir: Path | None = None, store: Any | None = None, token: str | None = None):
        super().__init__(store)
        self.bank: Bank = load_bank(bank_dir or default_bank_dir())
        self._resume(token if token is not None else query_parameter(TOKEN_PARAMETER))
        self.modules = w.HTML()
        self.widget = w.VBox(
            [w.HTML(_problems_notice(self.bank.problems)), self._identity_bar(None), self.modules], layout=_WIDE
        )
        self._waiting.append(self.refresh)
        if self.trainee is not None:
            self.refresh()

    def refresh(self) -> None:
        progress = self.store.progress(self.trainee.id) if self.trainee and self.store else {}
        rows = []
        for number, module in enumerate(self.bank.modules.values(), start=1):
            if module.meta is None:
                continue
            done = progress.get(module.id)
            total = len(module.questions)
            answered = done.answered if done else 0
            status = f"已答 {answered} / {total}" + (f"，答对 {done.correct}" if done else "")
            score = f"{done.last_score:g} 分" if done and done.last_score is not None else "—"
            audit = f"{done.audit_total:g} 分（{done.audit_rating}）" if done and done.audit_total is not None else "—"
            href = _with_token(module.meta.notebook, self.session_token)
            rows.append(
                f"<tr><td>{number}</td><td>{link(module.title, href)}</td><td>{status}</td>"
                f"<td>{score}</td><td>{audit}</td></tr>"
            )
        head = "<tr><th>序号</th><th>模块</th><th>测验进度</th><th>测验得分</th><th>自查结果</th></tr>"
        self.modules.value = (
            "<div style='overflow-x:auto'><table class='course-progress' style='border-collapse:collapse;width:100%'>"
            f"{head}{''.join(rows)}</table></div>"
        )


def module_page(module_id: str) -> ModulePage:
    """Cell 1 of a module notebook: shows the page header and returns the page."""
    page = ModulePage(module_id)
    display(page.header)
    return page


def course_home() -> w.Widget:
    """The one call of the course home notebook."""
    return CourseHome().widget
