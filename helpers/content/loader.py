"""Loading the bank so that one broken file or item never takes the course down.

Every problem becomes a :class:`Problem` naming file, line, item and field; the
valid rest is still returned.  A trainee's page loads only its own module
(:func:`load_module`), the validator and the instructor tools the whole bank
(:func:`load_bank`), which also checks that ids are unique across modules.
"""
from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from helpers.content.errors import BankError, Problem
from helpers.content.schema import QUESTION_TYPES, SCHEMA_VERSION, Checklist, ModuleMeta, Question
from helpers.content.yaml_lines import LineIndex, load_with_lines

QUESTIONS_FILE = "questions.yaml"
CHECKLIST_GLOB = "*checklist*.yaml"
_QUESTION = TypeAdapter(Question)


def default_bank_dir() -> Path:
    """``COURSE_BANK_DIR`` if set, else the repository's ``quiz_bank/``."""
    configured = os.environ.get("COURSE_BANK_DIR")
    return Path(configured) if configured else Path(__file__).resolve().parents[2] / "quiz_bank"


@dataclass
class ModuleContent:
    """What one module folder holds, minus whatever was broken."""

    folder: Path
    meta: ModuleMeta | None = None
    questions: list[Any] = field(default_factory=list)
    checklists: dict[str, Checklist] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    question_lines: dict[str, int | None] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.meta.id if self.meta else self.folder.name

    @property
    def title(self) -> str:
        return self.meta.title if self.meta else self.folder.name


@dataclass
class Bank:
    """All modules, ordered as on the course home, and every problem found."""

    modules: dict[str, ModuleContent]
    problems: list[Problem]

    def question(self, question_id: str) -> Any:
        for module in self.modules.values():
            for question in module.questions:
                if question.id == question_id:
                    return question
        raise KeyError(question_id)

    @property
    def questions(self) -> list[Any]:
        return [q for module in self.modules.values() for q in module.questions]


_CHINESE_ERRORS = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段（是否拼写错误？）",
    "string_too_short": "不能为空",
    "union_tag_not_found": "缺少题型 type",
    "greater_than": "须大于 {gt}",
    "greater_than_equal": "须不小于 {ge}",
    "less_than_equal": "须不大于 {le}",
    "too_short": "至少要有 {min_length} 项",
    "too_long": "最多只能有 {max_length} 项",
    "string_type": "须是文字",
    "string_pattern_mismatch": "格式不对（只能用字母、数字、- 和 _）",
    "int_type": "须是整数",
    "int_parsing": "须是整数",
    "float_type": "须是数字",
    "float_parsing": "须是数字",
    "bool_type": "须是 true 或 false",
    "bool_parsing": "须是 true 或 false",
    "dict_type": "须是键值映射",
    "tuple_type": "须是列表",
    "list_type": "须是列表",
    "model_type": "须是键值映射",
}


def _message(error: dict) -> str:
    kind = error["type"]
    if kind == "union_tag_invalid":
        return f"未知题型 {error['input'].get('type')!r}，应为 {'/'.join(QUESTION_TYPES)} 之一"
    if kind == "literal_error":
        return f"应为 {str(error.get('ctx', {}).get('expected', '')).replace(' or ', ', ')} 之一"
    if kind in _CHINESE_ERRORS:
        return _CHINESE_ERRORS[kind].format(**error.get("ctx", {}))
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


def problems_from_validation(
    error: ValidationError, data: Any, lines: LineIndex, file: Path, item_id: str | None, skip_tag: bool
) -> list[Problem]:
    """Turn pydantic's errors into problems that point at the YAML line."""
    problems = []
    details = error.errors()
    inner = [d["loc"] for d in details if d["type"] != "too_short"]
    for detail in details:
        loc = list(detail["loc"])
        if detail["type"] == "too_short" and any(other[: len(loc)] == tuple(loc) and len(other) > len(loc) for other in inner):
            continue  # a list "too short" only because its own items failed: the items say why
        if skip_tag and loc and isinstance(data, dict) and loc[0] == data.get("type"):
            loc = loc[1:]
        if detail["type"] in ("union_tag_invalid", "union_tag_not_found"):
            loc = ["type"]
        line, node = lines.line_of(data), data
        for part in loc:
            if isinstance(node, dict) and part in node:
                line = lines.line_of(node, str(part)) or line
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                line = lines.line_of(node[part]) or line
                node = node[part]
            else:
                break
        field_name = ".".join(str(p) for p in loc) or None
        problems.append(Problem(file, line, item_id, field_name, _message(detail)))
    return problems


