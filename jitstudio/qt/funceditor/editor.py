"""QtFunctionEditor: one function of a module edited as cards (the visual editor with its palette) or as
code, switched with a toggle, kept in sync both ways through `FunctionDocument`, with one undo history
over both views and saves that go through the project layer."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable

import shiboken6
from PySide6.QtCore import QFileSystemWatcher, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import QLabel, QPushButton, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from ...codesync import CardKind, CodeSyncError, FunctionDocument, FunctionNotFoundError
from ...project import Project
from ...project.files import TextFile, atomic_write_text
from ..widgets.code_editor import Marker
from ._card_list import CardListView
from ._catalog import EditorCatalog, variables_of
from ._checks import CardChecks
from ._chrome import FunctionToolbar, banner
from ._code_view import FunctionCodeView
from ._history import SourceCommand
from ._inputs import CodeBlockEdit, ExpressionEdit
from ._palette import StatementPalette
from ._style import STYLE
from ._value_edit import ValueEdit

DEBOUNCE_MS = 300
PALETTE_ROOM = 940  # narrower than this, the palette folds away until the Palette button asks for it
REFUSED = "The code does not parse: fix it in the code view first, then edit the cards again."


class QtFunctionEditor(QWidget):
    """Edit `function` (a method of `class_name` when given) in the Python file `path_to_py`.

    `event_kind` ("model", "events.ModelType", …) and `model_fields` choose the event data offered in
    the pickers. `default_text` is the module text to start from when the file does not exist yet."""

    sig_dirty_changed = Signal(bool)
    sig_saved = Signal(object)

    def __init__(self, project: Project | None, path_to_py: str | Path, function: str = "customFunc",
                 class_name: str | None = None, event_kind: str | None = None, model_fields: Iterable[str] = (),
                 parent: QWidget | None = None, *, default_text: str = ""):
        super().__init__(parent)
        self.setObjectName("functionEditor")
        self.setStyleSheet(STYLE)
        self.project = project
        self.path = Path(path_to_py)
        self.function, self.class_name = function, class_name
        self.catalog = EditorCatalog.from_project(project, event_kind, model_fields)
        self._checks = CardChecks(self.catalog.signatures())
        self.undo_stack = QUndoStack(self)
        self._dirty = False
        self._issues: list = []
        self._own_markers: list[Marker] = []
        self._extra_markers: list[Marker] = []
        self._pending_typing = False
        self._applying = False
        exists = self.path.is_file()
        text = TextFile.read(self.path).text if exists else default_text
        self._saved_text: str | None = text if exists else None
        self.doc = self._document(text)

        self._build()
        self.code_view.set_text(text)
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(self.flush_typing)
        self.code_view.textChanged.connect(self._code_typed)
        self.code_view.sig_undo.connect(self.undo)
        self.code_view.sig_redo.connect(self.redo)
        self.undo_stack.indexChanged.connect(self._update_actions)
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(lambda _p: QTimer.singleShot(50, self, self._disk_changed))
        self._watch()
        self.title_label.setText(f"{self.title_label.text()}({', '.join(self.doc.parameters)})")
        self._refresh()

    def _document(self, text: str) -> FunctionDocument:
        try:
            return FunctionDocument.from_source(text, self.function, self.class_name)
        except FunctionNotFoundError:
            doc = FunctionDocument(self.function, self.class_name)
            doc.update_source(text)
            return doc

    # ----- layout --------------------------------------------------------------------------------

    def _build(self) -> None:
        owner = f"{self.class_name}." if self.class_name else ""
        bar = self.toolbar = FunctionToolbar(f"{owner}{self.function}", self.path.name, self)
        self.title_label, self.dirty_label, self.save_button = bar.title_label, bar.dirty_label, bar.save_button
        self.undo_action, self.redo_action, self.mode_switch = bar.undo_action, bar.redo_action, bar.mode_switch
        bar.undo_action.triggered.connect(self.undo)
        bar.redo_action.triggered.connect(self.redo)
        bar.save_button.clicked.connect(self.save)
        bar.mode_switch.toggled.connect(lambda on: self.set_mode("code" if on else "visual"))
        self.palette_button = bar.palette_button

        go_button = QPushButton("Show in code")
        go_button.clicked.connect(self._go_to_error)
        self.banner, self.banner_label = banner("syncBanner", go_button)
        reload_button, keep_button = QPushButton("Reload from disk"), QPushButton("Keep my edits")
        reload_button.clicked.connect(self.reload_from_disk)
        self.disk_banner, disk_label = banner("diskBanner", reload_button, keep_button)
        keep_button.clicked.connect(self.disk_banner.hide)
        disk_label.setText(f"{self.path.name} changed on disk while you have unsaved edits.")

        self.cards_view = CardListView(self, self.catalog)
        self.palette = StatementPalette(self.catalog, self._taken_names)
        self.palette.sig_insert.connect(self._insert_from_palette)
        palette_box = QWidget()
        palette_layout = QVBoxLayout(palette_box)
        palette_layout.setContentsMargins(0, 6, 0, 0)
        palette_layout.setSpacing(0)
        palette_layout.addWidget(QLabel("  Add a statement", objectName="paletteTitle"))
        palette_layout.addWidget(self.palette, 1)
        palette_box.setObjectName("palette")
        self.palette_button.toggled.connect(palette_box.setVisible)
        self._palette_chosen = False
        self.palette_button.clicked.connect(lambda: setattr(self, "_palette_chosen", True))
        self.visual = QSplitter(Qt.Orientation.Horizontal)
        self.visual.addWidget(self.cards_view)
        self.visual.addWidget(palette_box)
        self.visual.setStretchFactor(0, 1)
        self.visual.setStretchFactor(1, 0)
        self.visual.setSizes([700, 220])
        self.code_view = FunctionCodeView()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.visual)
        self.stack.addWidget(self.code_view)

        notices = QVBoxLayout()
        notices.setContentsMargins(0, 0, 0, 0)
        notices.addWidget(self.banner)
        notices.addWidget(self.disk_banner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(bar)
        layout.addLayout(notices)
        layout.addWidget(self.stack, 1)

    # ----- state ---------------------------------------------------------------------------------

    def text(self) -> str:
        """The module text exactly as it stands in the code view."""
        return self.code_view.text()

    def is_dirty(self) -> bool:
        return self._dirty

    def mode(self) -> str:
        return "code" if self.stack.currentWidget() is self.code_view else "visual"

    def set_mode(self, mode: str) -> None:
        to_code = mode == "code"
        if self.mode_switch.isChecked() != to_code:
            self.mode_switch.set_checked_quietly(to_code)
        self.flush_typing()
        if to_code and self.cards_view.selected_id is not None and self.doc.is_valid:
            self.code_view.go_to_line(self.doc.card(self.cards_view.selected_id).line_span[0])
        self.stack.setCurrentWidget(self.code_view if to_code else self.visual)
        self.palette_button.setVisible(not to_code)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if not self._palette_chosen:
            self.palette_button.setChecked(self.width() >= PALETTE_ROOM)

    def go_to(self, line: int, column: int = 1) -> None:
        self.set_mode("code")
        self.code_view.go_to_line(line, column)

    def set_project(self, project: Project | None, event_kind: str | None = None, model_fields: Iterable[str] = ()) -> None:
        """Offer the services, models and event data of a reloaded project (edits and history stay)."""
        self.project = project
        self.catalog = EditorCatalog.from_project(project, event_kind, model_fields)
        self._checks.set_signatures(self.catalog.signatures())
        self.cards_view.set_catalog(self.catalog)
        self.palette.set_catalog(self.catalog)
        self._refresh()

    def set_extra_markers(self, markers: Iterable[Marker]) -> None:
        """Show the host's markers (the project's checks of the file) next to the editor's own."""
        self._extra_markers = list(markers)
        self.code_view.set_markers(self._own_markers + self._extra_markers)

    def _taken_names(self) -> set[str]:
        return set(variables_of(self.doc.cards)) | set(self.doc.parameters)

    # ----- code -> cards -------------------------------------------------------------------------

    def _code_typed(self) -> None:
        if self._applying:
            return
        self._pending_typing = True
        self._debounce.start()
        self._update_dirty()
        self._update_actions()

    def flush_typing(self) -> None:
        """Take what was typed into the document now (the debounce does this after a pause), and what is typed
        in the focused card field (Ctrl+S and other shortcuts do not take the focus out of it)."""
        self._commit_focused_field()
        self._debounce.stop()
        if not self._pending_typing:
            return
        self._pending_typing = False
        before, text = self.doc.source, self.text()
        if text == before:
            return
        self.doc.update_source(text)
        self.undo_stack.push(SourceCommand(self._apply_source, "Typing", before, text, typing=True))
        self._refresh()

    def _commit_focused_field(self) -> None:
        focus = self.focusWidget()
        if focus is None or not self.cards_view.isAncestorOf(focus):
            return
        for row in list(self.cards_view.rows.values()):
            for field in row.editors.values():
                if field is focus or field.isAncestorOf(focus):
                    if isinstance(field, ValueEdit):
                        field.commit_pending()
                    elif isinstance(field, ExpressionEdit):
                        field.commit()
                    elif isinstance(field, CodeBlockEdit):
                        field._commit()
                    return

    def _apply_source(self, text: str) -> None:
        """Show `text` in both views (an undo or redo step, or a reload)."""
        self._debounce.stop()
        self._pending_typing = False
        self.doc.update_source(text)
        self._set_code_text(text)
        self._refresh()

    def _set_code_text(self, text: str) -> None:
        self._applying = True
        try:
            self.code_view.replace_text(text)
        finally:
            self._applying = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Ctrl+Z and Ctrl+Shift+Z that a card field passed up (see `HistoryKeys`)."""
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo()
        elif event.matches(QKeySequence.StandardKey.Redo):
            self.redo()
        else:
            super().keyPressEvent(event)

    def undo(self) -> None:
        self.flush_typing()
        self.undo_stack.undo()

    def redo(self) -> None:
        self.flush_typing()
        self.undo_stack.redo()

    # ----- cards -> code (FormActions) -----------------------------------------------------------

    def _form_edit(self, label: str, change: Callable[[FunctionDocument], Any]) -> str | None:
        self.flush_typing()
        if not self.doc.is_valid:
            return REFUSED
        before = self.doc.source
        try:
            result = change(self.doc)
        except CodeSyncError as exc:
            return str(exc)
        after = self.doc.source
        if after != before:
            self.undo_stack.push(SourceCommand(self._apply_source, label, before, after))
            self._set_code_text(after)
            self._refresh()
        if isinstance(result, str) and result in self.cards_view.rows:
            self.cards_view.select(result)
        return None

    def edit_field(self, card_id: str, name: str, value: Any) -> str | None:
        def change(doc: FunctionDocument) -> None:
            doc.set_field(card_id, name, value)
            if name == "service":
                entry = self.catalog.service(value)
                names = [f.name for f in entry.functions] if entry else []
                if names and doc.card(card_id).fields["function"] not in names:
                    doc.set_field(card_id, "function", names[0])
        return self._form_edit(f"Change {name}", change)

    def insert_card(self, kind: str, fields: dict, parent: str | None = None, index: int | None = None) -> str | None:
        """Add a card at `index` of `parent`; a statement never lands after a return, raise, break or
        continue of its body, where it would never run, but before it."""
        def change(doc: FunctionDocument) -> str:
            at = index if kind in (CardKind.BRANCH, CardKind.CLAUSE) else doc.reachable_index(parent, index)
            return doc.insert_card(kind, fields, parent, at).id
        return self._form_edit(f"Add {kind}", change)

    def move_card(self, card_id: str, parent: str | None, index: int) -> str | None:
        return self._form_edit("Move card", lambda doc: doc.move_card(card_id, parent, index).id)

    def delete_card(self, card_id: str) -> str | None:
        return self._form_edit("Delete card", lambda doc: doc.delete_card(card_id))

    def _insert_from_palette(self, kind: str, fields: dict) -> None:
        parent, index = self.cards_view.insertion_point()
        error = self.insert_card(kind, fields, parent, index)
        if error:
            self._show_banner(error)

    # ----- showing -------------------------------------------------------------------------------

    def _refresh(self) -> None:
        valid = self.doc.is_valid
        stamps = None
        if valid:
            self._checks.check(self.doc.cards, self.doc.source)
            stamps, self._issues = self._checks.stamps, self._checks.issues
        self.cards_view.set_cards(self.doc.cards, self._issues, stamps)
        self.cards_view.set_editable(valid)
        self.palette.setEnabled(valid)
        error = self.doc.error
        if error is None:
            self.banner.hide()
            self._own_markers = self._checks.markers
        else:
            where = f"Line {error.line}" + (f", column {error.column}" if error.column else "") if error.line else "The code"
            self._show_banner(f"<b>{where}: {error.message}</b><br>The cards show the last code that parsed and "
                              "stay locked until the code parses again. Nothing you typed is lost.")
            self._own_markers = [Marker(error.line, error.message, "error", error.column or 1)] if error.line else []
        self.code_view.set_markers(self._own_markers + self._extra_markers)
        self._update_dirty()
        self._update_actions()

    def _show_banner(self, html: str) -> None:
        self.banner_label.setText(html)
        self.banner.show()

    def _go_to_error(self) -> None:
        error = self.doc.error
        if error is not None and error.line:
            self.go_to(error.line, error.column or 1)

    def _update_actions(self, *_index: int) -> None:
        if not shiboken6.isValid(self.undo_stack):  # the stack clears itself while the editor is destroyed
            return
        self.undo_action.setEnabled(self.undo_stack.canUndo() or self._pending_typing)
        self.redo_action.setEnabled(self.undo_stack.canRedo() and not self._pending_typing)

    def _update_dirty(self) -> None:
        dirty = self.text() != self._saved_text
        self.dirty_label.setVisible(dirty)
        self.save_button.setEnabled(dirty)
        if dirty != self._dirty:
            self._dirty = dirty
            self.sig_dirty_changed.emit(dirty)

    # ----- files ---------------------------------------------------------------------------------

    def save(self) -> bool:
        """Write the module text atomically, in the file's own encoding and line endings."""
        self.flush_typing()
        text = self.text()
        style = TextFile.read(self.path) if self.path.is_file() else TextFile("")
        try:
            atomic_write_text(self.path, text, style)
        except OSError as exc:
            self._show_banner(f"<b>Could not save {self.path.name}:</b> {exc}")
            return False
        self.mark_saved(text)
        return True

    def mark_saved(self, text: str) -> None:
        """Take `text` as what the file now holds, written by whoever saved it (a page saving several files)."""
        self._saved_text = text
        self.undo_stack.setClean()
        self.disk_banner.hide()
        self._watch()
        self._update_dirty()
        self.sig_saved.emit(self.path)

    def reload_from_disk(self) -> None:
        """Take the file's text as the new saved state (the undo history starts over)."""
        text = TextFile.read(self.path).text if self.path.is_file() else (self._saved_text or "")
        self._saved_text = text
        self._apply_source(text)
        self.undo_stack.clear()
        self.disk_banner.hide()
        self._watch()
        self._update_dirty()

    def _watch(self) -> None:
        if self.path.is_file() and str(self.path) not in self.watcher.files():
            self.watcher.addPath(str(self.path))

    def _disk_changed(self) -> None:
        self._watch()
        if not self.path.is_file():
            return
        text = TextFile.read(self.path).text
        if text == self._saved_text:
            return
        if self._dirty:
            self.disk_banner.show()
        else:
            self.reload_from_disk()
