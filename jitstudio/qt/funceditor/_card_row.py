"""One card of the visual editor: a colour stripe and badge for its kind, a one-line summary, its fields
as inline editors, and (for if / branch / for each) the nested cards of its body."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPainterPath, QPalette
from PySide6.QtWidgets import (
    QApplication, QFrame, QGridLayout, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget,
)

from ...codesync import Card, CardKind, Issue
from ._fields import FieldSlot, choices_for, field_lines
from ._inputs import ChoiceEdit, CodeBlockEdit, ExpressionEdit
from ._kinds import KIND_STYLES, kind_color, kind_icon, summary
from ._value_edit import ValueEdit

if TYPE_CHECKING:
    from ._card_list import CardListView

CONTAINERS = (CardKind.BRANCH, CardKind.CLAUSE, CardKind.FOR_EACH, CardKind.WHILE, CardKind.WITH)
# Cards whose children are the parts of one statement (an if's branches, a try's clauses), not statements.
PARTED = (CardKind.IF, CardKind.TRY)
PARTS = (CardKind.BRANCH, CardKind.CLAUSE)
# Kinds whose few fields fit on the card's top line; the others show a summary there and a form below.
INLINE_KINDS = (CardKind.ASSIGN, CardKind.RETURN, CardKind.RAISE, CardKind.FOR_EACH, CardKind.BRANCH, CardKind.LOG,
                CardKind.AUG_ASSIGN, CardKind.WHILE, CardKind.WITH, CardKind.CLAUSE, CardKind.ASSERT)
PART_WORDS = {"if": "IF", "elif": "ELSE IF", "else": "ELSE", "try": "TRY", "except": "EXCEPT", "finally": "FINALLY"}
# Parts that cannot be deleted on their own: the statement's first part goes with the whole card.
FIRST_PARTS = ("if", "try")


class ElidedLabel(QLabel):
    """A one-line label that ends in … when it does not fit; the full text is its tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setMinimumWidth(40)
        self.set_full_text(text)

    def set_full_text(self, text: str) -> None:
        self._full = " ".join(text.split())
        self.setToolTip(text if len(text) > 60 else "")
        self.update()

    def full_text(self) -> str:
        return self._full

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        painter.setFont(self.font())
        text = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, self.width())
        painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), text)


class CardBody(QWidget):
    """The cards of one body (the function's, a branch's or a loop's), in order."""

    def __init__(self, parent_id: str | None, nested_color: QColor | None = None, holds_branches: bool = False):
        super().__init__()
        self.parent_id = parent_id
        self.nested_color = nested_color
        self.holds_branches = holds_branches  # an if's branches: cards cannot be dropped among them
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(18 if nested_color else 0, 4 if nested_color else 0, 0, 2)
        self.layout_.setSpacing(0 if holds_branches else 6)

    def rows(self) -> list["CardRow"]:
        return [self.layout_.itemAt(i).widget() for i in range(self.layout_.count())
                if isinstance(self.layout_.itemAt(i).widget(), CardRow)]

    def place_rows(self, rows: list["CardRow"]) -> None:
        """Hold exactly `rows`, in this order (rows may come from other bodies)."""
        for index, row in enumerate(rows):
            if self.layout_.indexOf(row) == index:
                continue
            previous = row.parentWidget()
            if isinstance(previous, CardBody):
                previous.layout_.removeWidget(row)
            self.layout_.insertWidget(index, row)
            row.show()  # now, not when the layout gets round to it
        while self.layout_.count() > len(rows):
            item = self.layout_.takeAt(len(rows))
            if item.widget() is not None:
                item.widget().setParent(None)

    def paintEvent(self, _event) -> None:
        if self.nested_color is None:
            return
        painter = QPainter(self)
        color = QColor(self.nested_color)
        color.setAlpha(110)
        painter.fillRect(6, 2, 2, self.height() - 4, color)


class _Header(QWidget):
    """The card's top line: selecting by click, and the handle to drag it by."""

    def __init__(self, row: "CardRow"):
        super().__init__(row)
        self.row = row
        self._press: QPoint | None = None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
            self.row.controller.select(self.row.card.id)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is not None and (event.position().toPoint() - self._press).manhattanLength() \
                >= QApplication.startDragDistance():
            self._press = None
            self.row.controller.start_drag(self.row)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._press = None
        super().mouseReleaseEvent(event)


def _tool(text: str, tip: str, slot) -> QToolButton:
    button = QToolButton(text=text, toolTip=tip, autoRaise=True)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.clicked.connect(slot)
    return button


