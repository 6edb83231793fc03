"""Golden load/save round trips: an unchanged save writes nothing, a one-key edit changes only that value."""
import difflib
import os
from pathlib import Path

import pytest

from jitstudio.project import (
    AgentElement, AssistantElement, EventElement, ModelElement, ServiceElement, TextFile, WorkflowElement,
    atomic_write_bytes, atomic_write_text, load_project, set_async, set_enable, set_json_value,
)
from jitstudio.project import files as files_module

GOLDEN_AFTER = Path(__file__).resolve().parent / "golden" / "after"
BOM = b"\xef\xbb\xbf"
OLD_TIME_NS = 1_600_000_000 * 10**9

STYLES = {
    "lf": lambda data: data,
    "crlf": lambda data: data.replace(b"\n", b"\r\n"),
    "bom-crlf": lambda data: BOM + data.replace(b"\n", b"\r\n"),
    "bom-lf": lambda data: BOM + data,
}

# (file, edit, value): "enable" and "async" go through set_enable / set_async, a pointer through set_json_value.
EDITS = [
    ("app.json", "/runtime/eventChainDepth", 8),
    ("models/Customer/e.json", "/title", "Client — 客户"),
    ("services/CustomerSvc/e.json", "/functionList/1/title", "Rechercher"),
    ("events/CustomerAudit/e.json", "enable", False),
    ("events/RefundDecided/e.json", "async", True),
    ("events/WelcomeSent/e.json", "enable", True),
    ("events/DeskAsked/e.json", "async", False),
    ("events/ToolCalled/e.json", "async", True),
    ("workflows/Refund/e.json", "/title", "Remboursements"),
    ("workflows/Refund/config.json", "/nodeList/1/title", "Révision finale"),
    ("aiagents/Helper/e.json", "/title", "Assistant — 助手"),
    ("aiagents/Helper/config.json", "/tools/0/enableFunctionList/lookup/postEvent/withData", True),
    ("aiassistants/Desk/e.json", "/title", "Accueil — 前台"),
    ("aiassistants/Desk/config.json", "/nodes/agent/events/page", True),
]


def app_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def restyle(root: Path, style: str) -> None:
    """Rewrite every text file of the app in a line-ending/BOM style, and age it so a rewrite shows in mtime."""
    for path in app_files(root):
        if path.suffix in (".json", ".py", ".md"):
            path.write_bytes(STYLES[style](path.read_bytes()))
        os.utime(path, ns=(OLD_TIME_NS, OLD_TIME_NS))


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns) for p in app_files(root)}


def element_of(project, rel: str):
    return project.get(".".join(Path(rel).parent.parts))


def apply_edit(project, rel: str, what: str, value) -> bool:
    if what == "enable":
        return set_enable(element_of(project, rel), value)
    if what == "async":
        return set_async(element_of(project, rel), value)
    return set_json_value(project.root / rel, what, value)


@pytest.mark.parametrize("style", STYLES)
def test_golden_app_loads_every_kind_with_its_unknown_keys_and_text(golden_app, style):
    restyle(golden_app, style)
    project = load_project(golden_app)

    assert project.problems == []
    assert project.title == "Boutique Café — 咖啡"
    assert project.app.extra_keys() == {"vendorNote": "kept by every save"}
    kinds = {type(e) for e in project.elements.values()}
    assert kinds == {ModelElement, ServiceElement, EventElement, WorkflowElement, AgentElement, AssistantElement}
    assert sorted(e.kind for e in project.events) == ["agent", "assistant", "model", "normal", "workflow"]

    customer = project.get("models.Customer")
    assert customer.field_names == ["id", "name", "level", "credit"]
    assert customer.field("credit").title == "Crédit"
    assert customer.spec.extra_keys() == {"x-designer": {"color": "#ff8800", "pinned": True}}
    service = project.get("services.CustomerSvc")
    assert list(service.functions) == ["audit", "lookup"]
    assert service.functions["audit"].extra_keys() == {"x-hint": "unknown keys survive"}
    assert service.event_names == ["welcomed"]
    assert sorted(service.methods) == ["audit", "lookup"]

    audit = project.get("events.CustomerAudit")
    assert (audit.event_spec.operate, audit.event_spec.fields, audit.enabled, audit.is_async) == (
        "UpdateAfter", ["level", "credit"], True, False)
    assert audit.event_spec.extra_keys() == {"x-owner": "équipe"}
    refund = project.get("events.RefundDecided")
    assert refund.event_spec.is_inner and "customFunc" in refund.inner.functions
    assert project.get("events.WelcomeSent").enabled is False
    assert project.get("events.DeskAsked").event_spec.node_id == "agent"
    assert project.get("events.ToolCalled").event_spec.extra_keys() == {"x-compact": True}

    assert project.get("workflows.Refund").node_ids == ["start", "review", "end"]
    assert project.get("workflows.Refund").config_spec.nodeList[1].extra_keys() == {"x-sla": "2d"}
    tool = project.get("aiagents.Helper").config_spec.tools[0]
    assert (tool.enableFunctionList["lookup"].preEvent.withData, tool.enableFunctionList["lookup"].postEvent.withData) == (True, False)
    assert project.get("aiassistants.Desk").node_ids == ["start", "agent", "end"]
    assert project.get("aiassistants.Desk").config_spec.welcomeMessage == "Bonjour ! 你好"


