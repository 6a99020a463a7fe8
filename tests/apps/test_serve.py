"""What the course server will run with, checked without starting it."""
from __future__ import annotations

import asyncio
import json
from datetime import datetime, timezone
from types import SimpleNamespace
import re
import socket
import sys
from pathlib import Path

import pytest
from traitlets.config import Config
from voila.paths import collect_template_paths

from helpers.apps import serve as serve_module
from helpers.store import location
from helpers.apps.serve import (
    SHARE_DIR,
    NotebookDirError,
    PortInUseError,
    build_command,
    check_port_free,
    course_url,
    serve,
)
from helpers.apps.voila_config import NotFoundHandler, PoolSizeError, with_course_pools

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


def test_data_dir_defaults_to_the_users_data_folder(notebook_dir, config_dir, tmp_path, monkeypatch):
    monkeypatch.delenv("JUPYTER_PATH", raising=False)
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    monkeypatch.setattr(location, "COURSE_FOLDER_DATA", tmp_path / "course-folder-data")
    monkeypatch.setattr(location.platformdirs, "user_data_dir", lambda app: str(tmp_path / "user" / app))
    _, env = build_command(notebook_dir, config_dir=config_dir)

    assert env["JUPYTER_PATH"] == str(SHARE_DIR)
    assert env["COURSE_DATA_DIR"] == str(tmp_path / "user" / location.APP_NAME)


def test_a_database_left_in_the_course_folder_by_an_earlier_version_is_still_used(
    notebook_dir, config_dir, tmp_path, monkeypatch
):
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    earlier = tmp_path / "course-folder-data"
    earlier.mkdir()
    (earlier / location.FILE_NAME).write_bytes(b"")
    monkeypatch.setattr(location, "COURSE_FOLDER_DATA", earlier)
    _, env = build_command(notebook_dir, config_dir=config_dir)
    assert env["COURSE_DATA_DIR"] == str(earlier)


def test_startup_message_says_where_the_records_are(tmp_path):
    text = startup_message("127.0.0.1", 8866, passcode=None, pools=None, data_dir=tmp_path)
    assert f"学习记录保存在：{tmp_path}" in text and "python -m helpers backup" in text


def test_config_has_per_notebook_pools_and_culling(notebook_dir, config_dir):
    build_command(notebook_dir, config_dir=config_dir, home_pool=3, module_pool=1)
    config = json.loads((config_dir / "voila.json").read_text(encoding="utf-8"))

    assert config["VoilaConfiguration"] == {"preheat_kernel": True}
    assert config["VoilaKernelManager"]["fill_delay"] == 1.0
    assert config["VoilaKernelManager"]["kernel_pools_config"] == {
        "default": {"pool_size": 0},
        "index.ipynb": {"pool_size": 3},
        "modules/01_jianjie.ipynb": {"pool_size": 1},
        "modules/02_zuzhi.ipynb": {"pool_size": 1},
    }
    assert config["MappingKernelManager"] == {"cull_interval": 60, "cull_idle_timeout": 900, "cull_connected": False}


@pytest.mark.skipif(sys.platform == "win32", reason="Windows kernels have only TCP")
def test_kernels_use_unix_sockets_so_a_burst_of_starts_cannot_collide_on_ports(notebook_dir, config_dir):
    build_command(notebook_dir, config_dir=config_dir)
    config = json.loads((config_dir / "voila.json").read_text(encoding="utf-8"))
    assert config["KernelManager"] == {"transport": "ipc"}


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


def test_python_config_makes_kernel_websockets_send_without_delay(notebook_dir, config_dir, monkeypatch):
    from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

    calls = []

    async def voilas_open(self, kernel_id):
        calls.append(("open", kernel_id))

    monkeypatch.setattr(VoilaKernelWebsocketHandler, "open", voilas_open)
    build_command(notebook_dir, config_dir=config_dir)
    for _ in range(2):  # a second config load must not wrap it twice
        exec((config_dir / "voila.py").read_text(encoding="utf-8"), {"c": Config()})

    class Connection:
        def set_nodelay(self, value):
            calls.append(("nodelay", value))

    asyncio.run(VoilaKernelWebsocketHandler.open(Connection(), "k1"))
    assert calls == [("nodelay", True), ("open", "k1")]


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


# -- a server for a class ------------------------------------------------------

from jupyter_client.kernelspec import KernelSpecManager

from helpers.apps import lan
from helpers.apps.cli import main as cli_main
from helpers.apps.lan import lan_address, qr_text
from helpers.apps.serve import instructor_passcode, startup_message, trainee_url
from helpers.apps.voila_config import KERNEL_MB, class_pools
from helpers.engine.passcode import ENV_VARIABLE, verify_passcode


