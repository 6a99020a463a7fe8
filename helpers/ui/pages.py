"""The two kinds of course page: the course home and a module page.

A notebook cell calls one function here.  Every Voila page is its own kernel,
so who the trainee is travels in the link: the home page signs her in and puts
her random session token in each module link (``?s=…``); a module opened
without one asks her to sign in.  Work that does not depend on the request
(loading the module's questions, opening the database) happens before we wait
for the query string, so a preheated kernel has it done already.

In class, modules open *in place*: 进入 on the home renders the module's
notebook inside the home's kernel (:mod:`helpers.ui.notebook_view`), where the
trainee is already signed in, so the class moving to the next module costs no
new kernel.  While that happens :func:`module_page` hands out a page bound to
the home instead of a standalone one; the notebook itself is unchanged and
Voila still serves it on its own.
"""
from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from html import escape
from pathlib import Path, PurePosixPath
from typing import Any

import ipywidgets as w

from helpers.content.loader import Bank, ModuleContent, default_bank_dir, load_bank, load_module
from helpers.engine.certificate import counted_modules, counted_score
from helpers.store import Store, StoreError
from helpers.ui.callbacks import on_click
from helpers.ui.certificate_panel import CertificatePanel
from helpers.ui.class_pacing import POLL_SECONDS, ClassPacingBanner
from helpers.ui.html import link, notice, paragraph
from helpers.ui.notebook_view import NotebookViewError, module_notebook, read_cells, render, show
from helpers.ui.profile_widget import ProfilePicker, ProgressTransfer
from helpers.ui.request import awaiting_request, parameter, query_parameter, when_requested
from helpers.ui.review_widget import ReviewLauncher, ReviewWidget

TOKEN_PARAMETER = "s"
_WIDE = w.Layout(width="100%", max_width="760px")
_NAV_BUTTON = w.Layout(width="auto", height="40px", margin="4px 12px 4px 0")

# The course home whose kernel is rendering a module in place, if any.
_HOSTING: ContextVar[CourseHome | None] = ContextVar("course_home_hosting", default=None)


def _problems_notice(problems: list[Any]) -> str:
    if not problems:
        return ""
    shown = "；".join(f"{Path(p.file).name} 第 {p.line or '?'} 行 {p.item_id or ''} {p.field or ''}：{p.message}"
                     for p in problems[:5])
    more = f"（另有 {len(problems) - 5} 处）" if len(problems) > 5 else ""
    return notice(f"题库文件有问题，相关题目暂不显示，其余内容照常使用。{shown}{more}", "warn")


def _with_token(href: str, token: str | None) -> str:
    return f"{href}?{TOKEN_PARAMETER}={token}" if token else href


def _next_module(bank: Bank, module_id: str) -> ModuleContent | None:
    """The module listed after ``module_id`` on the course home, if any."""
    ids = list(bank.modules)
    here = ids.index(module_id) if module_id in ids else len(ids)
    return next((bank.modules[i] for i in ids[here + 1:] if bank.modules[i].meta), None)


def _nav_button(text: str, action: Callable[[], Any], message: w.HTML, *, primary: bool = False) -> w.Button:
    button = w.Button(description=text, button_style="danger" if primary else "", layout=_NAV_BUTTON)
    on_click(button, action, message)
    return button


class _Page:
    """What both pages share: the store, the signed-in trainee, and widgets that
    wait for sign-in before they fill themselves."""

    def __init__(self, store: Any | None):
        self.store, self.store_error = self._open_store(store)
        self.session_token: str | None = None
        self.trainee: Any = None
        self.sign_in_form: Any = None
        self._waiting: list[Callable[[], None]] = []
        self._show_trainee: Callable[[], None] | None = None

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

    def _resume_from_link(self, token: str | None) -> bool:
        """Sign in from the link's ``?s=`` token now if it is known; True if it comes later.

        ``token`` is given when a page is built for a known trainee (in place,
        in tests).  Otherwise the token is in the page's query string, which a
        preheated kernel only gets once the page is requested: then the page
        is built as before sign-in and :meth:`_sign_in_from_link` follows.
        """
        if token is None and awaiting_request():
            return True
        self._resume(token if token is not None else query_parameter(TOKEN_PARAMETER))
        return False

    def _sign_in_from_link(self, query: str) -> None:
        """The link's token, applied to a page already built: as a sign-in from the form is."""
        if self.trainee is None:
            self._resume(parameter(query, TOKEN_PARAMETER))
            if self.trainee is not None:
                self._fill_waiting()

    def _signed_in(self, session: Any) -> None:
        self.session_token, self.trainee = session.token, session.trainee
        self._fill_waiting()

    def after_sign_in(self, action: Callable[[], None]) -> None:
        """Call ``action`` now if someone is signed in, and after each sign-in to come."""
        self._waiting.append(action)
        if self.trainee is not None:
            action()

    def _fill_waiting(self) -> None:
        """Fill what waited for the sign-in, the trainee's name last.

        Her name is the sign that the page is hers: by then every link on it
        carries her token (a module link clicked a moment earlier would open
        the module without her sign-in) and every tool is built for her.
        """
        for fill in self._waiting:
            fill()
        if self._show_trainee is not None:
            self._show_trainee()

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
            self._show_trainee = show_trainee
        return bar


