import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

EXAMPLES = Path(__file__).resolve().parents[1] / "resources" / "examples"


@pytest.fixture
def shop(tmp_path) -> Path:
    """A private copy of the example shop app (without runtime state), in `tmp_path / "shop"`.

    Tests that need more (an extra event, seeded data) override it with a fixture of the same name that takes
    this one: `def shop(shop): ...; return shop`."""
    return shutil.copytree(EXAMPLES / "shop", tmp_path / "shop", ignore=shutil.ignore_patterns(".jitstudio", "__pycache__"))

