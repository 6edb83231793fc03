"""The palette: the statements a function can be built from, by category. Clicking one inserts it at
the selected position; dragging one drops it where it is let go."""
from __future__ import annotations

import json
from typing import Any, Callable

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtWidgets import QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from ...codesync import CardKind
from ._card_list import NEW_CARD_MIME
from ._catalog import MODEL_OPERATION_ARGS, MODEL_OPERATION_TITLES, EditorCatalog, fresh_name
from ._kinds import kind_icon

SPEC_ROLE = Qt.ItemDataRole.UserRole + 1


def _leaf(parent: QTreeWidgetItem, text: str, factory: Callable[[set[str]], tuple[str, dict]],
          tip: str = "", kind: CardKind | None = None) -> QTreeWidgetItem:
    item = QTreeWidgetItem(parent, [text])
    item.setData(0, SPEC_ROLE, factory)
    item.setToolTip(0, tip)
    if kind is not None:
        item.setIcon(0, kind_icon(kind, 16))
    return item


class _PaletteTree(QTreeWidget):
    def __init__(self, palette: "StatementPalette"):
        super().__init__()
        self.palette_ = palette
        self.setHeaderHidden(True)
        self.setDragEnabled(True)
        self.setDragDropMode(QTreeWidget.DragDropMode.DragOnly)
        self.setIndentation(14)
        self.setIconSize(QSize(18, 18))
        self.setUniformRowHeights(True)

    def mimeTypes(self) -> list[str]:
        return [NEW_CARD_MIME]

    def mimeData(self, items) -> QMimeData:
        mime = QMimeData()
        spec = self.palette_.spec_of(items[0]) if items else None
        if spec is not None:
            kind, fields = spec
            mime.setData(NEW_CARD_MIME, json.dumps({"kind": kind, "fields": fields}).encode())
        return mime


