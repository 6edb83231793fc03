"""update_event and update_element: what the event and element pages save, written with the smallest change,
all files or none, and refused with the reason when the input breaks a rule."""
import shutil
from pathlib import Path

import pytest

from jitstudio.project import (
    AgentToolSwitch, EventDraft, OperationError, load_project, set_json_value, update_element, update_event,
)
from jitstudio.project import _edits

AUDIT = "events/CustomerAudit/e.json"
AUDIT_KEYS = {"sender": "models.Customer", "operate": "UpdateAfter", "fields": ["level", "credit"],
              "filter": "Q(level='vip') & Q(credit__gte=100)"}
GOLDEN_AFTER = """{
  "title": "Audit des clients VIP — niveau",
  "type": "events.ModelType",
  "sender": "models.Customer",
  "operate": "FieldUpdateAfter",
  "fields": [
    "level"
  ],
  "filter": "Q(level='vip') & Q(credit__gte=100)",
  "funcType": "Global",
  "func": "services.CustomerSvc.audit",
  "asyncType": false,
  "enable": 1,
  "backendBundleEntry": ".",
  "x-owner": "équipe"
}
"""


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def audit_draft(**changes) -> EventDraft:
    fields = dict(keys=dict(AUDIT_KEYS), title="Audit des clients VIP", inner=False, func="services.CustomerSvc.audit")
    fields.update(changes)
    return EventDraft("model", **fields)


def page_save_before(path: Path, old: dict, new: dict) -> None:
    """How the event page wrote e.json before update_event: each changed key through set_json_value."""
    for key, value in new.items():
        if value is None or (key in old and old[key] == value and type(old[key]) is type(value)):
            continue
        if key not in old and value in ("", [], {}):
            continue
        set_json_value(path, "/" + key, value)


def test_update_event_writes_the_golden_bytes_and_keeps_unknown_keys(golden_app):
    draft = audit_draft(title="Audit des clients VIP — niveau", keys={**AUDIT_KEYS, "operate": "FieldUpdateAfter", "fields": ["level"]})

    written = update_event(load_project(golden_app), "events.CustomerAudit", draft)

    assert written == [AUDIT]
    assert (golden_app / AUDIT).read_bytes() == GOLDEN_AFTER.encode("utf-8")
    assert load_project(golden_app).problems == []


@pytest.mark.parametrize("draft", [
    audit_draft(),
    audit_draft(title="Nouveau titre", keys={**AUDIT_KEYS, "fields": []}),
    audit_draft(keys={**AUDIT_KEYS, "filter": "", "operate": "DeleteAfter"}),
    audit_draft(inner=True, func=None),
    audit_draft(func="services.CustomerSvc.lookup"),
], ids=["unchanged", "title and all fields", "no filter", "to inner", "other function"])
def test_update_event_writes_the_bytes_the_page_wrote_before(golden_app, tmp_path, draft):
    before = shutil.copytree(golden_app, tmp_path / "before")
    old = load_project(before).get("events.CustomerAudit").ejson.doc.data
    new = {"title": draft.title.strip(), **draft.keys}
    if draft.inner:
        new["funcType"] = "Inner"
    else:
        new["func"] = draft.func
    page_save_before(before / AUDIT, old, new)

    update_event(load_project(golden_app), "events.CustomerAudit", draft)

    assert (golden_app / AUDIT).read_bytes() == (before / AUDIT).read_bytes()


def test_nothing_changed_writes_nothing(golden_app):
    path = golden_app / AUDIT
    stamp = path.stat().st_mtime_ns

    assert update_event(load_project(golden_app), "events.CustomerAudit", audit_draft()) == []
    assert path.stat().st_mtime_ns == stamp


def test_crlf_and_bom_are_kept(golden_app):
    path = golden_app / AUDIT
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    draft = audit_draft(title="Audit des clients VIP — niveau", keys={**AUDIT_KEYS, "operate": "FieldUpdateAfter", "fields": ["level"]})

    update_event(load_project(golden_app), "events.CustomerAudit", draft)

    assert path.read_bytes() == b"\xef\xbb\xbf" + GOLDEN_AFTER.replace("\n", "\r\n").encode("utf-8")


def test_inner_text_is_written_with_an_init_that_re_exports_it(shop):
    (shop / "events/OrderPaidNotify/__init__.py").unlink()
    project = load_project(shop)
    keys = {"sender": "models.Order", "operate": "UpdateAfter", "fields": ["status"], "filter": "Q(Q('status', '=', 'paid'))"}
    text = "def customFunc(eventOutData):\n    return 'sent'\n"

    written = update_event(project, "events.OrderPaidNotify", EventDraft("model", keys, title="Notify", inner=True),
                           inner_text=text)

    assert written == ["events/OrderPaidNotify/e.json", "events/OrderPaidNotify/inner.py", "events/OrderPaidNotify/__init__.py"]
    assert (shop / "events/OrderPaidNotify/inner.py").read_text() == text
    assert (shop / "events/OrderPaidNotify/__init__.py").read_text() == "from .inner import customFunc\n"
    assert load_project(shop).errors == []


