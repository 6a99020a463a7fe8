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
def session(store):
    return store.sign_in(validate_identity("张三", "2026001", "class-a"))


@pytest.fixture
def bank_dir():
    return BANK
