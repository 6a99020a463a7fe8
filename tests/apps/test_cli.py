import json
import subprocess
import sys
from pathlib import Path

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
