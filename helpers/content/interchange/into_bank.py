"""Putting imported questions into the bank: checked by the bank's own
validator, given ids, and written all or nothing.

A question bank is edited by hand and read by every trainee's page, so an
import must never leave it half-changed.  Every draft is first checked — its
module exists, its stem is not already in the module or earlier in the file,
its id is free, and the pydantic schema with the citation rule accepts it —
and every problem of every row is collected.  Only when there is none is the
text of each ``questions.yaml`` extended (never re-dumped, so comments stay),
reloaded through :func:`helpers.content.loader.load_module` to prove it reads
back with the new questions and no new problem, and swapped in by rename.
"""
from __future__ import annotations

import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from helpers.content.interchange.formats import FORMATS, detect_format
from helpers.content.interchange.files import ENCODING_NAMES, read_limited
from helpers.content.interchange.model import (
    Draft, InterchangeError, Parsed, RowError, RowProblem, RowsRejected, UnknownModule, field_label, stem_key,
)
from helpers.content.interchange.yaml_text import append_questions
from helpers.content.loader import (
    QUESTIONS_FILE, Bank, ModuleContent, default_bank_dir, load_bank, load_module, problems_from_validation,
)
from helpers.content.schema import Question
from helpers.content.yaml_lines import LineIndex

_QUESTION = TypeAdapter(Question)
_NUMBERED = re.compile(r"(.*?)(\d+)")
_PLACEHOLDER_ID = "import-check"
MISSING_SOURCE = "缺少出处：须用《》写明法规名称并写明条款，如《中国共产党章程》（2022年修改）第七条"


@dataclass
class ModuleChange:
    """New questions for one module and the file text that holds them."""

    module: ModuleContent
    questions: list[Any] = field(default_factory=list)
    old_text: str = ""
    new_text: str = ""

    @property
    def path(self) -> Path:
        return self.module.folder / QUESTIONS_FILE


@dataclass
class ImportPlan:
    """What an import will write (or, after :func:`commit`, has written)."""

    source: str
    changes: list[ModuleChange]
    encoding: str | None = None

    @property
    def count(self) -> int:
        return sum(len(change.questions) for change in self.changes)

    def summary(self) -> str:
        parts = [f"{c.module.id}（{c.module.title}）{len(c.questions)} 道：{_id_range(c.questions)}" for c in self.changes]
        return "；".join(parts)


def _id_range(questions: list[Any]) -> str:
    ids = [q.id for q in questions]
    return ids[0] if len(ids) == 1 else f"{ids[0]} … {ids[-1]}"


# ───────────── modules ─────────────

def known_modules(modules: dict[str, ModuleContent]) -> str:
    return "、".join(f"{m.id}（{m.title}）" for m in modules.values())


def _find_module(name: str, modules: dict[str, ModuleContent]) -> str | None:
    """A module by id or by title, as an instructor may write either."""
    wanted = name.strip()
    for module in modules.values():
        if wanted.lower() == module.id.lower() or wanted == module.title:
            return module.id
    return None


def usable_modules(bank: Bank) -> dict[str, ModuleContent]:
    """Modules whose questions.yaml could be read (they have their 模块信息)."""
    return {m.id: m for m in bank.modules.values() if m.meta is not None}


def resolve_module(name: str | None, bank: Bank) -> str | None:
    """The id of the module ``--module`` names (by id or title).  An unknown
    one is refused, listing the modules there are; so is one whose file is
    broken, since nothing could be appended to it safely."""
    if name is None:
        return None
    modules = usable_modules(bank)
    found = _find_module(name, modules)
    if found is not None:
        return found
    broken = bank.modules.get(name.strip())
    if broken is not None and broken.problems:
        raise InterchangeError(f"模块 {broken.id} 的题目文件有错误，现在无法导入或导出：{broken.problems[0]}。"
                               "请先运行 python -m helpers validate 修好")
    raise UnknownModule(
        f"没有模块“{name}”。现有模块：{known_modules(modules)}。"
        "导入只能加到已有模块；新模块须由课程维护者先建好模块文件夹和页面"
    )


def _module_of(draft: Draft, default: str | None, modules: dict[str, ModuleContent]) -> str:
    if draft.module:
        found = _find_module(draft.module, modules)
        if found is None:
            raise RowError("模块", f"没有模块“{draft.module}”；现有模块：{known_modules(modules)}")
        if default and found != default:
            raise RowError("模块", f"本题写的模块“{draft.module}”与命令中的 --module {default} 不一致")
        return found
    if default:
        return default
    raise RowError("模块", "没有指定模块：请填写“模块”（如 fazhan），或在命令中加 --module")


