"""``python -m helpers``: validate the bank, print its statistics, serve the course, back up its data."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from helpers.apps.bank_cli import add_bank_commands
from helpers.apps.data_cli import add_data_commands, check_before_serving
from helpers.content.errors import Problem
from helpers.content.loader import Bank, default_bank_dir, load_bank, load_module

REPO = Path(__file__).resolve().parents[2]
CLASS_SIZE_ENV = "COURSE_CLASS_SIZE"


def _load_for(path: Path) -> Bank:
    """A bank folder, one module folder, or one file inside a module folder."""
    if path.is_file():
        module = load_module(path.parent)
        problems = [p for p in module.problems if Path(p.file) == path]
        return Bank(modules={module.id: module}, problems=problems)
    if (path / "questions.yaml").exists():
        module = load_module(path)
        return Bank(modules={module.id: module}, problems=module.problems)
    return load_bank(path)


def _validate(args: argparse.Namespace) -> int:
    path = Path(args.path) if args.path else default_bank_dir()
    if not path.exists():
        print(f"{path}: 路径不存在", file=sys.stderr)
        return 2
    bank = _load_for(path)
    problems = list(bank.problems)
    exams = 0
    if path.is_dir() and not (path / "questions.yaml").exists():
        exam_problems, exams = _exam_problems(path, bank)
        problems += exam_problems
    for problem in problems:
        print(problem)
    questions = len(bank.questions)
    checklists = sum(len(m.checklists) for m in bank.modules.values())
    verdict = "通过" if not problems else f"发现 {len(problems)} 个问题"
    print(f"{verdict}：{len(bank.modules)} 个模块，{questions} 道题，{checklists} 份自查清单，{exams} 份组卷方案。",
          file=sys.stderr)
    return 1 if problems else 0


def _exam_problems(bank_dir: Path, bank: Bank) -> tuple[list[Problem], int]:
    """Broken blueprint files, and blueprints the bank cannot fill."""
    from helpers.content.blueprint import EXAMS_FOLDER, load_exam_blueprints
    from helpers.engine.exam_draw import BlueprintError, draw

    found = load_exam_blueprints(bank_dir)
    problems = list(found.problems)
    for blueprint_id, blueprint in found.blueprints.items():
        try:
            draw(blueprint, bank.questions, seed=0)
        except BlueprintError as exc:
            problems.append(Problem(bank_dir / EXAMS_FOLDER, None, blueprint_id, "sections", str(exc)))
    return problems, len(found.blueprints)


def _stats(args: argparse.Namespace) -> int:
    from helpers.content.stats import bank_stats

    bank = load_bank(Path(args.path) if args.path else None)
    stats = bank_stats(bank)
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
    else:
        print(f"题目共 {stats['questions']} 道")
        for module_id, module in stats["modules"].items():
            print(f"  {module_id}（{module['title']}）：{module['questions']} 道 {module['types']}")
        for checklist_id, checklist in stats["checklists"].items():
            print(f"  自查清单 {checklist_id}：{checklist['items']} 项")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from helpers.apps.serve import ServeError, self_study_wanted, serve
    from helpers.apps.voila_config import PoolSizeError, available_memory_mb, class_pools

    refused = check_before_serving(args.data_dir)
    if refused:
        print(refused, file=sys.stderr)
        return 2
    try:
        return serve(
            Path(args.notebooks),
            host="0.0.0.0" if args.lan else args.host,
            port=args.port,
            data_dir=Path(args.data_dir) if args.data_dir else None,
            home_pool=args.home_pool,
            module_pool=args.module_pool,
            pools=class_pools(args.class_size, available_memory_mb()) if args.class_size else None,
            passcode=args.instructor_passcode,
            open_browser=args.open_browser,
            self_study=self_study_wanted(class_size=args.class_size, passcode=args.instructor_passcode),
        )
    except (ServeError, PoolSizeError) as exc:
        print(exc, file=sys.stderr)
        return 2


def _class_size(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"班级人数应为正整数：{text}")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m helpers", description="“两新”组织党组织书记培训课程")
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="检查题库与自查清单文件")
    validate.add_argument("path", nargs="?", help="题库文件夹、模块文件夹或单个文件（默认 quiz_bank/）")
    validate.set_defaults(run=_validate)

    stats = commands.add_parser("stats", help="题库统计")
    stats.add_argument("path", nargs="?")
    stats.add_argument("--json", action="store_true", help="输出 JSON")
    stats.set_defaults(run=_stats)

    serve = commands.add_parser("serve", help="启动课程（Voila）")
    where = serve.add_mutually_exclusive_group()
    where.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，只本机可访问）")
    where.add_argument("--lan", action="store_true",
                       help="让同一局域网的电脑和手机访问（监听 0.0.0.0），并显示地址和二维码")
    serve.add_argument("--port", type=int, default=8866)
    serve.add_argument("--notebooks", default=str(REPO / "notebooks"), help=argparse.SUPPRESS)
    serve.add_argument("--data-dir", help="学员数据所在文件夹（默认为本机用户的数据文件夹，启动时会显示）")
    serve.add_argument("--class-size", type=_class_size, default=os.environ.get(CLASS_SIZE_ENV) or None,
                       help=f"班级人数：按人数和本机内存预热课程首页内核（也可用环境变量 {CLASS_SIZE_ENV}）")
    serve.add_argument("--home-pool", type=int, default=2, help="课程首页预热内核数（给了 --class-size 时不用）")
    serve.add_argument("--module-pool", type=int, default=1, help="每个模块页预热内核数（给了 --class-size 时为 0）")
    serve.add_argument("--instructor-passcode",
                       help="教师看板口令（默认读环境变量 COURSE_INSTRUCTOR_PASSCODE，都没有则启动时生成并显示）")
    serve.add_argument("--open-browser", action="store_true", help="启动后打开浏览器")
    serve.set_defaults(run=_serve)
    add_bank_commands(commands)
    add_data_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)
