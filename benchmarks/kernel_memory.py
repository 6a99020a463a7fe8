"""What a trainee kernel's memory is made of: ``python -m benchmarks.kernel_memory``.

Starts one real course kernel (the course's kernelspec, as Voila does), then
runs, step by step, what the course home and two in-place modules make it
import and build, and reads the kernel's RSS, USS and PSS (psutil
``memory_full_info``) after every step, and the CPU seconds the step took in
the kernel (widgets are real: every one is sent to the client as a comm).  Each delta is what that step added on
top of the steps before it, so the order is the order a trainee's kernel
loads things in.  This drives a kernel the benchmark started itself over
jupyter_client; nothing is added to the course for it.

Prints a table and, with ``--json``, one JSON object (what ``benchmarks.run``
stores).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import psutil
from jupyter_client.manager import KernelManager

# (label, code run in the kernel); later steps include what earlier ones loaded.
STEPS: list[tuple[str, str]] = [
    ("kernel started (ipykernel, IPython, no user code)", ""),
    ("ipywidgets", "import ipywidgets"),
    ("pydantic", "import pydantic, pydantic_core"),
    ("bank schema and loader (pydantic models built)", "import helpers.content.loader"),
    ("sqlalchemy", "import sqlalchemy"),
    ("helpers.store (+ its migrations' imports)", "import helpers.store"),
    ("helpers.ui pages", "import helpers.ui"),
    ("course home built, store opened, trainee signed in",
     "from helpers.ui.pages import CourseHome\nhome = CourseHome()\ndisplay(home.widget)"),
    ("module 1 opened in place", "home.open_module(home.listed[0].id)"),
    ("module 2 opened in place", "home.open_module(home.listed[1].id)"),
]
WATCHED = ["jedi", "parso", "alembic", "mako", "sqlalchemy", "sqlalchemy.orm", "pydantic", "mistune", "openpyxl", "docx",
           "psutil", "platformdirs", "websockets", "jinja2", "numpy", "pandas", "debugpy", "tornado", "zmq"]
TIMEOUT_S = 120


def _memory_mb(pid: int) -> dict[str, float]:
    info = psutil.Process(pid).memory_full_info()
    return {"rss": info.rss / 2**20, "uss": info.uss / 2**20, "pss": info.pss / 2**20}


def _cpu_s(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


def _run(client: Any, code: str) -> str:
    """Run ``code``; return its stdout, raise with the traceback if it failed."""
    msg_id = client.execute(code, store_history=False)
    out = []
    while True:
        message = client.get_iopub_msg(timeout=TIMEOUT_S)
        if message["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = message["msg_type"], message["content"]
        if kind == "stream":
            out.append(content["text"])
        elif kind == "error":
            raise RuntimeError("\n".join(content["traceback"]))
        elif kind == "status" and content["execution_state"] == "idle":
            return "".join(out)


def _signed_in_token(data_dir: Path) -> str:
    from helpers.engine.identity import validate_identity
    from helpers.store import Store
    from helpers.store.location import database_url

    os.environ["COURSE_DATA_DIR"] = str(data_dir)
    store = Store.open(database_url())
    try:
        return store.sign_in(validate_identity("内存测试", "M00001", "")).token
    finally:
        store.close()


def profile() -> dict[str, Any]:
    """Memory after each step of :data:`STEPS`, and which heavy packages the kernel holds."""
    from helpers.apps.serve import REPO, SHARE_DIR

    with tempfile.TemporaryDirectory(prefix="bench-kernel-memory-") as tmp:
        token = _signed_in_token(Path(tmp))
        env = {**os.environ, "COURSE_DATA_DIR": tmp, "QUERY_STRING": f"s={token}",
               "JUPYTER_PATH": os.pathsep.join(filter(None, [str(SHARE_DIR), os.environ.get("JUPYTER_PATH")]))}
        manager = KernelManager(kernel_name="python3")
        manager.kernel_spec_manager.kernel_dirs.insert(0, str(SHARE_DIR / "kernels"))
        manager.start_kernel(env=env, cwd=str(REPO / "notebooks"))
        client = manager.blocking_client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=TIMEOUT_S)
            pid = manager.provisioner.process.pid
            steps, before = [], None
            for label, code in STEPS:
                cpu = _cpu_s(pid)
                if code:
                    _run(client, code)
                cpu = _cpu_s(pid) - cpu if code else cpu
                _run(client, "import gc; gc.collect()")
                now = _memory_mb(pid)
                delta = {k: now[k] - before[k] for k in now} if before else now
                steps.append({"step": label, **{k: round(v, 1) for k, v in now.items()},
                              **{f"d_{k}": round(v, 1) for k, v in delta.items()}, "cpu_s": round(cpu, 3)})
                before = now
            loaded = json.loads(_run(client, f"import sys, json\nprint(json.dumps([m for m in {WATCHED!r} "
                                              "if m in sys.modules and sys.modules[m] is not None]))"))
            modules = int(_run(client, "print(len(sys.modules))"))
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
    return {"steps": steps, "loaded_packages": loaded, "modules": modules}


def table(result: dict[str, Any]) -> str:
    lines = ["| step | RSS MB | USS MB | PSS MB | +RSS | +USS | +PSS | kernel CPU s |",
             "|---|---|---|---|---|---|---|---|"]
    for s in result["steps"]:
        lines.append(f"| {s['step']} | {s['rss']} | {s['uss']} | {s['pss']} | {s['d_rss']} | {s['d_uss']} | "
                     f"{s['d_pss']} | {s['cpu_s']} |")
    lines.append(f"\n{result['modules']} modules loaded; of the watched packages: "
                 f"{', '.join(result['loaded_packages'])}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    args = parser.parse_args(argv)
    result = profile()
    print(json.dumps(result, ensure_ascii=False) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
