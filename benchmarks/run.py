"""Benchmarks of the course against plain Voila, in one run: ``python -m benchmarks.run``.

Writes ``benchmarks/results.json`` (the keys of the benchmarks issue) and prints
a table with the targets beside each figure.  Targets are reported, never
asserted.  Servers run on 127.0.0.1 only, each in its own process group, and
are stopped (SIGTERM, then SIGKILL) whatever happens.

Order matters on a 2-core machine: the baseline server, the course with no
pools (cold renders) and the course sized for the class never run at the same
time, and the load generator is a separate process whose CPU time is reported.
"""
from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import psutil

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BASELINE = HERE / "baseline"
RESULTS = HERE / "results.json"
KERNEL_FILE = re.compile(r"kernel-([0-9a-f-]{36})\.json")
STARTUP_TIMEOUT_S = 120.0
STOP_TIMEOUT_S = 30.0
SETTLE_TIMEOUT_S = 300.0
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

def bench_bank(items: int = 10_000) -> float:
    """Seconds for load_bank on ``items`` valid questions (copies of the real bank's, new ids)."""
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
        start = time.perf_counter()
        bank = load_bank(Path(tmp))
        elapsed = time.perf_counter() - start
    loaded = sum(len(m.questions) for m in bank.modules.values())
    if loaded != items or bank.problems:
        log(f"bank: loaded {loaded}/{items}, problems {len(bank.problems)}: {bank.problems[:2]}")
    return elapsed


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


def tree_rss(process: subprocess.Popen) -> int:
    total = 0
    root = psutil.Process(process.pid)
    for proc in [root, *root.children(recursive=True)]:
        try:
            total += proc.memory_info().rss
        except psutil.Error:
            pass
    return total


def mean_rss_mb(process: subprocess.Popen, ids: list[str]) -> float | None:
    found = kernels(process)
    sizes = []
    for kernel_id in ids:
        try:
            sizes.append(found[kernel_id].memory_info().rss)
        except (KeyError, psutil.Error):
            pass
    return round(sum(sizes) / len(sizes) / 2**20, 1) if sizes else None


def settle(process: subprocess.Popen, kernels_wanted: int) -> float:
    """Wait until the server has ``kernels_wanted`` kernels and the machine is quiet; seconds waited."""
    start = time.monotonic()
    while time.monotonic() - start < SETTLE_TIMEOUT_S:
        if len(kernels(process)) >= kernels_wanted and psutil.cpu_percent(interval=1.0) < 30:
            if psutil.cpu_percent(interval=1.0) < 30:
                break
        time.sleep(0.5)
    else:
        log(f"machine not quiet after {SETTLE_TIMEOUT_S:.0f} s ({len(kernels(process))} kernels)")
    return time.monotonic() - start


def fetch_ms(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=300) as response:
        response.read()
    return (time.perf_counter() - start) * 1000


def renders(url: str, samples: int, pause: float = 0.3) -> list[float]:
    times = []
    for _ in range(samples):
        times.append(fetch_ms(url))
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
            cold = renders(url, args.samples)
            log(f"baseline: burst of {args.trainees}")
            load = Load(url, args.trainees, args.window, work)
            try:
                home = load.report()
                log(f"baseline: burst done in {home['wall_s']:.1f} s, {home['errors']} errors")
                rss = mean_rss_mb(process, home["kernel_ids"])
                memory = tree_rss(process)
                load.go_on()
            finally:
                load.close()
    extra["baseline_memory_gb"] = round(memory / 2**30, 2)
    extra["load_cpu_baseline_burst"] = load_cpu(home)
    extra["baseline_burst_error_samples"] = home["error_samples"]
    return {"cold": cold, "burst": burst_figures(home), "rss": rss}


def _course_server(work: Path, home_pool: int) -> tuple[list[str], dict[str, str], int]:
    from helpers.apps.serve import REPO as COURSE_REPO, build_command

    (work / "config").mkdir()
    (work / "data").mkdir()
    port = free_port()
    argv, env = build_command(COURSE_REPO / "notebooks", "127.0.0.1", port, config_dir=work / "config",
                              data_dir=work / "data", home_pool=home_pool, module_pool=0)
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
        argv, env, port = _course_server(work, home_pool=0)
        tokens = trainee_tokens(work / "data", args.samples)
        with server(argv, env, work, port):
            log("ours: cold renders (pools 0)")
            return [fetch_ms(f"http://127.0.0.1:{port}/{HOME}?s={token}") for token in tokens]


