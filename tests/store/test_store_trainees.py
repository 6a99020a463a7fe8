"""Sign-in: finding or creating trainees, conflicts, session tokens, and the class and roster rules."""

from __future__ import annotations

import re
from datetime import timezone

import pytest
from sqlalchemy import create_engine, select
from store_support import sign_in

from helpers.content.roster import RosterEntry
from helpers.engine.identity import validate_identity
from helpers.store import ClassError, IdentityConflict, Store, StoreError, Trainee
from helpers.store.tables import sessions, trainees


def test_first_sign_in_creates_the_trainee(store: Store) -> None:
    session = sign_in(store, "张三", "A001", "2024-1")
    assert session.trainee == Trainee(id=session.trainee.id, name="张三", number="A001", class_code="2024-1")


def test_signing_in_again_finds_the_same_trainee_with_a_new_session(store: Store) -> None:
    first = sign_in(store)
    second = sign_in(store)
    assert second.trainee == first.trainee
    assert second.token != first.token
    assert store.trainee_for_token(first.token) == first.trainee


def test_same_number_in_another_class_or_self_study_is_another_trainee(store: Store) -> None:
    ids = {
        sign_in(store, "张三", "A001", "2024-1").trainee.id,
        sign_in(store, "王五", "A001", "2024-2").trainee.id,
        sign_in(store, "赵六", "A001", "").trainee.id,
    }
    assert len(ids) == 3


def test_number_taken_by_another_name_in_the_class_is_a_conflict(store: Store) -> None:
    sign_in(store, "张三", "A001", "2024-1")
    with pytest.raises(IdentityConflict, match="^该班级（2024-1）中学员编号 A001 已被其他姓名使用") as caught:
        sign_in(store, "李四", "A001", "2024-1")
    assert "张三" not in str(caught.value)  # never reveal who holds the number
    assert isinstance(caught.value, StoreError) and isinstance(caught.value, ValueError)


def test_conflict_among_self_study_trainees_says_so(store: Store) -> None:
    sign_in(store, "张三", "S9", "")
    with pytest.raises(IdentityConflict, match="^自学学员中学员编号 S9 已被其他姓名使用"):
        sign_in(store, "李四", "S9", "")


def test_conflict_creates_no_session_or_trainee(store: Store, store_url: str) -> None:
    sign_in(store, "张三", "A001", "2024-1")
    with pytest.raises(IdentityConflict):
        sign_in(store, "李四", "A001", "2024-1")
    engine = create_engine(store_url)
    with engine.connect() as conn:
        assert len(conn.execute(select(sessions)).all()) == 1
    engine.dispose()


def test_tokens_are_random_url_safe_and_unrelated_to_the_identity(store: Store) -> None:
    tokens = [sign_in(store, "张三", "A001", "2024-1").token for _ in range(200)]
    assert len(set(tokens)) == len(tokens)
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token)
        assert "A001" not in token
    # 24 random bytes: across 200 tokens every URL-safe character shows up.
    assert len(set("".join(tokens))) > 60


def test_trainee_for_token_finds_the_trainee_and_updates_last_seen(store: Store, store_url: str) -> None:
    session = sign_in(store)
    engine = create_engine(store_url)
    query = select(sessions.c.last_seen).where(sessions.c.token == session.token)
    with engine.connect() as conn:
        before = conn.execute(query).scalar_one()
    assert store.trainee_for_token(session.token) == session.trainee
    with engine.connect() as conn:
        after = conn.execute(query).scalar_one()
    engine.dispose()
    assert after.replace(tzinfo=timezone.utc) > before.replace(tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "token",
    ["", "x" * 65, "x" * 10_000, "不是令牌", "abc'; DROP TABLE sessions; --", "a b", None, 42, b"abc"],
)
def test_garbage_tokens_find_nobody_and_never_raise(store: Store, token: object) -> None:
    sign_in(store)
    assert store.trainee_for_token(token) is None  # type: ignore[arg-type]


def test_unknown_well_formed_token_finds_nobody(store: Store) -> None:
    sign_in(store)
    assert store.trainee_for_token("A" * 32) is None


def test_identity_values_are_stored_as_normalised(store: Store) -> None:
    store.create_class("２０２４-1", "第一期")
    session = store.sign_in(validate_identity(" 张三 ", "Ａ００１", "２０２４-1"))
    assert sign_in(store, "张三", "A001", "2024-1").trainee == session.trainee


# -- the class rules (issue 4) ------------------------------------------------


def test_a_class_code_nobody_created_is_refused_and_nothing_is_stored(store: Store, store_url: str) -> None:
    with pytest.raises(ClassError, match="^班级代码 2099-9 不存在，请向授课老师确认；自学请留空"):
        store.sign_in(validate_identity("张三", "A001", "2099-9"))
    engine = create_engine(store_url)
    with engine.connect() as conn:
        assert conn.execute(select(sessions)).all() == []
        assert conn.execute(select(trainees)).all() == []
    engine.dispose()


def test_self_study_needs_no_class(store: Store) -> None:
    assert store.sign_in(validate_identity("张三", "A001", "")).trainee.class_code == ""


def test_a_class_without_roster_admits_anyone_with_its_code(store: Store) -> None:
    store.create_class("2024-1", "第一期")
    assert store.sign_in(validate_identity("路人", "X9", "2024-1")).trainee.number == "X9"


def test_a_class_with_a_roster_admits_only_its_numbers_and_names(store: Store) -> None:
    store.create_class("2024-1", "第一期")
    store.import_roster("2024-1", [RosterEntry("A001", "张三"), RosterEntry("A002", "李四")])

    assert store.sign_in(validate_identity("张三", "Ａ001", "2024-1")).trainee.name == "张三"
    with pytest.raises(ClassError, match="^你不在班级 2024-1 的花名册中"):
        store.sign_in(validate_identity("王五", "A003", "2024-1"))
    with pytest.raises(IdentityConflict, match="^班级 2024-1 的花名册中，学员编号 A002 登记的是另一个姓名") as caught:
        store.sign_in(validate_identity("王五", "A002", "2024-1"))
    assert "李四" not in str(caught.value)  # never reveal who holds the number
    assert [trainee.number for trainee in store.class_trainees("2024-1")] == ["A001"]


def test_a_roster_in_one_class_does_not_bind_another(store: Store) -> None:
    store.create_class("2024-1", "第一期")
    store.create_class("2024-2", "第二期")
    store.import_roster("2024-1", [RosterEntry("A001", "张三")])
    assert store.sign_in(validate_identity("王五", "A001", "2024-2")).trainee.class_code == "2024-2"
    assert store.sign_in(validate_identity("王五", "A001", "")).trainee.class_code == ""