# ───────────── ids ─────────────

@dataclass
class _IdScheme:
    """How a module numbers its questions: ``fz-`` + three digits."""

    prefix: str
    width: int
    next: int

    @classmethod
    def of(cls, module: ModuleContent) -> "_IdScheme":
        numbered = [m.groups() for q in module.questions if (m := _NUMBERED.fullmatch(q.id))]
        if not numbered:
            return cls(f"{module.id}-", 3, 1)
        prefix = Counter(p for p, _ in numbered).most_common(1)[0][0]
        digits = [d for p, d in numbered if p == prefix]
        width = Counter(len(d) for d in digits).most_common(1)[0][0]
        # after the highest number, never into a gap: a deleted question's id
        # may still hold trainees' answers in the store
        return cls(prefix, width, max(int(d) for d in digits) + 1)

    def take(self, taken: set[str]) -> str:
        while (candidate := f"{self.prefix}{self.next:0{self.width}d}") in taken:
            self.next += 1
        taken.add(candidate)
        return candidate


# ───────────── checking ─────────────

def _validation_problems(error: ValidationError, data: dict[str, Any], line: int) -> list[RowProblem]:
    problems = []
    for problem in problems_from_validation(error, data, LineIndex(), Path("-"), None, skip_tag=True):
        message = problem.message
        if problem.field == "source" and message in ("缺少必填字段", "不能为空"):
            message = MISSING_SOURCE
        problems.append(RowProblem(line, message, field_label(problem.field)))
    return problems


@dataclass
class _Row:
    draft: Draft
    module: str | None = None
    id: str | None = None
    problems: list[RowProblem] = field(default_factory=list)

    def fail(self, label: str | None, message: str) -> None:
        self.problems.append(RowProblem(self.draft.line, message, label))


def _check_given_ids(rows: list[_Row], taken: set[str]) -> set[str]:
    """Ids the file states: free in the bank and used once in the file."""
    first: dict[str, int] = {}
    for row in rows:
        given = str(row.draft.fields.get("id") or "").strip()
        if not given:
            continue
        if given.isdigit():
            row.fail("编号", f"编号“{given}”只有数字；编号须像 fz-101 这样带模块前缀（不填则自动编号）")
        elif given in taken:
            row.fail("编号", f"编号 {given} 已被题库中的题目使用（编号永不重复使用；不填则自动编号）")
        elif given in first:
            row.fail("编号", f"编号 {given} 与第 {first[given]} 行的题目重复")
        else:
            first[given] = row.draft.line
            row.id = given
    return set(first)


def _check_duplicates(rows: list[_Row], modules: dict[str, ModuleContent]) -> None:
    existing = {m.id: {stem_key(q.stem): q.id for q in m.questions} for m in modules.values()}
    seen: dict[str, int] = {}
    for row in rows:
        key = stem_key(str(row.draft.fields.get("stem") or ""))
        if not key:
            continue
        if row.module and key in existing[row.module]:
            row.fail("题干", f"与模块 {row.module} 中已有的题目 {existing[row.module][key]} 重复")
        elif key in seen:
            row.fail("题干", f"与第 {seen[key]} 行的题目重复")
        else:
            seen[key] = row.draft.line


def _validate(row: _Row) -> Any:
    data = {**row.draft.fields, "id": row.id or _PLACEHOLDER_ID}
    if row.module:
        data["module"] = row.module
    try:
        return _QUESTION.validate_python(data)
    except ValidationError as error:
        row.problems.extend(_validation_problems(error, data, row.draft.line))
        return None