def bench_ours_class(args: argparse.Namespace, extra: dict[str, Any]) -> dict[str, Any]:
    from helpers.apps.voila_config import available_memory_mb, class_pools
    from helpers.content.loader import load_bank

    pools = class_pools(args.trainees, available_memory_mb())
    module = next(m for m in load_bank().modules.values() if m.meta is not None)
    extra["home_pool"] = pools.home_pool
    extra["module_opened"] = f"{module.id} ({module.title}), in place: 进入 click comm message"
    with tempfile.TemporaryDirectory(prefix="bench-class-") as tmp:
        work = Path(tmp)
        argv, env, port = _course_server(work, home_pool=pools.home_pool)
        tokens = trainee_tokens(work / "data", args.trainees + args.samples)
        url = f"http://127.0.0.1:{port}/"
        with server(argv, env, work, port) as process:
            log(f"ours: filling the home pool ({pools.home_pool} kernels)")
            extra["pool_fill_s"] = round(settle(process, pools.home_pool), 1)
            log("ours: warm renders")
            warm = [fetch_ms(f"{url}{HOME}?s={token}") for token in tokens[args.trainees:]]
            extra["pool_refill_s"] = round(settle(process, pools.home_pool), 1)
            log(f"ours: burst of {args.trainees}, then module {module.id} in place")
            load = Load(url, args.trainees, args.window, work, tokens[:args.trainees], module.title, args.feedback,
                        path=HOME)
            try:
                home = load.report()
                log(f"ours: burst done in {home['wall_s']:.1f} s, {home['errors']} errors")
                ids = home["kernel_ids"]
                rss_home = mean_rss_mb(process, ids)
                memory_home = tree_rss(process)
                load.go_on()
                moved = load.report()
                log(f"ours: module burst done in {moved['wall_s']:.1f} s, {moved['errors']} errors")
                rss_module = mean_rss_mb(process, ids)
                memory_module = tree_rss(process)
                load.go_on()
                feedback = load.report()
            finally:
                load.close()
            extra["kernels_alive_after_burst"] = len(kernels(process))
    extra["load_cpu_ours_burst"] = load_cpu(home)
    extra["load_cpu_ours_next_module"] = load_cpu(moved)
    extra["error_samples"] = {"burst": home["error_samples"], "module": moved["error_samples"],
                              "feedback": feedback["error_samples"]}
    extra["memory_after_home_gb"] = round(memory_home / 2**30, 2)
    return {"warm": warm, "burst": burst_figures(home), "module": burst_figures(moved),
            "memory": max(memory_home, memory_module), "rss_home": rss_home, "rss_module": rss_module,
            "feedback": [t * 1000 for t in feedback["times"]], "feedback_errors": feedback["errors"]}


# -- report --------------------------------------------------------------------

