import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

EXAMPLES = Path(__file__).resolve().parents[1] / "jitstudio" / "examples"
_SLOW_DESELECTED = pytest.StashKey[list]()


@pytest.fixture
def shop(tmp_path) -> Path:
    """A private copy of the example shop app (without runtime state), in `tmp_path / "shop"`.

    Tests that need more (an extra event, seeded data) override it with a fixture of the same name that takes
    this one: `def shop(shop): ...; return shop`."""
    return shutil.copytree(EXAMPLES / "shop", tmp_path / "shop", ignore=shutil.ignore_patterns(".jitstudio", "__pycache__"))


def pytest_deselected(items):
    slow = [item for item in items if item.get_closest_marker("slow")]
    if slow:
        slow[0].config.stash.setdefault(_SLOW_DESELECTED, []).extend(slow)


def pytest_terminal_summary(terminalreporter, config):
    """Say which slow tests the default `-m 'not slow'` (pyproject.toml) left out, and how to run them."""
    slow = config.stash.get(_SLOW_DESELECTED, [])
    if slow and config.getoption("markexpr") == "not slow":
        names = ", ".join(item.nodeid for item in slow[:3]) + (", …" if len(slow) > 3 else "")
        terminalreporter.write_line(f"{len(slow)} slow test{'s' * (len(slow) != 1)} deselected ({names}); "
                                    "run them too with: python3 -m pytest -m 'slow or not slow'")
