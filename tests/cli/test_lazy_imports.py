"""Each command imports only what it runs: the modules a fresh interpreter holds after importing the command
line, and after a whole `jitstudio ...` run (the launcher as the `jitstudio` program calls it)."""
from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MARKER = "LOADED_MODULES "
LIBRARIES = ("sqlalchemy", "alembic", "libcst", "pydantic", "openai", "starlette", "uvicorn", "procrastinate",
             "PySide6", "shiboken6")
SERVER_LIBRARIES = ("alembic", "openai", "starlette", "uvicorn", "procrastinate", "PySide6")
LAZY_PACKAGES = (
    "jitstudio.project", "jitstudio.runtime", "jitstudio.runtime.data", "jitstudio.runtime.events",
    "jitstudio.runtime.execution", "jitstudio.runtime.http", "jitstudio.runtime.records",
    "jitstudio.runtime.engines.ai", "jitstudio.runtime.engines.approvals",
)


def loaded_after(code: str, cwd: Path = REPO) -> set[str]:
    """The modules loaded once `code` has run in a new interpreter, even if it exits."""
    probe = ("import atexit, json, sys\n"
             f"atexit.register(lambda: print({MARKER!r} + json.dumps(sorted(sys.modules))))\n" + code)
    result = subprocess.run([sys.executable, "-c", probe], cwd=cwd, capture_output=True, text=True, timeout=120)
    lines = [line for line in result.stdout.splitlines() if line.startswith(MARKER)]
    assert lines, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return set(json.loads(lines[-1][len(MARKER):]))


def loaded_by_command(*args: str | Path) -> set[str]:
    argv = ["jitstudio", *map(str, args)]
    return loaded_after(f"sys.argv = {argv!r}\nfrom jitstudio.launcher import main\nsys.exit(main())")


def libraries_in(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted({m.split(".")[0] for m in modules} & set(names))


def test_importing_the_command_line_loads_no_library_nor_the_runtime():
    modules = loaded_after("import jitstudio.cli, jitstudio.launcher")

    assert libraries_in(modules, LIBRARIES) == []
    assert sorted(m for m in modules if m.startswith(("jitstudio.runtime", "jitstudio.project"))) == []


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_version_and_help_load_no_library(flag):
    modules = loaded_by_command(flag)

    assert libraries_in(modules, LIBRARIES) == []
    assert "jitstudio.runtime" not in modules


def test_check_loads_neither_the_engine_nor_a_database_or_server_library(shop):
    modules = loaded_by_command("check", shop)

    assert libraries_in(modules, SERVER_LIBRARIES + ("sqlalchemy",)) == []
    assert sorted(m for m in modules if m.startswith(("jitstudio.runtime.runtime", "jitstudio.runtime.events",
                                                      "jitstudio.runtime.records", "jitstudio.runtime.http"))) == []


def test_data_list_loads_no_server_migration_or_ai_library(shop):
    modules = loaded_by_command("data", shop, "list", "Product")

    assert libraries_in(modules, SERVER_LIBRARIES) == []
    assert "jitstudio.runtime.http" not in modules
    assert "jitstudio.runtime.engines.ai.agent" not in modules


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_every_public_name_of_a_lazy_package_is_importable(package):
    module = importlib.import_module(package)

    missing = [name for name in module.__all__ if getattr(module, name, None) is None]
    assert missing == []
    assert set(module.__all__) <= set(dir(module))


def test_the_names_the_commands_register_are_those_of_the_engine():
    from jitstudio.cli import _ai, _project, _records, _serve
    from jitstudio.project.schemas import FILE_KINDS
    from jitstudio.runtime.engines.ai.sessions import SESSION_TYPES
    from jitstudio.runtime.http import DEFAULT_HOST, DEFAULT_PORT
    from jitstudio.runtime.records import STATUSES

    assert _project.SCHEMA_KINDS == tuple(FILE_KINDS)
    assert _ai.SESSION_TYPES == SESSION_TYPES
    assert _records.STATUS_CHOICES == tuple(s for s in STATUSES if s != "waiting")
    assert (_serve.DEFAULT_HOST, _serve.DEFAULT_PORT) == (DEFAULT_HOST, DEFAULT_PORT)
