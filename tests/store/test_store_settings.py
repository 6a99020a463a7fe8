"""Settings shared by every kernel, and failed attempts counted over a time window."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, update

from helpers.store import InvalidRecord, Store
from helpers.store.tables import failures


def test_a_setting_is_the_default_until_set_then_the_latest_value(store: Store) -> None:
    assert store.get_setting("exam:final:review") is None
    assert store.get_setting("exam:final:review", "0") == "0"
    store.set_setting("exam:final:review", "1")
    store.set_setting("exam:final:open", "1")
    store.set_setting("exam:final:review", "0")
    assert (store.get_setting("exam:final:review", "1"), store.get_setting("exam:final:open")) == ("0", "1")


def test_another_kernel_sees_a_setting_at_once(store: Store, store_url: str) -> None:
    store.set_setting("class:2026-01:current_module", "04_shenghuo")
    store.close()
    other = Store.open(store_url)
    assert other.get_setting("class:2026-01:current_module") == "04_shenghuo"
    other.close()


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("", "1", "设置项 '' 无效"),
        ("k" * 201, "1", "设置项 'k+' 无效"),
        ("exam:final:open", 1, "设置 exam:final:open 的值 1 必须是文字"),
    ],
)
def test_settings_that_cannot_be_stored_are_named(store: Store, key: str, value: object, message: str) -> None:
    with pytest.raises(InvalidRecord, match=message):
        store.set_setting(key, value)  # type: ignore[arg-type]


def test_recent_failures_count_only_their_scope_and_window(store: Store, store_url: str) -> None:
    assert store.recent_failures("instructor-passcode", 60) == 0
    for _ in range(3):
        store.record_failure("instructor-passcode")
    store.record_failure("something-else")
    assert store.recent_failures("instructor-passcode", 60) == 3

    engine = create_engine(store_url)  # age the first two failures by ten minutes
    with engine.begin() as conn:
        ids = [row.id for row in conn.execute(failures.select().order_by(failures.c.id).limit(2))]
        old = datetime.now(timezone.utc) - timedelta(minutes=10)
        conn.execute(update(failures).where(failures.c.id.in_(ids)).values(created_at=old))
    engine.dispose()
    assert store.recent_failures("instructor-passcode", 60) == 1
    assert store.recent_failures("instructor-passcode", 3600) == 3
    assert store.recent_failures("something-else", 60) == 1


def test_a_failure_scope_must_be_a_key(store: Store) -> None:
    with pytest.raises(InvalidRecord, match="失败记录的类别 '' 无效"):
        store.record_failure("")
