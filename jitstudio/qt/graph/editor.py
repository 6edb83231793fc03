"""The graph editor of a workflow or an assistant: palette, canvas and inspector over its config.json.

The text of config.json, in the page's JSON tab, is the truth. Every edit made on the canvas or in the inspector
becomes the smallest change to that text, made in the JSON tab's document as one step of its undo history and
written to disk at once; so the canvas, the inspector and the JSON tab share one history, and undo goes back
through all of them. Whatever changes the text (typing in the JSON tab, undo, the file changing on disk) redraws
the canvas; text that is not JSON shows its error and leaves the last good drawing, read-only."""
from __future__ import annotations

import json
from html import escape
from typing import Callable

from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent, QKeySequence, QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QSplitter, QToolButton, QVBoxLayout, QWidget

from ...project import Project
from ...project.graph import ASSISTANT, CHOOSING_TYPES, WORKFLOW, Graph, read_graph, type_title
from ...project.graph_checks import Mark, drawing_warnings, node_events, problem_marks
from ...project.graph_edits import (
    add_node, connect, copy_fragment, delete_items, delete_value, move_nodes, node_kinds, paste_fragment,
    set_value,
)
from ...project.graph_layout import layered_positions
from ...project.jsondoc import JsonDocument, JsonSyntaxError, pointer_of
from ...project.schemas import EVENTFUL_NODE_TYPES
from ..icons import icon
from ..pages.file_page import FileEditor
from ..theme import is_dark, text_color
from .inspector import QtGraphInspector
from .items import SEVERITY_COLORS, Colors, LinkItem, NodeItem
from .palette import NodePalette, type_icon
from .runs import RunOverlay
from .scene import GraphScene
from .view import GraphView

REDRAW_DELAY_MS = 250
PALETTE_FROM_WIDTH = 1000  # the editor's width from which the palette shows beside the canvas (else: Add node)
PASTE_OFFSET = (40.0, 40.0)
EVENTS_COLOR = "#2f6fdf"