def _read(path: Path) -> tuple[Any, LineIndex] | Problem:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return Problem(path, None, None, None, f"无法读取文件（须为 UTF-8 编码的文本）：{exc}")
    try:
        return load_with_lines(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        return Problem(path, line, None, None, f"YAML 语法错误：{getattr(exc, 'problem', exc)}")


def _check_version(data: Any, lines: LineIndex, path: Path) -> Problem | None:
    if not isinstance(data, dict):
        return Problem(path, 1, None, None, "文件顶层须是键值映射（schema_version、module、questions……）")
    if data.get("schema_version") != SCHEMA_VERSION:
        return Problem(
            path, lines.line_of(data, "schema_version"), None, "schema_version",
            f"须为 {SCHEMA_VERSION}（现为 {data.get('schema_version')!r}）",
        )
    return None


def _validate(model: type[BaseModel], data: Any, lines: LineIndex, path: Path, item_id: str | None):
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, problems_from_validation(exc, data, lines, path, item_id, skip_tag=False)


def _read_document(path: Path, content: ModuleContent) -> tuple[dict, LineIndex] | None:
    """Parse a bank file and check its schema version; problems go to ``content``."""
    read = _read(path)
    if isinstance(read, Problem):
        content.problems.append(read)
        return None
    data, lines = read
    header_problem = _check_version(data, lines, path)
    if header_problem:
        content.problems.append(header_problem)
        return None
    return data, lines


def _load_questions(path: Path, content: ModuleContent) -> None:
    document = _read_document(path, content)
    if document is None:
        return
    data, lines = document
    meta, problems = _validate(ModuleMeta, data.get("module"), lines, path, "module")
    content.problems.extend(problems)
    if meta is not None and meta.id != content.folder.name:
        content.problems.append(
            Problem(path, lines.line_of(data["module"], "id"), "module", "id",
                    f"模块 id {meta.id!r} 须与文件夹名 {content.folder.name!r} 相同")
        )
    content.meta = meta
    items = data.get("questions")
    if not isinstance(items, list):
        content.problems.append(Problem(path, lines.line_of(data, "questions"), None, "questions", "须是题目列表"))
        return
    seen: set[str] = set()
    for raw in items:
        question = _load_question(raw, lines, path, content)
        if question is None:
            continue
        if question.id in seen:
            content.problems.append(Problem(path, lines.line_of(raw, "id"), question.id, "id", "题目 id 重复"))
            continue
        seen.add(question.id)
        content.questions.append(question)
        content.question_lines[question.id] = lines.line_of(raw, "id")


def _load_question(raw: Any, lines: LineIndex, path: Path, content: ModuleContent) -> Any:
    item_id = str(raw.get("id")) if isinstance(raw, dict) and raw.get("id") is not None else None
    if not isinstance(raw, dict):
        content.problems.append(Problem(path, None, None, None, "题目须是键值映射"))
        return None
    data = raw if raw.get("module") is not None else {**raw, "module": content.folder.name}
    try:
        question = _QUESTION.validate_python(data)
    except ValidationError as exc:
        content.problems.extend(problems_from_validation(exc, raw, lines, path, item_id, skip_tag=True))
        return None
    if question.module != content.folder.name:
        content.problems.append(Problem(path, lines.line_of(raw, "module"), item_id, "module",
                                        f"题目所属模块 {question.module!r} 与文件夹 {content.folder.name!r} 不符"))
        return None
    return question


def _load_checklist(path: Path, content: ModuleContent) -> None:
    document = _read_document(path, content)
    if document is None:
        return
    data, lines = document
    raw = data.get("checklist")
    item_id = str(raw.get("id")) if isinstance(raw, dict) else None
    checklist, problems = _validate(Checklist, raw, lines, path, item_id)
    content.problems.extend(_name_checklist_items(problems, raw))
    if checklist is not None:
        content.checklists[checklist.id] = checklist


def _name_checklist_items(problems: list[Problem], raw: Any) -> list[Problem]:
    """Point a problem inside ``dimensions.N.items.M`` at that item's own id."""
    named = []
    for problem in problems:
        parts = (problem.field or "").split(".")
        if len(parts) >= 4 and parts[0] == "dimensions" and parts[2] == "items":
            try:
                item = raw["dimensions"][int(parts[1])]["items"][int(parts[3])]
                problem = Problem(problem.file, problem.line, str(item.get("id")), ".".join(parts[4:]) or None,
                                  problem.message)
            except (KeyError, IndexError, TypeError, ValueError, AttributeError):
                pass
        named.append(problem)
    return named


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a bank loads.

    Why: loading keeps every object it builds (about 20 per question), and each
    full collection walks all of them again to find nothing to free: a 10 000
    question bank spent 0.3-0.4 s of its ~1.3 s in such collections.  Loading
    makes no garbage that needs collecting early; anything cyclic it leaves is
    collected as usual once the collector is back on.  Nested calls leave it
    off until the outermost one ends, and it is never switched on if someone
    else had switched it off.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@_collector_paused()
def load_module(folder: Path) -> ModuleContent:
    """Load one module folder: its questions and every checklist file in it."""
    content = ModuleContent(folder=folder)
    questions = folder / QUESTIONS_FILE
    if questions.exists():
        _load_questions(questions, content)
    else:
        content.problems.append(Problem(questions, None, None, None, "缺少题目文件 questions.yaml"))
    for path in sorted(folder.glob(CHECKLIST_GLOB)):
        _load_checklist(path, content)
    return content


@_collector_paused()
def load_bank(root: Path | None = None) -> Bank:
    """Load every module folder under ``root``; ids must be unique bank-wide."""
    root = root or default_bank_dir()
    if root.is_file():
        root = root.parent
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    modules = [load_module(folder) for folder in folders]
    _drop_bank_wide_duplicates(modules)
    modules.sort(key=lambda m: (m.meta.order if m.meta else 10**6, m.id))
    problems = [p for m in modules for p in m.problems]
    return Bank(modules={m.id: m for m in modules}, problems=problems)


def _drop_bank_wide_duplicates(modules: list[ModuleContent]) -> None:
    """Keep the first module's question; a later one with the same id is a problem."""
    owner: dict[str, str] = {}
    for module in modules:
        kept = []
        for question in module.questions:
            if question.id in owner:
                line = module.question_lines.get(question.id)
                module.problems.append(Problem(module.folder / QUESTIONS_FILE, line, question.id, "id",
                                               f"题目 id 与模块 {owner[question.id]} 中的题目重复"))
                continue
            owner[question.id] = module.id
            kept.append(question)
        module.questions = kept


def load_checklist_file(path: Path) -> Checklist:
    """Load one checklist file strictly: any problem raises :class:`BankError`."""
    content = ModuleContent(folder=path.parent)
    _load_checklist(path, content)
    if content.problems:
        raise BankError(content.problems)
    (checklist,) = content.checklists.values()
    return checklist
