"""Drawing an exam paper from the bank, reproducibly.

A paper is a function of (blueprint, bank, seed): the same seed gives the same
paper, so a trainee's paper can be rebuilt from her stored seed after a
restart instead of storing the paper itself.  Each trainee gets her own seed,
hence her own questions and option order.
"""
from __future__ import annotations

import random
from collections.abc import Iterable
from typing import Any

from helpers.content.blueprint import Blueprint, Section
from helpers.content.schema import LETTERS, TYPE_NAMES


class BlueprintError(ValueError):
    """The bank cannot fill the blueprint."""


def _matches(question: Any, section: Section) -> bool:
    return (
        (section.module is None or question.module == section.module)
        and (section.tag is None or section.tag in question.tags)
        and (section.type is None or question.type == section.type)
    )


def draw(blueprint: Blueprint, questions: Iterable[Any], seed: int | str) -> list[str]:
    """Question ids of one paper, section by section; no question twice."""
    pool = list(questions)
    rng = random.Random(f"{blueprint.id}:{seed}")
    taken: set[str] = set()
    paper: list[str] = []
    for section in blueprint.sections:
        candidates = [q.id for q in pool if q.id not in taken and _matches(q, section)]
        if len(candidates) < section.count:
            kind = TYPE_NAMES.get(section.type, section.type) if section.type else "任意题型"
            where = section.describe().replace(f"题型 {section.type}", kind)
            raise BlueprintError(f"题库不够组卷：{where} 需要 {section.count} 道，只有 {len(candidates)} 道可用")
        chosen = rng.sample(sorted(candidates), section.count)
        taken.update(chosen)
        paper.extend(chosen)
    return paper


def shuffle_options(question: Any, seed: int | str) -> Any:
    """The same question with its options in a per-trainee order and the answer
    remapped to match; grading the shuffled copy is as grading the original."""
    options = getattr(question, "options", None)
    if not options or question.type not in ("single", "multiple", "order"):
        return question
    order = list(range(len(options)))
    random.Random(f"{question.id}:{seed}").shuffle(order)
    new_letter = {LETTERS[old]: LETTERS[new] for new, old in enumerate(order)}
    shuffled = tuple(options[old] for old in order)
    if question.type == "single":
        answer: Any = new_letter[question.answer]
    else:
        answer = tuple(new_letter[letter] for letter in question.answer)
    return question.model_copy(update={"options": shuffled, "answer": answer})
