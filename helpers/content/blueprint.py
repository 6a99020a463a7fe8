"""Exam blueprints (组卷方案): how many questions of which module/tag and type,
points, time limit, pass mark, attempts.  A data file, like the bank."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import Field, ValidationError, model_validator

from helpers.content.errors import BankError, Problem
from helpers.content.loader import problems_from_validation
from helpers.content.schema import QUESTION_TYPES, Ident, Text, _Strict
from helpers.content.yaml_lines import load_with_lines


class Section(_Strict):
    """One block of the paper; ``module`` and ``tag`` narrow it, ``type`` too."""

    module: Ident | None = None
    tag: Text | None = None
    type: str | None = None
    count: int = Field(ge=1)
    points: float = Field(gt=0)

    @model_validator(mode="after")
    def _known_type(self) -> "Section":
        if self.type is not None and self.type not in QUESTION_TYPES:
            raise ValueError(f"未知题型 {self.type!r}，应为 {'/'.join(QUESTION_TYPES)} 之一")
        return self

    def describe(self) -> str:
        parts = [f"模块 {self.module}" if self.module else "全部模块"]
        if self.tag:
            parts.append(f"标签“{self.tag}”")
        parts.append(f"题型 {self.type}" if self.type else "任意题型")
        return "、".join(parts)


class Blueprint(_Strict):
    id: Ident
    title: Text
    time_limit_minutes: int = Field(ge=1, le=600)
    pass_mark: float = Field(ge=0, le=100)
    attempts: int = Field(default=1, ge=1)
    review: bool = True
    sections: tuple[Section, ...] = Field(min_length=1)

    @property
    def total_points(self) -> float:
        return sum(s.count * s.points for s in self.sections)

    @property
    def question_count(self) -> int:
        return sum(s.count for s in self.sections)

    def points_for(self, paper: list[str]) -> dict[str, float]:
        """What each question of a drawn paper is worth.

        A paper lists its questions section by section, so position decides the
        section.  A paper that no longer fits (the file was edited after the
        exam started) weighs its questions equally, so the trainee still gets a
        fair percentage instead of an error.
        """
        points = [s.points for s in self.sections for _ in range(s.count)]
        if len(points) != len(paper):
            points = [self.total_points / max(1, len(paper))] * len(paper)
        return dict(zip(paper, points))


def load_blueprint(path: Path) -> Blueprint:
    """Read a blueprint file; any problem raises :class:`BankError` naming file and line."""
    path = Path(path)
    try:
        data, lines = load_with_lines(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise BankError([Problem(path, None, None, None, f"无法读取组卷方案：{exc}")]) from None
    raw = data.get("blueprint") if isinstance(data, dict) else None
    if not isinstance(raw, dict):
        raise BankError([Problem(path, 1, None, "blueprint", "缺少 blueprint 段")])
    try:
        return Blueprint.model_validate(raw)
    except ValidationError as exc:
        raise BankError(problems_from_validation(exc, raw, lines, path, str(raw.get("id")), skip_tag=False)) from None


EXAMS_FOLDER = "_exams"


@dataclass
class ExamBlueprints:
    """The exams an instructor has prepared: valid blueprints by id, and every problem."""

    blueprints: dict[str, Blueprint] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def load_exam_blueprints(bank_dir: Path) -> ExamBlueprints:
    """Every ``<bank>/_exams/*.yaml``; a broken file is a problem, the others still load.

    They live beside the modules in a folder the bank loader skips (it starts
    with ``_``), so a blueprint is never mistaken for a module.
    """
    found = ExamBlueprints()
    for path in sorted((Path(bank_dir) / EXAMS_FOLDER).glob("*.yaml")):
        try:
            blueprint = load_blueprint(path)
        except BankError as exc:
            found.problems.extend(exc.problems)
            continue
        if blueprint.id in found.blueprints:
            found.problems.append(Problem(path, None, blueprint.id, "id", "组卷方案 id 与另一个文件重复"))
            continue
        found.blueprints[blueprint.id] = blueprint
    return found
