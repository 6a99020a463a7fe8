"""Rendering a module notebook inside a running page."""
import json

import ipywidgets as w
import pytest

from helpers.ui.notebook_view import (
    Cell,
    NotebookViewError,
    markdown_html,
    module_notebook,
    read_cells,
    render,
    run_cell,
    show,
)


def test_markdown_keeps_the_authors_html_and_renders_tables():
    html = markdown_html("## 要点\n\n| 事项 | 时限 |\n|---|---|\n| 谈话 | **一个月内** |\n\n<span class='x'>原样</span>")
    assert html.startswith('<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown">')
    assert "<h2>要点</h2>" in html and "<td><strong>一个月内</strong></td>" in html
    assert "<span class='x'>原样</span>" in html


def test_a_cell_returns_its_last_expression_like_ipython():
    namespace = {}
    assert run_cell("x = 2\nx * 21", namespace, "t") == 42
    assert run_cell("y = x", namespace, "t") is None and namespace["y"] == 2


def test_render_collects_markdown_and_what_code_cells_show_in_order():
    cells = [
        Cell("code", "import ipywidgets as w\nfrom helpers.ui.notebook_view import show\nshow(w.Label('页眉'))"),
        Cell("markdown", "正文"),
        Cell("code", "w.Label('工具')"),
        Cell("code", "None"),
    ]
    shown = render(cells, "demo.ipynb")
    assert [type(x).__name__ for x in shown] == ["Label", "HTML", "Label"]
    assert shown[0].value == "页眉" and "正文" in shown[1].value and shown[2].value == "工具"


def test_show_outside_a_render_displays(monkeypatch):
    seen = []
    monkeypatch.setattr("helpers.ui.notebook_view.display", seen.append)
    label = w.Label("x")
    show(label)
    assert seen == [label]


def test_only_notebooks_in_the_modules_folder(tmp_path):
    (tmp_path / "modules").mkdir()
    (tmp_path / "modules" / "01_a.ipynb").write_text("{}", encoding="utf-8")
    (tmp_path / "instructor.ipynb").write_text("{}", encoding="utf-8")
    assert module_notebook(tmp_path, "modules/01_a.ipynb") == (tmp_path / "modules" / "01_a.ipynb").resolve()
    for bad in ("instructor.ipynb", "modules/../instructor.ipynb", str(tmp_path / "instructor.ipynb"),
                "modules/01_a.py"):
        with pytest.raises(NotebookViewError, match="不在课程的 modules/ 文件夹中"):
            module_notebook(tmp_path, bad)
    with pytest.raises(NotebookViewError, match="找不到模块页面"):
        module_notebook(tmp_path, "modules/02_b.ipynb")


def test_cells_are_read_in_order_and_raw_cells_skipped(tmp_path):
    path = tmp_path / "a.ipynb"
    path.write_text(json.dumps({"cells": [
        {"cell_type": "markdown", "source": ["# 一\n", "二"]},
        {"cell_type": "raw", "source": "不显示"},
        {"cell_type": "code", "source": "page.quiz()"},
    ]}), encoding="utf-8")
    assert read_cells(path) == [Cell("markdown", "# 一\n二"), Cell("code", "page.quiz()")]


def test_an_unreadable_notebook_is_named(tmp_path):
    path = tmp_path / "03_bad.ipynb"
    path.write_text("这不是笔记本", encoding="utf-8")
    with pytest.raises(NotebookViewError, match="03_bad.ipynb 无法读取"):
        read_cells(path)