class ModulePage(_Page):
    """One topic's page: header, quiz, tools, self-audit, footer.

    Standalone (``home`` is None) it signs in from the link's token or its own
    form; opened in place it belongs to ``home``: same store, same trainee,
    the bank the home already loaded, and buttons instead of links.
    """

    def __init__(self, module_id: str, *, bank_dir: Path | None = None, store: Any | None = None,
                 token: str | None = None, home: CourseHome | None = None):
        super().__init__(home.store if home is not None else store)
        self.home = home
        self.bank_dir = home.bank_dir if home is not None else bank_dir or default_bank_dir()
        known = home.bank.modules.get(module_id) if home is not None else None
        self.content: ModuleContent = known or load_module(self.bank_dir / module_id)
        title = w.HTML(f"<h1 style='margin:8px 0'>{escape(self.content.title)}</h1>"
                       + _problems_notice(self.content.problems))
        if home is not None:
            self.session_token, self.trainee = home.session_token, home.trainee
            self.header = w.VBox([title], layout=_WIDE)
            return
        later = self._resume_from_link(token)
        self.header = w.VBox([title, self._identity_bar("../index.ipynb")], layout=_WIDE)
        if later:  # the module's tools, in the cells after this one, wait for the sign-in as for the form
            when_requested(self._sign_in_from_link)

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
            lambda: AuditWidget(checklist, self.store, self.trainee.id, self.content.id,
                                trainee_name=self.trainee.name).widget
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
        """Home and onward; built last so a standalone page reads the bank only once the lesson is up."""
        if self.home is not None:
            return self._footer_in_place(self.home)
        following = _next_module(load_bank(self.bank_dir), self.content.id)
        footer = w.HTML()

        def refresh() -> None:
            parts = [link("← 返回课程首页", _with_token("../index.ipynb", self.session_token))]
            if following is not None:
                href = _with_token(PurePosixPath(following.meta.notebook).name, self.session_token)
                parts.append(link(f"下一模块：{following.title} →", href))
            footer.value = "<hr>" + "　　".join(parts)

        refresh()
        self._waiting.append(refresh)
        return footer

    def _footer_in_place(self, home: CourseHome) -> w.Widget:
        message = w.HTML()
        buttons = [_nav_button("← 返回课程首页", home.show_home, message)]
        following = _next_module(home.bank, self.content.id)
        if following is not None:
            buttons.append(_nav_button(f"下一模块：{following.title} →", lambda: home.open_module(following.id),
                                       message, primary=True))
        return w.VBox([w.HTML("<hr>"), w.HBox(buttons, layout=w.Layout(flex_flow="row wrap")), message],
                      layout=_WIDE)


