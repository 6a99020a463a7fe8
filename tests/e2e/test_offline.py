"""The course in a browser with no internet: Chinese everywhere, nothing fetched
from outside, a widget that answers, and preheated kernels actually used."""
from __future__ import annotations

import re
import time

import nbformat
import pytest

from helpers.apps.serve import DATA_DIR_ENV

pytestmark = pytest.mark.e2e

COURSE_NAME = "“两新”组织党组织书记培训课程"
ERROR_TEXT = "页面出错了，请刷新重试或联系授课老师"
# Texts of Voila's own pages and of the lab template that must never reach trainees.
ENGLISH_LEFTOVERS = ("Voilà", "Voila", "Executing", "Running", "Loading", "widget", "Traceback", "Error", "Not Found")
POOL_FILLED = r"Kernel pool of index\.ipynb is filled"
POOL_TAKEN = r"Using pre-heated kernel: \S+ for index\.ipynb"

HOME_SOURCE = f"""\
import os
import ipywidgets as widgets
from voila.utils import get_query_string

button = widgets.Button(description="点我")
label = widgets.Label("未点击")
button.on_click(lambda _: setattr(label, "value", "已点击"))
data_dir = widgets.Label("数据目录：" + os.environ.get("{DATA_DIR_ENV}", "未设置"))
query = widgets.Label("查询参数：" + get_query_string())
display(widgets.VBox([button, label, data_dir, query]))
"""


def _notebook(*cells: nbformat.NotebookNode) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook(cells=list(cells))
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


@pytest.fixture(scope="module")
def tiny_course(tmp_path_factory: pytest.TempPathFactory, start_course_server):
    """A notebooks folder of our own: the home page plus pages that are slow or fail."""
    folder = tmp_path_factory.mktemp("notebooks")
    pages = {
        "index.ipynb": _notebook(
            nbformat.v4.new_markdown_cell("# 课程首页\n\n欢迎参加“两新”组织党组织书记培训。"),
            nbformat.v4.new_code_cell(HOME_SOURCE),
        ),
        "slow.ipynb": _notebook(
            nbformat.v4.new_code_cell("import time\ntime.sleep(2)"),
            nbformat.v4.new_code_cell("time.sleep(2)"),
            nbformat.v4.new_markdown_cell("慢页面加载完成"),
        ),
        "fails.ipynb": _notebook(
            nbformat.v4.new_markdown_cell("出错之前"),
            nbformat.v4.new_code_cell("1 / 0"),
        ),
    }
    for name, notebook in pages.items():
        nbformat.write(notebook, folder / name)
    (folder / "broken.ipynb").write_text("这不是笔记本", encoding="utf-8")
    return start_course_server(folder, home_pool=1, module_pool=0)


def _count(server, pattern: str) -> int:
    return len(re.findall(pattern, server.log()))


def _wait_for_a_preheated_home(server, timeout: float = 120.0) -> int:
    """Wait until the home pool holds a kernel no page took yet; return how many were taken.

    Voila logs one FILLED line per (re)fill of the pool and one TAKEN line per
    page served from it; other tests take kernels too, so count rather than match.
    """
    deadline = time.monotonic() + timeout
    while _count(server, POOL_FILLED) <= _count(server, POOL_TAKEN):
        assert time.monotonic() < deadline, f"预热内核池 {timeout:.0f} 秒内没有补满：\n{server.log()[-3000:]}"
        time.sleep(0.2)
    return _count(server, POOL_TAKEN)


def _assert_no_english(text: str) -> None:
    leftovers = [word for word in ENGLISH_LEFTOVERS if word in text]
    assert not leftovers, f"页面上出现了英文：{leftovers}\n{text}"


def test_root_leads_to_an_interactive_course_home(tiny_course, page, painted_text, local_only):
    taken_before = _wait_for_a_preheated_home(tiny_course)
    started = time.monotonic()
    page.goto(tiny_course.url)
    page.wait_for_url(re.compile(r"/voila/render/index\.ipynb$"))
    button = page.get_by_role("button", name="点我")
    button.wait_for()
    interactive_after = time.monotonic() - started

    assert page.get_by_text("欢迎参加“两新”组织党组织书记培训。").is_visible()
    button.click()
    page.get_by_text("已点击").wait_for()
    assert page.get_by_text(f"数据目录：{tiny_course.data_dir}").is_visible()
    assert page.title() == COURSE_NAME
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    _assert_no_english(painted_text())
    # The page came from the pool: the template and preheating work together.
    assert _count(tiny_course, POOL_TAKEN) == taken_before + 1
    local_only()
    print(f"\n'/' → 可以点击：{interactive_after:.2f} 秒（预热内核）")


