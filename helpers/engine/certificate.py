"""When a trainee has finished the course (结业): every module quiz passed.

The rule lives here, apart from any document, so the course home can show
"还差哪些模块" with the same judgement the certificate is printed under, and an
instructor's class report counts completions the same way.

A module counts as passed once any finished run through its quiz scored at
least the pass mark: the *best* finished score (``ModuleProgress.best_score``,
0–100; stores without it give ``last_score``, which is then used).  A later
practice run with a lower score must not take a certificate away, and the
instructor's roster shows the best score too.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

DEFAULT_PASS_MARK = 60.0


class CompletionError(ValueError):
    """Completion cannot be judged from what was given (bad pass mark, no modules)."""


class PassMarkError(CompletionError):
    """The configured pass mark is not a score a quiz can reach."""


class Completion(NamedTuple):
    """Whether the course is complete, and which modules (ids, in course order) are not yet passed."""

    done: bool
    missing: list[str]


def check_pass_mark(pass_mark: float) -> float:
    """The pass mark as a float in (0, 100]; a school may set it, so a typo must fail loudly.

    Zero is refused as well: with a pass mark of 0 a module nobody opened would
    still need a finished run, but a run scoring 0 would pass, which is never
    what a school means.
    """
    try:
        mark = float(pass_mark)
    except (TypeError, ValueError):
        mark = math.nan
    if isinstance(pass_mark, bool) or not (math.isfinite(mark) and 0 < mark <= 100):
        raise PassMarkError(f"及格分 {pass_mark!r} 无效：应为大于 0、不超过 100 的分数")
    return mark


def counted_score(progress: Any | None) -> float | None:
    """The module score that decides completion: the best finished run, ``None`` if none finished."""
    found = (getattr(progress, "best_score", None), getattr(progress, "last_score", None))
    scores = [score for score in found if score is not None]
    return max(scores) if scores else None


def module_passed(progress: Any | None, pass_mark: float = DEFAULT_PASS_MARK) -> bool:
    """Whether one module's progress (a ``ModuleProgress`` or ``None``) counts as passed."""
    mark = check_pass_mark(pass_mark)
    score = counted_score(progress)
    return score is not None and score >= mark


def counted_modules(modules: Iterable[Any]) -> dict[str, str]:
    """Module id → title, in the order given, of the modules whose quiz must be passed.

    ``modules`` are the bank's modules listed on the course home (anything with
    ``id``, ``title`` and ``questions``).  A module without questions has no
    quiz to pass, so it cannot hold a certificate back.  The course home, the
    certificate and the instructor's class report all take their list from
    here, so they never disagree about what "every module" means.
    """
    return {module.id: module.title for module in modules if module.questions}


def completion_status(
    progress: Mapping[str, Any], modules: Sequence[str], pass_mark: float = DEFAULT_PASS_MARK
) -> Completion:
    """Whether every module in ``modules`` has a finished quiz run that scored at least ``pass_mark``.

    ``progress`` is what ``Store.progress(trainee_id)`` returns (module id →
    ``ModuleProgress``); ``modules`` lists the ids of the modules whose quiz
    counts, in course order, so ``missing`` comes back in that order.  A course
    with no modules cannot be completed: an empty list is a configuration
    mistake, not a free certificate.
    """
    mark = check_pass_mark(pass_mark)
    if isinstance(modules, str):  # a lone id would be read letter by letter
        modules = [modules]
    if not modules:
        raise CompletionError("课程没有列出任何需要通过测验的模块，无法判断是否结业")
    missing = [module for module in dict.fromkeys(modules) if not module_passed(progress.get(module), mark)]
    return Completion(not missing, missing)
