"""Settings the instructor changes while the class runs, and failed attempts to count.

Both live in the database rather than in a kernel because every trainee's page
is its own kernel: "review allowed" set on the instructor's page must reach a
trainee's exam page, and a reloaded instructor page must not forget how many
wrong passcodes were just typed.  The pass mark of the completion certificate
is one such setting; a trainee's branch name (printed on her audit reports) is
kept here too, so she types it once, not once per module page.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, insert, select

from helpers.engine.certificate import DEFAULT_PASS_MARK, check_pass_mark
from helpers.engine.reports.audit_sheet import name_text

from .database import Database
from .errors import InvalidRecord
from . import rows
from .tables import SETTING_KEY_MAX, failures, settings

PASS_MARK_KEY = "certificate.pass_mark"


class SettingStore:
    """The settings half of :class:`~helpers.store.Store` (a mixin, for file size)."""

    _db: Database

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        """The stored value of ``key``, or ``default`` if it was never set."""
        query = select(settings.c.value).where(settings.c.key == key)
        value = self._db.read(lambda conn: conn.execute(query).scalar())
        return default if value is None else value

    def set_setting(self, key: str, value: str) -> None:
        """Store ``value`` under ``key``, replacing what was there; every kernel sees it at once."""
        name = rows.key("设置项", key, SETTING_KEY_MAX)
        if not isinstance(value, str):
            raise InvalidRecord(f"设置 {name} 的值 {value!r} 必须是文字")
        changed = {"value": value, "updated_at": rows.now()}
        self._db.write(lambda conn: rows.upsert(conn, settings, {"key": name}, changed))

    def pass_mark(self) -> float:
        """The quiz score every module needs for the completion certificate (default the engine's)."""
        stored = self.get_setting(PASS_MARK_KEY)
        return DEFAULT_PASS_MARK if stored is None else check_pass_mark(stored)

    def set_pass_mark(self, value: float | str) -> float:
        """Store a new pass mark for every class; a score no quiz can reach raises ``PassMarkError``."""
        mark = check_pass_mark(value)
        self.set_setting(PASS_MARK_KEY, f"{mark:g}")
        return mark

    def branch_name(self, trainee_id: int) -> str:
        """The branch (党支部) name the trainee last printed on a report, ``""`` if none yet."""
        return self.get_setting(_branch_key(trainee_id)) or ""

    def set_branch_name(self, trainee_id: int, name: str) -> str:
        """Remember the branch name, cleaned as the reports print it; too long raises ``ReportInputError``."""
        cleaned = name_text(name, "支部名称")
        self.set_setting(_branch_key(trainee_id), cleaned)
        return cleaned

    def record_failure(self, scope: str) -> None:
        """Note one failed attempt (a wrong instructor passcode, say) under ``scope``."""
        values = {"scope": rows.key("失败记录的类别", scope), "created_at": rows.now()}
        self._db.write(lambda conn: conn.execute(insert(failures).values(values)))

    def recent_failures(self, scope: str, seconds: float) -> int:
        """How many failures were recorded under ``scope`` in the last ``seconds``."""
        since = rows.now() - timedelta(seconds=seconds)
        query = select(func.count()).where(failures.c.scope == scope, failures.c.created_at >= since)
        return int(self._db.read(lambda conn: conn.execute(query).scalar_one()))


def _branch_key(trainee_id: int) -> str:
    return f"trainee.{int(trainee_id)}.branch_name"