def test_kernels_get_the_passcode_hash_never_the_passcode(notebook_dir, config_dir, monkeypatch):
    monkeypatch.setenv("COURSE_INSTRUCTOR_PASSCODE", "12345678")
    monkeypatch.setenv(ENV_VARIABLE, "stale")
    _, env = build_command(notebook_dir, config_dir=config_dir)
    assert "COURSE_INSTRUCTOR_PASSCODE" not in env and ENV_VARIABLE not in env

    from helpers.engine.passcode import hash_passcode

    _, env = build_command(notebook_dir, config_dir=config_dir, passcode_hash=hash_passcode("12345678"))
    assert verify_passcode("12345678", env[ENV_VARIABLE]) and "12345678" not in env[ENV_VARIABLE]
    assert "12345678" not in " ".join(build_command(notebook_dir, config_dir=config_dir)[0])


def test_passcode_from_option_then_environment_then_new(monkeypatch):
    monkeypatch.delenv("COURSE_INSTRUCTOR_PASSCODE", raising=False)
    assert instructor_passcode("abc123") == ("abc123", False)
    made, generated = instructor_passcode(None)
    assert generated and made.isdigit() and len(made) == 8
    monkeypatch.setenv("COURSE_INSTRUCTOR_PASSCODE", "from-env")
    assert instructor_passcode(None) == ("from-env", False)
    with pytest.raises(serve_module.ServeError, match="口令不能为空"):
        instructor_passcode("  ")


def test_cull_settings_can_be_shortened_for_tests(notebook_dir, config_dir):
    build_command(notebook_dir, config_dir=config_dir, cull_idle_timeout=10, cull_interval=2)
    config = json.loads((config_dir / "voila.json").read_text(encoding="utf-8"))
    assert config["MappingKernelManager"] == {"cull_interval": 2, "cull_idle_timeout": 10, "cull_connected": False}


def test_course_kernelspec_starts_kernels_without_the_debugger(notebook_dir, config_dir):
    _, env = build_command(notebook_dir, config_dir=config_dir)
    spec = KernelSpecManager(kernel_dirs=[str(SHARE_DIR / "kernels")]).get_kernel_spec("python3")
    assert spec.argv[:3] == ["python", "-m", "helpers.apps.kernel"] and "{connection_file}" in spec.argv
    assert "--HistoryManager.enabled=False" in spec.argv
    assert env["JUPYTER_PATH"].split(":")[0] == str(SHARE_DIR)


def test_the_course_kernel_runs_code_and_has_no_debugpy(tmp_path, monkeypatch):
    from jupyter_client.manager import start_new_kernel

    monkeypatch.setenv("JUPYTER_PATH", str(SHARE_DIR))
    manager, client = start_new_kernel(kernel_name="python3", cwd=str(tmp_path))
    try:
        seen = []
        client.execute_interactive(
            "import sys; print(sys.modules.get('debugpy', 'absent'), sys.path[0] != '')", timeout=60,
            output_hook=lambda msg: seen.append(msg["content"].get("text", "")),
        )
        assert "None True" in "".join(seen)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


@pytest.mark.parametrize(
    ("size", "free_mb", "home_pool", "reserve", "fits"),
    [
        (100, 24_000, 110, 10, True),   # class + 10%: everyone gets a page at once, then only 10 are kept
        (100, 8_600, 110, 10, True),    # just enough for class + reserve
        (100, 8_000, 4, None, True),    # the class fits, the reserve not: a small pool refilled at once
        (100, 6_000, 2, None, False),   # not even the class fits: minimum pool and a warning
        (5, 24_000, 7, 2, True),
    ],
)
def test_class_pools_follow_class_size_and_memory(size, free_mb, home_pool, reserve, fits):
    pools = class_pools(size, free_mb)
    assert (pools.home_pool, pools.module_pool, pools.home_reserve, pools.fits) == (home_pool, 0, reserve, fits)
    assert pools.needed_mb == size * KERNEL_MB + 150
    most = size + (reserve if reserve is not None else pools.home_pool)  # kernels once the class is in
    if fits:
        assert most * KERNEL_MB + 150 <= free_mb * 0.8


def test_a_reserve_outside_the_pool_is_refused(notebook_dir, config_dir):
    with pytest.raises(PoolSizeError, match="备用内核数"):
        build_command(notebook_dir, config_dir=config_dir, home_pool=3, home_reserve=4)


