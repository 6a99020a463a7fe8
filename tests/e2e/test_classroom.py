"""A class in a real browser: modules in place, the instructor's banner, no kernel leaks.

The server runs the way ``--class-size`` runs it (module pools 0: modules open
inside the home's kernel), with culling shortened so a kernel whose page went
away without Voila's unload beacon is gone within seconds.  The numbers the
tests measure (kernel memory, time to open a module) are printed for the
README; run with ``-s`` to see them.
"""
from __future__ import annotations

import re
import time

import psutil
import pytest

from helpers.content.loader import default_bank_dir, load_module
from helpers.store import Store
from server_kernels import kernels, page_kernel

pytestmark = pytest.mark.e2e

CLASS = "e2e-class"
HOME_POOL = 2
CULL_IDLE_S = 8


@pytest.fixture(scope="module")
def class_server(start_course_server):
    server = start_course_server(home_pool=HOME_POOL, module_pool=0, cull_idle_timeout=CULL_IDLE_S, cull_interval=2)
    store = Store.open(f"sqlite:///{server.data_dir / 'course.sqlite3'}")
    store.create_class(CLASS, "端到端测试班")
    yield server, store
    store.close()


def wait_for_kernel_count(server, at_most: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while (count := len(kernels(server))) > at_most and time.monotonic() < deadline:
        time.sleep(0.5)
    return count


def sign_in(page, server, name: str, number: str) -> None:
    page.goto(server.url)
    page.get_by_placeholder("例如：张三").fill(name)
    page.get_by_placeholder("例如：2026001").fill(number)
    page.get_by_placeholder("自学可不填").fill(CLASS)
    page.get_by_role("button", name="登录").click()
    page.get_by_text(f"当前学员：{name}").wait_for()


def module_row(page, title: str):
    return page.locator(".course-module-row").filter(has=page.get_by_role("link", name=title, exact=True))


def enter_in_place(page, title: str) -> float:
    """Click 进入 on a module's row; seconds until its lesson and quiz are on screen."""
    started = time.monotonic()
    module_row(page, title).get_by_role("button", name="进入").click()
    page.locator("h1", has_text=title).wait_for()
    page.get_by_role("button", name="提交").wait_for()
    return time.monotonic() - started


def back_home(page) -> None:
    page.get_by_role("button", name="← 返回课程首页").first.click()
    page.locator(".course-module-row").first.wait_for()


def mb(value: int) -> float:
    return value / 2**20


def test_module_in_place_answer_back_home_progress_and_banner(class_server, page, local_only):
    server, store = class_server
    fazhan = load_module(default_bank_dir() / "fazhan")
    first = fazhan.questions[0]
    assert first.type == "single"

    sign_in(page, server, "钱七", "e2e-101")
    in_place_s = enter_in_place(page, fazhan.title)
    page.get_by_text("五个阶段、25个步骤").first.wait_for()  # the lesson's markdown, rendered
    assert page.locator(".jp-RenderedMarkdown table").count() >= 3
    page.get_by_text(f"{first.answer}. {first.options['ABCDEFGH'.index(first.answer)]}", exact=True).click()
    page.get_by_role("button", name="提交").click()
    page.get_by_text("回答正确。").wait_for()

    back_home(page)
    row = module_row(page, fazhan.title)
    row.get_by_text(f"测验：已答 1 / {len(fazhan.questions)}，答对 1").wait_for()

    banner = page.locator(".course-class-banner")
    assert not banner.is_visible()
    store.set_setting(f"class:{CLASS}:current_module", "shenghuo")
    shenghuo = load_module(default_bank_dir() / "shenghuo")
    banner.get_by_text(f"授课老师请全班学习：{shenghuo.title}").wait_for(timeout=15_000)
    banner.get_by_role("button", name="进入").click()
    page.locator("h1", has_text=shenghuo.title).wait_for()

    # Entered from far down the list, the module still starts at the top of the screen.
    back_home(page)
    last = page.locator(".course-module-row").last
    last.scroll_into_view_if_needed()
    title = last.get_by_role("link").inner_text()
    last.get_by_role("button", name="进入").click()
    heading = page.locator("h1", has_text=title)
    heading.wait_for()
    assert 0 <= heading.bounding_box()["y"] < 300, heading.bounding_box()

    # The same module on its own page, as a direct link opens it: a new kernel.
    token = re.search(r"\?s=([\w-]+)", module_row_href(page, server, fazhan)).group(1)
    started = time.monotonic()
    page.goto(f"{server.url}voila/render/{fazhan.meta.notebook}?s={token}")
    page.get_by_text("当前学员：钱七").wait_for()
    page.get_by_role("button", name="提交").wait_for()
    standalone_s = time.monotonic() - started
    print(f"\n打开模块：首页内 {in_place_s:.2f} s，单独页面 {standalone_s:.2f} s")
    store.set_setting(f"class:{CLASS}:current_module", "")
    local_only()


def module_row_href(page, server, module) -> str:
    """The standalone link of ``module`` on the home (going home first if needed)."""
    if not page.locator(".course-module-row").first.is_visible():
        back_home(page)
    return module_row(page, module.title).get_by_role("link", name=module.title).get_attribute("href")


def test_trainee_kernel_memory_after_two_modules_in_place(class_server, page):
    server, _ = class_server
    sign_in(page, server, "孙八", "e2e-102")
    kernel = page_kernel(server, page)
    home = kernel.memory_full_info()
    for title in ("发展党员工作", "党员教育管理与党费"):
        enter_in_place(page, title)
        back_home(page)
    time.sleep(1)
    two = kernel.memory_full_info()
    print(f"\n学员内核：登录后 RSS {mb(home.rss):.1f} MB / USS {mb(home.uss):.1f} / PSS {mb(home.pss):.1f}；"
          f"首页内打开两个模块后 RSS {mb(two.rss):.1f} MB / USS {mb(two.uss):.1f} / PSS {mb(two.pss):.1f}")
    heavy = {"pandas", "numpy", "openpyxl", "alembic", "debugpy", "nbconvert", "nbformat", "jinja2"}
    imported = loaded_packages(kernel)
    assert "sqlalchemy" in imported and not heavy & imported, heavy & imported
    # What a kernel costs the machine beyond the libraries all kernels share.
    assert mb(two.uss) < 75, "学员内核内存明显超出预期"


def loaded_packages(kernel: psutil.Process) -> set[str]:
    """Top-level packages imported in ``kernel``, asked over a second client of its own channels."""
    from jupyter_client import BlockingKernelClient

    args = kernel.cmdline()
    client = BlockingKernelClient(connection_file=args[args.index("-f") + 1])
    client.load_connection_file()
    client.start_channels()
    try:
        out = []
        client.execute_interactive(
            "import sys; print(' '.join({m.split('.')[0] for m, v in sys.modules.items() if v is not None}))", timeout=30,
            output_hook=lambda msg: out.append(msg["content"].get("text", "")),
        )
    finally:
        client.stop_channels()
    return set("".join(out).split())


def test_navigating_back_and_forth_leaks_no_kernels(class_server, page):
    server, _ = class_server
    fazhan = load_module(default_bank_dir() / "fazhan")
    sign_in(page, server, "周九", "e2e-103")
    baseline = wait_for_kernel_count(server, HOME_POOL + 1, timeout=60)
    counts = []
    for _ in range(3):
        enter_in_place(page, fazhan.title)
        back_home(page)
        enter_in_place(page, "党员教育管理与党费")
        back_home(page)
        module_row(page, fazhan.title).get_by_role("link", name=fazhan.title).click()  # standalone page
        page.get_by_text("当前学员：周九").wait_for()
        page.get_by_role("link", name="← 返回课程首页").first.click()  # a new home page, from the pool
        page.locator(".course-module-row").first.wait_for()
        counts.append(len(kernels(server)))
    settled = wait_for_kernel_count(server, HOME_POOL + 1, timeout=CULL_IDLE_S + 30)
    print(f"\n内核数：开始 {baseline}，每轮之后 {counts}，稳定后 {settled}")
    assert max(counts) <= HOME_POOL + 3, counts
    assert settled <= HOME_POOL + 1


def test_a_page_gone_without_the_unload_beacon_is_culled(class_server, browser):
    server, _ = class_server
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    sign_in(page, server, "吴十", "e2e-104")
    kernel = page_kernel(server, page)
    page.close(run_before_unload=False)  # like a phone browser killed in the background: no beacon
    context.close()
    kernel.wait(timeout=CULL_IDLE_S + 30)
    assert "Culling kernel" in server.log() or "Kernel shutdown" in server.log()
