"""The service page's Functions and Declared events sections: tables with the buttons that add, edit, rename
and remove through the forms of `service_forms`. A function whose entry or method is missing is marked, with a
one-click fix."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from ...project import ServiceElement
from ...project import service_edits as edits
from .service_forms import EventDescForm, FunctionForm

if TYPE_CHECKING:
    from .element_pages import QtElementPage as ServiceHost  # the page writes, reloads and asks the user

NAME_ROLE = Qt.ItemDataRole.UserRole + 3
STATE_ROLE = Qt.ItemDataRole.UserRole + 4
LISTED, NO_METHOD, UNLISTED = "listed", "no-method", "unlisted"
STATE_TEXT = {LISTED: "yes", NO_METHOD: "⚠ missing: no method", UNLISTED: "⚠ not in functionList"}
STATE_TIPS = {
    NO_METHOD: "functionList declares it but service.py has no such method: calls fail. Add method writes a stub.",
    UNLISTED: "service.py has the method but functionList does not declare it: nothing outside can call it.",
}


def _section(text: str) -> QLabel:
    return QLabel(text, objectName="sectionTitle")


def _button(text: str, name: str, tip: str) -> QPushButton:
    button = QPushButton(text, objectName=name, enabled=False)
    button.setToolTip(tip)
    return button


def _table(name: str, headers: list[str], rows: int) -> QTreeWidget:
    """Columns sized to their contents but the last, which takes the rest and elides: no sideways scrolling."""
    view = QTreeWidget(rootIsDecorated=False, uniformRowHeights=True, alternatingRowColors=True, objectName=name)
    view.setHeaderLabels(headers)
    view.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.header().setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setMinimumHeight(view.fontMetrics().height() * (rows + 2) + 8)
    return view


def _fit_rows(view: QTreeWidget, most: int) -> None:
    """Tall enough to show its rows without scrolling, up to `most` of them."""
    rows = min(max(view.topLevelItemCount(), 2), most)
    row = view.sizeHintForRow(0) if view.topLevelItemCount() else view.fontMetrics().height() + 4
    view.setMinimumHeight(view.header().sizeHint().height() + row * rows + 2 * view.frameWidth() + 4)


def _args_text(args) -> str:
    return ", ".join(f"{a.name}: {a.dataType}" for a in args)


class FunctionsPanel(QWidget):
    """functionList entries and the public methods of service.py, one row per name."""

    def __init__(self, host: "ServiceHost", parent: QWidget | None = None):
        super().__init__(parent)
        self.host = host
        assert isinstance(host.element, ServiceElement)
        self.service = service = host.element
        self.view = _table("serviceFunctions", ["Function", "In service.py", "Title", "Returns", "Parameters"], 6)
        missing = set(edits.methods_missing(service))
        for name, fn in service.functions.items():
            state = NO_METHOD if name in missing else LISTED
            self._add_row(name, [name, STATE_TEXT[state], fn.title, fn.returnType or "", _args_text(fn.args)], state)
        for name in edits.unlisted_methods(service):
            method = service.methods[name]
            self._add_row(name, [name, STATE_TEXT[UNLISTED], "", "", ", ".join(method.params)], UNLISTED)
        _fit_rows(self.view, 10)
        self.add_button = _button("Add function…", "addFunctionButton", "Add a function: its functionList entry and its method")
        self.add_button.setEnabled(service.valid)
        self.edit_entry_button = _button("Edit…", "editFunctionEntryButton", "Rename the function or change its parameters, return type and description")
        self.remove_button = _button("Remove", "removeFunctionButton", "Remove the function from functionList and its method from service.py")
        self.fix_button = _button("Add method", "fixFunctionButton", "")
        self.fix_button.hide()
        self.open_button = _button("Edit function", "editFunctionButton", "Open the selected function in the function editor (or double-click it)")
        open_action = QAction("Edit function", self.view)
        open_action.triggered.connect(self.open_selected)
        self.view.addAction(open_action)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.add_button.clicked.connect(self.add_function)
        self.edit_entry_button.clicked.connect(self.edit_entry)
        self.remove_button.clicked.connect(self.remove_selected)
        self.fix_button.clicked.connect(self.fix_selected)
        self.open_button.clicked.connect(self.open_selected)
        self.view.itemActivated.connect(lambda _item, _col: self.open_selected())
        self.view.currentItemChanged.connect(lambda _new, _old: self._selection_changed())
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(_section("Functions"))
        head.addStretch(1)
        for button in (self.add_button, self.edit_entry_button, self.remove_button, self.fix_button, self.open_button):
            head.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.view, 1)

    def _add_row(self, name: str, cells: list[str], state: str) -> None:
        item = QTreeWidgetItem([str(c) for c in cells])
        item.setData(0, NAME_ROLE, name)
        item.setData(0, STATE_ROLE, state)
        item.setToolTip(len(cells) - 1, cells[-1])
        if state != LISTED:
            font = QFont(item.font(1))
            font.setBold(True)
            item.setFont(1, font)
            for col in range(len(cells)):
                item.setToolTip(col, STATE_TIPS[state])
        self.view.addTopLevelItem(item)

    def selected(self) -> tuple[str | None, str | None]:
        item = self.view.currentItem()
        return (item.data(0, NAME_ROLE), item.data(0, STATE_ROLE)) if item else (None, None)

    def select(self, name: str) -> None:
        for i in range(self.view.topLevelItemCount()):
            item = self.view.topLevelItem(i)
            if item is not None and item.data(0, NAME_ROLE) == name:
                self.view.setCurrentItem(item)

    def _selection_changed(self) -> None:
        name, state = self.selected()
        self.open_button.setEnabled(name is not None)
        self.edit_entry_button.setEnabled(state in (LISTED, NO_METHOD))
        self.remove_button.setEnabled(state in (LISTED, NO_METHOD))
        self.fix_button.setVisible(state in (NO_METHOD, UNLISTED))
        self.fix_button.setEnabled(state in (NO_METHOD, UNLISTED))
        self.fix_button.setText("Add to functionList…" if state == UNLISTED else "Add method")
        self.fix_button.setToolTip(STATE_TIPS.get(state or "", ""))

    # -- actions

    def _entry(self, name: str) -> dict:
        doc = self.service.ejson.doc
        entries = doc.get("/functionList") if doc else None
        return next((dict(e) for e in entries or [] if isinstance(e, dict) and e.get("name") == name), {"name": name})

    def add_function(self) -> None:
        service_name = self.service.full_name

        def submit(entry: dict) -> str | None:
            return self.host.apply_service_edit(lambda project: edits.add_function(project, service_name, entry))

        form = FunctionForm(self.service, submit, parent=self.host)
        if self.host.run_form(form):
            self.host.edit_function(form.value()["name"])

    def edit_entry(self) -> None:
        name, state = self.selected()
        if name is None or state not in (LISTED, NO_METHOD):
            return
        service_name = self.service.full_name
        editor = self.host.function_tab.editor
        was_open = editor is not None and editor.function == name

        def submit(entry: dict) -> str | None:
            if entry["name"] != name:
                self.host.function_tab.forget(name)
            return self.host.apply_service_edit(lambda project: edits.update_function(project, service_name, name, entry))

        form = FunctionForm(self.service, submit, self._entry(name), parent=self.host)
        if self.host.run_form(form) and was_open:
            self.host.edit_function(form.value()["name"])

    def remove_selected(self) -> None:
        name, state = self.selected()
        if name is None or state not in (LISTED, NO_METHOD):
            return
        service = self.service
        users = edits.function_users(self.host.project, service.full_name, name)
        text = f"Remove {name} from {service.name}'s functionList" + (" and its method from service.py?" if state == LISTED else "?")
        if users:
            text += f"\n\nStill named by {', '.join(users)}: they will fail until you change them."
        if not self.host.ask(self.host, f"Remove {name}", text):
            return
        self.host.function_tab.forget(name)
        reason = self.host.apply_service_edit(lambda project: edits.remove_function(project, service.full_name, name))
        if reason:
            self.host.report(f"Could not remove {name}: {reason}")

    def fix_selected(self) -> None:
        name, state = self.selected()
        if name is None:
            return
        if state == NO_METHOD:
            self._add_method(name)
        elif state == UNLISTED:
            service_name = self.service.full_name

            def submit(entry: dict) -> str | None:
                return self.host.apply_service_edit(lambda project: edits.list_method(project, service_name, entry))

            self.host.run_form(FunctionForm(self.service, submit, fixed_name=name, parent=self.host))

    def _add_method(self, name: str) -> bool:
        service_name = self.service.full_name
        reason = self.host.apply_service_edit(lambda project: edits.add_missing_method(project, service_name, name))
        if reason:
            self.host.report(f"Could not add the method {name}: {reason}")
        return reason is None

    def open_selected(self) -> None:
        name, state = self.selected()
        if name is None:
            return
        if state == NO_METHOD:
            question = f"service.py has no method {name}. Write one with the parameters functionList declares, and open it?"
            if not self.host.ask(self.host, f"Create {name}", question) or not self._add_method(name):
                return
        self.host.edit_function(name)


class EventDescsPanel(QWidget):
    """The events the service declares (eventDescs) and how many custom events subscribe to each."""

    def __init__(self, host: "ServiceHost", parent: QWidget | None = None):
        super().__init__(parent)
        self.host = host
        assert isinstance(host.element, ServiceElement)
        self.service = service = host.element
        self.view = _table("eventDescs", ["Event", "Title", "Subscribed by", "Description"], 3)
        for desc in (service.spec.eventDescs if service.spec else []):
            users = [e.name for e in edits.event_desc_subscribers(host.project, service.full_name, desc.name)]
            item = QTreeWidgetItem([desc.name, desc.title, ", ".join(users) or "none", desc.desc or ""])
            item.setToolTip(3, desc.desc or "")
            item.setData(0, NAME_ROLE, desc.name)
            self.view.addTopLevelItem(item)
        _fit_rows(self.view, 5)
        self.add_button = _button("Declare event…", "declareEventButton", "Declare a custom event the service publishes")
        self.add_button.setEnabled(service.valid)
        self.edit_button = _button("Edit…", "editEventButton", "Rename the event or change its title and description")
        self.remove_button = _button("Remove", "removeEventButton", "Remove the event from eventDescs")
        self.add_button.clicked.connect(self.declare)
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.view.itemActivated.connect(lambda _item, _col: self.edit_selected())
        self.view.currentItemChanged.connect(lambda item, _old: self._selection_changed(item))
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(_section("Declared events (eventDescs)"))
        head.addStretch(1)
        for button in (self.add_button, self.edit_button, self.remove_button):
            head.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.view, 1)

    def _selection_changed(self, item: QTreeWidgetItem | None) -> None:
        self.edit_button.setEnabled(item is not None)
        self.remove_button.setEnabled(item is not None)

    def selected(self) -> str | None:
        item = self.view.currentItem()
        return item.data(0, NAME_ROLE) if item else None

    def select(self, name: str) -> None:
        for i in range(self.view.topLevelItemCount()):
            item = self.view.topLevelItem(i)
            if item is not None and item.data(0, NAME_ROLE) == name:
                self.view.setCurrentItem(item)

    def declare(self) -> None:
        service_name = self.service.full_name
        self.host.run_form(EventDescForm(self.service, lambda desc: self.host.apply_service_edit(
            lambda project: edits.add_event_desc(project, service_name, desc)), parent=self.host))

    def edit_selected(self) -> None:
        name = self.selected()
        if name is None:
            return
        service = self.service
        desc = next((d.model_dump(exclude_none=True) for d in service.spec.eventDescs if d.name == name), {"name": name})
        self.host.run_form(EventDescForm(service, lambda new: self.host.apply_service_edit(
            lambda project: edits.update_event_desc(project, service.full_name, name, new)), desc, parent=self.host))

    def remove_selected(self) -> None:
        name = self.selected()
        if name is None:
            return
        service = self.service
        users = [e.full_name for e in edits.event_desc_subscribers(self.host.project, service.full_name, name)]
        text = f"Remove the event {name} from {service.name}'s eventDescs?"
        if users:
            text += f"\n\n{', '.join(users)} subscribe to it and will be reported as broken until you change them."
        if not self.host.ask(self.host, f"Remove {name}", text):
            return
        reason = self.host.apply_service_edit(lambda project: edits.remove_event_desc(project, service.full_name, name))
        if reason:
            self.host.report(f"Could not remove {name}: {reason}")