def common_length(a: str, b: str, part: Callable[[str, int], str]) -> int:
    """The length of the longest `part(text, n)` (a prefix or a suffix) that `a` and `b` share; found by
    halving, each test one comparison of whole slices."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if part(a, middle) == part(b, middle):
            low = middle
        else:
            high = middle - 1
    return low


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class QtGraphEditor(QWidget):
    sig_status = Signal(str)
    sig_open_event = Signal(str)  # event fullName
    sig_open_location = Signal(str, int, int)  # path, line, column of a problem
    sig_new_event = Signal(str, dict, str)  # wizard key, what to fill in, node id

    def __init__(self, kind: str, file_editor: FileEditor, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("graphEditor")
        self.kind, self.file = kind, file_editor
        self.code = file_editor.editor
        self.project: Project | None = None
        self.element = None
        self.doc: JsonDocument | None = None
        self.graph = Graph(kind)
        self.error: str | None = None
        self.marks: list[Mark] = []
        self.events: dict[str, list] = {}
        self._events_key: tuple[str, ...] | None = None
        self._events: dict[str, list] = {}
        self._applying = False
        self.scene = GraphScene(kind, Colors.of(is_dark(self.palette())), self)
        self.view = GraphView(self.scene)
        self.palette_list = NodePalette(kind)
        self.inspector = QtGraphInspector()
        self.inspector.setMinimumWidth(240)
        self.banner = QLabel(objectName="graphBanner", wordWrap=True)
        self.banner.setContentsMargins(10, 6, 10, 6)
        self.banner.hide()
        self.run_banner = QLabel(objectName="graphRunBanner", wordWrap=True, openExternalLinks=False)
        self.run_banner.setContentsMargins(10, 4, 10, 4)
        self.run_banner.linkActivated.connect(lambda _link: self.runs.clear())
        self.run_banner.hide()
        self.toolbar = self._toolbar()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.palette_list)
        splitter.addWidget(self.view)
        splitter.addWidget(self.inspector)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(1, False)
        splitter.setSizes([136, 760, 280])
        splitter.setStretchFactor(2, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.banner)
        layout.addWidget(self.run_banner)
        layout.addWidget(splitter, 1)
        self._history_actions()
        self._redraw = QTimer(self, singleShot=True, interval=REDRAW_DELAY_MS)
        self._redraw.timeout.connect(self.refresh)
        self.code.document().contentsChanged.connect(self._text_changed)
        self.scene.sig_moved.connect(self.place_nodes)
        self.scene.sig_connect.connect(self.connect_nodes)
        self.scene.selectionChanged.connect(self._selection_changed)
        self.scene.sig_context_menu.connect(self._context_menu)
        self.scene.sig_badge_clicked.connect(self._badge_clicked)
        self.view.sig_dropped.connect(lambda node_type, at: self.add(node_type, at))
        self.view.sig_key.connect(self._key)
        self.palette_list.sig_add.connect(self.add_in_view)
        self.inspector.sig_set.connect(lambda pointer, value: self.apply(lambda d: set_value(d, pointer, value), f"set {pointer}"))
        self.inspector.sig_delete.connect(lambda pointer: self.apply(lambda d: delete_value(d, pointer), f"removed {pointer}"))
        self.inspector.sig_open_event.connect(self.sig_open_event)
        self.inspector.sig_select_link.connect(self.select_link)
        self._fitted = False
        self._layout: tuple[tuple, dict[str, tuple[float, float]]] | None = None
        self.refresh()

    # -- the toolbar and the keys
    def _toolbar(self) -> QWidget:
        bar = QWidget(objectName="graphToolbar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(8, 4, 8, 4)
        self.buttons: dict[str, QToolButton] = {}
        for name, text, tip, slot in (
            ("fit", "Fit", "Fit the drawing in view (F)", lambda: self.view.fit_all()),
            ("zoom_in", "+", "Zoom in (Ctrl++)", lambda: self.view.zoom_by(1.25)),
            ("zoom_out", "−", "Zoom out (Ctrl+-)", lambda: self.view.zoom_by(0.8)),
            ("layout", "Lay out", "Place every node in layers along the flow, and write the positions", self.lay_out),
            ("snap", "Snap", "Snap nodes to the grid while dragging", None),
            ("delete", "Delete", "Delete the selected nodes and links (Del)", self.delete_selected),
        ):
            button = QToolButton(text=text, toolTip=tip, objectName=f"graph_{name}", autoRaise=True)
            if slot is not None:
                button.clicked.connect(slot)
            row.addWidget(button)
            self.buttons[name] = button
        self.buttons["snap"].setCheckable(True)
        self.buttons["snap"].setChecked(True)
        self.buttons["snap"].toggled.connect(self.scene.set_snap)
        self.add_button = QToolButton(text="Add node", objectName="graph_add", autoRaise=True,
                                      toolTip="Add a node in the middle of the view (or drag one from the palette)",
                                      popupMode=QToolButton.ToolButtonPopupMode.InstantPopup)
        add_menu = QMenu(self.add_button)
        for node_type in node_kinds(self.kind):
            add_menu.addAction(type_icon(node_type), type_title(self.kind, node_type), lambda t=node_type: self.add_in_view(t))
        self.add_button.setMenu(add_menu)
        row.insertWidget(0, self.add_button)
        row.addSpacing(12)
        self.runs = RunOverlay(self)
        row.addWidget(self.runs.button)
        row.addWidget(self.runs.live_button)
        row.addStretch(1)
        self.summary = QLabel(objectName="hint")
        row.addWidget(self.summary)
        return bar

    def _history_actions(self) -> None:
        """Undo and redo for the canvas and its palette: the JSON tab's history (the inspector's fields keep
        their own while they are edited)."""
        self.undo_action = QAction("Undo", self, shortcut=QKeySequence.StandardKey.Undo,
                                   shortcutContext=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.redo_action = QAction("Redo", self, shortcut=QKeySequence.StandardKey.Redo,
                                   shortcutContext=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_action.triggered.connect(self.undo)
        self.redo_action.triggered.connect(self.redo)
        for action in (self.undo_action, self.redo_action):
            self.view.addAction(action)
            self.palette_list.addAction(action)
        document = self.code.document()
        document.undoAvailable.connect(self.undo_action.setEnabled)
        document.redoAvailable.connect(self.redo_action.setEnabled)
        self.undo_action.setEnabled(document.isUndoAvailable())
        self.redo_action.setEnabled(document.isRedoAvailable())

    def _key(self, event: QKeyEvent) -> None:
        actions: list[tuple[QKeySequence.StandardKey | str, Callable[[], object]]] = [
            (QKeySequence.StandardKey.Delete, self.delete_selected), ("Backspace", self.delete_selected),
            (QKeySequence.StandardKey.Copy, self.copy), (QKeySequence.StandardKey.Paste, self.paste),
            (QKeySequence.StandardKey.SelectAll, lambda: self.scene.select(list(self.scene.nodes))),
            (QKeySequence.StandardKey.ZoomIn, lambda: self.view.zoom_by(1.25)), ("Ctrl+=", lambda: self.view.zoom_by(1.25)),
            (QKeySequence.StandardKey.ZoomOut, lambda: self.view.zoom_by(0.8)), ("F", self.view.fit_all),
        ]
        for key, slot in actions:
            if event.matches(key) if isinstance(key, QKeySequence.StandardKey) else \
                    QKeySequence(event.keyCombination()) == QKeySequence(key):
                slot()
                event.accept()
                return
        event.ignore()

    # -- the project around it
    def set_project(self, project: Project, element) -> None:
        """The app as loaded now: the inspector's choices, the problems and events drawn on nodes."""
        self.project, self.element = project, element
        self._events_key = None
        self.inspector.set_context(project, element)
        self._show_marks()

    def config_path(self) -> str:
        return self.file.relative()

    # -- reading the text
    def _text_changed(self) -> None:
        if not self._applying:
            self._redraw.start()

    def refresh(self, doc: JsonDocument | None = None) -> None:
        """Draw what the text holds now (`doc`: the text just written, parsed)."""
        self._redraw.stop()
        try:
            doc = doc or JsonDocument.parse(self.code.text())
            if not isinstance(doc.data, dict):
                raise JsonSyntaxError("config.json must hold an object", 1, 1, 0)
        except JsonSyntaxError as exc:
            self._show_error(f"{self.config_path()}:{exc}")
            return
        self.error = None
        self.banner.hide()
        self._set_editable(True)
        self.doc = doc
        self.graph = read_graph(self.kind, doc.data)
        self.scene.show_graph(self.graph, self._laid_out())
        self._show_marks()
        self.runs.redraw()
        self._selection_changed()
        self.summary.setText(f"{len(self.graph.nodes)} nodes · {len(self.graph.links)} links")
        if not self._fitted and self.isVisible():
            self._fitted = True
            self.view.fit_all()

    def _laid_out(self) -> dict[str, tuple[float, float]]:
        """Places for nodes that carry none, from a layered layout of the graph (kept while its shape is)."""
        if all(node.position is not None for node in self.graph.nodes.values()):
            return {}
        shape = (tuple(self.graph.nodes), tuple((link.source, link.target) for link in self.graph.links))
        if self._layout is None or self._layout[0] != shape:
            self._layout = (shape, layered_positions(self.graph))
        return self._layout[1]

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.palette_list.setVisible(self.width() >= PALETTE_FROM_WIDTH)  # narrower, the canvas needs the room

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._fitted and self.scene.nodes:
            self._fitted = True
            QTimer.singleShot(0, self.view.fit_all)

    def _show_error(self, message: str) -> None:
        self.error = message
        self.banner.setText(f"config.json is not valid JSON, so the drawing is read-only until it is: {message}")
        self.banner.setStyleSheet(f"QLabel#graphBanner {{ color: {text_color('error', self.palette()).name()}; "
                                  "border-bottom: 1px solid palette(mid); }")
        self.banner.show()
        self._set_editable(False)

    def _set_editable(self, editable: bool) -> None:
        self.scene.set_read_only(not editable)
        self.inspector.set_read_only(not editable)
        for widget in (self.buttons["layout"], self.buttons["delete"], self.add_button, self.palette_list):
            widget.setEnabled(editable)

    def show_run_banner(self, text: str) -> None:
        """The run drawn on the canvas, in a line above it with a link that clears it."""
        self.run_banner.setText(f"{escape(text)} &nbsp; <a href='clear'>Clear</a>" if text else "")
        self.run_banner.setVisible(bool(text))

    @property
    def read_only(self) -> bool:
        return self.error is not None or self.doc is None

    # -- marks on the drawing
    def _show_marks(self) -> None:
        if self.doc is None:
            return
        problems = self.project.problems if self.project is not None else []
        self.marks = drawing_warnings(self.graph, self.doc.data) + problem_marks(self.graph, self.doc.data, problems, self.config_path())
        self.events = self._node_events()
        by_node: dict[str, list[Mark]] = {}
        by_link: dict[int, list[Mark]] = {}
        for mark in self.marks:
            what, key = mark.target
            if what == "node":
                by_node.setdefault(str(key), []).append(mark)
            else:
                by_link.setdefault(int(key), []).append(mark)
        for link_item in self.scene.links:
            link_marks = by_link.get(link_item.link.index, [])
            severity = "error" if any(m.severity == "error" for m in link_marks) else "warning" if link_marks else None
            link_item.set_mark(severity, [f"{m.severity}: {m.message}" for m in link_marks])
        for node_id, item in self.scene.nodes.items():
            marks = by_node.get(node_id, [])
            badges = []
            errors = [m for m in marks if m.severity == "error"]
            warnings = [m for m in marks if m.severity != "error"]
            if errors:
                badges.append(("problems", len(errors), SEVERITY_COLORS["error"]))
            if warnings:
                badges.append(("warnings", len(warnings), SEVERITY_COLORS["warning"]))
            if self.events.get(node_id):
                badges.append(("events", len(self.events[node_id]), EVENTS_COLOR))
            item.set_marks(badges, [f"{m.severity}: {m.message}" for m in marks]
                           + [f"event: {e.full_name}" for e in self.events.get(node_id, [])])

    def _node_events(self) -> dict[str, list]:
        """The events at each node, worked out again only when the app or the nodes change (not on a move)."""
        if self.project is None or self.element is None:
            return {}
        key = tuple(self.graph.nodes)
        if self._events_key != key:
            self._events_key, self._events = key, node_events(self.project, self.element, self.graph)
        return self._events

    def marks_of(self, node_id: str) -> list[Mark]:
        return [m for m in self.marks if m.target == ("node", node_id)]

    def _badge_clicked(self, node_id: str, what: str) -> None:
        self.scene.select([node_id])
        if what == "events":
            events = self.events.get(node_id, [])
            if len(events) == 1:
                self.sig_open_event.emit(events[0].full_name)
            else:
                menu = QMenu(self)
                menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                for event in events:
                    menu.addAction(event.full_name, lambda name=event.full_name: self.sig_open_event.emit(name))
                menu.popup(self.view.mapToGlobal(self.view.mapFromScene(self.scene.nodes[node_id].scenePos())))
            return
        marks = [m for m in self.marks_of(node_id) if (m.severity == "error") == (what == "problems")]
        if not marks:
            return
        self.sig_status.emit(f"{node_id}: {marks[0].severity}: {marks[0].message}")
        if marks[0].line:
            self.sig_open_location.emit(str(self.file.path), marks[0].line, marks[0].col)

    # -- edits
    def apply(self, edit: Callable[[JsonDocument], JsonDocument], what: str) -> bool:
        """Make `edit` to the text as one undoable step, write config.json, and redraw; False when refused."""
        if self._redraw.isActive():
            self.refresh()  # text typed in the JSON tab and not drawn yet: edit what the text holds now
        if self.read_only or self.doc is None:
            self.sig_status.emit(f"{self.config_path()} is not valid JSON; fix it in the JSON tab first")
            return False
        try:
            doc = edit(self.doc)
        except (KeyError, ValueError) as exc:
            self.sig_status.emit(f"Could not change the drawing: {exc}")
            return False
        if doc.text == self.doc.text:
            return True
        self._replace_text(self.doc.text, doc.text)
        self.write()
        self.refresh(doc)
        self.sig_status.emit(f"{self.config_path()}: {what}")
        return True

    def _replace_text(self, old: str, new: str) -> None:
        """Replace only the span that differs, so the document's undo step is as small as the change."""
        prefix = common_length(old, new, lambda text, n: text[:n])
        limit = min(len(old), len(new)) - prefix
        suffix = common_length(old[len(old) - limit :], new[len(new) - limit :], lambda text, n: text[len(text) - n :])
        cursor = QTextCursor(self.code.document())
        cursor.setPosition(utf16_length(old[:prefix]))
        cursor.setPosition(utf16_length(old[: len(old) - suffix]), QTextCursor.MoveMode.KeepAnchor)
        self._applying = True
        try:
            cursor.beginEditBlock()
            cursor.insertText(new[prefix : len(new) - suffix])
            cursor.endEditBlock()
        finally:
            self._applying = False

    def write(self) -> None:
        try:
            self.file.save()
        except OSError as exc:
            self.sig_status.emit(f"Could not write {self.config_path()}: {exc}")

    def undo(self) -> None:
        self._history(self.code.document().undo)

    def redo(self) -> None:
        self._history(self.code.document().redo)

    def _history(self, step: Callable[[], None]) -> None:
        self._applying = True
        try:
            step()
        finally:
            self._applying = False
        self.refresh()
        if not self.read_only:
            self.write()

    def place_nodes(self, positions: dict, what: str = "") -> None:
        what = what or (f"moved {', '.join(positions)}" if len(positions) < 4 else f"moved {len(positions)} nodes")
        # self.graph is read from self.doc, which the edit is given unless the text changed since it was drawn
        self.apply(lambda d: move_nodes(self.kind, d, positions, self.graph if d is self.doc else None), what)

    def add(self, node_type: str, at: QPointF) -> str | None:
        added: list[str] = []

        def edit(doc: JsonDocument) -> JsonDocument:
            doc, node_id = add_node(self.kind, doc, node_type, (at.x(), at.y()))
            added.append(node_id)
            return doc

        if self.apply(edit, f"added a {node_type} node") and added:
            self.scene.select(added)
            return added[0]
        return None

    def add_in_view(self, node_type: str) -> str | None:
        """A node added in the middle of what the canvas shows."""
        return self.add(node_type, self.view.mapToScene(self.view.viewport().rect().center()))

    def connect_nodes(self, source: str, target: str, port: str) -> None:
        self.apply(lambda d: connect(self.kind, d, source, target, port), f"linked {source} → {target}")

    def delete_selected(self) -> None:
        nodes, links = self.scene.selected_nodes(), self.scene.selected_links()
        if nodes or links:
            self.apply(lambda d: delete_items(self.kind, d, nodes, links),
                       f"deleted {len(nodes)} node{'s' * (len(nodes) != 1)} and {len(links)} link{'s' * (len(links) != 1)}")

    def lay_out(self) -> None:
        if self._redraw.isActive():
            self.refresh()  # lay out what the text holds now
        self.place_nodes(layered_positions(self.graph), "laid out the nodes")
        self.view.fit_all()

    def copy(self) -> None:
        nodes = self.scene.selected_nodes()
        if nodes and self.doc is not None:
            QGuiApplication.clipboard().setText(json.dumps(copy_fragment(self.kind, self.doc.data, nodes), ensure_ascii=False))
            self.sig_status.emit(f"Copied {len(nodes)} node{'s' * (len(nodes) != 1)}")

    def paste(self) -> None:
        try:
            fragment = json.loads(QGuiApplication.clipboard().text() or "null")
        except ValueError:
            fragment = None
        if not isinstance(fragment, dict):
            self.sig_status.emit("The clipboard holds no nodes to paste")
            return
        pasted: list[str] = []

        def edit(doc: JsonDocument) -> JsonDocument:
            doc, ids = paste_fragment(self.kind, doc, fragment, PASTE_OFFSET)
            pasted.extend(ids)
            return doc

        if self.apply(edit, "pasted nodes"):
            self.scene.select(pasted)

    # -- selection, inspector and menus
    def _selection_changed(self) -> None:
        if self.doc is None:
            return
        nodes, links = self.scene.selected_nodes(), self.scene.selected_links()
        if len(nodes) == 1 and not links:
            self.inspector.show_node(self.kind, nodes[0], self.doc.data)
        elif len(links) == 1 and not nodes:
            self.inspector.show_link(self.kind, links[0], self.doc.data)
        elif nodes or links:
            self.inspector.show_nothing(f"{len(nodes)} nodes and {len(links)} links selected")
        else:
            self.inspector.show_nothing("Select a node or a link to edit it")

    def select_link(self, index: int) -> None:
        self.scene.clearSelection()
        for item in self.scene.links:
            if item.link.index == index:
                item.setSelected(True)
                self.view.ensureVisible(item)

    def _context_menu(self, item, screen_pos) -> None:
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if isinstance(item, NodeItem):
            node_id = item.node_id
            new_event = menu.addAction(icon("plus"), "+ Event…", lambda: self.new_event(node_id))
            new_event.setObjectName("graphNewEvent")
            new_event.setEnabled(self.kind != ASSISTANT or item.node.type in EVENTFUL_NODE_TYPES + ("humanaction",))
            events = self.events.get(node_id, [])
            if events:
                sub = menu.addMenu("Events")
                for event in events:
                    sub.addAction(event.full_name, lambda name=event.full_name: self.sig_open_event.emit(name))
            records = self.runs.records_of(node_id)
            if records:
                menu.addAction("Open what ran here in the record browser",
                               lambda: self.runs.sig_open_record.emit("", records[-1]))
            menu.addSeparator()
            menu.addAction("Copy", self.copy)
        if isinstance(item, LinkItem) and item.source.node.type in CHOOSING_TYPES:
            otherwise = menu.addAction("Else (taken when no condition holds)", lambda: self.set_else(item.link.index, not item.link.is_else))
            otherwise.setCheckable(True)
            otherwise.setChecked(item.link.is_else)
            otherwise.setEnabled(not self.read_only)
        if isinstance(item, (NodeItem, LinkItem)):
            menu.addAction("Delete", self.delete_selected).setEnabled(not self.read_only)
        menu.addAction("Paste", self.paste).setEnabled(not self.read_only)
        menu.addAction("Fit to view", self.view.fit_all)
        menu.popup(screen_pos)

    def set_else(self, link_index: int, on: bool) -> None:
        """Make a link of a branch or if/else its else link (which takes no condition), or a plain one again."""
        at = f"/{'linkList' if self.kind == WORKFLOW else 'edges'}/{link_index}"

        def edit(doc: JsonDocument) -> JsonDocument:
            if not on:
                return delete_value(doc, f"{at}/else")
            doc = set_value(doc, f"{at}/else", True)
            return delete_value(doc, f"{at}/condition")

        self.apply(edit, f"link {link_index} is {'the else link' if on else 'no longer the else link'}")

    def new_event(self, node_id: str) -> None:
        """Open the event wizard of this kind of graph, filled in for the node."""
        if self.element is None:
            return
        node = self.graph.nodes.get(node_id)
        if self.kind == ASSISTANT:
            self.sig_new_event.emit("event:assistant", {"sender": self.element.full_name, "operate": f"{node_id}.beforeNodeRun"},
                                    node_id)
            return
        if node is not None and node.type == "start":
            prefill = {"workflow": self.element.full_name, "operate": "NodeHandled", "handleNode": node_id}
        else:
            prefill = {"workflow": self.element.full_name, "operate": "NodeChange", "triggerNode": [f"before.{node_id}"]}
        self.sig_new_event.emit("event:workflow", prefill, node_id)

    def event_created(self, full_name: str, node_id: str) -> None:
        """After "+ Event" made an assistant node event: switch the node's backend events on, as they must be
        for the event to fire."""
        at = pointer_of(["nodes", node_id])
        node = self.doc.get(at) if self.doc is not None and self.kind == ASSISTANT else None
        if isinstance(node, dict) and node.get("type") in EVENTFUL_NODE_TYPES and not (node.get("events") or {}).get("backend"):
            self.apply(lambda d: set_value(d, at + "/events/backend", True),
                       f"switched on the backend events of {node_id} for {full_name}")
