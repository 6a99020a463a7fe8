import shutil
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


SECOND_MODULE = """\
schema_version: 1
module: {id: second, title: 第二模块, order: 2, notebook: modules/02_second.ipynb}
questions:
  - id: second-1
    type: judge
    stem: 党员大会一般每季度召开一次。
    answer: 对
    explanation: 按规定执行。
    source: 《中国共产党支部工作条例（试行）》（2018年）第十二条
    difficulty: 1
"""


@pytest.fixture
def two_module_bank(tmp_path, bank_dir):
    """A bank of the demo module and a one-question second module, in ``tmp_path / "bank"``."""
    bank = tmp_path / "bank"
    shutil.copytree(bank_dir / "demo", bank / "demo")
    (bank / "second").mkdir()
    (bank / "second" / "questions.yaml").write_text(SECOND_MODULE, encoding="utf-8")
    return bank
