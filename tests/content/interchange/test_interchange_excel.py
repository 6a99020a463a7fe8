"""Excel 题库 (.xlsx and CSV) import: every type, the ways answers are written,
and every kind of bad row reported with its row number."""
from pathlib import Path

import pytest
from interchange_support import HEADER, SOURCE, row, snapshot, xlsx

from helpers.content.interchange import RowsRejected, UnknownModule, UnreadableFile, import_file
from helpers.content.loader import load_module


def _imported(bank: Path, module: str = "other") -> dict:
    return {q.id: q for q in load_module(bank / module).questions}


def test_every_type_in_chinese_and_english(bank, tmp_path):
    rows = [
        row("单选题", "支部委员会多长时间召开一次？", ["每月", "每季度"], "A"),
        row("多选", "哪些属于“三会一课”？", ["支部党员大会", "支委会", "职工大会"], "A、B", 难度="中", 标签="三会一课、组织生活"),
        row("判断", "党小组会可以代替支部党员大会。", [], "×"),
        row("fill", "支部委员会一般每（    ）召开一次。", [], "月|个月；一个月"),
        row("数值", "三会一课中“一课”指几类党课？", [], "1"),
        row("排序", "排列：", ["乙", "丙", "甲"], "C,A,B"),
        row("连线题", "配对：", ["每年"], "支委会=每月；党员大会＝每季度", 难度="3"),
    ]
    plan = import_file(xlsx(tmp_path / "题库.xlsx", rows), bank_dir=bank, module="other")
    assert plan.count == 7
    questions = _imported(bank)
    assert list(questions) == [f"other-00{i}" for i in range(1, 8)]
    single, multiple, judge, fill, numeric, order, match = questions.values()
    assert (single.type, single.answer, single.options) == ("single", "A", ("每月", "每季度"))
    assert (multiple.answer, multiple.difficulty, multiple.tags) == (("A", "B"), 2, ("三会一课", "组织生活"))
    assert judge.answer == "错"
    assert fill.answer == ("月", "个月", "一个月")
    assert (numeric.answer, numeric.tolerance) == (1.0, 0.0)
    assert order.answer == ("C", "A", "B")
    assert match.answer == {"支委会": "每月", "党员大会": "每季度"} and match.distractors == ("每年",)
    assert all(q.source == SOURCE and q.module == "other" for q in questions.values())


def test_judge_written_as_a_letter_of_its_options(bank, tmp_path):
    rows = [row("判断", "党员大会每季度召开一次。", ["正确", "错误"], "A")]
    import_file(xlsx(tmp_path / "j.xlsx", rows), bank_dir=bank, module="other")
    assert next(iter(_imported(bank).values())).answer == "对"


def test_extra_columns_title_row_and_decorated_headers(bank, tmp_path):
    header = ["*题型", "题干（必填）", "选项 A", "选项B", "正确答案", "答案解析", "出处", "难度", "编号", "误差", "单位", "计分"]
    rows = [
        ["数值", "按1%交纳，4800元交多少元？", "", "", "48", "4800×1%=48元。", SOURCE, 2, "ot-900", 0.5, "元", ""],
        ["多选", "谈话应了解什么？", "经历", "动机", "AB", "都要了解。", SOURCE, 1, "", "", "", "部分"],
    ]
    import_file(xlsx(tmp_path / "x.xlsx", rows, header=header, title="2026年题库"), bank_dir=bank, module="other")
    numeric, multiple = _imported(bank).values()
    assert (numeric.id, numeric.answer, numeric.tolerance, numeric.unit) == ("ot-900", 48.0, 0.5, "元")
    assert multiple.scoring == "partial" and multiple.id == "other-001"


def test_module_column_by_id_or_title(bank, tmp_path):
    rows = [row("判断", "甲。", [], "对", 模块="另一个模块"), row("判断", "乙。", [], "对", 模块="demo")]
    import_file(xlsx(tmp_path / "m.xlsx", rows), bank_dir=bank)
    assert [q.stem for q in _imported(bank).values()] == ["甲。"]
    assert _imported(bank, "demo")["dm-009"].stem == "乙。"


def _problems(bank: Path, path: Path, module: str | None = "other") -> list[str]:
    before = snapshot(bank)
    with pytest.raises(RowsRejected) as rejected:
        import_file(path, bank_dir=bank, module=module)
    assert snapshot(bank) == before, "a rejected import must not change any file"
    return [str(problem) for problem in rejected.value.problems]


