"""Go to line: a bar above the code editor that takes `line` or `line:column`, says what is wrong with
anything else, and moves the cursor there on Enter."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLabel

from .editor_panel import EditorPanel, PanelLineEdit, mark_invalid, tool_button

if TYPE_CHECKING:
    from .code_editor import CodeEditor

LINE_COLUMN = re.compile(r"\s*(\d+)\s*(?:[:,]\s*(\d+)\s*)?")


def parse_line_column(text: str, line_count: int) -> tuple[int, int] | str:
    """(line, column), both from 1, or the reason `text` is not a line of a text of `line_count` lines."""
    found = LINE_COLUMN.fullmatch(text)
    if not found:
        return f"Type a line number (1–{line_count}), optionally :column"
    line, column = int(found.group(1)), int(found.group(2) or 1)
    if not 1 <= line <= line_count:
        return f"There is no line {line}: lines go from 1 to {line_count}"
    if column < 1:
        return "Columns start at 1"
    return line, column


class GoToLineBar(EditorPanel):
    def __init__(self, editor: CodeEditor):
        super().__init__(editor)
        self.editor = editor
        self.field = PanelLineEdit(objectName="goToLineField")
        self.message = QLabel(objectName="panelMessage")
        close = tool_button("✕", "Close (Escape)")
        line = QHBoxLayout(self)
        line.setContentsMargins(8, 4, 6, 4)
        line.setSpacing(6)
        line.addWidget(QLabel("Go to line:"))
        line.addWidget(self.field)
        line.addWidget(self.message, 1)
        line.addWidget(close)
        self.field.setMaximumWidth(160)
        self.field.textEdited.connect(self._validate)
        self.field.sig_enter.connect(lambda _backwards: self.go())
        self.field.sig_escape.connect(self.close_panel)
        close.clicked.connect(self.close_panel)

    def open_go_to(self) -> None:
        cursor = self.editor.textCursor()
        count = self.editor.blockCount()
        self.field.setPlaceholderText(f"line[:column] (1–{count})")
        self.field.setText(f"{cursor.blockNumber() + 1}")
        self.open()
        self._validate()
        self.field.setFocus()
        self.field.selectAll()

    def close_panel(self) -> None:
        super().close_panel()
        self.editor.setFocus()

    def target(self) -> tuple[int, int] | str:
        return parse_line_column(self.field.text(), self.editor.blockCount())

    def _validate(self) -> bool:
        target = self.target()
        invalid = isinstance(target, str) and bool(self.field.text().strip())
        mark_invalid(self.field, invalid)
        mark_invalid(self.message, invalid)
        if isinstance(target, str):
            self.message.setText(target if invalid else "")
        else:
            self.message.setText(f"Enter goes to line {target[0]}, column {target[1]}")
        return not isinstance(target, str)

    def go(self) -> bool:
        """Move to the line typed; False (and the bar stays open, saying why) when it is not valid."""
        target = self.target()
        if isinstance(target, str):
            mark_invalid(self.field, True)
            mark_invalid(self.message, True)
            self.message.setText(target)
            return False
        self.close_panel()
        self.editor.go_to_line(*target)
        return True
