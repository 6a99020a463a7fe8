"""Classes and rosters: creating, listing, importing all or nothing."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from store_support import sign_in

from helpers.content.roster import RosterEntry
from helpers.store import ClassError, ClassInfo, IdentityConflict, Store

ROSTER = [
    RosterEntry("2026002", "李四", "某某科技有限公司党支部", "书记"),
    RosterEntry("2026001", "张三", "某某协会党支部", "组织委员"),
]


def test_create_and_get_a_class(store: Store) -> None:
    created = store.create_class("2026-01", "2026年第一期书记培训班", date(2026, 3, 2), date(2026, 3, 6))
    assert created == ClassInfo("2026-01", "2026年第一期书记培训班", date(2026, 3, 2), date(2026, 3, 6), 0)
    assert store.get_class("2026-01") == created
    assert store.get_class("2026-02") is None


def test_dates_are_optional_and_a_datetime_counts_as_its_day(store: Store) -> None:
    assert store.create_class("A", "甲班").starts_on is None
    assert store.create_class("B", "乙班", datetime(2026, 3, 2, 9, 30)).starts_on == date(2026, 3, 2)


def test_the_code_is_normalised_like_the_one_trainees_type(store: Store) -> None:
    created = store.create_class(" ２０２６－01 ", "  第一期  ")
    assert (created.code, created.name) == ("2026-01", "第一期")
    assert sign_in(store, "张三", "A001", "2026-01").trainee.class_code == "2026-01"


@pytest.mark.parametrize(
    ("code", "name", "dates", "message"),
    [
        ("", "第一期", (), "请填写班级代码"),
        ("2026 01", "第一期", (), "班级代码只能包含英文字母、数字、- 和 _"),
        ("一期", "第一期", (), "班级代码只能包含英文字母、数字、- 和 _"),
        ("x" * 33, "第一期", (), "班级代码不能超过 32 个字符"),
        ("2026-01", " ", (), "请填写班级名称"),
        ("2026-01", "<b>第一期</b>", (), "班级名称不能包含 < > & 等符号"),
        ("2026-01", "期" * 101, (), "班级名称不能超过 100 个字符"),
        ("2026-01", "第一期", (date(2026, 3, 6), date(2026, 3, 2)), "结束日期 2026-03-02 早于开始日期 2026-03-06"),
        ("2026-01", "第一期", ("2026-03-02",), "开始日期 '2026-03-02' 不是日期"),
    ],
)
def test_bad_classes_are_refused_naming_the_field(
    store: Store, code: str, name: str, dates: tuple[object, ...], message: str
) -> None:
    with pytest.raises(ClassError, match=message):
        store.create_class(code, name, *dates)  # type: ignore[arg-type]
    assert store.list_classes() == []


def test_a_code_can_be_used_once(store: Store) -> None:
    store.create_class("2026-01", "第一期")
    with pytest.raises(ClassError, match="班级代码 2026-01 已被另一个班级使用"):
        store.create_class("2026-01", "另一期")
    assert store.get_class("2026-01").name == "第一期"


def test_list_classes_newest_first_with_everyone_counted_once(store: Store) -> None:
    store.create_class("old", "旧班")
    store.create_class("new", "新班")
    store.import_roster("new", ROSTER)
    sign_in(store, "张三", "2026001", "new")  # on the roster and signed in: one person
    sign_in(store, "王五", "X1", "old")
    sign_in(store, "赵六", "X2", "old")
    sign_in(store, "自学", "S1", "")
    assert [(c.code, c.trainee_count) for c in store.list_classes()] == [("new", 2), ("old", 2)]


def test_import_roster_and_read_it_back_by_number(store: Store) -> None:
    store.create_class("2026-01", "第一期")
    assert store.roster("2026-01") == []
    assert store.import_roster("2026-01", ROSTER) == 2
    assert store.roster("2026-01") == sorted(ROSTER, key=lambda entry: entry.number)
    assert store.get_class("2026-01").trainee_count == 2


def test_importing_again_updates_unit_and_position_and_adds_newcomers(store: Store) -> None:
    store.create_class("2026-01", "第一期")
    store.import_roster("2026-01", ROSTER)
    again = [RosterEntry("2026001", "张三", "新单位党委", "副书记"), RosterEntry("2026003", "王五")]
    assert store.import_roster("2026-01", again) == 2
    assert store.roster("2026-01") == [
        RosterEntry("2026001", "张三", "新单位党委", "副书记"),
        ROSTER[0],
        RosterEntry("2026003", "王五", "", ""),
    ]


def test_entries_are_normalised_as_sign_in_normalises_what_trainees_type(store: Store) -> None:
    store.create_class("2026-01", "第一期")
    store.import_roster("2026-01", [RosterEntry("２０２６００１", " 欧阳　小明 ", " 某某支部 ", " 书记 ")])
    assert store.roster("2026-01") == [RosterEntry("2026001", "欧阳 小明", "某某支部", "书记")]
    assert sign_in(store, "欧阳 小明", "2026001", "2026-01").trainee.name == "欧阳 小明"


def test_a_roster_with_any_problem_imports_nothing_and_names_every_problem(store: Store) -> None:
    store.create_class("2026-01", "第一期")
    entries = [
        RosterEntry("2026001", "张三"),
        RosterEntry("2026001", "张三丰"),
        RosterEntry("2026 002", "李四"),
        RosterEntry("2026003", ""),
        RosterEntry("2026004", "王五", "单" * 101),
    ]
    with pytest.raises(ClassError) as caught:
        store.import_roster("2026-01", entries)
    assert str(caught.value).splitlines() == [
        "导入班级 2026-01 的花名册时发现 4 处问题：",
        "第 2 名学员（学员编号 2026001）：学员编号与第 1 名学员重复",
        "第 3 名学员（学员编号 2026 002）：学员编号只能包含英文字母、数字、- 和 _",
        "第 4 名学员（学员编号 2026003）：请填写姓名",
        "第 5 名学员（学员编号 2026004）：单位不能超过 100 个字符（现在是 101 个）",
    ]
    assert store.roster("2026-01") == []


def test_a_number_on_the_roster_under_another_name_refuses_the_whole_file(store: Store) -> None:
    store.create_class("2026-01", "第一期")
    store.import_roster("2026-01", ROSTER)
    with pytest.raises(ClassError, match="学员编号 2026001 在花名册中登记为“张三”，与导入的“张山”不一致"):
        store.import_roster("2026-01", [RosterEntry("2026009", "新人"), RosterEntry("2026001", "张山", "改")])
    assert store.roster("2026-01") == sorted(ROSTER, key=lambda entry: entry.number)


def test_a_number_signed_in_under_another_name_refuses_the_file(store: Store) -> None:
    store.create_class("2026-01", "第一期")
    sign_in(store, "张山", "2026001", "2026-01")
    with pytest.raises(ClassError, match="学员编号 2026001 已有学员以“张山”登录，与导入的“张三”不一致"):
        store.import_roster("2026-01", ROSTER)
    assert store.roster("2026-01") == []


def test_a_trainee_who_signed_in_before_the_roster_keeps_signing_in(store: Store) -> None:
    store.create_class("2026-01", "第一期")
    first = sign_in(store, "张三", "2026001", "2026-01").trainee
    store.import_roster("2026-01", ROSTER)
    assert sign_in(store, "张三", "2026001", "2026-01").trainee == first
    with pytest.raises(IdentityConflict):
        sign_in(store, "张三丰", "2026001", "2026-01")


def test_importing_into_a_missing_class_is_refused(store: Store) -> None:
    with pytest.raises(ClassError, match="班级代码 nope 不存在，请先创建班级"):
        store.import_roster("nope", ROSTER)


def test_an_empty_import_changes_nothing(store: Store) -> None:
    store.create_class("2026-01", "第一期")
    assert store.import_roster("2026-01", []) == 0
    assert sign_in(store, "任何人", "X1", "2026-01").trainee.number == "X1"
