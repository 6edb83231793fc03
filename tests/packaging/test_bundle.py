"""The desktop bundle, built for real and used as a person would: CLI, runtime, IDE.

Slow (a PyInstaller build takes minutes), so it runs only when asked:

    JITSTUDIO_TEST_BUNDLE=1 python -m pytest -m bundle tests/packaging

It builds with packaging/build.py into packaging/build/, unless JITSTUDIO_BUNDLE names an already built
bundle folder (or its `jitstudio` program) to test instead.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = REPO / "packaging" / "build.py"
BUILT = REPO / "packaging" / "build" / "dist" / "jitstudio"
PROBE_MARKER = "JITSTUDIO_FIRST_PAINT"

pytestmark = [
    pytest.mark.bundle,
    pytest.mark.skipif(os.environ.get("JITSTUDIO_TEST_BUNDLE") != "1", reason="set JITSTUDIO_TEST_BUNDLE=1 to build and test the bundle"),
    pytest.mark.timeout(3600),
]

# A service the test adds to the example: it imports what app code imports in a source install and reports
# what the bundled runtime can reach.
PROBE_E_JSON = {
    "title": "Bundle probe",
    "type": "services.NormalType",
    "backendBundleEntry": ".",
    "functionList": [
        {"name": "report", "title": "Report", "args": [], "returnType": "JitDict", "argsToDatatype": 0, "async": False},
        {"name": "runtimeTestRun", "title": "Test-run an event in a new runtime process, as the IDE does",
         "args": [{"name": "appDir", "title": "App folder", "dataType": "Stext", "required": True},
                  {"name": "event", "title": "Event", "dataType": "Stext", "required": True}],
         "returnType": "JitDict", "argsToDatatype": 0, "async": False},
    ],
    "eventDescs": [],
}
PROBE_SERVICE = '''\
# -*-coding:utf-8-*-
import csv
import decimal
import statistics
import zoneinfo
from email.message import EmailMessage
from urllib.parse import urlencode

from datatypes.Meta import datatypes
from events.Meta import JitEvent
from globals import GlobalVar
from jit.commons.utils.logger import log
from jit.errcode import Code
from models.NormalType import NormalModel
from services.NormalType import NormalService


class BundleProbe(NormalService):

    def report(self):
        import libcst
        import libcst.native
        import sqlalchemy
        from pygments.lexers import get_lexer_by_name
        from PySide6.QtGui import QImageReader

        module = libcst.parse_module("def f(x):\\n    return x + 1\\n")
        engines = {}
        for url in ("sqlite://", "postgresql+psycopg://user@localhost/db"):
            try:
                engines[url] = sqlalchemy.create_engine(url).dialect.name
            except Exception as error:  # noqa: BLE001 - reported to the test
                engines[url] = f"error: {error}"
        import alembic.operations
        return {
            "jitai": [NormalService.__name__, NormalModel.__name__, JitEvent.__name__, Code.__name__,
                      hasattr(GlobalVar, "currentTime"), log.name, hasattr(datatypes, "Stext")],
            "stdlib": [str(decimal.Decimal("1.10") * 2), statistics.mean([1, 2, 3]), zoneinfo.__name__, csv.__name__,
                       EmailMessage.__name__, urlencode({"a": 1})],
            "libcst": module.code,
            "libcst_native": libcst.native.__name__,
            "pygments": [get_lexer_by_name(name).name for name in ("python", "json", "sql", "markdown")],
            "engines": engines,
            "alembic": alembic.operations.Operations.__name__,
            "image_formats": sorted(bytes(f).decode() for f in QImageReader.supportedImageFormats()),
        }

    def runtimeTestRun(self, appDir, event):
        import subprocess
        import sys

        from jitstudio.cli._process import runtime_command

        args = ["event", "test", str(appDir), str(event), "--payload", '{"postData": {"customerId": 3}}']
        runs = {}
        for form, command in (("runtime_command", runtime_command(args)), ("dash_m", [sys.executable, "-m", "jitstudio", *args])):
            done = subprocess.run(command, capture_output=True, text=True, timeout=120)
            runs[form] = {"program": command[0], "args": command[1:], "returncode": done.returncode,
                          "stdout": done.stdout, "stderr": done.stderr[-4000:]}
        return {"frozen": bool(getattr(sys, "frozen", False)), "runs": runs}
'''


def program_of(path: Path) -> Path:
    return path / ("jitstudio.exe" if os.name == "nt" else "jitstudio") if path.is_dir() else path


@pytest.fixture(scope="module")
def bundle() -> Path:
    """The bundle's `jitstudio` program: built now (timed), or the one JITSTUDIO_BUNDLE names."""
    given = os.environ.get("JITSTUDIO_BUNDLE")
    if given:
        program = program_of(Path(given).resolve())
        assert program.is_file(), f"JITSTUDIO_BUNDLE={given} has no jitstudio program"
        return program
    started = time.monotonic()
    build = subprocess.run([sys.executable, str(BUILD_SCRIPT)], cwd=REPO, capture_output=True, text=True, timeout=3000)
    assert build.returncode == 0, f"build failed:\n{build.stdout[-6000:]}\n{build.stderr[-6000:]}"
    print(f"\nbundle built in {time.monotonic() - started:.0f} s; {build.stdout.strip().splitlines()[-3:]}")
    return program_of(BUILT)


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    """A clean environment: offscreen Qt, settings and caches in tmp, no PYTHONPATH leaking the checkout in."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "JITSTUDIO_", "QT_"))}
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        (tmp_path / name).mkdir()
        environ[name] = str(tmp_path / name)
    environ["QT_QPA_PLATFORM"] = "offscreen"
    environ["XDG_RUNTIME_DIR"] = str(tmp_path / "XDG_RUNTIME_DIR")
    os.makedirs(environ["XDG_RUNTIME_DIR"], mode=0o700)
    return environ


def run(program: Path, *args, env: dict[str, str], cwd: Path, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run([str(program), *map(str, args)], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def shop(bundle, env, tmp_path) -> Path:
    """The example app, created by the bundle's own `jitstudio new --example shop` (so from the bundle)."""
    target = tmp_path / "shop"
    result = run(bundle, "new", target, "--example", "shop", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (target / "app.json").is_file() and (target / "events" / "FillOrderNo" / "inner.py").is_file()
    return target


def test_check_on_the_example(bundle, shop, env, tmp_path):
    result = run(bundle, "check", shop, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\d+ elements, 0 errors", result.stderr), result.stderr


def test_data_create_runs_the_model_event(bundle, shop, env, tmp_path):
    created = run(bundle, "data", shop, "create", "models.Order", json.dumps({"customerId": 7, "note": "from the bundle"}),
                  env=env, cwd=tmp_path)
    assert created.returncode == 0, created.stdout + created.stderr
    row = json.loads(created.stdout)
    # events.FillOrderNo (AddBefore) filled these in before the row was written.
    assert re.fullmatch(r"SO\d{8}-[0-9A-F]{6}", row["orderNo"]), row
    assert row["status"] == "draft" and row["customerId"] == 7
    listed = run(bundle, "data", shop, "list", "models.Order", "--json", env=env, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert [r["orderNo"] for r in json.loads(listed.stdout)] == [row["orderNo"]]
    records = run(bundle, "records", shop, "--json", env=env, cwd=tmp_path)
    assert records.returncode == 0, records.stderr
    assert "events.FillOrderNo" in {r.get("event") for r in json.loads(records.stdout)}


def test_a_changed_model_migrates_its_table(bundle, shop, env, tmp_path):
    first = run(bundle, "data", shop, "create", "models.Customer", json.dumps({"name": "Ada"}), env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    model = shop / "models" / "Customer" / "model.py"
    text = model.read_text(encoding="utf-8")
    marker = "class Customer(NormalModel):\n"
    assert marker in text
    model.write_text(text.replace(marker, marker + '    loyaltyCode = datatypes.Stext(name="loyaltyCode", title="Loyalty code")\n'),
                     encoding="utf-8")
    second = run(bundle, "data", shop, "create", "models.Customer", json.dumps({"name": "Grace", "loyaltyCode": "G-1"}),
                 env=env, cwd=tmp_path)
    assert second.returncode == 0, second.stdout + second.stderr
    assert json.loads(second.stdout)["loyaltyCode"] == "G-1"


def add_probe_service(app: Path) -> None:
    probe = app / "services" / "BundleProbe"
    probe.mkdir()
    (probe / "e.json").write_text(json.dumps(PROBE_E_JSON, indent=2), encoding="utf-8")
    (probe / "__init__.py").write_text("from .service import BundleProbe\n", encoding="utf-8")
    (probe / "service.py").write_text(PROBE_SERVICE, encoding="utf-8")


def test_app_code_imports_the_jitai_names_and_the_runtime_has_its_libraries(bundle, shop, env, tmp_path):
    add_probe_service(shop)
    result = run(bundle, "call", shop, "services.BundleProbe.report", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["jitai"] == ["NormalService", "NormalModel", "JitEvent", "Code", True, "jitstudio.app", True]
    assert report["stdlib"][:2] == ["2.20", 2]
    assert report["libcst"] == "def f(x):\n    return x + 1\n" and report["libcst_native"] == "libcst.native"
    assert report["pygments"] == ["Python", "JSON", "SQL", "Markdown"]
    assert report["engines"] == {"sqlite://": "sqlite", "postgresql+psycopg://user@localhost/db": "postgresql"}
    assert report["alembic"] == "Operations"
    assert "svg" in report["image_formats"] and "png" in report["image_formats"]


def test_a_runtime_process_started_from_the_bundle_the_way_the_ide_does(bundle, shop, env, tmp_path):
    """The IDE starts test runs as runtime_command([...]) from inside the bundle: the program, called directly."""
    add_probe_service(shop)
    other = tmp_path / "other"  # a second app, so the two processes share no database
    assert run(bundle, "new", other, "--example", "shop", env=env, cwd=tmp_path).returncode == 0
    ide_env = {**env, "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"}
    result = run(bundle, "call", shop, "services.BundleProbe.runtimeTestRun", "--args", json.dumps([str(other), "events.FillOrderNo"]),
                 env=ide_env, cwd=shop)
    assert result.returncode == 0, result.stdout + result.stderr
    spawned = json.loads(result.stdout)
    assert spawned["frozen"] is True
    runs = spawned["runs"]
    # runtime_command: the program itself with the CLI arguments; and `sys.executable -m jitstudio ARGS`,
    # how the IDE's runner starts it today, which the bundle's program takes the same way.
    assert runs["runtime_command"]["args"][:2] == ["event", "test"], runs
    for form, done in runs.items():
        assert Path(done["program"]).resolve() == bundle.resolve(), form
        assert done["returncode"] == 0, (form, done)
        outcome = json.loads(done["stdout"])
        assert (outcome["event"], outcome["status"], outcome["error"]) == ("events.FillOrderNo", "success", None), (form, outcome)


def first_paint(bundle: Path, args: list, env: dict[str, str], cwd: Path) -> tuple[dict, float, subprocess.CompletedProcess]:
    started = time.monotonic()
    result = run(bundle, *args, env={**env, "JITSTUDIO_EXIT_AFTER_FIRST_PAINT": "1"}, cwd=cwd, timeout=120)
    lines = [line for line in result.stdout.splitlines() if line.startswith(PROBE_MARKER + " ")]
    assert lines, f"no first paint reported\nstdout: {result.stdout}\nstderr: {result.stderr}"
    report = json.loads(lines[0][len(PROBE_MARKER) + 1:])
    return report, report["monotonic"] - started, result


def test_the_ide_starts_offscreen_paints_its_window_and_quits(bundle, env, tmp_path):
    report, seconds, result = first_paint(bundle, [], env, tmp_path)  # a double-click: no arguments
    assert result.returncode == 0, result.stderr
    assert report["window"] == "MainWindow"
    assert "Traceback" not in result.stderr, result.stderr
    print(f"\nbundle IDE (welcome page): first paint after {seconds:.2f} s")


def test_the_ide_opens_the_example_app(bundle, shop, env, tmp_path):
    report, seconds, result = first_paint(bundle, [shop], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert report["window"] == "MainWindow"
    assert "Traceback" not in result.stderr, result.stderr
    settings = Path(env["XDG_CONFIG_HOME"]) / "jitstudio" / "jitstudio.conf"
    assert settings.is_file() and "shop" in settings.read_text(encoding="utf-8"), "the app was not recorded as recent"
    print(f"\nbundle IDE (shop app): first paint after {seconds:.2f} s")
