"""The unlocked instructor dashboard driven from Python with a real SQLite store:
a class of four on the roster, three of them signed in and answering."""
from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import re
import textwrap
import time

import pytest
from openpyxl import load_workbook

from helpers.content.roster import RosterEntry
from helpers.engine.identity import validate_identity
from helpers.ui.instructor_classes import ClassesView
from helpers.ui.instructor_dashboard import InstructorDashboard
from helpers.ui.instructor_exams import ExamsView
from helpers.ui.instructor_live import DiscussionView, PacingView
from helpers.ui.instructor_results import DistributionView, ItemAnalysisView, RosterView, WeakTagsView

SOURCE = "《中国共产党章程》（2022年修改）第七条"
NOW = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.timezone.utc)
QUESTIONS = {
    "m1": ("第一模块", 1, f"""
  - {{id: q1, type: single, stem: 单选一, options: [甲, 乙, 丙], answer: B, tags: [党费]}}
  - {{id: q2, type: multiple, stem: 多选二, options: [甲, 乙, 丙, 丁], answer: [A, C], tags: [党费, 会议]}}
  - {{id: q3, type: judge, stem: 判断三, answer: 对, tags: [会议]}}
  - {{id: q4, type: fill, stem: 填空四, answer: [三会一课]}}
"""),
    "m2": ("第二模块", 2, """
  - {id: r1, type: single, stem: 单选五, options: [子, 丑], answer: A, tags: [换届]}
  - {id: r2, type: judge, stem: 判断六, answer: 错}
"""),
}
EXAMS = {
    "final.yaml": """
blueprint:
  id: final
  title: 结业考试
  time_limit_minutes: 30
  pass_mark: 60
  review: false
  sections:
    - {module: m1, type: single, count: 1, points: 50}
    - {type: judge, count: 2, points: 25}
""",
    "huge.yaml": """
blueprint:
  id: huge
  title: 过大的考试
  time_limit_minutes: 30
  pass_mark: 60
  sections:
    - {module: m2, type: multiple, count: 3, points: 10}
""",
}


@pytest.fixture
def bank(tmp_path):
    root = tmp_path / "bank"
    for module, (title, order, items) in QUESTIONS.items():
        folder = root / module
        folder.mkdir(parents=True)
        filled = re.sub(r"\}\n", f", explanation: 解析, source: {SOURCE}, difficulty: 1}}\n", items)
        (folder / "questions.yaml").write_text(
            f"schema_version: 1\nmodule: {{id: {module}, title: {title}, order: {order}, "
            f"notebook: modules/0{order}_{module}.ipynb}}\nquestions:{filled}", encoding="utf-8")
    (root / "_exams").mkdir()
    for name, text in EXAMS.items():
        (root / "_exams" / name).write_text("schema_version: 1\n" + textwrap.dedent(text), encoding="utf-8")
    return root


def sign_in(store, name, number, code):
    return store.sign_in(validate_identity(name, number, code)).trainee


def answer(store, trainee, module, question, response, score):
    store.record_answer(trainee.id, module, question, response, score, score >= 1)


@pytest.fixture
def classroom(store):
    """Class c1: 张三 strong, 李四 weak, 王五 in between, 赵六 never came; class c2 elsewhere."""
    store.create_class("c1", "2026年第一期书记培训班", dt.date(2026, 11, 20), dt.date(2026, 11, 27))
    store.import_roster("c1", [RosterEntry("2026001", "张三", "甲公司党支部", "书记"),
                               RosterEntry("2026002", "李四", "乙协会党支部", "副书记"),
                               RosterEntry("2026003", "王五"), RosterEntry("2026004", "赵六")])
    zhang, li, wang = (sign_in(store, n, f"202600{i}", "c1") for i, n in ((1, "张三"), (2, "李四"), (3, "王五")))
    for trainee, answers, score in (
        (zhang, [("q1", "B", 1), ("q2", ["A", "C"], 1), ("q3", "对", 1), ("q4", "三会一课", 1)], 100.0),
        (li, [("q1", "A", 0), ("q2", ["A"], 0), ("q3", "对", 1), ("q4", "三个一课", 0)], 25.0),
        (wang, [("q1", "B", 1), ("q2", ["A", "B"], 0), ("q3", "对", 1)], 33.3),
    ):
        attempt = store.start_attempt(trainee.id, "m1")
        for question, response, right in answers:
            answer(store, trainee, "m1", question, response, right)
        store.finish_attempt(attempt, score)
    answer(store, zhang, "m2", "r1", "A", 1)
    store.create_class("c2", "另一个班")
    outsider = sign_in(store, "钱七", "9001", "c2")
    answer(store, outsider, "m1", "q1", "C", 0)
    return {"张三": zhang, "李四": li, "王五": wang}


