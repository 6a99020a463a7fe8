"""Checking what a trainee types on the sign-in form.

Name, trainee number and class code are the only things a trainee tells us
about themselves.  They are normalised here, before anything is stored, so that
the same person typing on a phone (full-width digits, ideographic spaces) and on
a PC finds the same record, and so that nothing a trainee types can later be
rendered as markup in someone else's page or in an exported report.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

NAME_MAX = 30
NUMBER_MAX = 32
CLASS_CODE_MAX = 32

_HTML_CHARACTERS = frozenset("<>&\"'")
_CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]+")
_SPACES = re.compile(r" {2,}")


class IdentityError(ValueError):
    """What the trainee typed cannot be used; the message says which field and why."""


@dataclass(frozen=True)
class Identity:
    """A checked sign-in: who the trainee is and which class they belong to.

    ``class_code`` is ``""`` for self-study (自学) trainees, who belong to no class.
    """

    name: str
    number: str
    class_code: str


def validate_identity(name: str, number: str, class_code: str) -> Identity:
    """Normalise and check the three sign-in fields, or raise :class:`IdentityError`."""
    return Identity(
        name=_SPACES.sub(" ", checked_text("姓名", name, NAME_MAX, required=True)),
        number=checked_code("学员编号", number, NUMBER_MAX, required=True),
        class_code=checked_code("班级代码", class_code, CLASS_CODE_MAX, required=False),
    )


def checked_text(label: str, value: str, limit: int, *, required: bool) -> str:
    """NFKC-normalise and strip ``value``, refusing what would be unsafe to store or show.

    NFKC runs first so that full-width look-alikes such as ``＜`` are caught as
    ``<`` and full-width digits count as digits.
    """
    if not isinstance(value, str):
        raise IdentityError(f"{label}必须是文字")
    text = unicodedata.normalize("NFKC", value).strip()
    if required and not text:
        raise IdentityError(f"请填写{label}")
    if any(unicodedata.category(ch).startswith("C") for ch in text):
        raise IdentityError(f"{label}不能包含控制字符或不可见字符")
    if _HTML_CHARACTERS.intersection(text):
        raise IdentityError(f"{label}不能包含 < > & 等符号")
    if len(text) > limit:
        raise IdentityError(f"{label}不能超过 {limit} 个字符（现在是 {len(text)} 个）")
    return text


def checked_code(label: str, value: str, limit: int, *, required: bool) -> str:
    """Like :func:`checked_text`, and also limited to letters, digits, ``-`` and ``_``."""
    text = checked_text(label, value, limit, required=required)
    if text and not _CODE_PATTERN.fullmatch(text):
        raise IdentityError(f"{label}只能包含英文字母、数字、- 和 _")
    return text