def plan_import(parsed: Parsed, *, source: str, bank_dir: Path | None = None, module: str | None = None) -> ImportPlan:
    """Check every question; raise :class:`RowsRejected` listing every problem,
    or return the plan of what to write."""
    bank = load_bank(bank_dir or default_bank_dir())
    modules = usable_modules(bank)
    default = resolve_module(module, bank)
    if not parsed.drafts and not parsed.problems:
        raise InterchangeError(f"“{source}”中没有找到题目")
    rows = [_Row(draft) for draft in parsed.drafts]
    for row in rows:
        try:
            row.module = _module_of(row.draft, default, modules)
        except RowError as error:
            row.fail(error.label, error.message)
    taken = {q.id for q in bank.questions}
    taken |= _check_given_ids(rows, taken)
    _check_duplicates(rows, modules)
    schemes = {module_id: _IdScheme.of(content) for module_id, content in modules.items()}
    for row in rows:
        if row.id is None and row.module and not row.problems:
            row.id = schemes[row.module].take(taken)
    validated = [(row, _validate(row)) for row in rows]
    problems = [*parsed.problems, *(p for row in rows for p in row.problems)]
    if problems:
        raise RowsRejected(source, problems)
    changes: dict[str, ModuleChange] = {}
    for row, question in validated:
        changes.setdefault(row.module, ModuleChange(modules[row.module])).questions.append(question)
    plan = ImportPlan(source, list(changes.values()), parsed.encoding)
    for change in plan.changes:
        _prepare(change)
    return plan


# ───────────── writing ─────────────

def _problems_of(text: str, module_id: str) -> tuple[Counter, set[str]]:
    """Problems and question ids of a questions.yaml text, as the loader sees it."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / module_id
        folder.mkdir()
        (folder / QUESTIONS_FILE).write_bytes(text.encode("utf-8"))
        content = load_module(folder)
    return Counter((p.item_id, p.field, p.message) for p in content.problems), {q.id for q in content.questions}


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InterchangeError(f"无法读取 {path}（须为 UTF-8 编码）：{exc}") from exc


def _prepare(change: ModuleChange) -> None:
    """The new file text, proven to load back with every new question and no new problem."""
    change.old_text = _read_text(change.path)
    change.new_text = append_questions(change.old_text, change.questions)
    before, _ = _problems_of(change.old_text, change.module.id)
    after, loaded = _problems_of(change.new_text, change.module.id)
    new_problems = after - before
    missing = [q.id for q in change.questions if q.id not in loaded]
    if new_problems or missing:
        detail = "；".join(f"{item}: {name}: {message}" for item, name, message in new_problems) or "、".join(missing)
        raise InterchangeError(f"写入 {change.path} 后的文本未能通过题库校验，已放弃导入（请把导入文件发给课程维护者）：{detail}")


def _write_temp(path: Path, text: str) -> Path:
    """A fully written, flushed sibling of ``path``, ready to be renamed over it."""
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temp = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(text.encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            os.chmod(temp, path.stat().st_mode & 0o7777)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def commit(plan: ImportPlan) -> None:
    """Swap in every module's new file, or none: a file changed by someone else
    since it was read stops the import, and a failed rename puts back the files
    already replaced."""
    for change in plan.changes:
        if _read_text(change.path) != change.old_text:
            raise InterchangeError(f"{change.path} 在导入过程中被修改了，没有导入任何题目；请重新导入")
    temps: list[Path] = []
    done: list[ModuleChange] = []
    try:
        temps = [_write_temp(change.path, change.new_text) for change in plan.changes]
        for change, temp in zip(plan.changes, temps):
            os.replace(temp, change.path)
            done.append(change)
    except OSError as exc:
        for change in done:
            os.replace(_write_temp(change.path, change.old_text), change.path)
        raise InterchangeError(f"写入题库失败，没有导入任何题目：{exc}") from exc
    finally:
        for temp in temps:
            temp.unlink(missing_ok=True)


def read_questions(path: Path, fmt: str | None = None) -> Parsed:
    """Parse an import file (size checked before reading) in the given or detected format."""
    data = read_limited(path)
    name = fmt or detect_format(path, data)
    if name not in FORMATS:
        raise InterchangeError(f"不支持的格式“{fmt}”；可用：{'、'.join(FORMATS)}")
    return FORMATS[name].read(data, path.name)


def import_file(path: Path, *, bank_dir: Path | None = None, module: str | None = None,
                fmt: str | None = None, dry_run: bool = False) -> ImportPlan:
    """Read, check and (unless ``dry_run``) write an import file; see the module docstring."""
    parsed = read_questions(path, fmt)
    plan = plan_import(parsed, source=path.name, bank_dir=bank_dir, module=module)
    if not dry_run:
        commit(plan)
    return plan


def encoding_note(plan: ImportPlan) -> str | None:
    """“按 GBK/GB18030 编码读取” when the file was not UTF-8, so a wrong guess shows."""
    if plan.encoding and plan.encoding != "utf-8-sig":
        return f"（文件按 {ENCODING_NAMES.get(plan.encoding, plan.encoding)} 编码读取）"
    return None