@pytest.fixture
def dash(store, bank, classroom):
    board = InstructorDashboard(store, bank_dir=bank, now=lambda: NOW)
    board.class_picker.value = "c1"
    return board


def view(board, kind):
    index = next(i for i, v in enumerate(board.views) if isinstance(v, kind))
    board.tabs.selected_index = index
    return board.views[index]


def downloads(html):
    """(filename, mime, bytes) of every download link in the HTML."""
    return [(name, mime, base64.b64decode(data))
            for name, mime, data in re.findall(r'download="([^"]+)" href="data:([^;"]+(?:;charset=utf-8)?);base64,([^"]+)"', html)]


def xlsx_of(html):
    (name, mime, data), = [d for d in downloads(html) if d[0].endswith(".xlsx")]
    assert mime == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(data))


def csv_rows(html, index=0):
    files = [d for d in downloads(html) if d[0].endswith(".csv")]
    data = files[index][2]
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


# -- 班级管理 ---------------------------------------------------------------

def test_create_a_class_and_it_becomes_the_chosen_one(store, bank):
    board = InstructorDashboard(store, bank_dir=bank, now=lambda: NOW)
    classes = view(board, ClassesView)
    assert "还没有班级" in classes.content.value
    classes.name.value, classes.code.value = "2026年第二期", "2026-02"
    classes.starts_on.value, classes.ends_on.value = dt.date(2026, 12, 1), dt.date(2026, 12, 5)
    classes.create.click()
    assert "已创建班级“2026年第二期”，班级代码 2026-02" in classes.create_message.value
    assert board.class_picker.value == "2026-02" and board.ctx.class_code == "2026-02"
    assert "2026-12-01" in classes.content.value and "2026年第二期" in classes.content.value
    classes.name.value, classes.code.value = "重复", "2026-02"
    classes.create.click()
    assert "2026-02" in classes.create_message.value and "已创建" not in classes.create_message.value


@pytest.mark.parametrize("name, code, start, end, expected", [
    ("", "x1", None, None, "请填写班级名称"),
    ("某班", "", None, None, "请填写班级代码"),
    ("某班", "x1", dt.date(2026, 12, 5), dt.date(2026, 12, 1), "结束日期不能早于开始日期"),
    ("某班", "不能用中文", None, None, "班级代码"),
])
def test_bad_class_forms_get_a_message(store, bank, name, code, start, end, expected):
    board = InstructorDashboard(store, bank_dir=bank, now=lambda: NOW)
    classes = view(board, ClassesView)
    classes.name.value, classes.code.value, classes.starts_on.value, classes.ends_on.value = name, code, start, end
    classes.create.click()
    assert expected in classes.create_message.value and store.list_classes() == []


def upload(widget, data: bytes, name: str):
    widget.value = ({"name": name, "type": "text/csv", "size": len(data), "content": memoryview(data),
                     "last_modified": NOW},)


def test_import_a_roster_from_csv(store, bank):
    store.create_class("c9", "九班")
    board = InstructorDashboard(store, bank_dir=bank, now=lambda: NOW)
    classes = view(board, ClassesView)
    upload(classes.upload, "姓名,学员编号,单位,职务\n刘一,001,丙公司党支部,书记\n陈二,002,,\n".encode("utf-8-sig"), "花名册.csv")
    classes.import_roster.click()
    assert "已从“花名册.csv”导入 2 名学员到班级 c9" in classes.import_message.value
    assert [e.name for e in store.roster("c9")] == ["刘一", "陈二"]
    assert "丙公司党支部" in classes.content.value  # the roster of the chosen class is listed


