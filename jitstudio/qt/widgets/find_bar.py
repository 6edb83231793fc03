"""The find/replace bar of a code editor: incremental search with match case, whole word and regular
expression, next/previous (Enter/Shift+Enter, F3/Shift+F3), a "3 of 12" count, replace one or all (one
undo step), Escape to close. It opens with the selected text as its query."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton

from .editor_panel import EditorPanel, PanelLineEdit, mark_invalid, tool_button
from .text_search import Match, SearchOptions, find_all, replacement_for

if TYPE_CHECKING:
    from .code_editor import CodeEditor


class FindBar(EditorPanel):
    def __init__(self, editor: CodeEditor):
        super().__init__(editor)
        self.editor = editor
        self.matches: list[Match] = []
        self.error = ""  # why the query is no valid regular expression
        self._start = 0  # where typing in the find field searches from
        self.find_field = PanelLineEdit(placeholderText="Find", objectName="findField")
        self.replace_field = PanelLineEdit(placeholderText="Replace", objectName="replaceField")
        self.case_button = tool_button("Aa", "Match case (Alt+C)", checkable=True)
        self.word_button = tool_button("W", "Whole word (Alt+W)", checkable=True)
        self.regex_button = tool_button(".*", "Regular expression (Alt+R)", checkable=True)
        self.count_label = QLabel(objectName="panelMessage")
        self.previous_button = tool_button("↑", "Previous match (Shift+Enter, Shift+F3)")
        self.next_button = tool_button("↓", "Next match (Enter, F3)")
        self.close_button = tool_button("✕", "Close (Escape)")
        self.replace_button = QPushButton("Replace", toolTip="Replace this match and go to the next (Enter)")
        self.replace_all_button = QPushButton("Replace all", toolTip="Replace every match, as one undo step")
        self.case_button.setShortcut("Alt+C")
        self.word_button.setShortcut("Alt+W")
        self.regex_button.setShortcut("Alt+R")
        self._lay_out()
        self._connect()

    def _lay_out(self) -> None:
        for field in (self.find_field, self.replace_field):
            field.setMinimumWidth(110)
        metrics = self.count_label.fontMetrics()
        self.count_label.setMinimumWidth(max(metrics.horizontalAdvance(t) for t in ("9999 of 9999", "Invalid regex")) + 8)
        options = QHBoxLayout()
        options.setSpacing(2)
        for button in (self.case_button, self.word_button, self.regex_button):
            options.addWidget(button)
        moves = QHBoxLayout()
        moves.setSpacing(2)
        for widget in (self.count_label, self.previous_button, self.next_button):
            moves.addWidget(widget)
        replacing = QHBoxLayout()
        replacing.setSpacing(4)
        replacing.addWidget(self.replace_button)
        replacing.addWidget(self.replace_all_button)
        replacing.addStretch(1)
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 4, 6, 4)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)
        grid.addWidget(self.find_field, 0, 0)
        grid.addLayout(options, 0, 1)
        grid.addLayout(moves, 0, 2)
        grid.addWidget(self.replace_field, 1, 0)
        grid.addLayout(replacing, 1, 1, 1, 2)
        grid.addWidget(self.close_button, 0, 3, Qt.AlignmentFlag.AlignRight)
        grid.setColumnStretch(0, 1)  # the fields take half the room to spare, the gap before ✕ the rest
        grid.setColumnStretch(3, 1)

    def _connect(self) -> None:
        self.find_field.textEdited.connect(lambda _text: self._search_from_start())
        for button in (self.case_button, self.word_button, self.regex_button):
            button.toggled.connect(lambda _on: self._search_from_start())
        self.find_field.sig_enter.connect(lambda backwards: self.find_previous() if backwards else self.find_next())
        for field in (self.find_field, self.replace_field):
            field.sig_find_again.connect(lambda backwards: self.find_previous() if backwards else self.find_next())
            field.sig_escape.connect(self.close_panel)
        self.replace_field.sig_enter.connect(lambda _backwards: self.replace_one())
        self.previous_button.clicked.connect(self.find_previous)
        self.next_button.clicked.connect(self.find_next)
        self.close_button.clicked.connect(self.close_panel)
        self.replace_button.clicked.connect(self.replace_one)
        self.replace_all_button.clicked.connect(self.replace_all)
        self.editor.document().contentsChanged.connect(self._text_changed)
        self.editor.selectionChanged.connect(self._update_count)

    # -- opening and closing
    def is_replacing(self) -> bool:
        return self.replace_field.isVisible()

    def open_find(self, replace: bool = False) -> None:
        replace = replace and not self.editor.isReadOnly()
        selected = self.editor.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.find_field.setText(re.escape(selected) if self.regex_button.isChecked() else selected)
        for widget in (self.replace_field, self.replace_button, self.replace_all_button):
            widget.setVisible(replace)
        self.open()
        self._start = self.editor.textCursor().selectionStart()
        self._refresh()
        field = self.replace_field if replace and self.find_field.text() and selected else self.find_field
        field.setFocus()
        field.selectAll()

    def close_panel(self) -> None:
        super().close_panel()
        self.matches = []
        self.editor.set_search_highlights([])
        self.editor.setFocus()

    # -- searching
    def options(self) -> SearchOptions:
        return SearchOptions(self.find_field.text(), self.case_button.isChecked(), self.word_button.isChecked(),
                             self.regex_button.isChecked())

    def _refresh(self) -> bool:
        """Find every match again and highlight them; False when the query is not a valid expression."""
        try:
            self.matches = find_all(self.editor.toPlainText(), self.options())
            self.error = ""
        except re.error as exc:
            self.matches, self.error = [], f"Invalid regex: {exc}"
        self.editor.set_search_highlights([(m.start, m.end) for m in self.matches])
        mark_invalid(self.find_field, bool(self.error) or (not self.matches and bool(self.find_field.text())))
        self.count_label.setToolTip(self.error)
        self._update_count()
        for button in (self.previous_button, self.next_button, self.replace_button, self.replace_all_button):
            button.setEnabled(bool(self.matches))
        return not self.error

    def _update_count(self) -> None:
        if not self.isVisible():
            return
        current = self.current_index()
        if self.error:
            text = "Invalid regex"
        elif not self.find_field.text():
            text = ""
        elif not self.matches:
            text = "No results"
        elif current is None:
            text = f"{len(self.matches)} found"
        else:
            text = f"{current + 1} of {len(self.matches)}"
        self.count_label.setText(text)
        mark_invalid(self.count_label, bool(self.error) or text == "No results")

    def count_text(self) -> str:
        return self.count_label.text()

    def current_index(self) -> int | None:
        """The match the editor's selection is on."""
        cursor = self.editor.textCursor()
        span = (cursor.selectionStart(), cursor.selectionEnd())
        return next((i for i, m in enumerate(self.matches) if (m.start, m.end) == span), None)

    def _text_changed(self) -> None:
        if self.isVisible():
            self._refresh()

    def _search_from_start(self) -> None:
        if self._refresh() and self.matches:
            self._select(next((m for m in self.matches if m.start >= self._start), self.matches[0]))
        elif not self.matches:
            cursor = self.editor.textCursor()
            cursor.setPosition(self._start)
            self.editor.setTextCursor(cursor)

    def find_next(self) -> None:
        self._refresh()
        if self.matches:
            after = self.editor.textCursor().selectionEnd()
            self._select(next((m for m in self.matches if m.start >= after), self.matches[0]))

    def find_previous(self) -> None:
        self._refresh()
        if self.matches:
            before = self.editor.textCursor().selectionStart()
            self._select(next((m for m in reversed(self.matches) if m.end <= before), self.matches[-1]))

    def _select(self, match: Match) -> None:
        cursor = self.editor.textCursor()
        cursor.setPosition(match.start)
        cursor.setPosition(match.end, QTextCursor.MoveMode.KeepAnchor)
        self.editor.setTextCursor(cursor)
        self.editor.ensureCursorVisible()
        self._start = match.start
        self._update_count()

    # -- replacing
    def replace_one(self) -> None:
        """Replace the selected match (or go to the next one first when none is selected), then go on."""
        if self.editor.isReadOnly() or not self._refresh() or not self.matches:
            return
        index = self.current_index()
        if index is None:
            self.find_next()
            return
        match = self.matches[index]
        cursor = self.editor.textCursor()
        cursor.insertText(replacement_for(match, self.replace_field.text(), self.options()))
        self.editor.setTextCursor(cursor)
        self.find_next()

    def replace_all(self) -> int:
        """Replace every match as one undo step; the number replaced."""
        if self.editor.isReadOnly() or not self._refresh() or not self.matches:
            return 0
        replacements = [(m, replacement_for(m, self.replace_field.text(), self.options())) for m in self.matches]
        cursor = QTextCursor(self.editor.document())
        cursor.beginEditBlock()
        for match, text in reversed(replacements):
            cursor.setPosition(match.start)
            cursor.setPosition(match.end, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(text)
        cursor.endEditBlock()
        self.count_label.setText(f"Replaced {len(replacements)}")
        mark_invalid(self.count_label, False)
        return len(replacements)