class CardRow(QFrame):
    def __init__(self, card: Card, controller: "CardListView", parent_id: str | None):
        super().__init__()
        self.card = card
        self.controller = controller
        self.parent_id = parent_id
        self.editors: dict[str, ExpressionEdit | ValueEdit | ChoiceEdit | CodeBlockEdit] = {}
        self.issue_labels: dict[str, QLabel] = {}
        is_branch = card.kind in PARTS
        self.setObjectName("branch" if is_branch else "card")
        self.setProperty("selected", False)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6 if is_branch else 14, 6, 8, 6)
        outer.setSpacing(4)
        self.header = _Header(self)
        outer.addWidget(self.header)
        lines = field_lines(card, controller.catalog)
        inline = lines[0] if len(lines) == 1 and card.kind in INLINE_KINDS else []
        self._build_header(card, inline)
        self.fields_grid = QGridLayout()
        self.fields_grid.setContentsMargins(32 if not is_branch else 4, 2, 4, 2)
        self.fields_grid.setHorizontalSpacing(8)
        self.fields_grid.setVerticalSpacing(3)
        self.fields_grid.setColumnMinimumWidth(0, 76)
        self.fields_grid.setColumnStretch(1, 2)
        self.fields_grid.setColumnStretch(3, 3)
        if not inline and lines:
            self._build_fields(lines)
            outer.addLayout(self.fields_grid)
        self.general_issue = QLabel(objectName="cardIssue", wordWrap=True, visible=False)
        outer.addWidget(self.general_issue)
        # The card list fills the body: with the branches of an if, with the statements of a branch or loop.
        self.body: CardBody | None = None
        if card.kind in PARTED:
            self.body = CardBody(card.id, None, holds_branches=True)
        elif card.kind in CONTAINERS:
            self.body = CardBody(card.id, kind_color(card.kind))
        if self.body is not None:
            outer.addWidget(self.body)
        self.shown: tuple | None = None  # what update_card last showed, as CardListView.set_cards stamps it
        self.update_card(card, [])

    # ----- building ------------------------------------------------------------------------------

    def _build_header(self, card: Card, inline: list[FieldSlot]) -> None:
        line = QHBoxLayout(self.header)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(8)
        style = KIND_STYLES[card.kind]
        self.summary_label = None
        if card.kind in PARTS:
            word = QLabel(PART_WORDS[card.fields["keyword"]], objectName="branchWord")
            word.setStyleSheet(f"color: {style.color}; font-weight: 700;")
            word.setMinimumWidth(56)
            line.addWidget(word)
        else:
            handle = QLabel("⠿", objectName="dragHandle", toolTip="Drag to move")
            handle.setCursor(Qt.CursorShape.OpenHandCursor)
            badge = QLabel()
            badge.setPixmap(kind_icon(card.kind).pixmap(22, 22))
            title = QLabel(style.title, objectName="cardTitle")
            for widget in (handle, badge, title):
                line.addWidget(widget)
        for position, slot in enumerate(inline):
            if slot.caption and not slot.caption[0].isupper():
                line.addWidget(QLabel(slot.caption, objectName="fieldCaption"))
            stretch = 0 if slot.editor == "choice" else (3 if position == 0 and len(inline) > 1 else 5)
            line.addWidget(self._add_editor(slot, inline=True), stretch)
        if not inline:
            if card.kind in (*PARTS, *PARTED, CardKind.CODE, CardKind.DOCSTRING):  # their body already says it all
                line.addStretch(1)
            else:
                self.summary_label = ElidedLabel()
                line.addWidget(self.summary_label, 1)
        self.issue_badge = QLabel(objectName="issueBadge", visible=False)
        line.addWidget(self.issue_badge)
        if card.kind is CardKind.IF:
            self.add_else_button = _tool("+ else", "Add an else branch", lambda: self.controller.add_branch(card.id, False))
            line.addWidget(_tool("+ elif", "Add an elif branch", lambda: self.controller.add_branch(card.id, True)))
            line.addWidget(self.add_else_button)
        if card.kind is CardKind.TRY:
            self.clause_buttons = {
                keyword: _tool(f"+ {keyword}", tip, lambda _=False, k=keyword: self.controller.add_clause(card.id, k))
                for keyword, tip in (("except", "Catch another kind of error"),
                                     ("else", "Run when no error happened"),
                                     ("finally", "Run in every case, error or not"))}
            for button in self.clause_buttons.values():
                line.addWidget(button)
        if card.kind not in PARTS:
            line.addWidget(_tool("↑", "Move up", lambda: self.controller.nudge(self.card.id, -1)))
            line.addWidget(_tool("↓", "Move down", lambda: self.controller.nudge(self.card.id, 1)))
        if card.kind not in PARTS or card.fields["keyword"] not in FIRST_PARTS:
            line.addWidget(_tool("✕", "Delete", lambda: self.controller.delete(self.card.id)))

    def _build_fields(self, lines: list[list[FieldSlot]]) -> None:
        for line in lines:
            row = self.fields_grid.rowCount()
            for position, slot in enumerate(line):
                column = position * 2
                marker = " *" if slot.required and slot.caption[:1].isupper() else ""
                caption = QLabel(slot.caption + marker, objectName="fieldCaption")
                caption.setToolTip(slot.tooltip)
                if slot.caption:
                    self.fields_grid.addWidget(caption, row, column)
                span = 3 if len(line) == 1 else 1
                editor = self._add_editor(slot, inline=False)
                if slot.caption:
                    self.fields_grid.addWidget(editor, row, column + 1, 1, span)
                else:
                    self.fields_grid.addWidget(editor, row, column, 1, span + 1)
            issue_row = self.fields_grid.rowCount()
            for slot in line:
                label = self.issue_labels[slot.name]
                self.fields_grid.addWidget(label, issue_row, 1, 1, 3)

    def _add_editor(self, slot: FieldSlot, inline: bool):
        editor: ChoiceEdit | CodeBlockEdit | ValueEdit | ExpressionEdit
        if slot.editor == "choice":
            editor = ChoiceEdit()
            editor.set_choices(choices_for(self.card, slot.name, self.controller.catalog), self._value(slot.name))
        elif slot.editor == "code":
            editor = CodeBlockEdit()
        elif slot.editor == "value":
            editor = ValueEdit(slot.placeholder, slot.data_type)
        else:
            editor = ExpressionEdit(slot.placeholder)
        if isinstance(editor, (ExpressionEdit, ValueEdit)) and slot.name != "target":  # a name, not a value to pick
            editor.set_options(lambda name=slot.name: self.controller.expression_sections(name))
        editor.setObjectName(f"field:{slot.name}")
        editor.setToolTip(slot.tooltip)
        editor.sig_committed.connect(lambda value, name=slot.name: self.controller.commit(self, name, value))
        self.editors[slot.name] = editor
        self.issue_labels[slot.name] = QLabel(objectName="fieldIssue", wordWrap=True, visible=False)
        if inline:
            self.layout().addWidget(self.issue_labels[slot.name])
        return editor

    # ----- values --------------------------------------------------------------------------------

    def _value(self, name: str):
        if name.startswith("args."):
            return (self.card.fields.get("args") or {}).get(name[5:])
        value = self.card.fields.get(name)
        return value if value is None or isinstance(value, str) else str(value)

    def update_card(self, card: Card, issues: list[Issue]) -> None:
        """Show `card` and its own `issues`; widgets whose look does not change are left alone."""
        self.card = card
        for name, editor in self.editors.items():
            editor.set_value(self._value(name))
        if self.summary_label is not None:
            self.summary_label.set_full_text(summary(card))
        if card.kind is CardKind.IF:
            _show(self.add_else_button, all(b.fields["keyword"] != "else" for b in card.children))
        if card.kind is CardKind.TRY:
            have = {c.fields["keyword"] for c in card.children}
            _show(self.clause_buttons["else"], "else" not in have and "except" in have)
            _show(self.clause_buttons["finally"], "finally" not in have)
        general = []
        shown = {}
        for issue in issues:
            if issue.field in self.issue_labels:
                shown[issue.field] = issue.message
            else:
                general.append(issue.message)
        for name, label in self.issue_labels.items():
            if name in shown and label.text() != shown[name]:
                label.setText(shown[name])
            _show(label, name in shown)
        self.general_issue.setText("\n".join(general))
        _show(self.general_issue, bool(general))
        self.issue_badge.setText(f"⚠ {len(issues)}")
        self.issue_badge.setToolTip("\n".join(i.message for i in issues))
        _show(self.issue_badge, bool(issues))
        if self.property("hasIssues") != bool(issues):
            self.setProperty("hasIssues", bool(issues))

    def show_error(self, name: str, message: str) -> None:
        self.shown = None
        label = self.issue_labels.get(name, self.general_issue)
        label.setText(message)
        label.setVisible(True)

    def set_selected(self, selected: bool) -> None:
        self.setProperty("selected", selected)
        self.style().unpolish(self)
        self.style().polish(self)

    def child_rows(self) -> list["CardRow"]:
        return self.body.rows() if self.body is not None else []

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if self.card.kind in PARTS:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        path = QPainterPath()
        path.addRoundedRect(QRectF(0.5, 0.5, self.width() - 1, self.height() - 1), 6, 6)
        painter.setClipPath(path)
        painter.fillRect(QRectF(0, 0, 5, self.height()), kind_color(self.card.kind))


def _show(widget: QWidget, visible: bool) -> None:
    """setVisible costs a layout pass even when nothing changes; skip it then."""
    if widget.isHidden() == visible or not widget.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide):
        widget.setVisible(visible)
