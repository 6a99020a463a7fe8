import datetime as dt

from helpers.content.loader import load_module
from helpers.ui.audit_widget import AuditWidget
from helpers.ui.timeline_widget import TimelineWidget


def checklist(bank_dir):
    return load_module(bank_dir / "demo").checklists["demo-audit"]


def test_audit_needs_every_item(bank_dir, store, session):
    audit = AuditWidget(checklist(bank_dir), store, session.trainee.id, "demo")
    audit.choices["a1"].value = "达标"
    audit.submit.click()
    assert "还有 1 项没有选择" in audit.message.value
    assert store.latest_audit(session.trainee.id, "demo-audit") is None


def test_audit_scores_saves_and_restores(bank_dir, store, session):
    audit = AuditWidget(checklist(bank_dir), store, session.trainee.id, "demo")
    audit.choices["a1"].value = "部分达标"
    audit.choices["a2"].value = "未达标"
    audit.submit.click()
    assert "自查得分 30 分" in audit.result.value
    assert "一票否决" in audit.result.value and "整改清单" in audit.result.value
    assert "尽快换届" in audit.result.value and "第十六条" in audit.result.value
    saved = store.latest_audit(session.trainee.id, "demo-audit")
    assert saved.rating == "不合格"
    again = AuditWidget(checklist(bank_dir), store, session.trainee.id, "demo")
    assert again.choices["a1"].value == "部分达标"
    assert "上次自查" in again.result.value


def test_timeline_shows_each_rule():
    timeline = TimelineWidget()
    timeline.pickers["application"].value = dt.date(2026, 6, 2)
    timeline.pickers["talk"].value = dt.date(2026, 7, 10)
    timeline.check.click()
    assert "✗" in timeline.result.value and "第七条" in timeline.result.value
    timeline.clear.click()
    assert timeline.result.value == ""


def test_timeline_asks_for_dates():
    timeline = TimelineWidget()
    timeline.check.click()
    assert "请至少填写两个日期" in timeline.result.value


def test_audits_are_compared_with_earlier_ones(bank_dir, store, session):
    audit = AuditWidget(checklist(bank_dir), store, session.trainee.id, "demo")
    audit.choices["a1"].value = "部分达标"
    audit.choices["a2"].value = "达标"
    audit.submit.click()
    assert "历次自查" not in audit.result.value
    audit.choices["a1"].value = "达标"
    audit.submit.click()
    assert "历次自查（最近 2 次）：比上次提高 30 分" in audit.result.value
    assert len(store.audit_history(session.trainee.id, "demo-audit")) == 2