class _Pools:
    """What Voila's pooled kernel manager does at a take, as far as the course changes it."""

    def __init__(self, config):
        self.kernel_pools_config = config
        self.sizes_at_take = []
        self.kernels = {}

    async def get_rendered_notebook(self, notebook_name, **kwargs):
        self.sizes_at_take.append(self.kernel_pools_config[notebook_name]["pool_size"])
        kernel_id = f"k{len(self.sizes_at_take)}"
        self.kernels[kernel_id] = SimpleNamespace(last_activity=datetime(2026, 1, 1, tzinfo=timezone.utc))
        return "task", ["cells"], kernel_id

    def get_kernel(self, kernel_id):
        return self.kernels[kernel_id]


def test_the_first_take_lowers_a_pool_to_its_reserve_and_leaves_others_alone():
    manager = with_course_pools(_Pools)({"index.ipynb": {"pool_size": 110, "reserve": 10},
                                         "modules/a.ipynb": {"pool_size": 1}})
    for notebook in ("index.ipynb", "index.ipynb", "modules/a.ipynb"):
        assert asyncio.run(manager.get_rendered_notebook(notebook))[1] == ["cells"]
    assert manager.sizes_at_take == [10, 10, 1]  # Voila refills to what it reads at the take
    assert manager.kernel_pools_config["index.ipynb"] == {"pool_size": 10, "reserve": 10}


def test_a_kernel_handed_to_a_page_counts_as_active_so_the_culler_leaves_it():
    manager = with_course_pools(_Pools)({"index.ipynb": {"pool_size": 2}})
    before = datetime.now(timezone.utc)
    _, _, kernel_id = asyncio.run(manager.get_rendered_notebook("index.ipynb"))
    assert manager.get_kernel(kernel_id).last_activity >= before  # it waited in the pool since January


def test_the_config_file_adapts_voilas_pools(notebook_dir, config_dir, monkeypatch):
    import voila.app

    monkeypatch.setattr(voila.app, "voila_kernel_manager_factory", lambda *args, **kwargs: _Pools)
    build_command(notebook_dir, config_dir=config_dir)
    for _ in range(2):  # loaded twice, wrapped once
        exec((config_dir / "voila.py").read_text(encoding="utf-8"), {"c": Config()})
    built = voila.app.voila_kernel_manager_factory()
    assert issubclass(built, _Pools) and built.__mro__[1] is _Pools


def test_trainees_get_the_lan_address_when_serving_the_network(monkeypatch):
    monkeypatch.setattr(serve_module, "lan_address", lambda: "192.168.10.23")
    assert trainee_url("0.0.0.0", 8866) == "http://192.168.10.23:8866/"
    assert trainee_url("10.0.0.5", 8866) == "http://10.0.0.5:8866/"
    assert trainee_url("127.0.0.1", 8866) is None


def test_startup_message_has_addresses_qr_pools_and_new_passcode(monkeypatch):
    monkeypatch.setattr(serve_module, "lan_address", lambda: "192.168.10.23")
    text = startup_message("0.0.0.0", 8866, passcode="01234567", pools=class_pools(60, 24_000))
    assert "本机请在浏览器打开 http://127.0.0.1:8866/" in text
    assert "请打开 http://192.168.10.23:8866/" in text and qr_text("http://192.168.10.23:8866/") in text
    assert "班级人数 60：课程首页预热 66 个内核（学员到齐后保留 6 个备用）" in text and "注意" not in text
    assert "本次授课老师口令：01234567" in text

    local = startup_message("127.0.0.1", 8866, passcode=None, pools=None)
    assert local == "课程已启动：本机请在浏览器打开 http://127.0.0.1:8866/"


def test_no_lan_address_is_said_in_chinese(monkeypatch):
    monkeypatch.setattr(serve_module, "lan_address", lambda: None)
    assert "没有检测到局域网地址" in startup_message("0.0.0.0", 8866, passcode=None, pools=None)


def test_short_of_memory_is_said_in_chinese():
    assert "可用内存可能不够" in startup_message("127.0.0.1", 8866, passcode=None, pools=class_pools(100, 6_000))


class _RecordingSocket:
    """Stands in for a UDP socket: records what is called, sends nothing."""

    calls: list[str] = []

    def __init__(self, *args):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def connect(self, address):
        self.calls.append(f"connect {address[0]}")

    def getsockname(self):
        return ("192.168.1.7", 50000)

    def __getattr__(self, name):  # send, sendto, …: any of them fails the test
        raise AssertionError(f"lan_address 不应调用 socket.{name}")


def test_lan_address_asks_the_routing_table_without_sending(monkeypatch):
    _RecordingSocket.calls = []
    monkeypatch.setattr(lan.socket, "socket", _RecordingSocket)
    assert lan_address() == "192.168.1.7"
    [call] = _RecordingSocket.calls
    assert call.startswith("connect 10.")  # a private address: nothing would leave the LAN anyway


