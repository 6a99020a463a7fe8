"""Self-study profiles and progress files carried between two real databases."""

from __future__ import annotations

import json
from datetime import date

import pytest
from store_support import sign_in, sqlite_url

from helpers.content.interchange.files import MAX_BYTES
from helpers.engine.identity import validate_identity
from helpers.store import Store, Trainee
from helpers.store import portable
from helpers.store.portable import (
    FORMAT,
    ImportSummary,
    PortableError,
    export_file_name,
    read_progress_file,
)
from helpers.store.tables import answers


def _studied(store: Store, name: str = "张三", number: str = "zx000001") -> int:
    """A self-study trainee with one finished attempt, two answers and an audit."""
    trainee = sign_in(store, name, number, "").trainee.id
    attempt = store.start_attempt(trainee, "fazhan")
    store.record_answer(trainee, "fazhan", "q1", "B", 1.0, True, attempt)
    store.record_answer(trainee, "fazhan", "q2", ["A", "C"], 0.0, False, attempt)
    store.finish_attempt(attempt, 50.0)
    store.save_audit(trainee, "shenghuo", "shenghuo-audit", {"i1": "是", "i2": "否"}, 72.5, "合格")
    return trainee


@pytest.fixture
def other(tmp_path) -> Store:
    """A second computer: its own database file."""
    opened = Store.open(sqlite_url(tmp_path / "other.sqlite3"))
    yield opened
    opened.close()


def test_progress_moves_to_another_computer(store: Store, other: Store) -> None:
    source = _studied(store)
    data = store.export_progress(source)
    document = json.loads(data.decode("utf-8"))
    assert (document["format"], document["version"]) == (FORMAT, 1)
    assert document["trainee"]["name"] == "张三" and "张三" in data.decode("utf-8")  # readable UTF-8

    target = other.sign_in(validate_identity("张三", "zx000001", "")).trainee.id
    summary = other.import_progress(target, read_progress_file(data))

    assert summary == ImportSummary(attempts=1, answers=2, audits=1)
    assert other.progress(target) == store.progress(source)
    mine, theirs = other.latest_answers(target, "fazhan"), store.latest_answers(source, "fazhan")
    assert {q: (a.response, a.score, a.correct, a.created_at) for q, a in mine.items()} == {
        q: (a.response, a.score, a.correct, a.created_at) for q, a in theirs.items()
    }
    audit = other.latest_audit(target, "shenghuo-audit")
    assert (audit.answers, audit.total, audit.rating) == ({"i1": "是", "i2": "否"}, 72.5, "合格")


def test_importing_again_adds_nothing_and_carrying_back_neither(store: Store, other: Store) -> None:
    source = _studied(store)
    target = other.sign_in(validate_identity("张三", "zx000001", "")).trainee.id
    progress = read_progress_file(store.export_progress(source))
    other.import_progress(target, progress)

    assert other.import_progress(target, progress) == ImportSummary(0, 0, 0)
    other.record_answer(target, "fazhan", "q3", "D", 1.0, True)
    back = store.import_progress(source, read_progress_file(other.export_progress(target)))
    assert back == ImportSummary(attempts=0, answers=1, audits=0)
    assert store.latest_answers(source, "fazhan")["q3"].response == "D"
    assert len(store.export_progress(source)) > 0 and store.progress(source)["fazhan"].answered == 3


def test_an_attempt_finished_elsewhere_gets_its_score(store: Store, other: Store) -> None:
    source = sign_in(store, "张三", "zx000001", "").trainee.id
    attempt = store.start_attempt(source, "fazhan")
    target = other.sign_in(validate_identity("张三", "zx000001", "")).trainee.id
    other.import_progress(target, read_progress_file(store.export_progress(source)))
    store.finish_attempt(attempt, 80.0)

    assert other.import_progress(target, read_progress_file(store.export_progress(source))) == ImportSummary(0, 0, 0)
    assert other.progress(target)["fazhan"].last_score == 80.0


def test_someone_elses_file_is_refused_by_name(store: Store) -> None:
    data = store.export_progress(_studied(store, "张三", "zx000001"))
    li = sign_in(store, "李四", "zx000002", "").trainee.id
    with pytest.raises(PortableError, match="“张三”（编号 zx000001）.*不是当前档案“李四”"):
        store.import_progress(li, read_progress_file(data))
    assert store.progress(li) == {}


def test_a_class_trainee_cannot_import(store: Store) -> None:
    data = store.export_progress(_studied(store, "张三", "zx000001"))
    in_class = sign_in(store, "张三", "zx000001", "class-1").trainee.id
    with pytest.raises(PortableError, match="只能导入自学档案"):
        store.import_progress(in_class, read_progress_file(data))


