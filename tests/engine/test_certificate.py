"""The completion rule: every listed module's latest finished quiz at or above the pass mark."""
import math
from types import SimpleNamespace

import pytest

from helpers.engine.certificate import (
    DEFAULT_PASS_MARK,
    Completion,
    CompletionError,
    PassMarkError,
    check_pass_mark,
    completion_status,
    counted_modules,
    counted_score,
    module_passed,
)
from helpers.store.records import ModuleProgress

MODULES = ["renshi", "zuzhi", "fazhan"]


def done(score, audit=None):
    return ModuleProgress(answered=30, correct=25, last_score=score, audit_total=audit, audit_rating=None)


def test_default_pass_mark_is_sixty():
    assert DEFAULT_PASS_MARK == 60
    assert completion_status({m: done(60) for m in MODULES}, MODULES) == Completion(True, [])


def test_every_module_passed_completes():
    status = completion_status({"renshi": done(100), "zuzhi": done(75.5), "fazhan": done(60)}, MODULES)
    assert status.done and status.missing == []
    finished, missing = status  # plain (bool, list) for callers that unpack
    assert finished is True and missing == []


def test_missing_lists_unpassed_and_untaken_modules_in_course_order():
    progress = {"fazhan": done(59.9), "renshi": done(80), "extra": done(10)}
    assert completion_status(progress, MODULES) == Completion(False, ["zuzhi", "fazhan"])


def test_answered_questions_without_a_finished_run_do_not_pass():
    progress = {m: done(None) for m in MODULES}
    assert completion_status(progress, MODULES).missing == MODULES


def test_pass_mark_is_configurable():
    progress = {m: done(75) for m in MODULES}
    assert completion_status(progress, MODULES, pass_mark=75).done
    assert completion_status(progress, MODULES, pass_mark=80).missing == MODULES
    assert completion_status(progress, MODULES, pass_mark="70").done  # a config file's text is fine


@pytest.mark.parametrize("bad", [0, -5, 100.5, math.nan, math.inf, "六十", None, True])
def test_impossible_pass_marks_are_refused_in_chinese(bad):
    with pytest.raises(PassMarkError, match="及格分"):
        completion_status({}, MODULES, pass_mark=bad)
    assert issubclass(PassMarkError, ValueError)


def test_no_modules_is_a_configuration_mistake_not_a_free_pass():
    with pytest.raises(CompletionError, match="没有列出任何"):
        completion_status({}, [])


def test_a_lone_module_id_is_not_split_into_letters():
    assert completion_status({"zuzhi": done(90)}, "zuzhi") == Completion(True, [])


def test_duplicate_module_ids_are_counted_once():
    assert completion_status({}, ["zuzhi", "zuzhi"]).missing == ["zuzhi"]


def test_a_module_once_passed_stays_passed_after_a_worse_practice_run():
    # best_score comes from stores that track it; older ones give only last_score
    progress = {m: SimpleNamespace(last_score=40.0, best_score=85.0) for m in MODULES}
    assert completion_status(progress, MODULES).done
    assert counted_score(SimpleNamespace(last_score=70.0, best_score=None)) == 70.0
    assert counted_score(SimpleNamespace(last_score=None, best_score=None)) is None
    assert counted_score(None) is None


def test_module_passed_and_check_pass_mark():
    assert module_passed(done(60)) and not module_passed(done(59.5)) and not module_passed(None)
    assert check_pass_mark(100) == 100.0


def test_counted_modules_are_those_with_a_quiz_in_the_order_given():
    listed = [SimpleNamespace(id="renshi", title="认识", questions=[1]),
              SimpleNamespace(id="reading", title="阅读材料", questions=[]),
              SimpleNamespace(id="zuzhi", title="组织", questions=[1, 2])]
    assert counted_modules(listed) == {"renshi": "认识", "zuzhi": "组织"}
