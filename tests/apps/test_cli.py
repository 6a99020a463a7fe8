import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.apps.cli import main

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "content" / "fixtures"


def test_validate_passes_on_the_shipped_bank(capsys):
    assert main(["validate"]) == 0
    assert "通过" in capsys.readouterr().err


def test_validate_prints_one_line_per_problem_and_exits_1(capsys):
    assert main(["validate", str(FIXTURES / "answer_not_in_options")]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert out == [f"{FIXTURES / 'answer_not_in_options' / 'questions.yaml'}:14: x-001: answer: 答案 D 不在选项 A–B 之中"]


def test_validate_one_file(capsys):
    assert main(["validate", str(FIXTURES / "bad_checklist" / "checklist.yaml")]) == 1
    assert "c-02: method" in capsys.readouterr().out


def test_validate_missing_path(capsys):
    assert main(["validate", "/nonexistent/bank"]) == 2


def test_stats_json_shape():
    out = subprocess.run([sys.executable, "-m", "helpers", "stats", "--json"], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    stats = json.loads(out)
    assert stats["questions"] == sum(m["questions"] for m in stats["modules"].values())
    fazhan = stats["modules"]["fazhan"]
    assert fazhan["title"] == "发展党员工作" and fazhan["questions"] >= 40
    assert len(fazhan["types"]) >= 5
    assert stats["checklists"]["fazhan-archive"]["items"] >= 12


def test_validate_checks_that_exam_blueprints_can_be_filled(tmp_path, capsys):
    import shutil

    shutil.copytree(FIXTURES / "duplicate_id", tmp_path / "duplicate_id")
    (tmp_path / "_exams").mkdir()
    (tmp_path / "_exams" / "exam.yaml").write_text(
        "schema_version: 1\nblueprint:\n  id: e1\n  title: 考试\n  time_limit_minutes: 10\n  pass_mark: 60\n"
        "  sections:\n    - {module: duplicate_id, type: single, count: 5, points: 1}\n", encoding="utf-8")
    assert main(["validate", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "e1: sections: 题库不够组卷" in out and "需要 5 道，只有 1 道" in out


def _data_dir_with_course(tmp_path, monkeypatch):
    from helpers.store import Store
    from helpers.store.location import folder_url

    monkeypatch.delenv("COURSE_DB_URL", raising=False)
    data = tmp_path / "data"
    data.mkdir()
    Store.open(folder_url(data)).close()
    return data


def test_backup_then_restore_print_where_in_chinese(tmp_path, monkeypatch, capsys):
    data = _data_dir_with_course(tmp_path, monkeypatch)
    assert main(["backup", "--data-dir", str(data)]) == 0
    written = Path(capsys.readouterr().out.strip().split("备份文件：")[1])
    assert written.parent == data and written.name.startswith("course-backup-")
    assert main(["restore", str(written), "--data-dir", str(data)]) == 0
    assert "恢复前的数据库已另存为" in capsys.readouterr().out


def test_restore_and_serve_refuse_a_damaged_database_in_chinese(tmp_path, monkeypatch, capsys):
    data = _data_dir_with_course(tmp_path, monkeypatch)
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"\x00not a database" * 400)
    assert main(["restore", str(damaged), "--data-dir", str(data)]) == 1
    assert "已损坏或不是数据库文件" in capsys.readouterr().err

    monkeypatch.setattr("helpers.apps.serve.serve", lambda *args, **kwargs: pytest.fail("不应启动"))
    (data / "course.sqlite3").write_bytes(damaged.read_bytes())
    assert main(["serve", "--data-dir", str(data)]) == 2
    assert "课程没有启动：课程数据库文件" in capsys.readouterr().err
    assert (data / "course.sqlite3").read_bytes() == damaged.read_bytes()


def test_backup_of_a_postgresql_course_points_to_pg_dump(monkeypatch, capsys):
    monkeypatch.setenv("COURSE_DB_URL", "postgresql+psycopg://course@localhost/course")
    assert main(["backup"]) == 1
    assert "pg_dump" in capsys.readouterr().err
