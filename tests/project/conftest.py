import shutil
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"


def _copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".jitstudio", "__pycache__"))
    return target


@pytest.fixture
def golden_app(tmp_path) -> Path:
    """A private copy of the golden app: one element of every kind, with unknown keys and non-ASCII text."""
    return _copy(GOLDEN / "app", tmp_path / "golden")


@pytest.fixture
def edit():
    """Replace one exact piece of a file's text; fails when the piece is not there exactly once."""

    def replace(path: Path, old: str, new: str) -> None:
        text = Path(path).read_bytes().decode("utf-8")
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
        Path(path).write_bytes(text.replace(old, new).encode("utf-8"))

    return replace
