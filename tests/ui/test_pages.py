import json
from pathlib import Path

import ipywidgets as w
import pytest

from helpers.engine.identity import validate_identity
from helpers.ui.pages import CourseHome, ModulePage

from widget_tree import button, texts, walk


NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def test_module_opened_without_token_asks_to_sign_in_then_fills(bank_dir, store, class_a):
    page = ModulePage("demo", bank_dir=bank_dir, store=store, token="")
    quiz = page.quiz()
    assert "登录后即可作答" in quiz.children[0].value
    form = page.sign_in_form
    form.name.value, form.number.value, form.class_code.value = "李四", "2026002", "class-a"
    form.button.click()
    assert page.trainee.name == "李四"
    assert quiz.children[0].__class__.__name__ == "VBox"  # the quiz itself


def test_token_in_link_keeps_her_signed_in(bank_dir, store, session):
    page = ModulePage("demo", bank_dir=bank_dir, store=store, token=session.token)
    assert page.trainee.id == session.trainee.id
    assert f"?s={session.token}" in page.footer().value
    assert "当前学员：张三" in page.header.children[1].children[0].value


def test_bad_token_is_not_signed_in(bank_dir, store):
    page = ModulePage("demo", bank_dir=bank_dir, store=store, token="<script>")
    assert page.trainee is None


def test_hostile_name_is_refused_with_a_message(bank_dir, store):
    page = ModulePage("demo", bank_dir=bank_dir, store=store, token="")
    form = page.sign_in_form
    form.name.value, form.number.value = "<b>张</b>", "1"
    form.button.click()
    message = form.message.value
    assert "姓名" in message and "<b>" not in message


def test_home_lists_modules_with_progress_and_links(bank_dir, store, session):
    store.record_answer(session.trainee.id, "demo", "demo-1", "B", 1.0, True)
    home = CourseHome(bank_dir=bank_dir, store=store, token=session.token)
    html = home._rows["demo"].value
    assert "演示模块" in html and "已答 1 / 4" in html and f"modules/01_demo.ipynb?s={session.token}" in html


def test_her_name_shows_only_once_the_module_links_carry_her_token(bank_dir, store, class_a):
    """The name is what she (and the browser tests) wait for before clicking a module."""
    home = CourseHome(bank_dir=bank_dir, store=store, token="")
    bar = home.widget.children[2]
    links_when_named: list[str] = []
    bar.observe(lambda change: links_when_named.append(home._rows["demo"].value), names="children")
    form = home.sign_in_form
    form.name.value, form.number.value, form.class_code.value = "李四", "2026002", "class-a"
    form.button.click()
    assert "当前学员：李四" in bar.children[0].value
    assert links_when_named and f"?s={home.session_token}" in links_when_named[-1]


def test_broken_bank_file_is_named_on_the_page(tmp_path, store, session):
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "questions.yaml").write_text("schema_version: 1\nmodule: [\n", encoding="utf-8")
    page = ModulePage("demo", bank_dir=tmp_path, store=store, token=session.token)
    assert "questions.yaml" in page.header.children[0].value
    assert "YAML" in page.header.children[0].value


# -- modules in place ----------------------------------------------------------


def _notebook(module_id: str, *tools: str) -> str:
    cells = [
        {"cell_type": "code", "source": ["from helpers.ui import module_page\n", f'page = module_page("{module_id}")'],
         "metadata": {}, "outputs": [], "execution_count": None},
        {"cell_type": "markdown", "source": ["## 要点\n", "\n", "| 事项 | 时限 |\n", "|---|---|\n", "| 谈话 | 一个月内 |"],
         "metadata": {}},
        *({"cell_type": "code", "source": tool, "metadata": {}, "outputs": [], "execution_count": None}
          for tool in (*tools, "page.footer()")),
    ]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 4}, ensure_ascii=False)


@pytest.fixture
def course(tmp_path, two_module_bank):
    """A two-module bank and the notebooks folder of its course."""
    bank = two_module_bank
    notebooks = tmp_path / "notebooks"
    (notebooks / "modules").mkdir(parents=True)
    (notebooks / "modules" / "01_demo.ipynb").write_text(
        _notebook("demo", "page.quiz()", 'page.audit("demo-audit")'), encoding="utf-8")
    (notebooks / "modules" / "02_second.ipynb").write_text(_notebook("second", "page.quiz()"), encoding="utf-8")
    return bank, notebooks


def _home(course, store, token=""):
    bank, notebooks = course
    return CourseHome(bank_dir=bank, store=store, token=token, notebook_dir=notebooks, poll_seconds=3600)


