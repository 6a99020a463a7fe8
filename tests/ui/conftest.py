from pathlib import Path

import pytest

from helpers.engine.identity import validate_identity
from helpers.store import Store

ROOT = Path(__file__).resolve().parents[2]
BANK = ROOT / "tests" / "ui" / "bank"


@pytest.fixture
def store(tmp_path):
    return Store.open(f"sqlite:///{tmp_path / 'course.sqlite3'}")


@pytest.fixture
def class_a(store):
    """The code of a class that exists: signing in with a class code needs the class first."""
    if store.get_class("class-a") is None:
        store.create_class("class-a", "测试班")
    return "class-a"


@pytest.fixture
def session(store, class_a):
    return store.sign_in(validate_identity("张三", "2026001", class_a))


@pytest.fixture
def bank_dir():
    return BANK
