"""The layer contracts of pyproject.toml hold: no Qt below jitstudio.qt, dependencies point downwards."""
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_linter_contracts_hold():
    lint = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    result = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout and "Contracts: 5 kept" in result.stdout


def test_core_imports_without_qt():
    code = (
        "import sys, jitstudio.project, jitstudio.codesync, jitstudio.runtime, jitstudio.cli;"
        "bad=[m for m in sys.modules if m.startswith(('PySide6','jitstudio.qt'))];"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
