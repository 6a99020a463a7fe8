from pathlib import Path

import pytest
from interchange_support import make_bank


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    """A bank with module ``demo`` (one question per type, and comments) and an empty module ``other``."""
    return make_bank(tmp_path)