BAD_ROWS = {
    "unknown type": (row("问答", "谈谈体会。", [], "略"), "第 2 行：题型：未知题型“问答”"),
    "letter outside the options": (row("单选", "甲？", ["一", "二", "三", "四"], "E"), "第 2 行：答案：答案 E 不在选项 A–D 之中"),
    "two letters for single": (row("单选", "乙？", ["一", "二"], "AB"), "单选题的答案应为一个选项字母"),
    "text for a choice": (row("多选", "丙？", ["一", "二"], "一和二"), "应写成选项字母"),
    "order not a permutation": (row("排序", "丁？", ["一", "二", "三"], "AB"), "每个字母恰好各用一次"),
    "judge word": (row("判断", "戊。", [], "也许"), "判断题的答案应为“对”或“错”"),
    "number": (row("数值", "己？", [], "五个"), "“五个”不是一个数"),
    "match syntax": (row("连线", "庚？", [], "甲-乙"), "应写成“左项=右项”"),
    "gap in options": (row("单选", "辛？", ["一", "", "三"], "A"), "第 2 行：选项B：是空的"),
    "options on a fill": (row("填空", "壬（ ）。", ["一"], "一"), "填空题不用填选项"),
    "no source": (row("单选", "癸？", ["一", "二"], "A", 出处=""), "第 2 行：出处：缺少出处：须用《》写明法规名称并写明条款"),
    "source without 《》": (row("单选", "子？", ["一", "二"], "A", 出处="发展党员工作细则第七条"), "出处：出处须用《》写明法规名称"),
    "source without article": (row("单选", "丑？", ["一", "二"], "A", 出处="《中国共产党章程》"), "出处：出处须写明条款"),
    "no explanation": (row("单选", "寅？", ["一", "二"], "A", 解析=""), "第 2 行：解析：缺少必填字段"),
    "bad difficulty": (row("单选", "卯？", ["一", "二"], "A", 难度="很难"), "难度：应为 1, 2, 3 之一"),
    "empty answer": (row("单选", "辰？", ["一", "二"], ""), "答案：不能为空"),
}


@pytest.mark.parametrize("case", BAD_ROWS)
def test_each_bad_row_is_named_and_nothing_is_written(bank, tmp_path, case):
    bad, expected = BAD_ROWS[case]
    good = row("判断", "这一行本身没有问题。", [], "对")
    problems = _problems(bank, xlsx(tmp_path / "bad.xlsx", [good, bad][::-1]))
    assert any(expected in problem for problem in problems), problems
    assert load_module(bank / "other").questions == []


def test_every_problem_of_every_row_is_listed(bank, tmp_path):
    rows = [row("单选", "甲？", ["一", "二"], "C", 出处=""), row("判断", "乙。", [], "对"), row("问答", "丙", [], "x")]
    problems = _problems(bank, xlsx(tmp_path / "bad.xlsx", rows))
    assert [p.split("：")[0] for p in problems] == ["第 2 行", "第 2 行", "第 4 行"]


def test_option_only_for_some_types(bank, tmp_path):
    header = [*HEADER, "误差"]
    problems = _problems(bank, xlsx(tmp_path / "t.xlsx", [[*row("单选", "甲？", ["一", "二"], "A"), "1"]], header=header))
    assert problems == ["第 2 行：误差：只有数值题可以写“误差”"]


def test_duplicates_in_the_module_and_in_the_file(bank, tmp_path):
    rows = [
        row("判断", "谈话可以由入党申请人所在单位的人事部门代替党组织进行 。", [], "错", 模块="demo"),
        row("判断", "新题。", [], "对", 模块="demo"),
        row("判断", "新题", [], "对", 模块="demo"),
    ]
    problems = _problems(bank, xlsx(tmp_path / "d.xlsx", rows), module=None)
    assert problems == ["第 2 行：题干：与模块 demo 中已有的题目 dm-003 重复", "第 4 行：题干：与第 3 行的题目重复"]


def test_given_ids_must_be_free(bank, tmp_path):
    header = [*HEADER, "编号"]
    rows = [[*row("判断", "甲。", [], "对"), "dm-001"], [*row("判断", "乙。", [], "对"), "ot-1"],
            [*row("判断", "丙。", [], "对"), "ot-1"], [*row("判断", "丁。", [], "对"), "12"]]
    problems = _problems(bank, xlsx(tmp_path / "i.xlsx", rows, header=header))
    assert problems == [
        "第 2 行：编号：编号 dm-001 已被题库中的题目使用（编号永不重复使用；不填则自动编号）",
        "第 4 行：编号：编号 ot-1 与第 3 行的题目重复",
        "第 5 行：编号：编号“12”只有数字；编号须像 fz-101 这样带模块前缀（不填则自动编号）",
    ]