def test_an_import_is_all_or_nothing(store: Store, other: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    data = store.export_progress(_studied(store))
    target = other.sign_in(validate_identity("张三", "zx000001", "")).trainee.id
    merge = portable._merge

    def fail_at_audits(conn, table, *args):
        if table is not answers:
            raise PortableError("模拟写入中途失败")
        return merge(conn, table, *args)

    monkeypatch.setattr(portable, "_merge", fail_at_audits)
    with pytest.raises(PortableError, match="模拟"):
        other.import_progress(target, read_progress_file(data))
    assert other.progress(target) == {}
    monkeypatch.undo()
    assert other.import_progress(target, read_progress_file(data)) == ImportSummary(1, 2, 1)


def _document(**changes) -> dict:
    document = {
        "format": FORMAT, "version": 1, "trainee": {"name": "张三", "number": "zx000001", "class_code": ""},
        "attempts": [], "answers": [], "audits": [],
    }
    return {**document, **changes}


def _answer(**changes) -> dict:
    answer = {"attempt": None, "module": "fazhan", "question_id": "q1", "response": "B", "score": 1.0,
              "correct": True, "created_at": "2026-11-23T08:00:00.123456+00:00"}
    return {**answer, **changes}


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"\xff\xfe\x00not json", "无法按 JSON 读取"),
        (b"name,number\n", "无法按 JSON 读取"),
        (json.dumps({"format": "something-else", "version": 1}).encode(), "不是本课程的学习记录文件"),
        (json.dumps([1, 2]).encode(), "不是本课程的学习记录文件"),
        (json.dumps(_document(version=2)).encode(), "格式版本是 2"),
        (b" " * (MAX_BYTES + 1), "超过 5 MB"),
        (json.dumps(_document(trainee={"name": "<b>", "number": "1"})).encode(), "学员信息有误：姓名不能包含"),
        (json.dumps(_document(answers=[_answer(), _answer(score="很多")])).encode(), "第 2 条作答的得分"),
        (json.dumps(_document(answers=[_answer(created_at="2026-11-23 08:00")])).encode(), "第 1 条作答的时间"),
        (json.dumps(_document(answers=[_answer(attempt=3)])).encode(), "不存在的练习记录 3"),
        (json.dumps(_document(answers=[_answer(question_id="")])).encode(), "第 1 条作答的 question_id"),
        (json.dumps(_document(audits=[{"module": "m", "checklist_id": "c", "answers": ["是"], "total": 1,
                                       "rating": "好", "created_at": "2026-11-23T08:00:00+00:00"}])).encode(),
         "第 1 次自查的答案"),
        (json.dumps(_document(answers="很多")).encode(), "“作答”部分不是列表"),
    ],
)
def test_bad_files_are_refused_with_a_reason(data: bytes, says: str) -> None:
    with pytest.raises(PortableError, match=says) as refused:
        read_progress_file(data)
    assert "没有导入" in str(refused.value)


def test_profiles_list_self_study_trainees_most_recent_first(store: Store) -> None:
    sign_in(store, "张三", "zx1", "")
    sign_in(store, "王五", "A001", "class-1")
    sign_in(store, "李四", "zx2", "")
    sign_in(store, "张三", "zx1", "")  # she came back last

    assert [(t.name, t.number) for t in store.self_study_profiles()] == [("张三", "zx1"), ("李四", "zx2")]


def test_a_generated_number_is_valid_and_unused(store: Store) -> None:
    number = store.unused_self_study_number()
    assert validate_identity("张三", number, "").number == number
    assert number not in {t.number for t in store.self_study_profiles()}


def test_export_file_name_is_safe_everywhere() -> None:
    trainee = Trainee(1, "张三/李 四", "zx1", "")
    assert export_file_name(trainee, date(2026, 11, 23)) == "学习记录-张三_李_四-2026-11-23.json"


def test_the_branch_name_for_reports_moves_with_the_progress_but_never_overwrites(store: Store, other: Store) -> None:
    source = _studied(store)
    store.set_branch_name(source, "某某科技有限公司党支部")
    data = store.export_progress(source)

    target = other.sign_in(validate_identity("张三", "zx000001", "")).trainee.id
    other.import_progress(target, read_progress_file(data))
    assert other.branch_name(target) == "某某科技有限公司党支部"

    other.set_branch_name(target, "新单位党支部")  # renamed on this computer: an older file does not undo it
    other.import_progress(target, read_progress_file(data))
    assert other.branch_name(target) == "新单位党支部"


def test_a_file_with_an_unprintable_branch_name_is_refused_whole(store: Store) -> None:
    document = json.loads(store.export_progress(_studied(store)).decode("utf-8"))
    document["trainee"]["branch"] = "支" * 500
    with pytest.raises(PortableError, match="支部名称过长.*没有导入"):
        read_progress_file(json.dumps(document, ensure_ascii=False).encode("utf-8"))
