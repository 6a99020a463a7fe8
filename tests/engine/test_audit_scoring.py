import pytest

from helpers.audit import AuditInputError, load_checklist, score
from helpers.content.errors import BankError

SRC = "《中国共产党支部工作条例（试行）》（2018年）第十一条"
YAML = f"""schema_version: 1
checklist:
  id: demo
  module: demo
  title: 演示清单
  dimensions:
    - id: org
      title: 组织设置
      items:
        - {{id: a, text: 甲, points: 40, method: 查台账, deduction: 缺扣40, fix: 补甲, source: "{SRC}"}}
        - {{id: b, text: 乙, points: 20, method: 看现场, deduction: 缺扣20, fix: 补乙, source: "{SRC}", veto: true}}
    - id: rec
      title: 档案资料
      items:
        - {{id: c, text: 丙, points: 40, method: 问询, deduction: 缺扣40, fix: 补丙, source: "{SRC}"}}
"""


@pytest.fixture
def checklist(tmp_path):
    path = tmp_path / "checklist.yaml"
    path.write_text(YAML, encoding="utf-8")
    return load_checklist(path)


def test_loader_gives_flat_items(checklist):
    assert [(i.id, i.points, i.veto) for i in checklist.items] == [("a", 40, False), ("b", 20, True), ("c", 40, False)]


def test_full_marks(checklist):
    result = score(checklist, {"a": "达标", "b": "达标", "c": "达标"})
    assert (result.total, result.rating, result.gaps) == (100.0, "优秀", [])
    assert result.by_dimension == {"组织设置": 100.0, "档案资料": 100.0}


def test_partial_and_not_applicable_rescale(checklist):
    result = score(checklist, {"a": "部分达标", "b": "达标", "c": "不适用"})
    assert result.total == round(100 * 40 / 60, 1)
    assert "档案资料" not in result.by_dimension
    assert [(g.item.id, g.lost) for g in result.gaps] == [("a", 20.0)]
    assert result.gaps[0].fix == "补甲" and result.gaps[0].source == SRC


def test_gaps_largest_loss_first(checklist):
    result = score(checklist, {"a": "部分达标", "b": "达标", "c": "未达标"})
    assert [g.item.id for g in result.gaps] == ["c", "a"]
    assert result.rating == "不合格"


def test_veto_gives_lowest_band_whatever_the_score(checklist):
    result = score(checklist, {"a": "达标", "b": "未达标", "c": "达标"})
    assert result.total == 80.0
    assert result.rating == "不合格"
    assert [i.id for i in result.vetoed] == ["b"]


@pytest.mark.parametrize("answers, text", [
    ({"a": "达标", "b": "达标"}, "未作答"),
    ({"a": "达标", "b": "达标", "c": "好"}, "不是 达标"),
    ({"a": "达标", "b": "达标", "c": "达标", "z": "达标"}, "没有这些项"),
    ({"a": "不适用", "b": "不适用", "c": "不适用"}, "无法评分"),
])
def test_bad_answers(checklist, answers, text):
    with pytest.raises(AuditInputError, match=text):
        score(checklist, answers)


def test_broken_checklist_file_raises_bank_error(tmp_path):
    path = tmp_path / "checklist.yaml"
    path.write_text(YAML.replace("method: 问询", "method: 猜测"), encoding="utf-8")
    with pytest.raises(BankError) as info:
        load_checklist(path)
    assert "c: method" in str(info.value)