def test_unknown_modules_are_refused_with_the_known_ones(bank, tmp_path):
    path = xlsx(tmp_path / "u.xlsx", [row("判断", "甲。", [], "对", 模块="xinmokuai")])
    assert _problems(bank, path, module=None) == [
        "第 2 行：模块：没有模块“xinmokuai”；现有模块：demo（演示模块）、other（另一个模块）"]
    with pytest.raises(UnknownModule, match="现有模块：demo（演示模块）、other（另一个模块）"):
        import_file(path, bank_dir=bank, module="xinmokuai")
    no_module = xlsx(tmp_path / "n.xlsx", [row("判断", "甲。", [], "对")])
    assert "没有指定模块" in _problems(bank, no_module, module=None)[0]
    clash = xlsx(tmp_path / "c.xlsx", [row("判断", "甲。", [], "对", 模块="demo")])
    assert "与命令中的 --module other 不一致" in _problems(bank, clash)[0]


def test_missing_columns_are_named(bank, tmp_path):
    header = ["题型", "题干", "选项A", "答案", "难度"]
    with pytest.raises(UnreadableFile, match="缺少“解析”“出处”列"):
        import_file(xlsx(tmp_path / "h.xlsx", [["判断", "甲", "", "对", 1]], header=header), bank_dir=bank, module="other")
    with pytest.raises(UnreadableFile, match="没有找到表头.*文件第一行是：姓名、电话"):
        import_file(xlsx(tmp_path / "n.xlsx", [], header=["姓名", "电话"]), bank_dir=bank, module="other")
    with pytest.raises(UnreadableFile, match="表头缺少“选项B”列"):
        import_file(xlsx(tmp_path / "g.xlsx", [], header=[*HEADER[:3], "选项C", *HEADER[6:]]), bank_dir=bank)


def test_csv_in_gbk_and_utf8(bank, tmp_path):
    text = ",".join(HEADER) + "\n" + ",".join(row("单选", "支委会多久开一次？", ["每月", "每季度"], "A")) + "\n"
    gbk = tmp_path / "题库.csv"
    gbk.write_bytes(text.encode("gbk"))
    plan = import_file(gbk, bank_dir=bank, module="other", dry_run=True)
    assert plan.encoding == "gb18030" and plan.count == 1
    utf8 = tmp_path / "utf8.csv"
    utf8.write_bytes(text.replace(",", "\t").encode("utf-8-sig"))
    import_file(utf8, bank_dir=bank, module="other")
    assert _imported(bank)["other-001"].options == ("每月", "每季度")


def test_csv_numbers_records_by_their_first_line(bank, tmp_path):
    text = ",".join(HEADER) + '\n判断,"两行\n的题干",,,,,对,解析,' + SOURCE + ",1,,\n问答,甲,,,,,x,解析," + SOURCE + ",1,,\n"
    path = tmp_path / "lines.csv"
    path.write_text(text, encoding="utf-8")
    assert _problems(bank, path)[0].startswith("第 4 行：题型")


def test_unreadable_encoding_and_binary_are_reported(bank, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"\xe9\xa2\x98\xff\x80 abc")
    with pytest.raises(UnreadableFile, match="文字编码无法识别"):
        import_file(path, bank_dir=bank, module="other")
    doc = tmp_path / "题库.xls"
    doc.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(UnreadableFile, match="另存为 .xlsx"):
        import_file(doc, bank_dir=bank, module="other")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(UnreadableFile, match="已损坏"):
        import_file(broken, bank_dir=bank, module="other")


def test_files_over_5_mb_are_refused_before_reading(bank, tmp_path, monkeypatch):
    big = tmp_path / "big.xlsx"
    with big.open("wb") as out:
        out.truncate(5 * 1024 * 1024 + 1)

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    with pytest.raises(UnreadableFile, match="超过 5 MB 的上限，没有读取"):
        import_file(big, bank_dir=bank, module="other")


def test_an_empty_sheet_has_no_questions(bank, tmp_path):
    with pytest.raises(ValueError, match="没有找到题目"):
        import_file(xlsx(tmp_path / "e.xlsx", []), bank_dir=bank, module="other")


def test_blank_rows_keep_excel_row_numbers(bank, tmp_path):
    rows = [row("判断", "甲。", [], "对"), [], [], row("问答", "乙", [], "x")]
    assert _problems(bank, xlsx(tmp_path / "blank.xlsx", rows))[0].startswith("第 5 行：题型")