def test_the_query_string_reaches_a_preheated_page(tiny_course, page):
    # A preheated kernel ran the notebook before the request existed; the page
    # reads the query with voila.utils.get_query_string() (see voila.md).
    taken_before = _wait_for_a_preheated_home(tiny_course)
    page.goto(tiny_course.url + "voila/render/index.ipynb?lesson=2")
    page.get_by_text("查询参数：lesson=2").wait_for()
    assert _count(tiny_course, POOL_TAKEN) == taken_before + 1


def test_the_root_page_links_to_the_course_home_in_chinese(tiny_course, page):
    # Read the tree page itself: a browser would already have followed its refresh.
    html = page.request.get(tiny_course.url).text()
    assert re.search(r'<meta http-equiv="refresh" content="0;url=/voila/render/index\.ipynb">', html)
    assert re.search(r'<a [^>]*href="/voila/render/index\.ipynb">进入课程首页</a>', html)
    assert f"<title>{COURSE_NAME}</title>" in html


def test_chinese_renders_with_a_system_font(tiny_course, page):
    page.goto(tiny_course.url + "voila/render/index.ipynb")
    paragraph = page.get_by_text("欢迎参加“两新”组织党组织书记培训。")
    paragraph.wait_for()
    style = paragraph.evaluate(
        "el => { const s = getComputedStyle(el); return [s.fontFamily, parseFloat(s.fontSize)]; }"
    )
    assert style[0].startswith('"Noto Sans CJK SC"')
    assert style[1] >= 16
    assert page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"', '课程')")


def test_no_horizontal_scroll_on_a_phone(tiny_course, page):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(tiny_course.url + "voila/render/index.ipynb")
    page.get_by_role("button", name="点我").wait_for()
    scroll_width, client_width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll_width <= client_width


def test_loading_texts_are_chinese(tiny_course, page, painted_text):
    page.goto(tiny_course.url + "voila/render/slow.ipynb", wait_until="commit")
    page.wait_for_function(
        "() => /正在运行第 \\d+ 段，共 3 段/.test(document.getElementById('loading_text')?.textContent ?? '')"
    )
    page.get_by_text("慢页面加载完成").wait_for()
    assert "正在加载课程…" in painted_text()
    _assert_no_english(painted_text())


def test_missing_pages_are_a_chinese_404(tiny_course, page):
    for path in ("voila/render/missing.ipynb", "no/such/page"):
        response = page.goto(tiny_course.url + path)
        assert response.status == 404
        assert page.get_by_role("heading", name="页面不存在").is_visible()
        assert page.title().startswith("页面不存在")
        _assert_no_english(page.locator("body").inner_text())


def test_a_failing_cell_shows_a_chinese_message_and_no_traceback(tiny_course, page):
    page.goto(tiny_course.url + "voila/render/fails.ipynb")
    page.get_by_text(ERROR_TEXT).wait_for()
    body = page.locator("body").inner_text()
    assert "ZeroDivisionError" not in body
    _assert_no_english(body)


def test_an_unreadable_notebook_shows_the_chinese_error_page(tiny_course, page):
    response = page.goto(tiny_course.url + "voila/render/broken.ipynb")
    assert response.status >= 400
    assert page.get_by_role("heading", name=ERROR_TEXT).is_visible()
    _assert_no_english(page.locator("body").inner_text())


def _wait_until_rendered(page) -> None:
    """Voila removes the spinner and shows the cells once every cell has run."""
    page.wait_for_function(
        "() => !document.getElementById('loading')"
        " && document.getElementById('rendered_cells')?.style.display === ''"
    )


def test_the_real_course_is_offline_and_chinese(course_server, page, painted_text, local_only):
    page.goto(course_server.url)
    page.wait_for_url(re.compile(r"/voila/render/index\.ipynb$"))
    modules = sorted(course_server.notebook_dir.glob("modules/*.ipynb"))
    for name in ["index.ipynb", *(f"modules/{module.name}" for module in modules)]:
        page.goto(f"{course_server.url}voila/render/{name}")
        _wait_until_rendered(page)
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        assert re.search(r"[\u4e00-\u9fff]", page.title()), name
        assert not page.locator(".course-cell-error").count(), f"{name} 有单元格出错"
        _assert_no_english(painted_text())
    local_only()
