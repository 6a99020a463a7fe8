"""Counts of what the bank holds, for ``python -m helpers stats`` and for the
tests that hold the curriculum to its promised size."""
from __future__ import annotations

from collections import Counter

from helpers.content.loader import Bank


def bank_stats(bank: Bank) -> dict:
    """The shape documented in the foundation issue (questions, modules, checklists)."""
    modules = {}
    checklists = {}
    for module in bank.modules.values():
        types = Counter(q.type for q in module.questions)
        modules[module.id] = {"title": module.title, "questions": len(module.questions), "types": dict(sorted(types.items()))}
        for checklist in module.checklists.values():
            checklists[checklist.id] = {"items": len(checklist.items)}
    return {"questions": len(bank.questions), "modules": modules, "checklists": checklists}
