"""``python -m helpers import`` / ``export``: messages and exit codes."""
import pytest
from interchange_support import row, run_cli, snapshot, xlsx

from helpers.apps import cli
from helpers.content.loader import load_module


def test_import_reports_what_it_wrote(bank, tmp_path, capsys):
    path = xlsx(tmp_path / "题库.xlsx", [row("判断", "甲。", [], "对"), row("判断", "乙。", [], "错")])
    assert run_cli(["import", str(path), "--module", "other", "--bank", str(bank)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("已导入 2 道题：other（另一个模块）2 道：other-001 … other-002。已写入 ")
    assert "刷新模块页面即可看到" in out
    assert len(load_module(bank / "other").questions) == 2


def test_dry_run_and_encoding_note(bank, tmp_path, capsys):
    path = tmp_path / "q.gift"
    path.write_bytes("// 出处：《中国共产党章程》（2022年修改）第一条\n// 难度：1\n甲。{T####因为。}\n".encode("gbk"))
    before = snapshot(bank)
    assert run_cli(["import", str(path), "--module", "other", "--bank", str(bank), "--dry-run"]) == 0
    assert capsys.readouterr().out.startswith("检查通过（文件按 GBK/GB18030 编码读取）：可以导入 1 道题")
    assert snapshot(bank) == before


def test_rejected_rows_one_line_each_exit_1(bank, tmp_path, capsys):
    path = xlsx(tmp_path / "题库.xlsx", [row("判断", "甲。", [], "对"), row("问答", "乙", [], "x", 出处="无")])
    before = snapshot(bank)
    assert run_cli(["import", str(path), "--module", "other", "--bank", str(bank)]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "题库.xlsx：第 3 行：题型：未知题型“问答”，应为 单选、多选、判断、填空、数值、排序、连线 之一"
        "（或英文 single/multiple/judge/fill/numeric/order/match）"]
    assert "没有导入任何题目" in captured.err
    assert snapshot(bank) == before


def test_unusable_requests_exit_2(bank, tmp_path, capsys):
    assert run_cli(["import", str(tmp_path / "none.xlsx"), "--bank", str(bank)]) == 2
    assert "找不到或无法打开文件" in capsys.readouterr().err
    path = xlsx(tmp_path / "q.xlsx", [row("判断", "甲。", [], "对")])
    assert run_cli(["import", str(path), "--module", "nope", "--bank", str(bank)]) == 2
    assert "现有模块：demo（演示模块）、other（另一个模块）" in capsys.readouterr().err
    assert run_cli(["export", "--format", "gift", "--module", "nope", "--bank", str(bank), str(tmp_path / "o.gift")]) == 2


def test_export_lists_what_the_format_cannot_hold(bank, tmp_path, capsys):
    out = tmp_path / "demo.gift"
    assert run_cli(["export", "--format", "gift", "--module", "demo", "--bank", str(bank), str(out)]) == 0
    captured = capsys.readouterr()
    assert "未导出 1 道（GIFT 没有排序题）：dm-006" in captured.err
    assert captured.out.strip() == f"已导出 7 道题到 {out}，1 道该格式无法表达、未导出。"
    assert out.read_text(encoding="utf-8").count("::dm-0") == 7


def test_the_course_command_line_offers_import_and_export(bank, tmp_path):
    commands = next(action for action in cli.build_parser()._actions if action.dest == "command").choices
    if "import" not in commands:
        pytest.skip("!!! helpers/apps/cli.py does not call add_bank_commands(commands) yet")
    out = tmp_path / "all.xlsx"
    assert cli.main(["export", "--format", "xlsx", "--bank", str(bank), str(out)]) == 0
    assert cli.main(["import", str(out), "--bank", str(bank), "--dry-run"]) == 1  # all already there
