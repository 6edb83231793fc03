"""Render the IDE's screenshots to docs/screenshots/*.png, offscreen, on a copy of the Shop example.

    python scripts/screenshots.py [--out DIR] [--dark]
    python scripts/screenshots.py --sizes [--out DIR]

--sizes renders the main window as it starts (frame and tree first), with an event page, the record browser, the
Data tab and both graph editors, at 1024x700 and 1600x1000, light and dark, as sizes/<view>-<W>x<H>-<theme>.png.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def settle(app: QApplication, rounds: int = 8) -> None:
    for _ in range(rounds):
        app.processEvents()


def grab(widget, path: Path, app: QApplication) -> None:
    settle(app)
    widget.grab().save(str(path))
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def fill_wizards(wizard, key: str) -> None:
    """Typical input, so each screenshot shows the wizard as someone fills it in."""
    from jitstudio.qt.widgets.forms import select_data

    names = {"event:model": "OrderShipped", "event:workflow": "FinanceReached", "event:normal": "ReserveStock",
             "event:assistant": "AgentAnswered", "event:agent": "RefundToolCalled", "model": "Invoice",
             "service": "BillingSvc", "workflow": "InvoiceApproval", "agent": "BillingAgent", "assistant": "HelpDesk"}
    wizard.name.setText(names[key])
    form = getattr(wizard, "form", None)
    if key == "event:model":
        wizard.title_edit.setText("Tell the customer their order shipped")
        select_data(form.model, "models.Order")
        select_data(form.operate, "UpdateAfter")
        form.some_fields.setChecked(True)
        form.fields.check("status")
        form.filter.set_text("Q(Q('status', '=', 'shipped'), Q.AND, Q('amount', '>', 0))")
        wizard.execution.set_async(True)
    elif key == "event:workflow":
        select_data(form.operate, "NodeChange")
        form.trigger_nodes.check("before.financeApproval")
    elif key == "event:normal":
        wizard.function.set_service("services.OrderSvc.onOrderPaid")
    elif key == "event:assistant":
        select_data(form.level, "node")
        select_data(form.node, "orderAgent")
        select_data(form.node_operate, "afterNodeRun")
    elif key == "event:agent":
        select_data(form.stage, "postEvent")
        form.functions.check("refundOrder")
        wizard.function.set_service("services.OrderSvc.logAgentTool")
    elif key == "model":
        for name, title, kind in (("number", "Invoice number", "Stext"), ("total", "Total", "Money"), ("dueDate", "Due date", "Date")):
            wizard.fields.add_row({"name": name, "title": title, "datatype": kind})
    elif key == "service":
        wizard.functions.add_row({"name": "bill", "title": "Bill an order", "args": "orderId"})
        wizard.events.add_row({"name": "invoiceBilled", "title": "Invoice billed", "desc": "Published by bill"})


def function_editor_shots(project, out: Path, app: QApplication) -> None:
    """The function editor on its own, in both views, with a card selected."""
    from jitstudio.qt.funceditor import QtFunctionEditor

    event = project.get("events.OrderPaidNotify")
    editor = QtFunctionEditor(project, event.inner_path, event_kind=event.event_type,
                              model_fields=project.get("models.Order").field_names)
    editor.resize(1180, 820)
    editor.show()
    selected = next(card for card in editor.doc.walk() if card.fields.get("target") == "receivers")
    editor.cards_view.select(selected.id)
    grab(editor, out / "function-editor-visual.png", app)
    editor.set_mode("code")
    grab(editor, out / "function-editor-code.png", app)
    editor.close()


SIZES = ((1024, 700), (1600, 1000))


def wait_for(app: QApplication, done, seconds: float = 30.0) -> bool:
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if done():
            return True
        settle(app, 2)
        time.sleep(0.02)
    return False


def data_tab_shot(window, app: QApplication, path: Path) -> None:
    """The Order model's Data tab after a few rows were added and one was paid: the rows and what it fired."""
    from jitstudio.qt.data.tab import QtDataTab

    page = window.open_element("models.Order")
    tab = page.findChild(QtDataTab)
    page.tabs.setCurrentWidget(tab)
    wait_for(app, lambda: tab.rows is not None and not tab.rows.is_loading())
    if not tab.rows.rows:
        for customer, amount in ((7, 120.0), (12, 39.9), (7, 15.25), (31, 480.0)):
            tab.create_row({"customerId": customer, "amount": amount, "status": "draft", "note": "from the Data tab"})
            wait_for(app, lambda: tab.client.is_ready() and not tab.client._answers)
        tab.reload()
        wait_for(app, lambda: len(tab.rows.rows) >= 4 and not tab.rows.is_loading())
    status = next(n for n, f in enumerate(tab.rows.fields) if f["name"] == "status")
    draft = next((n for n, row in enumerate(tab.rows.rows) if row["status"] == "draft"), 0)
    tab.rows.setData(tab.rows.index(draft, status), "paid")
    wait_for(app, lambda: "waiting" not in tab.strip.title.text() and "Edited" in tab.strip.title.text())
    tab.table.selectRow(draft)
    grab(window, path, app)


