"""Sign-in fields: normalisation, and one trainee-facing message per refusal."""

from __future__ import annotations

import dataclasses

import pytest

from helpers.engine.identity import Identity, IdentityError, validate_identity


def test_values_are_stripped_and_nfkc_normalised() -> None:
    identity = validate_identity("  张　三 ", "Ａ００１", " 2024－1 ")
    assert identity == Identity(name="张 三", number="A001", class_code="2024-1")


def test_runs_of_spaces_in_a_name_become_one() -> None:
    assert validate_identity("Ma   Li", "1", "").name == "Ma Li"


def test_empty_class_code_means_self_study() -> None:
    assert validate_identity("张三", "A001", "   ").class_code == ""


def test_identity_is_frozen() -> None:
    identity = validate_identity("张三", "A001", "")
    with pytest.raises(dataclasses.FrozenInstanceError):
        identity.name = "李四"  # type: ignore[misc]


def test_identity_error_is_a_value_error() -> None:
    assert issubclass(IdentityError, ValueError)


@pytest.mark.parametrize(
    ("name", "number", "message"),
    [("", "A001", "请填写姓名"), (" \u3000 ", "A001", "请填写姓名"), ("张三", "  ", "请填写学员编号")],
)
def test_name_and_number_are_required(name: str, number: str, message: str) -> None:
    with pytest.raises(IdentityError, match=f"^{message}$"):
        validate_identity(name, number, "")


@pytest.mark.parametrize(
    ("field", "limit", "label"),
    [("name", 30, "姓名"), ("number", 32, "学员编号"), ("class_code", 32, "班级代码")],
)
def test_overlong_fields_are_refused_at_the_limit(field: str, limit: int, label: str) -> None:
    fields = {"name": "张三", "number": "A001", "class_code": "C1"}
    fields[field] = "7" * limit
    assert getattr(validate_identity(**fields), field) == "7" * limit
    fields[field] = "7" * (limit + 1)
    with pytest.raises(IdentityError, match=f"^{label}不能超过 {limit} 个字符"):
        validate_identity(**fields)


@pytest.mark.parametrize("bad", ["\x00", "\n", "\x1b", "\u200b", "\u202e"])
@pytest.mark.parametrize(
    ("field", "label"), [("name", "姓名"), ("number", "学员编号"), ("class_code", "班级代码")]
)
def test_control_and_invisible_characters_are_refused(field: str, label: str, bad: str) -> None:
    fields = {"name": "张三", "number": "A001", "class_code": "C1"}
    fields[field] = f"A{bad}1"
    with pytest.raises(IdentityError, match=f"^{label}不能包含控制字符或不可见字符$"):
        validate_identity(**fields)


@pytest.mark.parametrize("bad", ["<", ">", "&", '"', "'", "＜", "＆"])
@pytest.mark.parametrize(
    ("field", "label"), [("name", "姓名"), ("number", "学员编号"), ("class_code", "班级代码")]
)
def test_html_characters_are_refused_in_every_field(field: str, label: str, bad: str) -> None:
    fields = {"name": "张三", "number": "A001", "class_code": "C1"}
    fields[field] = f"A{bad}1"
    with pytest.raises(IdentityError, match=f"^{label}不能包含 < > & 等符号$"):
        validate_identity(**fields)


@pytest.mark.parametrize("bad", ["A 01", "编号1", "A.01", "A/01", "é1"])
@pytest.mark.parametrize(("field", "label"), [("number", "学员编号"), ("class_code", "班级代码")])
def test_codes_allow_only_letters_digits_dash_underscore(field: str, label: str, bad: str) -> None:
    fields = {"name": "张三", "number": "A001", "class_code": "C1"}
    fields[field] = bad
    with pytest.raises(IdentityError, match=f"^{label}只能包含英文字母、数字、- 和 _$"):
        validate_identity(**fields)


def test_codes_accept_dash_and_underscore() -> None:
    identity = validate_identity("张三", "a-01_B", "2024_two-1")
    assert (identity.number, identity.class_code) == ("a-01_B", "2024_two-1")


@pytest.mark.parametrize(
    ("field", "label"), [("name", "姓名"), ("number", "学员编号"), ("class_code", "班级代码")]
)
def test_non_text_is_refused(field: str, label: str) -> None:
    fields: dict[str, object] = {"name": "张三", "number": "A001", "class_code": "C1"}
    fields[field] = None
    with pytest.raises(IdentityError, match=f"^{label}必须是文字$"):
        validate_identity(**fields)  # type: ignore[arg-type]
