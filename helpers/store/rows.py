"""Writing rows, shared by every part of the store: checked values, new ids, upserts.

A value that cannot be stored is refused before any transaction starts, with an
:class:`InvalidRecord` naming it, rather than surfacing later as a driver error
(or, worse, as a NaN that poisons every average computed from it).
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Table, insert, update
from sqlalchemy.engine import Connection, CursorResult
from sqlalchemy.exc import IntegrityError

from .errors import InvalidRecord
from .tables import KEY_MAX


def now() -> datetime:
    return datetime.now(timezone.utc)


def key(label: str, value: str, limit: int = KEY_MAX) -> str:
    """A module, question or checklist id: non-empty text that fits its column everywhere."""
    if not isinstance(value, str) or not value or len(value) > limit:
        raise InvalidRecord(f"{label} {value!r} 无效：应为 1 到 {limit} 个字符的文字")
    return value


def number(label: str, value: float) -> float:
    """A finite float; NaN or infinity would poison every average computed later."""
    try:
        checked = float(value)
    except (TypeError, ValueError):
        checked = math.nan
    if not math.isfinite(checked):
        raise InvalidRecord(f"{label} {value!r} 不是有效的数字")
    return checked


def to_json(label: str, value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as err:
        raise InvalidRecord(f"{label}无法保存为 JSON（{err}）") from err


def answer_fields(row: Any) -> dict[str, Any]:
    """The fields of :class:`~helpers.engine.review.PastAnswer` from a row of ``answers``."""
    return {"question_id": row.question_id, "module": row.module, "response": json.loads(row.response),
            "score": row.score, "correct": row.correct, "created_at": row.created_at}


def new_id(result: CursorResult[Any]) -> int:
    primary_key = result.inserted_primary_key
    assert primary_key is not None, "a single-row INSERT always reports its primary key"
    return int(primary_key[0])


def upsert(conn: Connection, table: Table, keys: dict[str, Any], values: dict[str, Any]) -> None:
    """Update the row with these primary-key ``keys`` to ``values``, inserting it if missing.

    Portable Core rather than a dialect's ``ON CONFLICT``, so any database the
    URL names works.  A concurrent insert of the same row (possible on
    PostgreSQL; SQLite write transactions never overlap) makes ours fail in its
    savepoint, and the row it created is then updated instead.
    """
    match = [table.c[name] == value for name, value in keys.items()]
    if conn.execute(update(table).where(*match).values(values)).rowcount:
        return
    try:
        with conn.begin_nested():
            conn.execute(insert(table).values({**keys, **values}))
    except IntegrityError:
        if not conn.execute(update(table).where(*match).values(values)).rowcount:
            raise  # not a lost race: a foreign key or another constraint
