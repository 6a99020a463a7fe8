"""Signing in: 姓名 + 学员编号 + 班级代码 (empty for self-study)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from helpers.engine.identity import IdentityError, validate_identity
from helpers.ui.callbacks import on_click
from helpers.ui.html import notice

_FIELD = w.Layout(width="20em", max_width="100%")


class SignInForm:
    """Calls ``on_signed_in(session)`` once the store accepted the trainee."""

    def __init__(self, store: Any, on_signed_in: Callable[[Any], None]):
        self._store, self._on_signed_in = store, on_signed_in
        self.name = w.Text(description="姓名", placeholder="例如：张三", layout=_FIELD)
        self.number = w.Text(description="学员编号", placeholder="例如：2026001", layout=_FIELD)
        self.class_code = w.Text(description="班级代码", placeholder="自学可不填", layout=_FIELD)
        self.button = w.Button(description="登录", button_style="danger", layout=w.Layout(width="8em", height="40px"))
        self.message = w.HTML()
        on_click(self.button, self.sign_in, self.message)
        self.widget = w.VBox(
            [w.HTML(notice("请先登录。同一姓名、学员编号和班级代码再次登录，会看到之前的全部作答。")),
             self.name, self.number, self.class_code, self.button, self.message]
        )

    def sign_in(self) -> Any | None:
        try:
            identity = validate_identity(self.name.value, self.number.value, self.class_code.value)
            session = self._store.sign_in(identity)
        except IdentityError as exc:
            self.message.value = notice(str(exc), "warn")
            return None
        except ValueError as exc:  # the store's own errors carry Chinese messages
            self.message.value = notice(str(exc), "error")
            return None
        self.message.value = ""
        self._on_signed_in(session)
        return session