def test_a_roster_with_bad_rows_names_each_row_and_imports_nothing(store, bank):
    store.create_class("c9", "九班")
    board = InstructorDashboard(store, bank_dir=bank, now=lambda: NOW)
    classes = view(board, ClassesView)
    bad = "姓名,学员编号\n刘一,001\n,002\n陈二,001\n".encode("utf-8")
    upload(classes.upload, bad, "花名册.csv")
    classes.import_roster.click()
    message = classes.import_message.value
    assert "第 3 行" in message and "第 4 行" in message and "一个也没有导入" in message
    assert store.roster("c9") == []
    upload(classes.upload, "名字,编号\n刘一,001\n".encode("utf-8"), "花名册.csv")
    classes.import_roster.click()
    assert "学员编号" in classes.import_message.value and store.roster("c9") == []


def test_roster_import_needs_a_file_and_a_class(store, bank):
    board = InstructorDashboard(store, bank_dir=bank, now=lambda: NOW)
    classes = view(board, ClassesView)
    classes.import_roster.click()
    assert "请先创建班级" in classes.import_message.value


def test_roster_template_has_the_right_columns_and_imports_once_filled(store, bank):
    board = InstructorDashboard(store, bank_dir=bank, now=lambda: NOW)
    (data,) = [data for child in view(board, ClassesView).widget.children
               for name, _, data in downloads(str(getattr(child, "value", ""))) if name == "花名册模板.xlsx"]
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == ["姓名", "学员编号", "单位", "职务"]
    store.create_class("c9", "九班")
    board.reload_classes("c9")
    classes = view(board, ClassesView)
    upload(classes.upload, data, "花名册模板.xlsx")
    classes.import_roster.click()
    assert "没有学员" in classes.import_message.value
    sheet.append(["刘一", 2026001, "丙公司党支部", "书记"])  # filled in Excel: the number becomes a number
    filled = io.BytesIO()
    sheet.parent.save(filled)
    upload(classes.upload, filled.getvalue(), "花名册.xlsx")
    classes.import_roster.click()
    assert store.roster("c9") == [RosterEntry("2026001", "刘一", "丙公司党支部", "书记")]


# -- 花名册与进度 ---------------------------------------------------------------

