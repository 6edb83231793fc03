"""Invalid input shows its message inline, keeps Finish disabled and writes nothing."""
import json
import os

from jitstudio.project import create_model, load_project
from jitstudio.qt.wizards import CustomEventWizard, ModelEventWizard, NewModelWizard, NewServiceWizard
from qt_helpers import choose, click, show_dialog, type_into


def _snapshot(root):
    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _, files in os.walk(root) for f in files)


def test_bad_names_are_explained_and_nothing_is_written(qtbot, project, shop):
    before = _snapshot(shop)
    wizard = show_dialog(qtbot, ModelEventWizard, project)
    assert not wizard.finish.isEnabled()
    assert wizard.message.text() == ""  # an empty name is the starting state, not an error to shout about
    type_into(qtbot, wizard.name, "1stEvent")
    assert "not a valid name" in wizard.message.text()
    assert not wizard.finish.isEnabled()
    type_into(qtbot, wizard.name, "FillOrderNo")
    assert "events.FillOrderNo already exists" in wizard.message.text()
    assert not wizard.finish.isEnabled()
    type_into(qtbot, wizard.name, "class")
    assert "keyword" in wizard.message.text()
    wizard._finish()
    assert _snapshot(shop) == before


def test_before_event_cannot_be_async(qtbot, project, shop):
    wizard = show_dialog(qtbot, ModelEventWizard, project)
    type_into(qtbot, wizard.name, "EarlyAsync")
    choose(wizard.form.operate, "AddBefore")
    click(qtbot, wizard.execution.async_radio)
    assert "cannot be asynchronous" in wizard.message.text()
    assert not wizard.finish.isEnabled()
    click(qtbot, wizard.execution.sync_radio)
    assert wizard.finish.isEnabled()
    assert not (shop / "events" / "EarlyAsync").exists()


def test_specific_fields_need_a_field_and_filters_must_parse(qtbot, project, shop):
    wizard = show_dialog(qtbot, ModelEventWizard, project)
    type_into(qtbot, wizard.name, "Picky")
    choose(wizard.form.model, "models.Order")
    click(qtbot, wizard.form.some_fields)
    assert "pick at least one field" in wizard.message.text()
    wizard.form.fields.check("amount")
    assert wizard.finish.isEnabled()
    type_into(qtbot, wizard.form.filter.text_edit, "Q(Q('amount', '>', )")
    qtbot.waitUntil(lambda: "filter" in wizard.message.text())
    assert not wizard.finish.isEnabled()
    assert not wizard.form.filter.root_group.isEnabled()  # rows wait until the text parses
    type_into(qtbot, wizard.form.filter.text_edit, "Q(Q('amout', '>', 100))")
    qtbot.waitUntil(lambda: "did you mean 'amount'" in wizard.message.text())
    type_into(qtbot, wizard.form.filter.text_edit, "Q(Q('amount', '>', 100), Q.OR, Q('status', 'in', ['paid', 'shipped']))")
    qtbot.waitUntil(wizard.finish.isEnabled)
    rows = wizard.form.filter.root_group.findChildren(type(wizard.form.filter.text_edit), "qValue")
    assert [r.text() for r in rows] == ["100", "paid, shipped"]
    assert wizard.form.filter.root_group.connector.currentData() == "OR"
    assert not (shop / "events" / "Picky").exists()


def test_nothing_to_subscribe_to(qtbot, tmp_path):
    root = tmp_path / "empty"
    root.mkdir()
    (root / "app.json").write_text(json.dumps({"name": "empty"}))
    project = load_project(root)
    model_wizard = show_dialog(qtbot, ModelEventWizard, project)
    type_into(qtbot, model_wizard.name, "Anything")
    assert "no model to subscribe to" in model_wizard.message.text()
    assert not model_wizard.finish.isEnabled()
    custom = show_dialog(qtbot, CustomEventWizard, project)
    type_into(qtbot, custom.name, "Anything")
    assert "No service declares an event" in custom.message.text()
    assert not custom.finish.isEnabled()
    create_model(root, "Thing")
    assert not (root / "events").exists()


def test_model_and_service_forms(qtbot, project, shop):
    model = show_dialog(qtbot, NewModelWizard, project)
    type_into(qtbot, model.name, "Invoice")
    click(qtbot, model.fields.add_button)
    assert "needs a name" in model.message.text()
    model.fields.set_cell(0, "name", "total")
    model.fields.set_cell(0, "datatype", "Money")
    click(qtbot, model.fields.add_button)
    model.fields.set_cell(1, "name", "total")
    assert "appears twice" in model.message.text()
    model.fields.set_cell(1, "name", "dueDate")
    model.fields.set_cell(1, "datatype", "Date")
    click(qtbot, model.finish)
    text = (shop / "models/Invoice/model.py").read_text()
    assert "total = datatypes.Money(" in text and "dueDate = datatypes.Date(" in text

    service = show_dialog(qtbot, NewServiceWizard, project)
    type_into(qtbot, service.name, "BillingSvc")
    click(qtbot, service.functions.add_button)
    service.functions.set_cell(0, "name", "bill")
    service.functions.set_cell(0, "args", "invoiceId, 2nd")
    assert "parameter '2nd'" in service.message.text()
    service.functions.set_cell(0, "args", "invoiceId")
    click(qtbot, service.events.add_button)
    service.events.set_cell(0, "name", "invoiceBilled")
    click(qtbot, service.finish)
    data = json.loads((shop / "services/BillingSvc/e.json").read_text())
    assert data["eventDescs"][0]["name"] == "invoiceBilled"
    assert "def bill(self, invoiceId):" in (shop / "services/BillingSvc/service.py").read_text()
    assert load_project(shop).errors == []
