"""Hostile app files get located problems instead of crashes, and saves stay inside the app folder."""
import contextlib
import io
import json
import os
import sys
import time
from pathlib import Path

import pytest

from jitstudio.cli import main as cli_main
from jitstudio.project import atomic_write_bytes, create_model, load_project, set_json_value, update_element
from jitstudio.project.files import MAX_FILE_BYTES, UnsafeWrite

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links, FIFOs and devices as on POSIX")
AGENT = "aiagents/OrderAgent/e.json"


def check(app: Path, *options: str) -> tuple[int, str]:
    """`jitstudio check` in-process, its output encoded as strict UTF-8 as a terminal's would be."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict", newline="\n")
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        status = cli_main(["check", str(app), *options])
        out.flush()
    return status, out.buffer.getvalue().decode("utf-8")


def problems_of(app: Path, rel: str) -> list:
    return [p for p in load_project(app).problems if p.path == rel]


def messages(app: Path, rel: str) -> str:
    return "\n".join(str(p) for p in problems_of(app, rel))


# -- what a file holds

@pytest.mark.parametrize("number", ["9" * 5000, "-" + "1" * 4301], ids=["5000 digits", "4301 digits, negative"])
def test_a_number_too_long_to_convert_is_a_located_problem(shop, number):
    (shop / AGENT).write_text('{\n  "title": "Agent",\n  "type": "aiagents.OpenAI",\n  "temperature": ' + number + "\n}\n")
    status, out = check(shop)
    assert status == 1
    assert f"{AGENT}:4:18: invalid JSON: a number of {len(number.lstrip('-'))} digits; numbers may have at most 4300 digits" in out


def test_a_number_too_large_for_a_float_is_a_located_problem(shop):
    (shop / AGENT).write_text('{"title": 1e999999}')
    assert f"{AGENT}:1:11: invalid JSON: the number 1e999999 is too large" in messages(shop, AGENT)


@pytest.mark.parametrize("options", [(), ("--json",)])
def test_a_lone_surrogate_in_a_json_string_is_a_located_problem(shop, options):
    path = shop / "events/AgentToolPreCall/e.json"
    path.write_text('{"title": "Tool call",\n "sender": "aiagents.\\ud800"}', encoding="utf-8")
    status, out = check(shop, *options)
    assert status == 1
    expected = "invalid JSON: \\ud800 is half of a UTF-16 surrogate pair without its other half"
    if options:
        assert {"path": "events/AgentToolPreCall/e.json", "line": 2, "col": 22} in [
            {k: p[k] for k in ("path", "line", "col")} for p in json.loads(out) if p["message"].startswith(expected)]
    else:
        assert f"events/AgentToolPreCall/e.json:2:22: {expected}" in out


@posix_only
@pytest.mark.parametrize("options", [(), ("--json",)])
def test_a_file_name_that_is_not_utf8_is_printed_escaped(shop, options):
    folder = os.path.join(os.fsencode(shop / "models"), b"Ord\xff")
    os.mkdir(folder)
    with open(os.path.join(folder, b"e.json"), "wb") as fh:
        fh.write(b'{"title": "Broken", "type": "models.Normal"}')
    status, out = check(shop, *options)
    assert status == 1
    assert "models/Ord\\udcff/e.json" in (out if not options else "".join(p["path"] for p in json.loads(out)))


# -- what kind of file it is

@posix_only
def test_an_e_json_linked_to_dev_zero_is_refused_not_read(shop):
    (shop / AGENT).unlink()
    (shop / AGENT).symlink_to("/dev/zero")
    assert messages(shop, AGENT) == f"{AGENT}:1:1: cannot read file: it is a character device; an app's files must be regular files"


@posix_only
@pytest.mark.timeout(20)
@pytest.mark.parametrize("rel", [AGENT, "models/Order/model.py", "app.json"])
def test_a_fifo_is_refused_without_blocking(shop, rel):
    (shop / rel).unlink()
    os.mkfifo(shop / rel)
    assert messages(shop, rel) == f"{rel}:1:1: cannot read file: it is a FIFO (named pipe); an app's files must be regular files"


@posix_only
@pytest.mark.parametrize("rel", [AGENT, "models/Order/model.py", "aiagents/OrderAgent/config.json", "events/StockGuard/inner.py"])
def test_a_folder_where_a_file_should_be_is_a_located_problem(shop, rel):
    (shop / rel).unlink()
    (shop / rel).mkdir()
    (shop / rel / "e.json").write_text("{}")
    project = load_project(shop)
    assert messages(shop, rel) == f"{rel}:1:1: cannot read file: it is a folder; an app's files must be regular files"
    assert not any(name.endswith("e.json") for name in project.elements), "a folder named e.json is not an element"


def test_a_file_past_the_size_cap_is_refused(shop):
    path = shop / "services/OrderSvc/service.py"
    path.write_bytes(path.read_bytes() + b"#" * MAX_FILE_BYTES)
    assert messages(shop, "services/OrderSvc/service.py").endswith("the most jitstudio reads of an app file")


@posix_only
def test_a_dangling_link_says_where_it_points(shop):
    (shop / AGENT).unlink()
    (shop / AGENT).symlink_to("Gone.json")
    assert messages(shop, AGENT) == f"{AGENT}:1:1: cannot read file: it is a symbolic link to Gone.json, which does not exist"


@posix_only
def test_a_linked_element_folder_is_reported_not_skipped_silently(shop, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (shop / "models/Order").rename(elsewhere)
    (shop / "models/Order").symlink_to(elsewhere, target_is_directory=True)
    [problem] = problems_of(shop, "models/Order")
    assert problem.severity == "warning"
    assert "models/Order is a symbolic link to a folder" in problem.message
    assert "is not loaded" in problem.message


# -- saves

@posix_only
def test_saving_a_linked_file_writes_through_to_its_target(shop):
    target = shop / "aiagents/OrderAgent/shared.json"
    (shop / AGENT).rename(target)
    (shop / AGENT).symlink_to("shared.json")
    assert set_json_value(shop / AGENT, "/title", "Renamed agent")
    assert (shop / AGENT).is_symlink() and os.readlink(shop / AGENT) == "shared.json"
    assert json.loads(target.read_text(encoding="utf-8"))["title"] == "Renamed agent"
    assert not list(target.parent.glob(".*.tmp"))


@posix_only
def test_a_page_save_through_a_link_keeps_the_link(shop):
    project = load_project(shop)
    service_py = shop / "services/OrderSvc/service.py"
    real = shop / "services/OrderSvc/real_service.py"
    service_py.rename(real)
    service_py.symlink_to("real_service.py")
    update_element(project, "services.OrderSvc", texts={service_py: real.read_text(encoding="utf-8") + "\n# edited\n"})
    assert service_py.is_symlink()
    assert real.read_text(encoding="utf-8").endswith("# edited\n")


@posix_only
def test_saving_under_a_folder_linked_outside_the_app_is_refused(shop, tmp_path):
    outside = tmp_path / "outside"
    (shop / "aiagents/OrderAgent").rename(outside)
    (shop / "aiagents/OrderAgent").symlink_to(outside, target_is_directory=True)
    before = (outside / "e.json").read_bytes()
    with pytest.raises(UnsafeWrite, match="outside the app folder"):
        set_json_value(shop / AGENT, "/title", "Moved")
    assert (outside / "e.json").read_bytes() == before
    assert not list(outside.glob(".*.tmp"))


@posix_only
def test_saving_a_file_linked_outside_the_app_is_refused(shop, tmp_path):
    outside = tmp_path / "outside.json"
    (shop / AGENT).rename(outside)
    (shop / AGENT).symlink_to(outside)
    with pytest.raises(UnsafeWrite, match="outside the app folder"):
        atomic_write_bytes(shop / AGENT, b"{}")
    assert outside.read_bytes() != b"{}"


@posix_only
def test_creating_an_element_in_a_family_folder_linked_outside_the_app_is_refused(shop, tmp_path):
    outside = tmp_path / "models"
    (shop / "models").rename(outside)
    (shop / "models").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafeWrite, match="outside the app folder"):
        create_model(shop, "Invoice")
    assert not (outside / "Invoice").exists()


@posix_only
def test_saving_a_link_that_points_to_itself_is_refused(shop):
    (shop / AGENT).unlink()
    (shop / AGENT).symlink_to("e.json")
    with pytest.raises(UnsafeWrite, match="points back to itself"):
        atomic_write_bytes(shop / AGENT, b"{}")


def test_a_failed_save_leaves_no_temp_file(shop, monkeypatch):
    def refuse(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", refuse)
    with pytest.raises(OSError, match="No space left"):
        atomic_write_bytes(shop / AGENT, b"{}")
    assert not [p for p in (shop / "aiagents/OrderAgent").iterdir() if p.name.endswith(".tmp")]


def test_loading_an_app_removes_temp_files_a_killed_save_left(shop):
    folder = shop / "aiagents/OrderAgent"
    stale, fresh, foreign = folder / ".e.json.abc_1234.tmp", folder / ".config.json.zz99zz99.tmp", folder / "notes.tmp"
    for path in (stale, fresh, foreign):
        path.write_text("half a save")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    os.utime(foreign, (an_hour_ago, an_hour_ago))
    load_project(shop)
    assert not stale.exists()
    assert fresh.exists(), "a save may be writing it right now"
    assert foreign.exists(), "not a name our saves use"


def test_new_files_get_the_usual_mode_and_saved_files_keep_theirs(shop):
    """A new element's files are readable by the group and others as the umask allows (0644 under 022),
    like every other file of the app; an existing file keeps its mode when saved."""
    from jitstudio.project.files import _UMASK

    create_model(shop, "Reading", title="Reading")
    created = [p for p in (shop / "models" / "Reading").rglob("*") if p.is_file()]
    assert created and {oct(p.stat().st_mode & 0o777) for p in created} == {oct(0o666 & ~_UMASK)}
    kept = shop / "app.json"
    os.chmod(kept, 0o640)
    atomic_write_bytes(kept, kept.read_bytes() + b"\n")
    assert kept.stat().st_mode & 0o777 == 0o640
