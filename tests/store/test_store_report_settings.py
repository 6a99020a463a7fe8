"""The settings behind the printable results: the certificate's pass mark and a trainee's branch name."""

from __future__ import annotations

import pytest

from helpers.engine.certificate import DEFAULT_PASS_MARK, PassMarkError
from helpers.engine.identity import validate_identity
from helpers.engine.reports import ReportInputError
from helpers.store import Store


def test_pass_mark_defaults_to_the_engine_and_keeps_what_the_instructor_set(store: Store, store_url: str) -> None:
    assert store.pass_mark() == DEFAULT_PASS_MARK
    assert store.set_pass_mark("75.5") == 75.5
    store.close()
    other = Store.open(store_url)  # another kernel: a trainee's course home
    assert other.pass_mark() == 75.5
    other.close()


@pytest.mark.parametrize("bad", [0, 101, "六十", float("nan")])
def test_an_impossible_pass_mark_is_refused_and_the_old_one_kept(store: Store, bad: object) -> None:
    store.set_pass_mark(70)
    with pytest.raises(PassMarkError, match="及格分"):
        store.set_pass_mark(bad)
    assert store.pass_mark() == 70


def test_branch_name_is_per_trainee_cleaned_and_length_checked(store: Store) -> None:
    first = store.sign_in(validate_identity("张三", "1", "")).trainee
    second = store.sign_in(validate_identity("李四", "2", "")).trainee
    assert store.branch_name(first.id) == ""
    assert store.set_branch_name(first.id, "  某某  党支部\x00 ") == "某某 党支部"
    assert (store.branch_name(first.id), store.branch_name(second.id)) == ("某某 党支部", "")
    with pytest.raises(ReportInputError, match="支部名称过长"):
        store.set_branch_name(first.id, "党" * 101)
    assert store.branch_name(first.id) == "某某 党支部"