def test_enter_renders_the_module_in_place_for_the_signed_in_trainee(course, store, session):
    home = _home(course, store, session.token)
    assert all(button.layout.display is None for button in home._enter.values())
    home._enter["demo"].click()

    view = home.body.children[0]
    text = texts(view)
    assert "<h1" in text and "演示模块" in text
    assert "<table>" in text and "<td>一个月内</td>" in text and "jp-RenderedMarkdown" in text
    assert "预备党员的预备期为多长？" in text  # the quiz, bound to her: no sign-in form
    assert "登录后即可作答" not in text
    assert "按期换届" in text  # the self-audit
    assert home.trainee.id == session.trainee.id and home.session_token == session.token


def test_answering_in_place_then_back_home_shows_progress(course, store, session):
    home = _home(course, store, session.token)
    home.open_module("demo")
    quiz = home._views["demo"]
    radio = next(x for x in walk(quiz) if isinstance(x, w.RadioButtons))
    radio.value = "B"
    button(quiz, "提交").click()
    assert "回答正确" in texts(quiz)

    button(quiz, "← 返回课程首页").click()
    assert home.body.children == (home.home_view,)
    assert "已答 1 / 4，答对 1" in home._rows["demo"].value


def test_next_module_opens_in_place_and_views_are_kept(course, store, session):
    home = _home(course, store, session.token)
    home.open_module("demo")
    first = home.body.children[0]
    button(first, "下一模块：第二模块 →").click()
    assert "党员大会一般每季度召开一次。" in texts(home.body.children[0])
    assert button(home.body.children[0], "下一模块：第二模块 →") is None  # the last module

    home.open_module("demo")
    assert home.body.children[0] is first


def test_enter_appears_only_after_sign_in(course, store):
    home = _home(course, store)
    assert all(button.layout.display == "none" for button in home._enter.values())
    form = home.sign_in_form
    form.name.value, form.number.value = "王五", "2026003"
    form.button.click()
    assert all(button.layout.display is None for button in home._enter.values())
    home.open_module("second")
    assert "党员大会一般每季度召开一次。" in texts(home.body.children[0])


def test_a_failing_cell_shows_a_notice_and_the_rest_of_the_lesson(course, store, session):
    _, notebooks = course
    (notebooks / "modules" / "01_demo.ipynb").write_text(_notebook("demo", "1 / 0"), encoding="utf-8")
    home = _home(course, store, session.token)
    home.open_module("demo")
    text = texts(home.body.children[0])
    assert "这一部分暂时无法显示" in text and "一个月内" in text and "Traceback" not in text


def test_a_notebook_outside_the_modules_folder_is_not_run(course, store, session, tmp_path):
    bank, notebooks = course
    (notebooks / "evil.ipynb").write_text(_notebook("demo"), encoding="utf-8")
    text = (bank / "second" / "questions.yaml").read_text(encoding="utf-8")
    (bank / "second" / "questions.yaml").write_text(text.replace("modules/02_second.ipynb", "modules/../evil.ipynb"),
                                                   encoding="utf-8")
    home = _home(course, store, session.token)
    home.open_module("second")
    assert "不在课程的 modules/ 文件夹中" in texts(home.body.children[0])


def test_banner_follows_the_class_current_module(course, store, class_a):
    trainee = store.sign_in(validate_identity("李四", "2026002", class_a))
    home = _home(course, store, trainee.token)
    banner = home.banner
    assert banner.widget.layout.display == "none"

    store.set_setting("class:class-a:current_module", "second")
    banner.check()
    assert banner.widget.layout.display == "flex" and "第二模块" in banner.text.value
    banner.enter.click()
    assert "党员大会一般每季度召开一次。" in texts(home.body.children[0])

    store.set_setting("class:class-a:current_module", "demo")
    banner.check()  # paused while she is in a module: nothing read, nothing changed
    assert "第二模块" in banner.text.value
    button(home.body.children[0], "← 返回课程首页").click()
    assert "演示模块" in banner.text.value

    store.set_setting("class:class-a:current_module", "")
    banner.check()
    assert banner.widget.layout.display == "none"


def test_self_study_trainee_has_no_banner(course, store):
    trainee = store.sign_in(validate_identity("赵六", "2026009", ""))
    home = _home(course, store, trainee.token)
    store.set_setting("class::current_module", "demo")
    home.banner.check()
    assert home.banner.widget.layout.display == "none"


def test_every_course_module_renders_in_place_without_a_failing_cell(store, session):
    from helpers.ui.notebook_view import CELL_FAILED

    home = CourseHome(store=store, token=session.token, notebook_dir=NOTEBOOKS, poll_seconds=3600)
    assert len(home.listed) >= 8
    for module in home.listed:
        home.open_module(module.id)
        text = texts(home.body.children[0])
        assert module.title in text and CELL_FAILED not in text and "找不到模块页面" not in text, module.id
        assert "jp-RenderedMarkdown" in text and "← 返回课程首页" in text
