"""Benchmarks of the course against plain Voila, in one run: ``python -m benchmarks.run``.

Writes ``benchmarks/results.json`` (the keys of the benchmarks issue) and prints
a table with the targets beside each figure.  Targets are reported, never
asserted.  Servers run on 127.0.0.1 only, each in its own process group, and
are stopped (SIGTERM, then SIGKILL) whatever happens.

Order matters on a 2-core machine: the baseline server, the course with no
pools (cold renders) and the course sized for the class never run at the same
time, and the load generator is a separate process whose CPU time is reported.
The course runs exactly as ``serve --class-size N`` would start it (same
pools, same refill delay).
"""
from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import platform
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import psutil

from benchmarks.load import KERNEL_ID
from helpers.apps.voila_config import ClassPools

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BASELINE = HERE / "baseline"
RESULTS = HERE / "results.json"
KERNEL_FILE = re.compile(r"kernel-([0-9a-f-]{36})\.json")
STARTUP_TIMEOUT_S = 120.0
STOP_TIMEOUT_S = 30.0
SETTLE_TIMEOUT_S = 300.0
# The last wait (a refill behind the class, if the pool ever started one) is cut short so the full run
# stays within 10 min; the memory figure then says how many kernels there were.
REFILL_TIMEOUT_S = 180.0
# Voila starts a refill one second after a take; a few seconds more show whether anything was started.
AFTER_CLASS_S = 15.0
QUIET_CORES = 0.3  # the server and its kernels together use less than this: the pool is filled
BENCH_CLASS = "BENCH1"
HOME = "voila/render/index.ipynb"  # the course home page (the server root is the file list)
TARGETS = {
    "burst": "p95 ≤ 1 s, 0 errors", "burst_next_module": "p95 ≤ 1 s, 0 errors",
    "memory_class_gb": "≤ 8 GB / 100", "render_warm_ms": "p95 ≤ 50 ms", "kernel_rss_mb": "≤ 60 MB",
    "feedback_ms": "p95 ≤ 30 ms", "bank_validate_10k_s": "≤ 1 s", "store": "≥ 1000/s, 0 lost",
    "render_cold_ms": "(no target)",
}


