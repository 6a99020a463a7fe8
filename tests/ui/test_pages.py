from helpers.ui.pages import CourseHome, ModulePage


def test_module_opened_without_token_asks_to_sign_in_then_fills(bank_dir, store):
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
    html = home.modules.value
    assert "演示模块" in html and "已答 1 / 4" in html and f"modules/01_demo.ipynb?s={session.token}" in html


def test_broken_bank_file_is_named_on_the_page(tmp_path, store, session):
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "questions.yaml").write_text("schema_version: 1\nmodule: [\n", encoding="utf-8")
    page = ModulePage("demo", bank_dir=tmp_path, store=store, token=session.token)
    assert "questions.yaml" in page.header.children[0].value
    assert "YAML" in page.header.children[0].value