def test_an_agent_event_switches_its_tool_on(golden_app):
    draft = EventDraft("agent", {"sender": "aiagents.Helper", "stage": "postEvent"}, title="Outil appelé", inner=False,
                       func="services.CustomerSvc.audit", tool=AgentToolSwitch(0, "lookup", with_data=True))
    config = golden_app / "aiagents/Helper/config.json"
    expected = config.read_text(encoding="utf-8").replace('"postEvent": {"withData": false}', '"postEvent": {"withData": true}')

    written = update_event(load_project(golden_app), "events.ToolCalled", draft)

    assert written == ["events/ToolCalled/e.json", "aiagents/Helper/config.json"]
    assert config.read_text(encoding="utf-8") == expected
    assert '"stage": "postEvent"' in (golden_app / "events/ToolCalled/e.json").read_text(encoding="utf-8")


@pytest.mark.parametrize(("draft", "message"), [
    (audit_draft(title="  "), "Title: give the event a title"),
    (audit_draft(inner=False, func=None), "choose the service function that handles the event"),
    (audit_draft(keys={**AUDIT_KEYS, "operate": "UpdateAftr"}),
     "operate 'UpdateAftr' is not one of AddBefore, AddAfter, UpdateBefore"),
    (audit_draft(keys={**AUDIT_KEYS, "filter": "Q(levl='vip')"}), "Filter conditions: filter: unknown field 'levl'"),
    (audit_draft(keys={**AUDIT_KEYS, "fields": []}, some_fields=True), "Trigger fields: pick at least one field"),
], ids=["empty title", "no function", "bad operate", "bad filter", "no specific field"])
def test_invalid_input_is_refused_and_nothing_is_written(golden_app, draft, message):
    before = tree(golden_app)

    with pytest.raises(OperationError) as refused:
        update_event(load_project(golden_app), "events.CustomerAudit", draft, inner_text="def customFunc(e):\n    pass\n")

    assert message in str(refused.value)
    assert tree(golden_app) == before


def test_a_before_event_that_runs_async_cannot_be_saved(shop, edit):
    edit(shop / "events/StockGuard/e.json", '"asyncType": false', '"asyncType": true')
    before = tree(shop)
    keys = {"sender": "models.Product", "operate": "UpdateBefore", "fields": ["stock"]}

    with pytest.raises(OperationError, match="a Before event cannot be asynchronous"):
        update_event(load_project(shop), "events.StockGuard", EventDraft("model", keys, title="Guard"))

    assert tree(shop) == before


def test_an_e_json_that_does_not_parse_is_refused(golden_app, edit):
    edit(golden_app / AUDIT, '"enable": 1,', '"enable": 1')
    project = load_project(golden_app)
    before = tree(golden_app)

    with pytest.raises(OperationError):
        update_event(project, "events.CustomerAudit", audit_draft(title="Autre"))

    assert tree(golden_app) == before


def test_a_failed_write_puts_back_the_files_already_written(golden_app, monkeypatch):
    real = _edits.atomic_write_text

    def failing(path, text, like=None):
        if Path(path).name == "inner.py":
            raise OSError(28, "No space left on device")
        return real(path, text, like)

    monkeypatch.setattr(_edits, "atomic_write_text", failing)
    before = tree(golden_app)

    with pytest.raises(OSError):
        update_event(load_project(golden_app), "events.CustomerAudit", audit_draft(title="Autre", inner=True, func=None),
                     inner_text="def customFunc(eventOutData):\n    return None\n")

    assert tree(golden_app) == before


def test_update_element_writes_files_then_the_title(golden_app):
    model_py = golden_app / "models/Customer/model.py"
    text = model_py.read_text(encoding="utf-8").replace('maxLen=64', 'maxLen=80')

    written = update_element(load_project(golden_app), "models.Customer", title="Clients", texts={model_py: text})

    assert written == ["models/Customer/model.py", "models/Customer/e.json"]
    assert model_py.read_text(encoding="utf-8") == text
    assert load_project(golden_app).get("models.Customer").title == "Clients"


def test_update_element_sets_the_title_on_the_text_being_saved(golden_app):
    ejson = golden_app / "services/CustomerSvc/e.json"
    text = ejson.read_text(encoding="utf-8").replace('"type"', '"x-note": "gardé",\n  "type"', 1)

    update_element(load_project(golden_app), "services.CustomerSvc", title="Service clients", texts={ejson: text})

    data = load_project(golden_app).get("services.CustomerSvc").ejson.doc.data
    assert (data["title"], data["x-note"]) == ("Service clients", "gardé")


def test_update_element_refuses_other_elements_files_and_unparsable_json(golden_app):
    before = tree(golden_app)
    project = load_project(golden_app)
    ejson = golden_app / "services/CustomerSvc/e.json"

    with pytest.raises(OperationError, match="is not a file of models.Customer"):
        update_element(project, "models.Customer", texts={ejson: "{}"})
    with pytest.raises(OperationError, match="fix the file first"):
        update_element(project, "services.CustomerSvc", title="X", texts={ejson: '{"title": '})

    assert tree(golden_app) == before