def machine() -> dict[str, Any]:
    import voila

    return {"nproc": os.cpu_count(), "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "voila": voila.__version__, "platform": platform.platform()}


def table(results: dict[str, Any], extra: dict[str, Any]) -> str:
    r = results
    rows = [
        ("render_cold_ms ours p50/p95", f"{r['render_cold_ms']['ours']['p50']} / {r['render_cold_ms']['ours']['p95']}",
         f"{r['render_cold_ms']['baseline']['p50']} / {r['render_cold_ms']['baseline']['p95']}", TARGETS["render_cold_ms"]),
        ("render_warm_ms ours p50/p95", f"{r['render_warm_ms']['ours']['p50']} / {r['render_warm_ms']['ours']['p95']}",
         "—", TARGETS["render_warm_ms"]),
        (f"burst {r['burst']['trainees']} in {r['burst']['window_s']} s: p50/p95 s, errors",
         "{p50_s} / {p95_s}, {errors}".format(**r["burst"]["ours"]),
         "{p50_s} / {p95_s}, {errors}".format(**r["burst"]["baseline"]), TARGETS["burst"]),
        (f"burst_next_module {r['burst_next_module']['trainees']}: p50/p95 s, errors",
         "{p50_s} / {p95_s}, {errors}".format(**r["burst_next_module"]["ours"]), "—", TARGETS["burst_next_module"]),
        (f"memory_class_gb ({r['memory_class_gb']['trainees']} in)", f"{r['memory_class_gb']['ours']}",
         f"{extra.get('baseline_memory_gb')}", TARGETS["memory_class_gb"]),
        ("kernel_rss_mb home / module", f"{r['kernel_rss_mb']['ours_home']} / {r['kernel_rss_mb']['ours_module']}",
         f"{r['kernel_rss_mb']['baseline']}", TARGETS["kernel_rss_mb"]),
        ("feedback_ms p50/p95", f"{r['feedback_ms']['p50']} / {r['feedback_ms']['p95']}", "—", TARGETS["feedback_ms"]),
        ("bank_validate_10k_s", f"{r['bank_validate_10k_s']}", "—", TARGETS["bank_validate_10k_s"]),
        (f"store {r['store']['writers']} writers: answers, per_s, lost, errors",
         "{answers}, {per_s}, {lost}, {errors}".format(**r["store"]), "—", TARGETS["store"]),
    ]
    widths = [max(len(str(row[i])) for row in rows + [("figure", "ours", "baseline", "target")]) for i in range(4)]
    lines = ["| figure | ours | baseline | target |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    del widths
    cpu = [f"- load generator CPU ({k.removeprefix('load_cpu_')}): {v['cpu_s']} s over {v['wall_s']} s "
           f"= {v['share_of_2_cores'] * 100:.1f} % of the 2 cores" for k, v in extra.items() if k.startswith("load_cpu_")]
    return "\n".join(lines + [""] + cpu)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="课程与原版 Voila 的基准测试 / course vs plain Voila benchmarks")
    parser.add_argument("--trainees", type=int, default=100, help="class size N (default 100)")
    parser.add_argument("--window", type=float, default=10.0, help="seconds over which the N arrive")
    parser.add_argument("--samples", type=int, default=10, help="render samples (≥ 5)")
    parser.add_argument("--feedback", type=int, default=10, help="feedback samples")
    parser.add_argument("--writers", type=int, default=100)
    parser.add_argument("--answers", type=int, default=100, help="answers per writer")
    parser.add_argument("--quick", action="store_true", help="N=10, 5 samples, 5 feedback samples (~2 min)")
    args = parser.parse_args(argv)
    if args.quick:
        args.trainees, args.samples, args.feedback = min(args.trainees, 10), 5, 5
    args.samples = max(5, args.samples)
    os.chdir(REPO)
    started = time.monotonic()
    extra: dict[str, Any] = {"machine": machine(), "quick": args.quick}
    log("bank: 10 000 items")
    bank_s = bench_bank()
    log(f"store: {args.writers} writers × {args.answers}")
    store = bench_store(args.writers, args.answers)
    baseline = bench_baseline(args, extra)
    cold = bench_ours_cold(args)
    ours = bench_ours_class(args, extra)
    n, window = args.trainees, args.window
    results = {
        "render_cold_ms": {"ours": p50_p95(cold), "baseline": p50_p95(baseline["cold"])},
        "render_warm_ms": {"ours": p50_p95(ours["warm"])},
        "burst": {"trainees": n, "window_s": window, "ours": ours["burst"], "baseline": baseline["burst"]},
        "burst_next_module": {"trainees": n, "window_s": window, "ours": ours["module"]},
        "memory_class_gb": {"ours": round(ours["memory"] / 2**30, 2), "trainees": n},
        "kernel_rss_mb": {"ours_home": ours["rss_home"], "ours_module": ours["rss_module"],
                          "baseline": baseline["rss"]},
        "feedback_ms": p50_p95(ours["feedback"]),
        "bank_validate_10k_s": round(bank_s, 3),
        "store": store,
    }
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    extra["total_s"] = round(time.monotonic() - started, 1)
    print(table(results, extra))
    print("\n" + json.dumps(extra, ensure_ascii=False, indent=2))
    print(f"\nresults: {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
