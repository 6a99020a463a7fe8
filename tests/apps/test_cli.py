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
