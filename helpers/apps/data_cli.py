"""``python -m helpers backup`` and ``python -m helpers restore``: the course database
copied aside and put back, and the check ``serve`` runs before starting.

Kept apart from :mod:`helpers.apps.cli` so the main command line stays small;
``add_data_commands`` hangs both subcommands on its parser.  The database is
found the way ``serve`` finds it (``COURSE_DB_URL``, else ``--data-dir``, else
:func:`~helpers.store.location.data_folder`), so a backup taken here is of the data the course really uses.
Exit codes: 0 done, 1 refused (the reason in Chinese on stderr, nothing changed).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from helpers.store import StoreError
from helpers.store.location import data_folder, folder_url


def course_database_url(data_dir: str | Path | None) -> str:
    """The database ``serve --data-dir data_dir`` makes its kernels use."""
    return os.environ.get("COURSE_DB_URL") or folder_url(Path(data_dir) if data_dir else data_folder())


def check_before_serving(data_dir: str | Path | None) -> str | None:
    """A Chinese reason not to start the course on this database, or None.

    Trainees would otherwise meet a damaged database only on their pages, one
    by one; the instructor should learn it in the terminal before class.
    """
    from helpers.store.backup import check_course_file, sqlite_path

    url = course_database_url(data_dir)
    try:
        path = sqlite_path(url)
    except StoreError:
        return None  # a database server: its pages report problems themselves
    if not path.exists():
        return None
    try:
        check_course_file(path, allow_new=True)
    except StoreError as exc:
        return f"课程没有启动：{exc}"
    return None


def _backup(args: argparse.Namespace) -> int:
    from helpers.store.backup import backup

    try:
        written = backup(course_database_url(args.data_dir), Path(args.out) if args.out else None)
    except StoreError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"已备份课程数据库，备份文件：{written}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from helpers.store.backup import restore, sqlite_path

    url = course_database_url(args.data_dir)
    try:
        kept = restore(url, Path(args.file))
    except StoreError as exc:
        print(exc, file=sys.stderr)
        return 1
    kept_note = f"；恢复前的数据库已另存为 {kept}" if kept else ""
    print(f"已用 {args.file} 恢复课程数据库 {sqlite_path(url)}{kept_note}。现在可以启动课程。")
    return 0


def add_data_commands(commands: argparse._SubParsersAction) -> None:
    data_help = "学员数据所在文件夹（默认与 serve 相同，启动时会显示）"
    backup = commands.add_parser("backup", help="备份课程数据库（课程运行时也可以备份）")
    backup.add_argument("out", nargs="?", help="备份文件名或文件夹（默认在数据文件夹中，文件名带日期时间）")
    backup.add_argument("--data-dir", help=data_help)
    backup.set_defaults(run=_backup)

    restore = commands.add_parser("restore", help="用备份文件恢复课程数据库（请先停止课程）")
    restore.add_argument("file", help="备份文件")
    restore.add_argument("--data-dir", help=data_help)
    restore.set_defaults(run=_restore)
