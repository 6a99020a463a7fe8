"""Which servers are for self-study (and may list profiles), checked without starting one."""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers.apps import serve as serve_module
from helpers.apps.cli import main as cli_main
from helpers.apps.serve import build_command
from helpers.store.location import SELF_STUDY_ENV


@pytest.fixture
def notebook_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    (folder / "index.ipynb").write_text("{}", encoding="utf-8")
    return folder


def _env(notebook_dir: Path, tmp_path: Path, host: str, **options) -> dict[str, str]:
    config_dir = tmp_path / "config"
    config_dir.mkdir(exist_ok=True)
    return build_command(notebook_dir, host, config_dir=config_dir, **options)[1]


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_a_self_study_server_on_this_machine_tells_its_kernels(notebook_dir, tmp_path, host):
    assert _env(notebook_dir, tmp_path, host, self_study=True)[SELF_STUDY_ENV] == "1"


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.5"])
def test_a_server_others_can_reach_never_lists_profiles(notebook_dir, tmp_path, host, monkeypatch):
    monkeypatch.setenv(SELF_STUDY_ENV, "1")  # not even when inherited
    assert SELF_STUDY_ENV not in _env(notebook_dir, tmp_path, host, self_study=True)


def test_self_study_is_off_unless_asked(notebook_dir, tmp_path, monkeypatch):
    monkeypatch.setenv(SELF_STUDY_ENV, "1")
    assert SELF_STUDY_ENV not in _env(notebook_dir, tmp_path, "127.0.0.1")


@pytest.mark.parametrize(("argv", "self_study"), [
    ([], True),
    (["--port", "8870", "--data-dir", "d"], True),
    (["--class-size", "30"], False),
    (["--instructor-passcode", "p-1"], False),
])
def test_any_classroom_option_turns_self_study_off(monkeypatch, argv, self_study):
    monkeypatch.delenv("COURSE_CLASS_SIZE", raising=False)
    monkeypatch.delenv("COURSE_INSTRUCTOR_PASSCODE", raising=False)
    monkeypatch.setattr("helpers.apps.voila_config.available_memory_mb", lambda: 24_000)
    seen = {}
    monkeypatch.setattr(serve_module, "serve", lambda notebooks, **kwargs: seen.update(kwargs) or 0)
    assert cli_main(["serve", *argv]) == 0
    assert seen["self_study"] is self_study


def test_a_passcode_in_the_environment_means_a_class(monkeypatch):
    monkeypatch.delenv("COURSE_CLASS_SIZE", raising=False)
    monkeypatch.setenv("COURSE_INSTRUCTOR_PASSCODE", "p-2")
    seen = {}
    monkeypatch.setattr(serve_module, "serve", lambda notebooks, **kwargs: seen.update(kwargs) or 0)
    assert cli_main(["serve"]) == 0
    assert seen["self_study"] is False
