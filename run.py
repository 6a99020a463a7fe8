#!/usr/bin/env python3
"""The two commands of the project, for a machine that has only Python 3.

    python3 run.py serve [选项]   建好环境并启动课程（选项见 python3 run.py serve --help）
    python3 run.py test  [pytest 参数]   建好环境并运行全部测试
    python3 run.py bench [--quick] [--trainees N]   基准测试（与原版 Voila 对比，结果写入 benchmarks/results.json）

Works the same on Windows (``py run.py serve``), macOS and Linux: no make, no
bash.  The first run creates ``.venv`` beside this file and installs the
project into it; later runs reinstall only when ``pyproject.toml`` changed.
Set ``COURSE_USE_CURRENT_PYTHON=1`` to use the running interpreter instead
(for example inside the conda environment of ``environment.yml``).
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"


def _venv_python() -> Path:
    if os.environ.get("COURSE_USE_CURRENT_PYTHON") == "1":
        return Path(sys.executable)
    scripts = "Scripts" if os.name == "nt" else "bin"
    python = VENV / scripts / ("python.exe" if os.name == "nt" else "python")
    if not python.exists():
        print("首次运行：正在创建 Python 虚拟环境 .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    return python


def _ensure_installed(python: Path, extra: str) -> None:
    """Install the project (with ``extra``) unless the same pyproject is installed."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extra.encode()).hexdigest()
    stamp = (VENV if python.is_relative_to(VENV) else ROOT / "build") / f".installed-{extra or 'base'}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    print("正在安装依赖（首次需要几分钟）…", flush=True)
    target = f".[{extra}]" if extra else "."
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-e", target], cwd=ROOT, check=True)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest)


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):
        print(f"需要 Python 3.11 或更新版本，当前是 {sys.version.split()[0]}。请先安装新版 Python。")
        return 2
    if not argv or argv[0] not in ("serve", "test", "bench"):
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    python = _venv_python()
    if command == "serve":
        _ensure_installed(python, "")
        return subprocess.call([str(python), "-m", "helpers", "serve", *rest], cwd=ROOT)
    _ensure_installed(python, "test")
    runner = "benchmarks.run" if command == "bench" else "pytest"
    return subprocess.call([str(python), "-m", runner, *rest], cwd=ROOT)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
