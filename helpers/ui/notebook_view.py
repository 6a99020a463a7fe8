"""A course notebook rendered as widgets inside a page that is already running.

Why: Voila runs every page view in a kernel of its own, and a kernel costs
~60 MB.  A class of 100 moving through 8 modules cannot have a kernel pool per
module, so the course home renders a module *inside its own kernel*, where the
trainee is already signed in: markdown cells become HTML, code cells run here
and their widgets are collected in order.  The same notebook stays an ordinary
page that Voila serves on its own (self-study, direct links).

Only the course's own module notebooks are rendered this way (see
:func:`module_notebook`): their code cells are our one-line calls
(``page.quiz()``, ``page.footer()`` …), so running them here is what Voila
would do with them anyway.  Markdown is written by the course authors and kept
as they wrote it, HTML included; nothing a trainee types ever goes through it.
"""
from __future__ import annotations

import ast
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import ipywidgets as w
from IPython.display import display

from helpers.ui.html import notice

log = logging.getLogger("helpers.ui")

MODULES_FOLDER = "modules"
# The classes JupyterLab's stylesheet (loaded by the page template) gives
# rendered markdown, so a lesson looks the same in place as on its own page.
MARKDOWN_CLASSES = "jp-RenderedHTMLCommon jp-RenderedMarkdown"
CELL_FAILED = "这一部分暂时无法显示，其余内容照常使用。如一直如此，请联系授课老师。"

_SINK: ContextVar[Callable[[Any], None] | None] = ContextVar("notebook_view_sink", default=None)


class NotebookViewError(ValueError):
    """A module notebook that cannot be rendered in place."""


@dataclass(frozen=True)
class Cell:
    kind: str  # "markdown" or "code"
    source: str


def module_notebook(notebook_dir: Path, relative: str) -> Path:
    """The notebook ``relative`` to ``notebook_dir``, refused unless it is one of the course's modules.

    ``relative`` comes from the module's bank file; resolving it and checking
    it lands in ``<notebook_dir>/modules/`` keeps ``../`` or an absolute path
    from running any other notebook's code in a trainee's kernel.
    """
    modules = (Path(notebook_dir) / MODULES_FOLDER).resolve()
    path = (Path(notebook_dir) / relative).resolve()
    if path.suffix != ".ipynb" or not path.is_relative_to(modules):
        raise NotebookViewError(f"模块页面 {relative} 不在课程的 {MODULES_FOLDER}/ 文件夹中，不能在首页中打开")
    if not path.is_file():
        raise NotebookViewError(f"找不到模块页面 {relative}")
    return path


def read_cells(path: Path) -> list[Cell]:
    """Markdown and code cells in order (nbformat 4 JSON; raw cells are skipped like Voila does)."""
    try:
        notebook = json.loads(Path(path).read_text(encoding="utf-8"))
        cells = notebook["cells"]
        return [
            Cell(cell["cell_type"], "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"])
            for cell in cells
            if cell.get("cell_type") in ("markdown", "code")
        ]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise NotebookViewError(f"模块页面 {Path(path).name} 无法读取：{exc}") from exc


@lru_cache(maxsize=1)
def _markdown() -> Callable[[str], str]:
    # mistune comes with nbconvert (Voila renders markdown cells with it too);
    # imported here so a kernel that never renders in place does not load it.
    import mistune

    return mistune.create_markdown(escape=False, plugins=["table", "strikethrough", "url"])


def markdown_html(source: str) -> str:
    """A markdown cell as the HTML of a lesson section, styled like Voila's own cells."""
    return f'<div class="{MARKDOWN_CLASSES}">{_markdown()(source)}</div>'


def show(value: Any) -> None:
    """``display()`` for page code that may also run inside a rendered notebook.

    While :func:`render` runs a cell, what the cell shows goes into the view
    being built; anywhere else (a notebook Voila serves) it is displayed.
    """
    sink = _SINK.get()
    if sink is None:
        display(value)
    else:
        sink(value)


@contextmanager
def _collecting(shown: list[w.Widget]) -> Iterator[None]:
    token = _SINK.set(lambda value: shown.append(value) if isinstance(value, w.Widget) else None)
    try:
        yield
    finally:
        _SINK.reset(token)


def run_cell(source: str, namespace: dict[str, Any], filename: str) -> Any:
    """Run a code cell in ``namespace`` and return its last expression's value, as IPython shows it."""
    tree = ast.parse(source, filename)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, filename, "exec"), namespace)
    if last is None:
        return None
    return eval(compile(ast.Expression(last.value), filename, "eval"), namespace)


def render(cells: list[Cell], filename: str) -> list[w.Widget]:
    """The widgets of a notebook: one HTML per markdown cell, whatever each code cell shows.

    A failing cell is logged for the instructor's terminal and replaced by a
    short Chinese notice; the lesson around it still shows.
    """
    namespace: dict[str, Any] = {"__name__": "__course_module__"}
    shown: list[w.Widget] = []
    with _collecting(shown):
        for number, cell in enumerate(cells, start=1):
            if cell.kind == "markdown":
                shown.append(w.HTML(markdown_html(cell.source)))
                continue
            try:
                show(run_cell(cell.source, namespace, f"{filename}#cell{number}"))
            except Exception:
                log.exception("cell %s of %s failed", number, filename)
                shown.append(w.HTML(notice(CELL_FAILED, "error")))
    return shown