@pytest.mark.parametrize("style", STYLES)
def test_saving_unchanged_files_rewrites_no_byte(golden_app, style):
    restyle(golden_app, style)
    before = snapshot(golden_app)
    project = load_project(golden_app)

    json_files = [project.app_file]
    for element in project.elements.values():
        json_files.append(element.ejson)
        if getattr(element, "config", None):
            json_files.append(element.config)
    for json_file in json_files:
        assert atomic_write_text(json_file.path, json_file.doc.text, TextFile.read(json_file.path)) is False
        for key, value in json_file.doc.data.items():
            assert set_json_value(json_file.path, "/" + key, value) is False, (json_file.path, key)
    for path in golden_app.rglob("*.py"):
        assert atomic_write_text(path, TextFile.read(path).text, TextFile.read(path)) is False
    for event in project.events:
        assert set_enable(event, event.enabled) is False
        assert set_async(event, event.is_async) is False

    assert snapshot(golden_app) == before


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize(("rel", "what", "value"), EDITS, ids=[f"{r}:{w}" for r, w, _ in EDITS])
def test_one_key_edit_changes_only_that_value(golden_app, style, rel, what, value):
    restyle(golden_app, style)
    project = load_project(golden_app)
    unknown_before = _unknown_keys(project, rel)
    before = snapshot(golden_app)

    assert apply_edit(project, rel, what, value) is True

    expected = STYLES[style]((GOLDEN_AFTER / rel).read_bytes())
    assert (golden_app / rel).read_bytes() == expected
    after = snapshot(golden_app)
    assert {k: v for k, v in after.items() if k != rel} == {k: v for k, v in before.items() if k != rel}
    reloaded = load_project(golden_app)
    assert reloaded.problems == []
    assert _unknown_keys(reloaded, rel) == unknown_before
    assert not list(golden_app.rglob("*.tmp"))


def _unknown_keys(project, rel: str) -> dict:
    if rel == "app.json":
        return project.app.extra_keys()
    element = element_of(project, rel)
    spec = element.config_spec if rel.endswith("config.json") else element.spec
    return spec.extra_keys()


def test_golden_after_files_differ_from_before_in_one_line():
    """The golden files themselves: an edit replaces one line, an inserted key adds at most one more."""
    before_root = GOLDEN_AFTER.parent / "app"
    for rel, _, _ in EDITS:
        before = (before_root / rel).read_text(encoding="utf-8").splitlines()
        after = (GOLDEN_AFTER / rel).read_text(encoding="utf-8").splitlines()
        diff = [line for line in difflib.ndiff(before, after) if line[:1] in "+-"]
        removed = [line for line in diff if line.startswith("-")]
        added = [line for line in diff if line.startswith("+")]
        assert len(removed) == 1 and len(added) in (1, 2), rel


def test_edit_in_a_file_with_mixed_line_endings_touches_no_other_line(tmp_path):
    path = tmp_path / "e.json"
    path.write_bytes(b'{\n  "title": "Caf\xc3\xa9",\r\n  "enable": 1\n}\r\n')

    assert set_json_value(path, "/enable", 0) is True

    assert path.read_bytes() == b'{\n  "title": "Caf\xc3\xa9",\r\n  "enable": 0\n}\r\n'


def test_edit_keeps_a_latin1_file_in_latin1(tmp_path):
    path = tmp_path / "e.json"
    path.write_bytes('{"title": "Caf\u00e9", "enable": 1}'.encode("latin-1"))

    assert set_json_value(path, "/enable", 0) is True

    assert path.read_bytes() == '{"title": "Caf\u00e9", "enable": 0}'.encode("latin-1")


def test_inserting_a_key_follows_the_file_indentation(tmp_path):
    tabbed = tmp_path / "tabbed.json"
    tabbed.write_bytes(b'{\n\t"title": "t"\n}\n')
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"{}\n")

    set_json_value(tabbed, "/tools", [{"name": "x"}])
    set_json_value(empty, "/nodes", {"start": {"id": "start"}})

    assert tabbed.read_bytes() == b'{\n\t"title": "t",\n\t"tools": [\n\t\t{\n\t\t\t"name": "x"\n\t\t}\n\t]\n}\n'
    assert empty.read_bytes() == b'{\n  "nodes": {\n    "start": {\n      "id": "start"\n    }\n  }\n}\n'


class _FailingWriter:
    """A file object that writes half of the data, then fails as a full disk would."""

    def __init__(self, real):
        self.real = real

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.real.close()
        return False

    def write(self, data):
        self.real.write(data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_a_save_that_fails_mid_write_leaves_the_original_intact(golden_app, monkeypatch):
    project = load_project(golden_app)
    event = project.get("events.CustomerAudit")
    original = event.ejson.path.read_bytes()
    real_fdopen = os.fdopen
    monkeypatch.setattr(files_module.os, "fdopen", lambda fd, mode: _FailingWriter(real_fdopen(fd, mode)))

    with pytest.raises(OSError, match="No space left"):
        set_enable(event, False)

    assert event.ejson.path.read_bytes() == original
    assert sorted(p.name for p in event.directory.iterdir()) == ["e.json"]


def test_a_save_that_fails_at_replace_leaves_the_original_intact(golden_app, monkeypatch):
    path = golden_app / "workflows" / "Refund" / "config.json"
    original = path.read_bytes()

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files_module.os, "replace", refuse)
    with pytest.raises(PermissionError):
        set_json_value(path, "/nodeList/1/title", "Autre")

    assert path.read_bytes() == original
    assert sorted(p.name for p in path.parent.iterdir()) == ["config.json", "e.json"]


def test_atomic_write_replaces_the_file_whole_and_keeps_its_permissions(tmp_path):
    path = tmp_path / "service.py"
    path.write_bytes(b"old\n")
    path.chmod(0o640)

    atomic_write_bytes(path, b"new\n")

    assert path.read_bytes() == b"new\n"
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["service.py"]
