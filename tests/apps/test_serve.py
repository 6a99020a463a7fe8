"""What the course server will run with, checked without starting it."""
from __future__ import annotations

import json
import re
import socket
import sys
from pathlib import Path

import pytest
from traitlets.config import Config
from voila.paths import collect_template_paths

from helpers.apps import serve as serve_module
from helpers.apps.serve import (
    REPO,
    SHARE_DIR,
    NotebookDirError,
    PortInUseError,
    build_command,
    check_port_free,
    course_url,
    serve,
)
from helpers.apps.voila_config import NotFoundHandler, PoolSizeError

TEMPLATE_DIR = SHARE_DIR / "voila" / "templates" / "course"


@pytest.fixture
def notebook_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "notebooks"
    (folder / "modules").mkdir(parents=True)
    for name in ("index.ipynb", "teacher.ipynb", "modules/01_jianjie.ipynb", "modules/02_zuzhi.ipynb"):
        (folder / name).write_text("{}", encoding="utf-8")
    return folder


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "config"
    folder.mkdir()
    return folder


def _option(argv: list[str], name: str) -> str:
    values = [arg.split("=", 1)[1] for arg in argv if arg.startswith(f"--{name}=")]
    assert len(values) == 1, f"--{name} 出现 {len(values)} 次：{argv}"
    return values[0]


def test_argv_runs_voila_on_the_notebooks_folder(notebook_dir, config_dir):
    argv, _ = build_command(notebook_dir, "0.0.0.0", 9000, config_dir=config_dir)

    assert argv[:4] == [sys.executable, "-m", "voila", str(notebook_dir.resolve())]
    assert _option(argv, "Voila.ip") == "0.0.0.0"
    assert _option(argv, "port") == "9000"
    assert _option(argv, "Voila.port_retries") == "0"
    assert _option(argv, "Voila.config_file_paths") == str(config_dir)
    assert _option(argv, "template") == "course"
    assert _option(argv, "strip_sources") == "True"
    assert _option(argv, "show_tracebacks") == "False"
    assert "--no-browser" in argv


def test_open_browser_is_passed_on(notebook_dir, config_dir):
    argv, _ = build_command(notebook_dir, config_dir=config_dir, open_browser=True)
    assert "--no-browser" not in argv
    assert _option(argv, "Voila.open_browser") == "True"


def test_env_finds_the_template_and_tells_kernels_the_data_dir(notebook_dir, config_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", "/elsewhere")
    _, env = build_command(notebook_dir, config_dir=config_dir, data_dir=tmp_path / "学员数据")

    assert env["JUPYTER_PATH"].split(":") == [str(SHARE_DIR), "/elsewhere"]
    assert env["COURSE_DATA_DIR"] == str((tmp_path / "学员数据").resolve())


def test_data_dir_defaults_to_the_repo_data_folder(notebook_dir, config_dir, monkeypatch):
    monkeypatch.delenv("JUPYTER_PATH", raising=False)
    _, env = build_command(notebook_dir, config_dir=config_dir)

    assert env["JUPYTER_PATH"] == str(SHARE_DIR)
    assert env["COURSE_DATA_DIR"] == str(REPO / "data")


def test_config_has_per_notebook_pools_and_culling(notebook_dir, config_dir):
    build_command(notebook_dir, config_dir=config_dir, home_pool=3, module_pool=1)
    config = json.loads((config_dir / "voila.json").read_text(encoding="utf-8"))

    assert config["VoilaConfiguration"] == {"preheat_kernel": True}
    assert config["VoilaKernelManager"]["kernel_pools_config"] == {
        "default": {"pool_size": 0},
        "index.ipynb": {"pool_size": 3},
        "modules/01_jianjie.ipynb": {"pool_size": 1},
        "modules/02_zuzhi.ipynb": {"pool_size": 1},
    }
    assert config["MappingKernelManager"] == {"cull_interval": 60, "cull_idle_timeout": 900, "cull_connected": False}


def test_no_pools_means_no_preheating(notebook_dir, config_dir):
    build_command(notebook_dir, config_dir=config_dir, home_pool=0, module_pool=0)
    config = json.loads((config_dir / "voila.json").read_text(encoding="utf-8"))
    assert config["VoilaConfiguration"] == {"preheat_kernel": False}


def test_negative_pool_is_refused(notebook_dir, config_dir):
    with pytest.raises(PoolSizeError, match="不能为负数") as caught:
        build_command(notebook_dir, config_dir=config_dir, module_pool=-1)
    assert isinstance(caught.value, ValueError)


def test_python_config_installs_the_chinese_404_handler(notebook_dir, config_dir):
    build_command(notebook_dir, config_dir=config_dir)
    c = Config()
    exec((config_dir / "voila.py").read_text(encoding="utf-8"), {"c": c})
    assert c.Voila.tornado_settings == {"default_handler_class": NotFoundHandler}


def test_a_folder_without_course_home_is_refused(tmp_path, config_dir):
    with pytest.raises(NotebookDirError, match="找不到课程首页") as caught:
        build_command(tmp_path, config_dir=config_dir)
    assert isinstance(caught.value, ValueError)


def test_a_busy_port_is_reported_in_chinese_before_anything_starts(notebook_dir, monkeypatch):
    monkeypatch.setattr(serve_module.subprocess, "Popen", lambda *a, **k: pytest.fail("不应启动 Voila"))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(PortInUseError, match=f"端口 {port} 已被占用") as caught:
            serve(notebook_dir, "127.0.0.1", port)
        with pytest.raises(PortInUseError):
            check_port_free("127.0.0.1", port)
    assert isinstance(caught.value, ValueError)


def test_course_url_is_openable():
    assert course_url("127.0.0.1", 8866) == "http://127.0.0.1:8866/"
    assert course_url("0.0.0.0", 8866) == "http://127.0.0.1:8866/"
    assert course_url("::1", 8866) == "http://[::1]:8866/"


def test_voila_finds_the_course_template_before_lab():
    paths = collect_template_paths(["voila", "nbconvert"], "course", prune=True, root_dirs=[str(SHARE_DIR)])
    assert paths[0] == str(TEMPLATE_DIR)
    assert json.loads((TEMPLATE_DIR / "conf.json").read_text(encoding="utf-8")) == {"base_template": "lab"}


@pytest.mark.parametrize("path", sorted(p for p in TEMPLATE_DIR.rglob("*") if p.is_file()), ids=lambda p: p.name)
def test_the_template_points_nowhere_outside(path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text, re.IGNORECASE), path
