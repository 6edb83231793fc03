"""jitstudio without the IDE: the command line imports no Qt, the launcher says how to get the IDE, and a wheel
installed in a fresh virtual environment (no `ide` extra) creates, checks and runs the example app."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jitstudio.launcher import IDE_MISSING, IDE_PACKAGES

REPO = Path(__file__).resolve().parents[2]


def python(code: str, *, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_the_command_line_imports_no_qt(tmp_path):
    result = python("import sys, jitstudio.cli, jitstudio.cli._runtime, jitstudio.launcher\n"
                    f"print(sorted(m for m in sys.modules if m.split('.')[0] in {IDE_PACKAGES + ('shiboken6',)!r}))",
                    cwd=tmp_path)
    assert (result.returncode, result.stdout.strip()) == (0, "[]"), result.stderr


@pytest.mark.parametrize("args", [[], ["some/app"]])
def test_the_launcher_without_the_ide_says_how_to_install_it(tmp_path, args):
    hide = "".join(f"sys.modules[{name!r}] = None\n" for name in IDE_PACKAGES)  # find_spec: not installed
    result = python(f"import sys\n{hide}from jitstudio.launcher import main\nsys.exit(main({args!r}))", cwd=tmp_path)
    assert (result.returncode, result.stderr.strip(), result.stdout) == (2, IDE_MISSING, "")


def run(*args: str | Path, cwd: Path, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{args} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_a_wheel_installs_and_runs_the_example_without_qt(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JITSTUDIO_", "PYTHON", "VIRTUAL_ENV"))}
    # Built from a clean copy: setuptools reuses build/ in the source tree, where files deleted since would linger.
    source = shutil.copytree(REPO, tmp_path / "source", ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", ".jitstudio", "__pycache__", ".*_cache", ".hypothesis"))
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path / "wheels", source, cwd=tmp_path, env=env)
    [wheel] = (tmp_path / "wheels").glob("jitstudio-*.whl")
    run(sys.executable, "-m", "venv", tmp_path / "venv", cwd=tmp_path, env=env)
    bin_dir = tmp_path / "venv" / ("Scripts" if os.name == "nt" else "bin")
    run(bin_dir / "python", "-m", "pip", "install", "-q", wheel, cwd=tmp_path, env=env)

    absent = run(bin_dir / "python", "-c", "import importlib.util as u; print([n for n in ('PySide6', 'superqt') if u.find_spec(n)])",
                 cwd=tmp_path, env=env)
    assert absent.stdout.strip() == "[]"
    jitstudio = bin_dir / "jitstudio"
    assert "created" in run(jitstudio, "new", "X", "--example", "shop", cwd=tmp_path, env=env).stdout
    assert (tmp_path / "X" / "models" / "Order" / "model.py").is_file()
    assert ", 0 errors" in run(jitstudio, "check", "X", cwd=tmp_path, env=env).stderr
    assert "(0 rows)" in run(jitstudio, "data", "X", "list", "Order", cwd=tmp_path, env=env).stdout
    ide = subprocess.run([str(jitstudio)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert (ide.returncode, ide.stderr.strip()) == (2, IDE_MISSING)