def log(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def pct(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (None without samples)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def p50_p95(values: list[float], scale: float = 1.0, digits: int = 1) -> dict[str, float | None]:
    return {k: (round(v * scale, digits) if v is not None else None)
            for k, v in (("p50", pct(values, 0.5)), ("p95", pct(values, 0.95)))}


# -- bank and store (no server) ------------------------------------------------

def bench_bank(items: int = 10_000) -> tuple[float, float]:
    """Wall and CPU seconds of load_bank on ``items`` valid questions (copies of the real bank's, new ids).

    CPU time is reported beside the wall time because it does not grow when
    other programs share the cores.
    """
    import yaml

    from helpers.content.loader import default_bank_dir, load_bank

    source = yaml.safe_load((default_bank_dir() / "renshi" / "questions.yaml").read_text(encoding="utf-8"))
    templates = source["questions"]
    modules = 10
    with tempfile.TemporaryDirectory(prefix="bench-bank-") as tmp:
        for m in range(modules):
            folder = Path(tmp) / f"bench{m:02d}"
            folder.mkdir()
            questions = []
            for i in range(items // modules):
                question = dict(templates[i % len(templates)])
                question["id"] = f"b{m:02d}-{i:04d}"
                questions.append(question)
            doc = {"schema_version": 1, "module": {"id": f"bench{m:02d}", "title": f"基准模块{m}",
                                                   "order": m + 1, "notebook": f"modules/bench{m:02d}.ipynb"},
                   "questions": questions}
            (folder / "questions.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
        start, cpu = time.perf_counter(), time.process_time()
        bank = load_bank(Path(tmp))
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    loaded = sum(len(m.questions) for m in bank.modules.values())
    if loaded != items or bank.problems:
        log(f"bank: loaded {loaded}/{items}, problems {len(bank.problems)}: {bank.problems[:2]}")
    return elapsed, cpu


def _writer(url: str, number: int, answers: int, barrier: Any, out: Any) -> None:
    from helpers.engine.identity import validate_identity
    from helpers.store import Store

    errors = 0
    try:
        store = Store.open(url)
        trainee = store.sign_in(validate_identity(f"写入者{number}", f"W{number:05d}", "")).trainee
        attempt = store.start_attempt(trainee.id, "bench")
    except Exception:
        barrier.wait()
        out.put(answers)
        return
    barrier.wait()
    for i in range(answers):
        try:
            store.record_answer(trainee.id, "bench", f"q-{i:04d}", "A", 1.0, True, attempt)
        except Exception:
            errors += 1
    out.put(errors)


def bench_store(writers: int = 100, answers: int = 100) -> dict[str, Any]:
    """``writers`` processes × ``answers`` answers at once into one temp SQLite file."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import URL

    from helpers.store import Store

    context = multiprocessing.get_context("fork")
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        url = URL.create("sqlite", database=str(Path(tmp) / "course.sqlite3")).render_as_string()
        Store.open(url).close()  # schema first, as a running course would have it
        barrier, out = context.Barrier(writers + 1), context.Queue()
        processes = [context.Process(target=_writer, args=(url, n, answers, barrier, out)) for n in range(writers)]
        for process in processes:
            process.start()
        barrier.wait(timeout=300)
        start = time.perf_counter()
        errors = sum(out.get(timeout=600) for _ in processes)
        elapsed = time.perf_counter() - start
        for process in processes:
            process.join(timeout=60)
        engine = create_engine(url)
        with engine.connect() as conn:
            stored = conn.execute(text("select count(*) from answers where module = 'bench'")).scalar_one()
        engine.dispose()
    expected = writers * answers
    return {"writers": writers, "answers": stored, "per_s": round(stored / elapsed, 1),
            "lost": expected - errors - stored, "errors": errors}


# -- servers -------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def server(argv: list[str], env: dict[str, str], work: Path, port: int) -> Iterator[subprocess.Popen]:
    """A server in its own process group, stopped like the e2e harness does even on error."""
    log_path = work / "server.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(argv, env=env, cwd=work, stdout=log_file, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start:\n{log_path.read_text(errors='replace')[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        # Kernels run in sessions of their own: make sure none outlives the run.
        for child in _orphans(work):
            try:
                child.kill()
            except psutil.Error:
                pass


def _orphans(work: Path) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cwd", "cmdline"]):
        try:
            if proc.info["cwd"] and Path(proc.info["cwd"]).is_relative_to(work) and proc.pid != os.getpid():
                found.append(proc)
        except (psutil.Error, ValueError):
            pass
    return found


def kernels(process: subprocess.Popen) -> dict[str, psutil.Process]:
    """The server's kernel processes by kernel id (from the connection file name)."""
    found = {}
    for child in psutil.Process(process.pid).children(recursive=True):
        try:
            match = KERNEL_FILE.search(" ".join(child.cmdline()))
        except psutil.Error:
            continue
        if match:
            found[match.group(1)] = child
    return found


def _memory(proc: psutil.Process) -> dict[str, int] | None:
    try:
        info = proc.memory_full_info()
    except psutil.Error:
        return None
    return {"rss": info.rss, "uss": info.uss, "pss": info.pss}


def tree_memory(process: subprocess.Popen) -> dict[str, Any]:
    """RSS, USS and PSS summed over the server and all its kernels.

    The RSS sum counts the shared libraries once per process; the PSS sum
    splits each shared page among the processes sharing it, so it adds up to
    the memory the processes really take.
    """
    root = psutil.Process(process.pid)
    sizes = [m for m in map(_memory, [root, *root.children(recursive=True)]) if m]
    return {f"{k}_sum_gb": round(sum(m[k] for m in sizes) / 2**30, 2) for k in ("rss", "uss", "pss")} | {
        "processes": len(sizes), "kernels": len(kernels(process))}


def kernel_memory_mb(process: subprocess.Popen, ids: list[str]) -> dict[str, float | None]:
    """Mean RSS, USS and PSS of the kernels ``ids`` (the trainees', not the pool's spares)."""
    found = kernels(process)
    sizes = [m for m in (_memory(found[i]) for i in ids if i in found) if m]
    return {k: round(sum(m[k] for m in sizes) / len(sizes) / 2**20, 1) if sizes else None
            for k in ("rss", "uss", "pss")}


def settle(process: subprocess.Popen, kernels_wanted: int, timeout: float = SETTLE_TIMEOUT_S) -> float:
    """Wait until the server has ``kernels_wanted`` kernels and it and they are idle; seconds waited.

    Idle is judged on the server's own process tree, not the whole machine,
    which other programs may keep busy.
    """
    start = time.monotonic()
    root = psutil.Process(process.pid)
    while time.monotonic() - start < timeout:
        if len(kernels(process)) >= kernels_wanted and _tree_cores(root, 1.0) < QUIET_CORES:
            break
        time.sleep(0.5)
    else:
        log(f"server not idle after {timeout:.0f} s ({len(kernels(process))} kernels)")
    return time.monotonic() - start


def _cpu_by_pid(root: psutil.Process) -> dict[int, float]:
    """CPU seconds (user + system) used so far by ``root`` and each of its descendants."""
    used = {}
    for proc in [root, *root.children(recursive=True)]:
        try:
            times = proc.cpu_times()
            used[proc.pid] = times.user + times.system
        except psutil.Error:
            pass
    return used


def _tree_cores(root: psutil.Process, interval: float) -> float:
    """Cores the process tree used over ``interval`` seconds."""
    before = _cpu_by_pid(root)
    time.sleep(interval)
    after = _cpu_by_pid(root)
    return sum(after[pid] - before.get(pid, after[pid]) for pid in after) / interval


def tree_cpu(process: subprocess.Popen) -> dict[int, float]:
    """CPU seconds used so far by the server process and each of its kernels, by pid."""
    return _cpu_by_pid(psutil.Process(process.pid))


def cpu_spent(server_pid: int, before: dict[int, float], after: dict[int, float], wall_s: float) -> dict[str, float]:
    """CPU seconds the server and the kernels spent between two :func:`tree_cpu` readings.

    A kernel started in between counts from zero; one that exited in between
    (a closed page) is not counted, since its last figure is gone with it.
    """
    spent = {pid: used - before.get(pid, 0.0) for pid, used in after.items()}
    server = spent.pop(server_pid, 0.0)
    kernels = sum(spent.values())
    return {"server": round(server, 2), "kernels": round(kernels, 2), "wall_s": round(wall_s, 1),
            "cores_used": round((server + kernels) / wall_s, 2)}


@dataclass(frozen=True)
class Page:
    """A rendered page: how long its HTML took and its kernel."""

    ms: float
    kernel_id: str | None


def fetch(url: str) -> Page:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=300) as response:
        body = response.read()
    elapsed = (time.perf_counter() - start) * 1000
    found = KERNEL_ID.search(body.decode("utf-8", "replace"))
    return Page(elapsed, found.group(1) if found else None)


def close_page(base: str, page: Page) -> None:
    """What the page does when its tab closes: Voila's shutdown beacon for its kernel.

    The beacon carries the ``_xsrf`` cookie's value as a form field; Tornado's
    check is double-submit (field equals cookie), so a fresh random token in
    both is what a browser holding that cookie sends.
    """
    if page.kernel_id is None:
        return
    xsrf = secrets.token_hex(16)
    request = urllib.request.Request(f"{base}voila/api/shutdown/{page.kernel_id}", method="POST",
                                     data=urllib.parse.urlencode({"_xsrf": xsrf}).encode(),
                                     headers={"Cookie": f"_xsrf={xsrf}"})
    with urllib.request.urlopen(request, timeout=60):
        pass


def renders(base: str, urls: list[str], pause: float = 0.3) -> list[float]:
    """Render each page once (a new tab), then close it so the next render does not share the CPU."""
    times = []
    for url in urls:
        page = fetch(url)
        times.append(page.ms)
        if page.kernel_id is None:
            log(f"render of {url}: no kernel id in the page (an error page?)")
        close_page(base, page)
        time.sleep(pause)
    return times


class Load:
    """The load generator process (benchmarks.load), one JSON report per phase."""

    def __init__(self, url: str, n: int, window: float, work: Path, tokens: list[str] | None = None,
                 module_title: str | None = None, feedback: int = 0, path: str = ""):
        argv = [sys.executable, "-m", "benchmarks.load", "--url", url, "--n", str(n), "--window", str(window),
                "--feedback", str(feedback), "--path", path]
        if tokens:
            (work / "tokens.json").write_text(json.dumps(tokens))
            argv += ["--tokens", str(work / "tokens.json")]
        if module_title:
            argv += ["--module-title", module_title]
        self.process = subprocess.Popen(argv, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def report(self) -> dict[str, Any]:
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("load generator stopped early (see its stderr above)")
        return json.loads(line)

    def go_on(self) -> None:
        self.process.stdin.write("\n")
        self.process.stdin.flush()

    def close(self) -> None:
        try:
            self.process.stdin.close()
            self.process.wait(timeout=60)
        except (subprocess.TimeoutExpired, OSError):
            self.process.kill()
            self.process.wait()


def burst_figures(report: dict[str, Any]) -> dict[str, Any]:
    times = report["times"]
    return {"p50_s": round(pct(times, 0.5), 3) if times else None,
            "p95_s": round(pct(times, 0.95), 3) if times else None, "errors": report["errors"]}


def feedback_phases(report: dict[str, Any]) -> dict[str, dict[str, float | None]]:
    """p50/p95 ms of each part of the feedback round trip (see benchmarks.load.feedback_times)."""
    return {phase: p50_p95(values, 1000) for phase, values in report["phases"].items()}


def load_cpu(report: dict[str, Any]) -> dict[str, float]:
    return {"cpu_s": round(report["cpu_s"], 2), "wall_s": round(report["wall_s"], 2),
            "share_of_2_cores": round(report["cpu_share_of_2_cores"], 3)}


# -- phases --------------------------------------------------------------------

def bench_baseline(args: argparse.Namespace, extra: dict[str, Any]) -> dict[str, Any]:
    """Plain Voila, default settings, the two-cell ipywidgets notebook."""
    with tempfile.TemporaryDirectory(prefix="bench-baseline-") as tmp:
        work = Path(tmp)
        (work / "config").mkdir()
        port = free_port()
        argv = [sys.executable, "-m", "voila", str(BASELINE / "index.ipynb"), "--no-browser",
                f"--port={port}", "--Voila.ip=127.0.0.1", f"--Voila.config_file_paths={work / 'config'}"]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("VOILA", "JUPYTER"))}
        with server(argv, env, work, port) as process:
            url = f"http://127.0.0.1:{port}/"
            log("baseline: cold renders")
            cold = renders(url, [url] * args.samples)
            log(f"baseline: burst of {args.trainees}")
            load = Load(url, args.trainees, args.window, work, feedback=args.feedback)
            try:
                home = load.report()
                log(f"baseline: burst done in {home['wall_s']:.1f} s, {home['errors']} errors")
                kernel = kernel_memory_mb(process, home["kernel_ids"])
                memory = tree_memory(process)
                load.go_on()
                feedback = load.report()
            finally:
                load.close()
    extra["baseline_memory"] = memory
    extra["baseline_feedback_ms"] = p50_p95(feedback["times"], 1000)
    extra["baseline_feedback_phases_ms"] = feedback_phases(feedback)
    extra["load_cpu_baseline_burst"] = load_cpu(home)
    extra["baseline_error_samples"] = {"burst": home["error_samples"], "feedback": feedback["error_samples"]}
    return {"cold": cold, "burst": burst_figures(home), "kernel": kernel, "memory": memory}


def _course_server(work: Path, pools: ClassPools | None) -> tuple[list[str], dict[str, str], int]:
    """The course as ``serve --class-size`` starts it for ``pools`` (None: no pools at all)."""
    from helpers.apps.serve import REPO as COURSE_REPO, build_command

    (work / "config").mkdir()
    (work / "data").mkdir()
    port = free_port()
    sizing = {"home_pool": pools.home_pool, "module_pool": pools.module_pool, "home_reserve": pools.home_reserve} \
        if pools else {"home_pool": 0, "module_pool": 0}
    argv, env = build_command(COURSE_REPO / "notebooks", "127.0.0.1", port, config_dir=work / "config",
                              data_dir=work / "data", **sizing)
    return argv, env, port


def trainee_tokens(data_dir: Path, count: int) -> list[str]:
    """Sign ``count`` trainees of one class in beforehand; their tokens go in the page links (?s=)."""
    from helpers.engine.identity import validate_identity
    from helpers.store import Store
    from helpers.store.location import database_url

    previous = os.environ.get("COURSE_DATA_DIR")
    os.environ["COURSE_DATA_DIR"] = str(data_dir)
    try:
        store = Store.open(database_url())
    finally:
        if previous is None:
            os.environ.pop("COURSE_DATA_DIR")
        else:
            os.environ["COURSE_DATA_DIR"] = previous
    try:
        store.create_class(BENCH_CLASS, "基准测试班")
        tokens = [store.sign_in(validate_identity(f"学员{i}", f"B{i:05d}", BENCH_CLASS)).token for i in range(count)]
    finally:
        store.close()
    return tokens


def bench_ours_cold(args: argparse.Namespace) -> list[float]:
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as tmp:
        work = Path(tmp)
        argv, env, port = _course_server(work, None)
        tokens = trainee_tokens(work / "data", args.samples)
        with server(argv, env, work, port):
            log("ours: cold renders (no pools)")
            base = f"http://127.0.0.1:{port}/"
            return renders(base, [f"{base}{HOME}?s={token}" for token in tokens])


def bench_ours_class(args: argparse.Namespace, extra: dict[str, Any]) -> dict[str, Any]:
    from helpers.apps.voila_config import available_memory_mb, class_pools
    from helpers.content.loader import load_bank

    # The warm-render visitors are trainees of the class too: the server is sized for them and the N.
    pools = class_pools(args.trainees + args.samples, available_memory_mb())
    module = next(m for m in load_bank().modules.values() if m.meta is not None)
    extra["pools"] = {"class_size": pools.class_size, "home_pool": pools.home_pool, "module_pool": pools.module_pool,
                      "home_reserve": pools.home_reserve}
    extra["module_opened"] = f"{module.id} ({module.title}), in place: 进入 click comm message"
    with tempfile.TemporaryDirectory(prefix="bench-class-") as tmp:
        work = Path(tmp)
        argv, env, port = _course_server(work, pools)
        tokens = trainee_tokens(work / "data", args.trainees + args.samples)
        url = f"http://127.0.0.1:{port}/"
        with server(argv, env, work, port) as process:
            log(f"ours: filling the home pool ({pools.home_pool} kernels)")
            extra["pool_fill_s"] = round(settle(process, pools.home_pool), 1)
            extra["pool_idle_kernel_mb"] = kernel_memory_mb(process, list(kernels(process)))
            log("ours: warm renders")
            cpu_before, started = tree_cpu(process), time.perf_counter()
            warm = renders(url, [f"{url}{HOME}?s={token}" for token in tokens[args.trainees:]])
            extra["cpu_s_warm_renders"] = cpu_spent(process.pid, cpu_before, tree_cpu(process),
                                                   time.perf_counter() - started)
            left = pools.home_pool - args.samples
            log(f"ours: waiting for the server to be idle again ({left} kernels left in the pool)")
            extra["pool_refill_s"] = round(settle(process, left), 1)
            log(f"ours: burst of {args.trainees}, then module {module.id} in place")
            cpu_before = tree_cpu(process)
            load = Load(url, args.trainees, args.window, work, tokens[:args.trainees], module.title, args.feedback,
                        path=HOME)
            try:
                home = load.report()
                extra["cpu_s_home_burst"] = cpu_spent(process.pid, cpu_before, tree_cpu(process), home["wall_s"])
                log(f"ours: burst done in {home['wall_s']:.1f} s, {home['errors']} errors")
                ids = home["kernel_ids"]
                kernel_home = kernel_memory_mb(process, ids)
                memory_home = tree_memory(process)
                load.go_on()
                load.report()  # every trainee has found her 进入 button
                cpu_before = tree_cpu(process)
                load.go_on()
                moved = load.report()
                extra["cpu_s_module_burst"] = cpu_spent(process.pid, cpu_before, tree_cpu(process), moved["wall_s"])
                log(f"ours: module burst done in {moved['wall_s']:.1f} s, {moved['errors']} errors")
                kernel_module = kernel_memory_mb(process, ids)
                memory_module = tree_memory(process)
                load.go_on()
                feedback = load.report()
            finally:
                load.close()
            # What the machine holds once the class is in and the pool has done what it does next: kept at
            # its reserve, or (a pool smaller than the class) refilled in full; kernels stay until culled.
            kept = pools.home_reserve if pools.home_reserve is not None else pools.home_pool
            log(f"ours: {AFTER_CLASS_S:.0f} s later, waiting for the pool behind the class ({args.trainees + kept} kernels)")
            time.sleep(AFTER_CLASS_S)
            extra["pool_refill_behind_class_s"] = round(
                AFTER_CLASS_S + settle(process, args.trainees + kept, REFILL_TIMEOUT_S), 1)
            memory_refilled = tree_memory(process)
    extra["load_cpu_ours_burst"] = load_cpu(home)
    extra["load_cpu_ours_next_module"] = load_cpu(moved)
    extra["feedback_phases_ms"] = feedback_phases(feedback)
    extra["error_samples"] = {"burst": home["error_samples"], "module": moved["error_samples"],
                              "feedback": feedback["error_samples"]}
    extra["memory_after_home"] = memory_home
    extra["memory_after_module"] = memory_module
    return {"warm": warm, "burst": burst_figures(home), "module": burst_figures(moved),
            "memory": memory_module, "memory_refilled": memory_refilled, "kernel_home": kernel_home, "kernel_module": kernel_module,
            "feedback": [t * 1000 for t in feedback["times"]]}


def bench_kernel_imports() -> dict[str, Any]:
    """Memory of one trainee kernel step by step (benchmarks.kernel_memory, its own process)."""
    done = subprocess.run([sys.executable, "-m", "benchmarks.kernel_memory", "--json"], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    if done.returncode:
        log(f"kernel memory profile failed:\n{done.stderr[-2000:]}")
        return {}
    return json.loads(done.stdout.strip().splitlines()[-1])


def design_comparison(n: int, results: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Issue #4: modules in place vs a preheated pool per module, from this run's figures.

    Per-module pools would add, on top of what this run measured, a spare
    kernel per trainee for every module she may open next, each a kernel like
    the home's (same imports), started at the pool fill rate measured here.
    """
    modules = len(list((REPO / "notebooks" / "modules").glob("*.ipynb")))
    kernel_pss = results["kernel_rss_mb"]["ours_home_pss"] or 0.0
    extra_kernels = n * modules
    fill_rate = extra["pools"]["home_pool"] / extra["pool_fill_s"] if extra.get("pool_fill_s") else None
    return {
        "modules": modules,
        "in_place_gb": results["memory_class_gb"]["ours"],
        "per_module_pools_extra_kernels": extra_kernels,
        "per_module_pools_gb": round(results["memory_class_gb"]["ours"] + extra_kernels * kernel_pss / 1024, 2),
        "pool_fill_kernels_per_s": round(fill_rate, 2) if fill_rate else None,
        "per_module_pools_fill_min": round(extra_kernels / fill_rate / 60, 1) if fill_rate else None,
    }


# -- report --------------------------------------------------------------------

def machine() -> dict[str, Any]:
    import voila

    return {"nproc": os.cpu_count(), "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "voila": voila.__version__, "platform": platform.platform()}


def _pair(figures: dict[str, Any], unit: str = "") -> str:
    return f"{figures['p50']} / {figures['p95']}{unit}"


def _burst(figures: dict[str, Any]) -> str:
    return "{p50_s} / {p95_s}, {errors}".format(**figures)


def table(results: dict[str, Any], extra: dict[str, Any]) -> str:
    """The Markdown table of README.md, targets beside the figures, and the notes under it."""
    r, k, m = results, results["kernel_rss_mb"], results["memory_class_gb"]
    base_memory = extra["baseline_memory"]
    rows = [
        ("render_cold_ms p50 / p95", _pair(r["render_cold_ms"]["ours"]), _pair(r["render_cold_ms"]["baseline"]),
         TARGETS["render_cold_ms"]),
        ("render_warm_ms p50 / p95", _pair(r["render_warm_ms"]["ours"]), "—", TARGETS["render_warm_ms"]),
        (f"burst: {r['burst']['trainees']} open the home in {r['burst']['window_s']:g} s — p50 / p95 s, errors",
         _burst(r["burst"]["ours"]), _burst(r["burst"]["baseline"]), TARGETS["burst"]),
        (f"burst_next_module: the same {r['burst_next_module']['trainees']} open module 1 — p50 / p95 s, errors",
         _burst(r["burst_next_module"]["ours"]), "—", TARGETS["burst_next_module"]),
        (f"memory_class_gb, {m['trainees']} in: PSS sum (RSS sum), kernels",
         f"**{m['ours']}** ({m['rss_sum_gb']}), {m['kernels']}",
         f"{base_memory['pss_sum_gb']} ({base_memory['rss_sum_gb']}), {base_memory['kernels']}",
         TARGETS["memory_class_gb"]),
        ("… and once the pool is back to its reserve behind the class: PSS sum (RSS sum), kernels",
         "{pss_sum_gb} ({rss_sum_gb}), {kernels}".format(**m["after_pool_refill"]), "—", TARGETS["memory_class_gb"]),
        ("kernel MB after home ready: RSS / USS / PSS", f"{k['ours_home']} / {k['ours_home_uss']} / {k['ours_home_pss']}",
         f"{k['baseline']} / {k['baseline_uss']} / {k['baseline_pss']}", TARGETS["kernel_rss_mb"]),
        ("kernel MB after module 1 in place: RSS / USS / PSS",
         f"{k['ours_module']} / {k['ours_module_uss']} / {k['ours_module_pss']}", "—", TARGETS["kernel_rss_mb"]),
        ("feedback_ms p50 / p95 (click → update)", _pair(r["feedback_ms"]), _pair(extra["baseline_feedback_ms"]),
         TARGETS["feedback_ms"]),
        ("bank_validate_10k_s (CPU s)", f"{r['bank_validate_10k_s']} ({extra['bank_validate_10k_cpu_s']})", "—",
         TARGETS["bank_validate_10k_s"]),
        (f"store {r['store']['writers']} writers: answers, per s, lost, errors",
         "{answers}, {per_s}, {lost}, {errors}".format(**r["store"]), "—", TARGETS["store"]),
    ]
    lines = ["| figure | ours | baseline | target |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    design = extra["design"]
    phases = ", ".join(f"{k} {_pair(v)}" for k, v in extra["feedback_phases_ms"].items())
    base_phases = ", ".join(f"{k} {_pair(v)}" for k, v in extra["baseline_feedback_phases_ms"].items())
    notes = [
        f"- feedback round trip split with the kernel's timestamps, p50 / p95 ms — ours: {phases}; "
        f"baseline: {base_phases}",
        f"- pools: {extra['pools']}; filled in {extra['pool_fill_s']} s; idle again after the warm renders in "
        f"{extra['pool_refill_s']} s; settled behind the class in {extra['pool_refill_behind_class_s']} s; "
        f"idle pool kernel MB {extra['pool_idle_kernel_mb']}",
        f"- #4 design: in place {design['in_place_gb']} GB; a pool per module ({design['modules']} modules) would "
        f"add {design['per_module_pools_extra_kernels']} kernels → {design['per_module_pools_gb']} GB, "
        f"{design['per_module_pools_fill_min']} min to preheat at {design['pool_fill_kernels_per_s']} kernels/s",
        f"- CPU seconds spent by the server during the {extra['samples']} warm renders: "
        f"{extra['cpu_s_warm_renders']['server']} (the kernels' part is gone with them: each page is closed after "
        f"its render)",
        f"- CPU seconds spent by the server / all kernels during the home burst: {extra['cpu_s_home_burst']}; "
        f"during the module burst: {extra['cpu_s_module_burst']}",
        f"- load average (1 min) at the end of each phase: {extra['load_average']}; total {extra['total_s']} s",
    ]
    notes += [f"- load generator CPU ({key.removeprefix('load_cpu_')}): {v['cpu_s']} s over {v['wall_s']} s "
              f"= {v['share_of_2_cores'] * 100:.1f} % of the 2 cores" for key, v in extra.items()
              if key.startswith("load_cpu_")]
    return "\n".join(lines + [""] + notes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="课程与原版 Voila 的基准测试 / course vs plain Voila benchmarks")
    parser.add_argument("--trainees", type=int, default=100, help="class size N (default 100)")
    parser.add_argument("--window", type=float, default=10.0, help="seconds over which the N arrive")
    parser.add_argument("--samples", type=int, default=20, help="render samples (≥ 5)")
    parser.add_argument("--feedback", type=int, default=10, help="feedback samples")
    parser.add_argument("--writers", type=int, default=100)
    parser.add_argument("--answers", type=int, default=100, help="answers per writer")
    parser.add_argument("--quick", action="store_true", help="N=10, 5 samples, 5 feedback samples (~3 min)")
    args = parser.parse_args(argv)
    if args.quick:
        args.trainees, args.samples, args.feedback = min(args.trainees, 10), 5, 5
    args.samples = max(5, args.samples)
    os.chdir(REPO)
    started = time.monotonic()
    extra: dict[str, Any] = {"machine": machine(), "quick": args.quick, "samples": args.samples,
                             "load_average": {"start": round(os.getloadavg()[0], 1)}}
    loads = extra["load_average"]
    log("bank: 10 000 items")
    bank_s, bank_cpu_s = bench_bank()
    extra["bank_validate_10k_cpu_s"] = round(bank_cpu_s, 3)
    loads["bank"] = round(os.getloadavg()[0], 1)
    log(f"store: {args.writers} writers × {args.answers}")
    store = bench_store(args.writers, args.answers)
    loads["store"] = round(os.getloadavg()[0], 1)
    log("one trainee kernel, step by step (memory)")
    extra["kernel_memory_steps"] = bench_kernel_imports()
    baseline = bench_baseline(args, extra)
    loads["baseline"] = round(os.getloadavg()[0], 1)
    cold = bench_ours_cold(args)
    loads["ours_cold"] = round(os.getloadavg()[0], 1)
    ours = bench_ours_class(args, extra)
    loads["ours_class"] = round(os.getloadavg()[0], 1)
    n, window = args.trainees, args.window
    memory = ours["memory"]
    home, moved, base = ours["kernel_home"], ours["kernel_module"], baseline["kernel"]
    results = {
        "render_cold_ms": {"ours": p50_p95(cold), "baseline": p50_p95(baseline["cold"])},
        "render_warm_ms": {"ours": p50_p95(ours["warm"])},
        "burst": {"trainees": n, "window_s": window, "ours": ours["burst"], "baseline": baseline["burst"]},
        "burst_next_module": {"trainees": n, "window_s": window, "ours": ours["module"]},
        "memory_class_gb": {"ours": memory["pss_sum_gb"], "trainees": n, "headline": "pss_sum_gb", **memory,
                            "after_pool_refill": ours["memory_refilled"]},
        "kernel_rss_mb": {"ours_home": home["rss"], "ours_module": moved["rss"], "baseline": base["rss"],
                          "ours_home_uss": home["uss"], "ours_home_pss": home["pss"],
                          "ours_module_uss": moved["uss"], "ours_module_pss": moved["pss"],
                          "baseline_uss": base["uss"], "baseline_pss": base["pss"]},
        "feedback_ms": p50_p95(ours["feedback"]),
        "bank_validate_10k_s": round(bank_s, 3),
        "store": store,
    }
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    extra["design"] = design_comparison(n, results, extra)
    extra["total_s"] = round(time.monotonic() - started, 1)
    print(table(results, extra))
    print("\n" + json.dumps(extra, ensure_ascii=False, indent=2))
    print(f"\nresults: {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