def graph_shots(window, app: QApplication, workflow_path: Path, assistant_path: Path) -> None:
    """The refund workflow with an approval node in the inspector, and the shop assistant after a live turn
    (run from the Graph tab, order 1 from the Data tab's rows) with the run drawn on it."""
    page = window.open_element("workflows.RefundApproval")
    editor = page.tabs.widget(0)
    editor.scene.select(["managerApproval"])
    grab(window, workflow_path, app)
    page = window.open_element("aiassistants.ShopAssistant")
    editor = page.tabs.widget(0)
    runner = editor.runs.start_turn("What is the status of order 1?", {"orderId": 1})
    wait_for(app, lambda: runner is not None and not runner.is_running() and editor.runs.live_button.isEnabled(), 60)
    editor.scene.select(["lookupOrder"])
    grab(window, assistant_path, app)


def size_shots(app: QApplication, shop: Path, work: Path, out: Path) -> None:
    from jitstudio.qt.main_window import MainWindow
    from jitstudio.qt.settings import Settings
    from jitstudio.qt.theme import apply_theme

    out.mkdir(parents=True, exist_ok=True)
    for dark in (False, True):
        apply_theme(app, dark=dark)
        theme = "dark" if dark else "light"
        for width, height in SIZES:
            window = MainWindow(Settings(QSettings(str(work / f"settings-{theme}-{width}.ini"), QSettings.Format.IniFormat)))
            window.resize(width, height)
            window.show()
            window.open_app(shop, wait=False)
            grab(window, out / f"starting-{width}x{height}-{theme}.png", app)
            window.open_app(shop, wait=True)
            window.open_element("events.OrderPaidNotify")
            grab(window, out / f"event_page-{width}x{height}-{theme}.png", app)
            window.open_page("records:*")
            for _ in range(40):
                settle(app)
            grab(window, out / f"records-{width}x{height}-{theme}.png", app)
            data_tab_shot(window, app, out / f"data_tab-{width}x{height}-{theme}.png")
            graph_shots(window, app, out / f"workflow_graph-{width}x{height}-{theme}.png",
                        out / f"assistant_graph-{width}x{height}-{theme}.png")
            window.tabs.close_all()
            window.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--sizes", action="store_true", help="the start-up, event page, records and data tab views at two sizes, both themes")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    work = Path(tempfile.mkdtemp(prefix="jitstudio-shots-"))
    app = QApplication.instance() or QApplication(["jitstudio"])
    from jitstudio.cli._project import examples_dir
    from jitstudio.qt.main_window import MainWindow
    from jitstudio.qt.settings import Settings
    from jitstudio.qt.theme import apply_theme
    from jitstudio.qt.wizards import WIZARDS

    apply_theme(app, dark=args.dark)
    shop = work / "Projects" / "shop"
    shutil.copytree(examples_dir() / "shop", shop, ignore=shutil.ignore_patterns(".jitstudio", "__pycache__"))
    if args.sizes:
        try:
            size_shots(app, shop, work, out / "sizes")
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return 0
    try:
        window = MainWindow(Settings(QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat)))
        window.settings.add_recent(shop)
        window.resize(1400, 880)
        window.show_welcome()
        window.show()
        grab(window, out / "welcome.png", app)

        window.open_app(shop, wait=True)
        window.open_element("models.Order")
        window.open_element("services.OrderSvc")
        window.open_element("events.FillOrderNo")
        grab(window, out / "main_window.png", app)
        page = window.open_element("events.OrderPaidNotify")
        grab(window, out / "event_page.png", app)
        window.resize(1400, 1040)
        page.show_test_run()
        page.test_panel.status.setText("Edit the payload and press Run: the event runs in a separate runtime process.")
        grab(window, out / "test_run.png", app)
        window.resize(1400, 880)

        data_tab_shot(window, app, out / "data_tab.png")
        graph_shots(window, app, out / "workflow_graph.png", out / "assistant_graph.png")
        window.open_function("services.OrderSvc", "auditChange")
        grab(window, out / "service_function.png", app)
        function_editor_shots(window.project, out, app)

        for key, cls in WIZARDS.items():
            wizard = cls(window.project, window)
            fill_wizards(wizard, key)
            wizard.resize(720, max(wizard.sizeHint().height(), 420))
            wizard.show()
            grab(wizard, out / f"wizard_{key.replace(':', '_')}.png", app)
            wizard.close()
        window.tabs.close_all()
        window.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
