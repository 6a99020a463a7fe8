"""``python -m helpers import`` and ``python -m helpers export``: question banks
in and out of the course without touching code.

Kept apart from :mod:`helpers.apps.cli` so the course's main command line stays
small; ``add_bank_commands`` hangs both subcommands on its parser.  Exit codes
follow ``validate``: 0 done, 1 rows rejected (one line each on stdout, nothing
written), 2 the file or the request could not be used at all.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from helpers.content.interchange import (
    EXPORT_FORMATS, IMPORT_FORMATS, InterchangeError, RowsRejected, export_file, import_file,
)
from helpers.content.interchange.into_bank import encoding_note


def _bank(args: argparse.Namespace) -> Path | None:
    return Path(args.bank) if args.bank else None


def _import(args: argparse.Namespace) -> int:
    try:
        plan = import_file(Path(args.file), bank_dir=_bank(args), module=args.module, fmt=args.format,
                           dry_run=args.dry_run)
    except RowsRejected as rejected:
        for problem in rejected.problems:
            print(f"{rejected.source}：{problem}")
        print(f"发现 {len(rejected.problems)} 处问题，没有导入任何题目；全部改好后再导入。", file=sys.stderr)
        return 1
    except InterchangeError as error:
        print(error, file=sys.stderr)
        return 2
    note = encoding_note(plan) or ""
    if args.dry_run:
        print(f"检查通过{note}：可以导入 {plan.count} 道题（{plan.summary()}）。这次没有写入；去掉 --dry-run 即可导入。")
    else:
        files = "、".join(str(change.path) for change in plan.changes)
        print(f"已导入 {plan.count} 道题{note}：{plan.summary()}。已写入 {files}；刷新模块页面即可看到。")
    return 0


def _export(args: argparse.Namespace) -> int:
    try:
        report = export_file(args.format, Path(args.out), bank_dir=_bank(args), module=args.module, plain=args.plain)
    except InterchangeError as error:
        print(error, file=sys.stderr)
        return 2
    by_reason: dict[str, list[str]] = {}
    for question, reason in report.skipped:
        by_reason.setdefault(reason, []).append(question.id)
    for reason, ids in by_reason.items():
        print(f"未导出 {len(ids)} 道（{reason}）：{'、'.join(ids)}", file=sys.stderr)
    if report.bank_problems:
        print(f"题库中有 {report.bank_problems} 处问题，有问题的题目没有导出（运行 python -m helpers validate 查看）。",
              file=sys.stderr)
    skipped = f"，{len(report.skipped)} 道该格式无法表达、未导出" if report.skipped else ""
    print(f"已导出 {len(report.written)} 道题到 {args.out}{skipped}。")
    return 0


def add_bank_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add ``import`` and ``export`` to the course command line's subparsers."""
    importer = subparsers.add_parser(
        "import", help="从 Excel/CSV、GIFT、Aiken 或 jupyterquiz 文件导入题目",
        description="把题目导入题库：逐题用题库校验规则检查，有任何一题不合格就一题也不导入。",
    )
    importer.add_argument("file", help="要导入的文件（.xlsx .csv .gift .txt .json）")
    importer.add_argument("--module", help="导入到哪个模块（模块 id 或名称）；文件中已写“模块”的以文件为准，但两者须一致")
    importer.add_argument("--bank", help="题库文件夹（默认 quiz_bank/）")
    importer.add_argument("--format", choices=IMPORT_FORMATS, help="文件格式（默认按扩展名判断）")
    importer.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    importer.set_defaults(run=_import)

    exporter = subparsers.add_parser("export", help="把题库导出为 Excel、GIFT 或 Aiken 文件")
    exporter.add_argument("out", help="输出文件")
    exporter.add_argument("--format", required=True, choices=EXPORT_FORMATS, help="xlsx、gift 或 aiken")
    exporter.add_argument("--module", help="只导出这个模块（默认全部）")
    exporter.add_argument("--bank", help="题库文件夹（默认 quiz_bank/）")
    exporter.add_argument("--plain", action="store_true",
                          help="Aiken：不写 解析、出处 等扩展行，供 Moodle 导入（这样的文件不能再导回本课程）")
    exporter.set_defaults(run=_export)