class StatementPalette(QWidget):
    """`sig_insert(kind, fields)` when a statement is clicked."""

    sig_insert = Signal(str, object)

    def __init__(self, catalog: EditorCatalog, taken_names: Callable[[], set[str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("palette")
        self.catalog = catalog
        self.taken_names = taken_names
        self.search = QLineEdit(placeholderText="Search statements…", clearButtonEnabled=True)
        self.tree = _PaletteTree(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        self.search.textChanged.connect(self._filter)
        self.tree.itemClicked.connect(self._clicked)
        self._fill()

    def _category(self, title: str, kind: CardKind) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree, [title])
        item.setIcon(0, kind_icon(kind, 18))
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDragEnabled)
        return item

    def _fill(self) -> None:
        catalog = self.catalog
        services = self._category("Service", CardKind.SERVICE_CALL)
        for entry in catalog.services:
            group = QTreeWidgetItem(services, [entry.title])
            group.setToolTip(0, entry.full_name)
            for signature in entry.functions:
                tip = ", ".join(a.name + ("*" if a.required else "") for a in signature.args)
                _leaf(group, signature.title or signature.name,
                      lambda taken, s=signature: ("service_call", catalog.service_call_fields(s, taken)),
                      f"{signature.full_name}({tip})")
        models = self._category("Model", CardKind.MODEL_OP)
        for model in catalog.models:
            group = QTreeWidgetItem(models, [model.title])
            group.setToolTip(0, model.full_name)
            for operation in MODEL_OPERATION_ARGS:
                _leaf(group, MODEL_OPERATION_TITLES[operation],
                      lambda taken, m=model.full_name, o=operation: ("model_op", catalog.model_op_fields(m, o, taken)),
                      f"{model.full_name}.{operation}")
        flow = self._category("Flow", CardKind.IF)
        _leaf(flow, "If / else", lambda taken: ("if", {"condition": "True"}), "if …:", CardKind.IF)
        _leaf(flow, "For each", lambda taken: ("for_each", {"target": fresh_name("item", taken), "iterable": "[]"}),
              "for item in …:", CardKind.FOR_EACH)
        _leaf(flow, "Repeat while", lambda taken: ("while", {"condition": "False"}), "while …:", CardKind.WHILE)
        _leaf(flow, "Stop the loop", lambda taken: ("break", {}), "break: leave the loop it is in", CardKind.BREAK)
        _leaf(flow, "Next round", lambda taken: ("continue", {}), "continue: skip to the loop's next round",
              CardKind.CONTINUE)
        _leaf(flow, "Try / except", lambda taken: ("try", {}), "try: … except Exception: …", CardKind.TRY)
        _leaf(flow, "With", lambda taken: ("with", {"items": "open(path) as fh"}), "with … as …:", CardKind.WITH)
        _leaf(flow, "Check", lambda taken: ("assert", {"condition": "True", "message": '""'}),
              "assert …: stop with an error when it does not hold", CardKind.ASSERT)
        _leaf(flow, "Do nothing", lambda taken: ("pass", {}), "pass", CardKind.PASS)
        _leaf(flow, "Return", lambda taken: ("return", {}), "return …", CardKind.RETURN)
        _leaf(flow, "Raise an error", lambda taken: ("raise", {"exception": 'ValueError("")'}),
              "raise …: stops the function (and a Before event's write)", CardKind.RAISE)
        variables = self._category("Variables", CardKind.ASSIGN)
        _leaf(variables, "Set a variable", lambda taken: ("assign", {"target": fresh_name("value", taken), "value": "None"}),
              "name = value", CardKind.ASSIGN)
        _leaf(variables, "Change a variable", lambda taken: ("aug_assign", {
            "target": next(iter(sorted(taken)), "total"), "operator": "+=", "value": "1"}),
            "name += value", CardKind.AUG_ASSIGN)
        events = self._category("Event", CardKind.PUBLISH)
        for sender, title in catalog.declared_events():
            _leaf(events, title, lambda taken, s=sender: ("publish", {"sender": json.dumps(s), "args": "()"}),
                  f"app.event.publish(sender={sender!r})", CardKind.PUBLISH)
        if not catalog.declared_events():
            QTreeWidgetItem(events, ["No events declared in services"]).setDisabled(True)
        message = self._category("Message", CardKind.MESSAGE)
        _leaf(message, "Send notification",
              lambda taken: ("message", {"title": '""', "content": '""', "receivers": "[]"}),
              "app.message.send(title, content, receivers)", CardKind.MESSAGE)
        log = self._category("Log", CardKind.LOG)
        for level in ("info", "warning", "error"):
            _leaf(log, f"Log {level}", lambda taken, lv=level: ("log", {"level": lv, "args": {"0": '""'}}),
                  f"log.{level}(…)", CardKind.LOG)
        code = self._category("Code", CardKind.CODE)
        _leaf(code, "Call a function", lambda taken: ("call", {"callee": "print", "args": {"0": '""'}}),
              "any function or method call", CardKind.CALL)
        _leaf(code, "Description", lambda taken: ("docstring", {"text": "What this function does."}),
              "a docstring", CardKind.DOCSTRING)
        _leaf(code, "Python statement", lambda taken: ("code", {"code": "pass"}), "any statement", CardKind.CODE)
        for index in range(self.tree.topLevelItemCount()):
            self.tree.topLevelItem(index).setExpanded(index in (0, 2))
        if services.childCount():
            services.child(0).setExpanded(True)

    def set_catalog(self, catalog: EditorCatalog) -> None:
        self.catalog = catalog
        self.tree.clear()
        self._fill()
        self._filter(self.search.text())

    def spec_of(self, item: QTreeWidgetItem) -> tuple[str, dict[str, Any]] | None:
        factory = item.data(0, SPEC_ROLE)
        return factory(self.taken_names()) if callable(factory) else None

    def find(self, *path: str) -> QTreeWidgetItem | None:
        """The item reached by following titles from the top (e.g. "Service", "Message service", …)."""
        items = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        found = None
        for title in path:
            found = next((i for i in items if i.text(0) == title), None)
            if found is None:
                return None
            items = [found.child(i) for i in range(found.childCount())]
        return found

    def _clicked(self, item: QTreeWidgetItem) -> None:
        spec = self.spec_of(item)
        if spec is None:
            item.setExpanded(not item.isExpanded())
            return
        self.sig_insert.emit(*spec)

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()

        def visit(item: QTreeWidgetItem) -> bool:
            children = [visit(item.child(i)) for i in range(item.childCount())]
            shown = not needle or needle in item.text(0).lower() or needle in item.toolTip(0).lower() or any(children)
            item.setHidden(not shown)
            if needle and any(children):
                item.setExpanded(True)
            return shown

        for index in range(self.tree.topLevelItemCount()):
            visit(self.tree.topLevelItem(index))
