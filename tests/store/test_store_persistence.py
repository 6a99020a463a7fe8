"""Everything a page saved is there again after the kernel (and its Store) is gone."""

from __future__ import annotations

from store_support import sign_in

from helpers.store import Store


def test_open_returns_one_store_per_url(store_url: str) -> None:
    store = Store.open(store_url)
    assert Store.open(store_url) is store
    store.close()
    reopened = Store.open(store_url)
    assert reopened is not store
    reopened.close()


def test_a_new_store_on_the_same_database_restores_everything(store_url: str) -> None:
    store = Store.open(store_url)
    session = sign_in(store)
    trainee = session.trainee.id
    attempt = store.start_attempt(trainee, "m1")
    store.record_answer(trainee, "m1", "q1", {"选项": "A"}, 1, True, attempt)
    store.record_answer(trainee, "m1", "q2", ["B", "C"], 0, False, attempt)
    store.finish_attempt(attempt, 50)
    store.save_audit(trainee, "m2", "c1", {"i1": "是"}, 88, "良好")
    before = (
        store.latest_answers(trainee, "m1"),
        store.audit_history(trainee, "c1"),
        store.progress(trainee),
    )
    store.close()

    restarted = Store.open(store_url)
    assert restarted is not store
    assert restarted.trainee_for_token(session.token) == session.trainee
    assert sign_in(restarted).trainee == session.trainee
    after = (
        restarted.latest_answers(trainee, "m1"),
        restarted.audit_history(trainee, "c1"),
        restarted.progress(trainee),
    )
    assert after == before
    restarted.close()