def test_roster_with_completion_and_best_score(dash, store):
    roster = view(dash, RosterView)
    html = roster.content.value
    assert "共 4 名学员，已登录 3 名" in html and "赵六" in html and "未登录" in html
    assert "钱七" not in html  # another class
    book = xlsx_of(roster.downloads.value)
    sheet = book["花名册与进度"]
    headers = [c.value for c in sheet[1]]
    assert headers[:5] == ["学员编号", "姓名", "单位", "职务", "登录状态"]
    assert "第一模块·完成率(%)" in headers and "第二模块·最高分" in headers
    rows = {r[1]: dict(zip(headers, r)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["张三"]["第一模块·完成率(%)"] == 100 and rows["张三"]["第一模块·最高分"] == 100
    assert rows["王五"]["第一模块·完成率(%)"] == 75 and rows["王五"]["第一模块·最高分"] == 33.3
    assert rows["张三"]["第二模块·完成率(%)"] == 50 and rows["张三"]["第二模块·最高分"] is None
    assert rows["赵六"]["登录状态"] == "未登录" and rows["赵六"]["第一模块·完成率(%)"] is None
    assert rows["张三"]["完成模块数"] == 1
    assert sheet.freeze_panes == "A2"
    assert csv_rows(roster.downloads.value)[0] == headers


# -- 成绩分布 ---------------------------------------------------------------

def test_score_distribution(dash):
    scores = view(dash, DistributionView)
    scores.module.value = "m1"
    html = scores.content.value
    assert "3 名学员有成绩：平均 52.8 分" in html
    assert "90 分及以上" in html and "60 分以下" in html and "2 人（67%）" in html
    book = xlsx_of(scores.downloads.value)
    assert book.sheetnames == ["成绩分布", "各模块成绩"]
    bands = {r[0]: r[1] for r in book["成绩分布"].iter_rows(min_row=2, values_only=True)}
    assert bands == {"90 分及以上": 1, "80～89 分": 0, "70～79 分": 0, "60～69 分": 0, "60 分以下": 2}
    modules = list(book["各模块成绩"].iter_rows(min_row=2, values_only=True))
    assert modules[0][:3] == ("第一模块", 3, 52.8) and modules[1][1] == 0


def test_no_scores_yet_is_said_plainly(store, bank):
    store.create_class("c9", "九班")
    board = InstructorDashboard(store, bank_dir=bank, now=lambda: NOW)
    assert "还没有学员完成" in view(board, DistributionView).content.value


# -- 薄弱知识点 ---------------------------------------------------------------

def test_weakest_tags_first(dash):
    tags = view(dash, WeakTagsView)
    book = xlsx_of(tags.downloads.value)
    rows = list(book["薄弱知识点"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["党费", "（未标注知识点）", "会议", "换届"]  # ties: more answers first
    assert rows[0][1:5] == (2, 6, 50, 50)  # 党费: q1 (2 of 3 right) and q2 (1 of 3): 3 of 6
    assert rows[1][1:4] == (1, 2, 50) and rows[2][3] == 66.7 and rows[3][3] == 100
    tags.module.value = "m2"
    assert [r[0] for r in xlsx_of(tags.downloads.value)["薄弱知识点"].iter_rows(min_row=2, values_only=True)] == ["换届"]


# -- 题目分析 ---------------------------------------------------------------

def test_item_analysis_with_option_counts(dash):
    items = view(dash, ItemAnalysisView)
    items.module.value = "m1"
    sheet = xlsx_of(items.downloads.value)["题目分析"]
    headers = [c.value for c in sheet[1]]
    assert headers == ["题号", "模块", "题型", "题干", "正确答案", "作答人数", "难度系数", "区分度",
                       "选A人数", "选B人数", "选C人数", "选D人数"]
    rows = {r[0]: dict(zip(headers, r)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert list(rows) == ["q1", "q2", "q3", "q4"]
    q1, q2 = rows["q1"], rows["q2"]
    assert (q1["题干"], q1["题型"], q1["正确答案"], q1["作答人数"], q1["难度系数"]) == ("单选一", "单选题", "B", 3, 66.7)
    assert (q1["选A人数"], q1["选B人数"], q1["选C人数"], q1["选D人数"]) == (1, 2, 0, None)
    assert (q2["选A人数"], q2["选B人数"], q2["选C人数"], q2["选D人数"]) == (3, 1, 1, 0) and q2["正确答案"] == "AC"
    assert rows["q3"]["选A人数"] is None and rows["q3"]["正确答案"] == "对"
    assert rows["q3"]["难度系数"] == 100 and rows["q3"]["区分度"] is None  # everyone right: undefined
    assert rows["q4"]["作答人数"] == 2 and rows["q4"]["区分度"] == 100
    assert q1["区分度"] == 50  # q1 against the rest: (1, 0, 1) with (3, 1, 1)
    assert "区分度" in items.content.value and "Moodle" in items.content.value


# -- 课堂讨论 ---------------------------------------------------------------

def test_live_distribution_is_anonymous_and_hides_the_answer_until_asked(dash, store, classroom):
    live = view(dash, DiscussionView)
    live.question.value = "q1"
    html = live.content.value
    assert "已有 3 人作答" in html and "A. 甲" in html and "B. 乙" in html and "2 人（67%）" in html
    assert not any(name in html for name in ("张三", "李四", "王五", "赵六", "钱七"))
    assert "✓" not in html
    live.show_answer.value = True
    assert "B. 乙 ✓" in live.content.value
    newcomer = sign_in(store, "赵六", "2026004", "c1")
    answer(store, newcomer, "m1", "q1", "A", 0)
    live.refresh_button.click()
    assert "已有 4 人作答" in live.content.value
    assert csv_rows(live.downloads.value)[1:] == [["q1", "A. 甲", "2", "50"], ["q1", "B. 乙", "2", "50"],
                                                    ["q1", "C. 丙", "0", "0"]]


def test_live_distribution_for_judge_and_other_types(dash):
    live = view(dash, DiscussionView)
    live.question.value = "q3"
    assert "对" in live.content.value and "3 人（100%）" in live.content.value
    live.question.value = "q4"
    assert "答对" in live.content.value and "答错" in live.content.value and "1 人（50%）" in live.content.value
    live.module.value = "m2"
    assert live.question.value == "r1" and "已有 1 人作答" in live.content.value


def test_auto_refresh_picks_up_new_answers_and_stops(dash, store):
    live = view(dash, DiscussionView)
    live.question.value = "q1"
    live.repeater.interval = 0.05
    live.auto.value = True
    newcomer = sign_in(store, "赵六", "2026004", "c1")
    answer(store, newcomer, "m1", "q1", "C", 0)
    deadline = dt.datetime.now() + dt.timedelta(seconds=10)
    while "已有 4 人作答" not in live.content.value and dt.datetime.now() < deadline:
        time.sleep(0.02)
    assert "已有 4 人作答" in live.content.value
    live.auto.value = False
    live.repeater._thread.join(timeout=5)
    assert not live.repeater.running


# -- 课堂进度 ---------------------------------------------------------------

def test_set_the_current_module(dash, store):
    pacing = view(dash, PacingView)
    assert "当前模块：未指定" in pacing.content.value
    pacing.module.value = "m2"
    pacing.set_button.click()
    assert store.get_setting("class:c1:current_module") == "m2"
    assert "已把班级 c1 的当前模块设为：第二模块" in pacing.message.value
    rows = csv_rows(pacing.downloads.value)
    assert rows[1] == ["1", "第一模块", "", "3", "2"] and rows[2] == ["2", "第二模块", "当前", "1", "0"]
    pacing.module.value = ""
    pacing.set_button.click()
    assert store.get_setting("class:c1:current_module") == "" and "已取消" in pacing.message.value


# -- 考试 -------------------------------------------------------------------

def test_open_close_review_and_results(dash, store, classroom):
    exams = view(dash, ExamsView)
    exams.exam.value = "final"
    assert "未开放" in exams.content.value and exams.open_button.description == "开放考试"
    assert "交卷后不能查看" in exams.content.value  # the blueprint's default
    exams.open_button.click()
    assert store.get_setting("exam:final:open") == "1" and exams.open_button.description == "关闭考试"
    exams.review_button.click()
    assert store.get_setting("exam:final:review") == "1" and "交卷后可以查看" in exams.content.value
    zhang, li = classroom["张三"], classroom["李四"]
    done = store.start_exam(zhang.id, "final", 7, ["q1", "q3", "r2"], NOW + dt.timedelta(minutes=30))
    store.submit_exam(done.id, {"q1": (1.0, True), "q3": (1.0, True), "r2": (0.0, False)}, 75.0, True)
    store.start_exam(li.id, "final", 8, ["q1", "q3", "r2"], NOW - dt.timedelta(minutes=1))
    exams.open_button.click()
    assert store.get_setting("exam:final:open") == "0"
    html = exams.content.value
    assert "已参加 2 人，已交卷 1 人，合格 1 人，平均成绩（每人最好一次）75.0 分" in html
    rows = {r[1]: r for r in csv_rows(exams.downloads.value)[1:]}
    assert rows["张三"][4:] == ["已交卷", rows["张三"][5], rows["张三"][6], "75", "合格"]
    assert rows["李四"][4] == "超时未交卷" and rows["赵六"][4] == "未参加"
    assert "钱七" not in html


def test_a_blueprint_the_bank_cannot_fill_names_module_and_type(dash):
    exams = view(dash, ExamsView)
    exams.exam.value = "huge"
    assert "模块 m2" in exams.content.value and "多选题" in exams.content.value


# -- the whole dashboard -----------------------------------------------------

def test_every_view_has_excel_and_csv_links(dash):
    for index, v in enumerate(dash.views):
        dash.tabs.selected_index = index
        assert v.message.value == "", v.title
        names = [name for name, _, _ in downloads(v.downloads.value)]
        assert any(n.endswith(".xlsx") for n in names) and any(n.endswith(".csv") for n in names), v.title
        assert all(n.startswith("c1_") for n in names), names


def test_export_all_has_a_sheet_per_table(dash):
    dash.export_button.click()
    book = xlsx_of(dash.export_link.value)
    assert {"班级列表", "花名册与进度", "成绩分布", "薄弱知识点", "题目分析", "课堂进度"} <= set(book.sheetnames)
    assert all(book[name].freeze_panes == "A2" for name in book.sheetnames)


def test_switching_class_switches_the_data(dash):
    roster = view(dash, RosterView)
    dash.class_picker.value = "c2"
    assert "钱七" in roster.content.value and "张三" not in roster.content.value


def test_roster_text_is_escaped_and_modules_head_their_columns(dash, store):
    store.import_roster("c1", [RosterEntry("2026009", "孙九", "<b>丁</b>公司", "")])
    roster = view(dash, RosterView)
    html = roster.content.value
    assert "&lt;b&gt;丁&lt;/b&gt;公司" in html and "<b>丁" not in html
    assert "colspan='2'" in html and html.count("第一模块") == 1  # one group heading over 完成率 and 最高分