class CourseHome(_Page):
    """The course home: sign-in, then every module with the trainee's progress.

    进入 renders the module inside this kernel (see the module docstring); a
    module's view is built once and kept, so going back and forth is instant
    and keeps where she was.  The module title stays a link to the module's
    own page for anyone who wants it in a separate tab.
    """

    def __init__(self, *, bank_dir: Path | None = None, store: Any | None = None, token: str | None = None,
                 notebook_dir: Path | None = None, poll_seconds: float = POLL_SECONDS):
        super().__init__(store)
        self.bank_dir = bank_dir or default_bank_dir()
        self.bank: Bank = load_bank(self.bank_dir)
        # Voila starts the home's kernel in the folder of the home notebook.
        self.notebook_dir = Path(notebook_dir) if notebook_dir is not None else Path.cwd()
        self.listed = [module for module in self.bank.modules.values() if module.meta is not None]
        self.message = w.HTML()
        self._rows = {module.id: w.HTML(layout=w.Layout(flex="1 1 20em")) for module in self.listed}
        self._enter = {module.id: self._enter_button(module.id) for module in self.listed}
        self.modules = w.VBox([self._row(m.id) for m in self.listed])
        self.banner = ClassPacingBanner(self.store, {m.id: m.title for m in self.listed}, self.open_module,
                                        poll_seconds=poll_seconds)
        self.certificate = CertificatePanel(self.store, counted_modules(self.listed))
        self.transfer = w.VBox()  # 我的学习记录, once someone is signed in
        self.review = ReviewLauncher(self.store, self.bank, self.open_review, self.message)
        self.home_view = w.VBox([self.banner.widget, self.review.widget, self.modules, self.certificate.widget,
                                 self.transfer])
        self.body = w.VBox([self.home_view])
        self._views: dict[str, w.Widget] = {}
        later = self._resume_from_link(token)
        self.picker = ProfilePicker(self.store, self._signed_in)  # empty unless served for self-study
        self.widget = w.VBox(
            [w.HTML(_problems_notice(self.bank.problems)), self.picker.widget, self._identity_bar(None), self.message,
             self.body],
            layout=_WIDE,
        )
        self.after_sign_in(self._home_for_trainee)
        if self.trainee is None:
            self.refresh()
        if later:
            when_requested(self._on_request)

    def _on_request(self, query: str) -> None:
        """A preheated home is requested: list the profiles of now, then sign in from the link."""
        self.picker.refresh()
        self._sign_in_from_link(query)

    def _row(self, module_id: str) -> w.HBox:
        row = w.HBox([self._rows[module_id], self._enter[module_id]],
                     layout=w.Layout(align_items="center", flex_flow="row wrap", border_bottom="1px solid #ddd"))
        row.add_class("course-module-row")
        return row

    def _enter_button(self, module_id: str) -> w.Button:
        button = w.Button(description="进入", button_style="danger",
                          layout=w.Layout(width="6em", height="40px", display="none"))
        on_click(button, lambda: self.open_module(module_id), self.message)
        return button

    def _home_for_trainee(self) -> None:
        self.refresh()
        self.banner.watch(self.trainee.class_code or "")
        self.picker.hide()
        self.transfer.children = [ProgressTransfer(self.store, self.trainee, self.refresh).widget]

    def refresh(self) -> None:
        """Progress and links of every module; 进入 appears once someone is signed in."""
        progress = self.store.progress(self.trainee.id) if self.trainee and self.store else {}
        for number, module in enumerate(self.listed, start=1):
            done = progress.get(module.id)
            answered = done.answered if done else 0
            status = f"测验：已答 {answered} / {len(module.questions)}" + (f"，答对 {done.correct}" if done else "")
            if (best := counted_score(done)) is not None:
                status += f"，最高分 {best:g}"
            if done and done.audit_total is not None:
                status += f"　自查：{done.audit_total:g} 分（{done.audit_rating}）"
            href = _with_token(module.meta.notebook, self.session_token)
            self._rows[module.id].value = (
                f"<div class='course-module' style='padding:6px 0'><div style='font-size:110%'>{number}. "
                f"{link(module.title, href)}</div>{paragraph(status, small=True)}</div>"
            )
            self._enter[module.id].layout.display = None if self.trainee else "none"
        self.certificate.show(self.trainee, progress)
        self.review.show(self.trainee)

    def open_module(self, module_id: str) -> None:
        """Show a module in place of the list (built on first use, then kept)."""
        if self.trainee is None:
            self.message.value = notice("请先登录。", "warn")
            return
        view = self._views.get(module_id)
        if view is None:
            view = self._views[module_id] = self._module_view(module_id)
        self._show_in_place(view)

    def open_review(self) -> None:
        """错题本与今日复习 in place of the list, for the signed-in trainee; built afresh each
        time, since answering in the modules changes it."""
        self._show_in_place(self._in_place([ReviewWidget(self.bank, self.store, self.trainee.id).widget]))

    def _show_in_place(self, view: w.Widget) -> None:
        self.banner.pause()
        self.message.value = ""
        self.body.children = [view]

    def show_home(self) -> None:
        """Back to the list, with progress as it is now (and scrolled to it, see the page template)."""
        self.refresh()
        self.home_view.add_class("course-scroll-top")
        self.body.children = [self.home_view]
        self.banner.resume()

    def _module_view(self, module_id: str) -> w.Widget:
        try:
            module = self.bank.modules[module_id]
            path = module_notebook(self.notebook_dir, module.meta.notebook)
            hosting = _HOSTING.set(self)
            try:
                shown = render(read_cells(path), path.name)
            finally:
                _HOSTING.reset(hosting)
        except NotebookViewError as exc:
            shown = [w.HTML(notice(str(exc), "error"))]
        return self._in_place(shown)

    def _in_place(self, shown: list[w.Widget]) -> w.VBox:
        """A view shown instead of the list: 返回课程首页 on top, then ``shown``."""
        message = w.HTML()
        back = w.HBox([_nav_button("← 返回课程首页", self.show_home, message)])
        view = w.VBox([back, message, *shown], layout=_WIDE)
        view.add_class("course-scroll-top")  # the page template scrolls it into view when shown
        return view


def module_page(module_id: str) -> ModulePage:
    """Cell 1 of a module notebook: shows the page header and returns the page.

    Inside a course home rendering the notebook in place, the page belongs to
    that home (its trainee, its buttons); otherwise it is a page of its own.
    """
    home = _HOSTING.get()
    page = ModulePage(module_id, home=home) if home is not None else ModulePage(module_id)
    show(page.header)
    return page


def course_home() -> w.Widget:
    """The one call of the course home notebook."""
    return CourseHome().widget


def review_page() -> w.Widget:
    """The one call of ``notebooks/review.ipynb``: the course home opened at 错题本与今日复习
    (once she has signed in), so 返回课程首页 and the modules work there as on the home."""
    home = CourseHome()
    home.after_sign_in(home.open_review)
    return home.widget
