"""A small bank to import into and export from, and helpers to write import
files, shared by the interchange tests (fixtures in conftest.py)."""
from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from helpers.apps.bank_cli import add_bank_commands

REPO = Path(__file__).resolve().parents[3]
REAL_BANK = REPO / "quiz_bank"

SOURCE = "《中国共产党发展党员工作细则》（2026年修订）第七条"

# One question of every type, with the details a format could lose: partial
# scoring, tolerance and unit, distractors, tags, and GIFT's control
# characters (= # { } ~ :) in the text.
DEMO_QUESTIONS = f"""schema_version: 1
module:
  id: demo
  title: 演示模块
  order: 1
  notebook: modules/demo.ipynb
questions:

  # ── 第一节：选择题 ──

  - id: dm-001
    type: single
    stem: 收到入党申请书后，党组织应在多长时间内派人谈话？
    options: [一周内, 一个月内, 三个月内]
    answer: B
    explanation: 第七条规定“一个月内”。一周内更好，但不是时限。
    source: {SOURCE}
    difficulty: 1
    tags: [谈话, 时限]

  - id: dm-002
    type: multiple
    scoring: partial
    stem: 谈话时应了解哪些情况？{{多选}} 比例 1:2 = 一半 #要点 ~全部
    options: [学习工作经历, 入党动机, 家庭收入明细, 遵纪守法情况]
    answer: [A, B, D]
    explanation: "第七条列明经历、动机、遵纪守法和家庭情况；收入明细不在其列。公式 a=b #注 {{括号}} ~波浪 : 冒号"
    source: {SOURCE}
    difficulty: 2

  - id: dm-003
    type: judge
    stem: 谈话可以由入党申请人所在单位的人事部门代替党组织进行。
    answer: 错
    explanation: 谈话由党组织派人进行，人事部门不能代替。
    source: {SOURCE}
    difficulty: 1
    tags: [scenario]

  - id: dm-004
    type: fill
    stem: 党组织收到入党申请书后，应当在（    ）内派人谈话。
    answer: [一个月, 1个月]
    explanation: 时限是一个月。
    source: {SOURCE}
    difficulty: 1

  - id: dm-005
    type: numeric
    stem: 一名党员月收入4800元，按1%交纳，每月交多少元？
    answer: 48
    tolerance: 0.5
    unit: 元
    explanation: 4800×1%=48元。
    source: 《关于中国共产党党费收缴、使用和管理的规定》（2008年）第二条
    difficulty: 2

  - id: dm-006
    type: order
    stem: 把下列步骤排成正确顺序。
    options: [确定入党积极分子, 递交入党申请书, 派人谈话]
    answer: [B, C, A]
    explanation: 先递交申请书，再谈话，再确定积极分子。
    source: {SOURCE}
    difficulty: 2

  - id: dm-007
    type: match
    stem: 把会议和它的一般频次配起来。
    answer:
      党支部委员会会议: 一般每月召开1次
      党支部党员大会: 一般每季度召开1次
    distractors: [一般每半年召开1次]
    explanation: 支委会每月一次，党员大会每季度一次。
    source: 《中国共产党支部工作条例（试行）》（2018年）第十三条
    difficulty: 1

  - id: dm-008
    type: single
    stem: 年满多少岁可以申请入党？
    options: [十六岁, 十八岁]
    answer: B
    explanation: 党章第一条写的是年满十八岁。
    source: 《中国共产党章程》（2022年修改）第一条
    difficulty: 1
"""

EMPTY_MODULE = """schema_version: 1
module:
  id: {id}
  title: {title}
  order: {order}
  notebook: modules/{id}.ipynb
questions: []
"""


def empty_module(bank: Path, module_id: str, title: str, order: int = 1) -> Path:
    folder = bank / module_id
    folder.mkdir(parents=True)
    (folder / "questions.yaml").write_text(EMPTY_MODULE.format(id=module_id, title=title, order=order), encoding="utf-8")
    return folder


def make_bank(tmp_path: Path) -> Path:
    """A bank with module ``demo`` (eight questions, one per type, and
    comments) and an empty module ``other``."""
    root = tmp_path / "bank"
    (root / "demo").mkdir(parents=True)
    (root / "demo" / "questions.yaml").write_text(DEMO_QUESTIONS, encoding="utf-8")
    empty_module(root, "other", "另一个模块", order=2)
    return root


def empty_copy(bank: Path, tmp_path: Path, name: str = "copy") -> Path:
    """A bank with the same modules as ``bank`` but no questions in them."""
    from helpers.content.loader import load_bank

    root = tmp_path / name
    for module in load_bank(bank).modules.values():
        empty_module(root, module.id, module.meta.title, module.meta.order)
    return root


def fazhan_bank(tmp_path: Path) -> Path:
    """The real 发展党员工作 module alone, copied so tests never write the real bank."""
    root = tmp_path / "fazhan-bank"
    (root / "fazhan").mkdir(parents=True)
    shutil.copy(REAL_BANK / "fazhan" / "questions.yaml", root / "fazhan" / "questions.yaml")
    return root


HEADER = ["题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "解析", "出处", "难度", "模块", "标签"]


def xlsx(path: Path, rows: list[list], header: list[str] | None = None, title: str | None = None) -> Path:
    """An import workbook: an optional title row, the header, the rows."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def row(kind: str, stem: str, options: list[str], answer: str, **extra: str) -> list:
    """A row under :data:`HEADER`, with a valid 解析/出处/难度 unless given."""
    options = options + [""] * (4 - len(options))
    return [kind, stem, *options, answer, extra.get("解析", "解析文字。"), extra.get("出处", SOURCE),
            extra.get("难度", "1"), extra.get("模块", ""), extra.get("标签", "")]


def run_cli(argv: list[str]) -> int:
    """The course command line with the bank commands, as cli.py will have them."""
    parser = argparse.ArgumentParser(prog="python -m helpers")
    commands = parser.add_subparsers(dest="command", required=True)
    add_bank_commands(commands)
    args = parser.parse_args(argv)
    return args.run(args)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (temp files included) with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