def test_lan_address_on_this_machine_is_not_loopback():
    found = lan_address()
    assert found is None or not found.startswith("127.")


def _decode(text: str, compact: bool) -> list[list[bool]]:
    """Back from block characters to dark (True) / light modules."""
    if not compact:
        return [[line[i:i + 2] == "  " for i in range(0, len(line), 2)] for line in text.split("\n")]
    top = {"█": False, "▀": False, "▄": True, " ": True}
    bottom = {"█": False, "▀": True, "▄": False, " ": True}
    rows = []
    for line in text.split("\n"):
        rows += [[top[c] for c in line], [bottom[c] for c in line]]
    return rows


@pytest.mark.parametrize(("encoding", "compact"), [("utf-8", True), ("gbk", False)])
def test_qr_code_draws_exactly_the_code_matrix(encoding, compact):
    import qrcode

    url = "http://192.168.10.23:8866/"
    text = qr_text(url, encoding)
    text.encode(encoding)
    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_L)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    assert _decode(text, compact)[:len(matrix)] == matrix


def _serve_called_with(monkeypatch, argv: list[str]) -> dict:
    seen = {}
    monkeypatch.setattr(serve_module, "serve", lambda notebooks, **kwargs: seen.update(kwargs) or 0)
    assert cli_main(["serve", *argv]) == 0
    return seen


def test_cli_lan_and_class_size(monkeypatch):
    monkeypatch.setattr("helpers.apps.voila_config.available_memory_mb", lambda: 24_000)
    seen = _serve_called_with(monkeypatch, ["--lan", "--class-size", "60", "--instructor-passcode", "p-1"])
    assert seen["host"] == "0.0.0.0" and seen["passcode"] == "p-1"
    assert seen["pools"] == class_pools(60, 24_000)


def test_cli_class_size_from_the_environment(monkeypatch):
    monkeypatch.setenv("COURSE_CLASS_SIZE", "30")
    monkeypatch.setattr("helpers.apps.voila_config.available_memory_mb", lambda: 24_000)
    assert _serve_called_with(monkeypatch, [])["pools"].class_size == 30


def test_cli_without_class_size_keeps_self_study_pools(monkeypatch):
    monkeypatch.delenv("COURSE_CLASS_SIZE", raising=False)
    seen = _serve_called_with(monkeypatch, ["--host", "127.0.0.1"])
    assert seen["pools"] is None and (seen["home_pool"], seen["module_pool"]) == (2, 1)


@pytest.mark.parametrize("bad", ["0", "-3", "abc"])
def test_cli_bad_class_size_is_refused_in_chinese(monkeypatch, capsys, bad):
    monkeypatch.setattr(serve_module, "serve", lambda *a, **k: pytest.fail("不应启动"))
    with pytest.raises(SystemExit):
        cli_main(["serve", "--class-size", bad])
    assert "班级人数应为正整数" in capsys.readouterr().err


def test_cli_lan_and_host_together_are_refused(monkeypatch):
    monkeypatch.setattr(serve_module, "serve", lambda *a, **k: pytest.fail("不应启动"))
    with pytest.raises(SystemExit):
        cli_main(["serve", "--lan", "--host", "10.0.0.1"])


class _FinishedProcess:
    returncode = 0

    def poll(self):
        return 0

    def wait(self, timeout=None):
        return 0


def test_serve_runs_voila_with_the_class_pools_and_the_passcode_hash(notebook_dir, monkeypatch, capsys):
    seen = {}

    def popen(argv, env):
        config_dir = Path(next(a for a in argv if a.startswith("--Voila.config_file_paths=")).split("=", 1)[1])
        seen["config"] = json.loads((config_dir / "voila.json").read_text(encoding="utf-8"))
        seen["env"] = env
        return _FinishedProcess()

    monkeypatch.setattr(serve_module.subprocess, "Popen", popen)
    monkeypatch.delenv("COURSE_INSTRUCTOR_PASSCODE", raising=False)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert serve(notebook_dir, "127.0.0.1", port, pools=class_pools(20, 24_000), passcode="12345678") == 0

    manager = seen["config"]["VoilaKernelManager"]
    assert manager["fill_delay"] == 1.0
    assert manager["kernel_pools_config"]["index.ipynb"] == {"pool_size": 22, "reserve": 2}
    assert manager["kernel_pools_config"]["modules/01_jianjie.ipynb"] == {"pool_size": 0}
    assert verify_passcode("12345678", seen["env"][ENV_VARIABLE])
