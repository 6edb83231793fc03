"""QtFilterBuilder: filter conditions as rows (field, operator, value) in AND/OR groups, with the Q text
shown and editable. Both sides stay in step: rows write the text, text that parses rebuilds the rows."""
from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox, QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QStyle, QToolButton, QVBoxLayout, QWidget,
)

from ...project import qfilter
from ...project.qfilter import OPERATORS, Condition, Group, QSyntaxError
from ..icons import standard

TEXT_DEBOUNCE_MS = 300
_KINDS = {info.op: info.kind for info in OPERATORS}


def value_from_text(text: str, kind: str):
    """What the user typed in a value box, as a Q value: literals as written, anything else as a string."""
    text = text.strip()
    if kind in ("list", "pair") and not text.startswith(("[", "(")):
        return tuple(value_from_text(part, "scalar") for part in text.split(",") if part.strip())
    try:
        tree = qfilter.parse(f"Q(Q('x', '=', {text}))") if text else None
    except QSyntaxError:
        return text
    if isinstance(tree, Condition):
        return tree.value
    return text


def value_to_text(value) -> str:
    if isinstance(value, str) and value and value_from_text(value, "scalar") == value:
        return value
    if isinstance(value, tuple):
        return ", ".join(value_to_text(v) for v in value)
    return qfilter.value_text(value)


class _ConditionRow(QWidget):
    sig_changed = Signal()
    sig_remove = Signal(QWidget)

    def __init__(self, fields: list[str], cond: Condition | None = None):
        super().__init__()
        self.field = QComboBox(editable=True, objectName="qField")
        self.field.addItems(fields)
        self.op = QComboBox(objectName="qOp")
        for combo in (self.field, self.op):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
        for info in OPERATORS:
            self.op.addItem(f"{info.op}   {info.label}", info.op)
        self.value = QLineEdit(objectName="qValue", placeholderText="value")
        remove = QToolButton(toolTip="Remove this condition", autoRaise=True)
        remove.setIcon(standard(QStyle.StandardPixmap.SP_TitleBarCloseButton))
        remove.clicked.connect(lambda: self.sig_remove.emit(self))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field, 3)
        layout.addWidget(self.op, 3)
        layout.addWidget(self.value, 3)
        layout.addWidget(remove)
        if cond is not None:
            self.field.setCurrentText(cond.field)
            self.op.setCurrentIndex(max(0, self.op.findData(cond.op)))
            self.value.setText(value_to_text(cond.value))
        self.field.currentTextChanged.connect(lambda _t: self.sig_changed.emit())
        self.op.currentIndexChanged.connect(lambda _i: self.sig_changed.emit())
        self.value.textChanged.connect(lambda _t: self.sig_changed.emit())

    def node(self) -> Condition:
        op = self.op.currentData()
        return Condition(self.field.currentText().strip(), op, value_from_text(self.value.text(), _KINDS[op]))


class _GroupBox(QFrame):
    sig_changed = Signal()
    sig_remove = Signal(QWidget)

    def __init__(self, fields: list[str], group: Group | None = None, nested: bool = False):
        super().__init__()
        self.fields = fields
        if nested:
            self.setFrameShape(QFrame.Shape.StyledPanel)
        self.connector = QComboBox(objectName="qConnector")
        self.connector.addItem("all of (AND)", "AND")
        self.connector.addItem("any of (OR)", "OR")
        self.rows = QVBoxLayout()
        self.rows.setSpacing(4)
        add_cond = QPushButton("+ Condition", objectName="qAddCondition", toolTip="Add a condition to this group")
        add_group = QPushButton("+ Group", objectName="qAddGroup", toolTip="Add a nested group with its own AND/OR")
        add_cond.clicked.connect(lambda: self.add(None))
        add_group.clicked.connect(lambda: self.add(Group("AND", ())))
        head = QHBoxLayout()
        head.addWidget(QLabel("Match"))
        head.addWidget(self.connector)
        head.addStretch(1)
        head.addWidget(add_cond)
        head.addWidget(add_group)
        if nested:
            remove = QToolButton(toolTip="Remove this group", autoRaise=True)
            remove.setIcon(standard(QStyle.StandardPixmap.SP_TitleBarCloseButton))
            remove.clicked.connect(lambda: self.sig_remove.emit(self))
            head.addWidget(remove)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8 if nested else 0, 6 if nested else 0, 8 if nested else 0, 6 if nested else 0)
        layout.addLayout(head)
        layout.addLayout(self.rows)
        if group is not None:
            self.connector.setCurrentIndex(self.connector.findData(group.connector))
            for child in group.children:
                self.add(child, quiet=True)
        self.connector.currentIndexChanged.connect(lambda _i: self.sig_changed.emit())

    def add(self, node=None, quiet: bool = False) -> QWidget:
        if isinstance(node, Group):
            child = _GroupBox(self.fields, node, nested=True)
        else:
            child = _ConditionRow(self.fields, node)
        child.sig_changed.connect(self.sig_changed)
        child.sig_remove.connect(self._remove)
        self.rows.addWidget(child)
        if not quiet:
            self.sig_changed.emit()
        return child

    def _remove(self, child: QWidget) -> None:
        self.rows.removeWidget(child)
        child.deleteLater()
        child.hide()
        self.sig_changed.emit()

    def node(self) -> Group:
        kids = tuple(w.node() for w in self._live())
        return Group(self.connector.currentData(), kids)

    def _live(self) -> list[QWidget]:
        return [self.rows.itemAt(i).widget() for i in range(self.rows.count())]


def _representable(node) -> bool:
    if isinstance(node, Condition):
        return True
    return not node.negated and all(_representable(c) for c in node.children)


class QtFilterBuilder(QWidget):
    """`text()` is the filter ('' for none); `unfinished()` names a condition row that has no value yet."""

    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.fields: list[str] = []
        self._text_error: str | None = None
        self.group_host = QVBoxLayout()
        self.group_host.setContentsMargins(0, 0, 0, 0)
        self.text_edit = QLineEdit(objectName="qText", placeholderText="No filter: every change triggers the event")
        self.note = QLabel(objectName="hint", wordWrap=True)
        text_row = QHBoxLayout()
        text_row.addWidget(QLabel("Q"))
        text_row.addWidget(self.text_edit, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(self.group_host)
        layout.addLayout(text_row)
        layout.addWidget(self.note)
        self._debounce = QTimer(self, singleShot=True, interval=TEXT_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._text_to_rows)
        self.text_edit.textEdited.connect(lambda _t: self._debounce.start())
        self.root_group: _GroupBox | None = None
        self._build(None)

    def set_fields(self, fields: list[str]) -> None:
        self.fields = list(fields)
        for combo in self.findChildren(QComboBox, "qField"):
            current = combo.currentText()
            blocked = combo.blockSignals(True)
            combo.clear()
            combo.addItems(self.fields)
            combo.setCurrentText(current or (self.fields[0] if self.fields else ""))
            combo.blockSignals(blocked)
        self.root_group.fields = self.fields
        self._refresh_note()

    def _build(self, tree) -> None:
        if self.root_group is not None:
            self.group_host.removeWidget(self.root_group)
            self.root_group.hide()  # until the event loop deletes it, it would still be drawn under the new rows
            self.root_group.deleteLater()
        if isinstance(tree, Condition):
            tree = Group("AND", (tree,))
        self.root_group = _GroupBox(self.fields, tree)
        self.root_group.sig_changed.connect(self._rows_to_text)
        self.group_host.addWidget(self.root_group)

    def set_text(self, text: str | None) -> None:
        self.text_edit.setText(text or "")
        self._text_to_rows(emit=False)

    def text(self) -> str:
        self._flush()
        return self.text_edit.text().strip()

    def _flush(self) -> None:
        if self._debounce.isActive():
            self._debounce.stop()
            self._text_to_rows()

    def _rows_to_text(self) -> None:
        tree = self.root_group.node()
        kids = tree.children
        if not kids:
            text = ""
        elif len(kids) == 1:
            text = qfilter.to_text(kids[0])
        else:
            text = qfilter.to_text(tree)
        self.text_edit.setText(text)
        self._text_error = None
        self._refresh_note()
        self.sig_changed.emit()

    def _text_to_rows(self, emit: bool = True) -> None:
        text = self.text_edit.text().strip()
        try:
            tree = qfilter.parse(text) if text else None
            self._text_error = None
        except QSyntaxError as exc:
            self._text_error = f"filter: {exc}"
            self.root_group.setEnabled(False)
            self._refresh_note()
            if emit:
                self.sig_changed.emit()
            return
        if tree is None or _representable(tree):
            self._build(tree)
            self.root_group.setEnabled(True)
        else:
            self.root_group.setEnabled(False)
        self._refresh_note(tree is not None and not _representable(tree))
        if emit:
            self.sig_changed.emit()

    def unfinished(self) -> str | None:
        """A condition row still waiting for its value (the filter text itself is the project's to judge)."""
        self._flush()
        if self.root_group.isEnabled():
            for row in self.root_group.findChildren(_ConditionRow):
                if not row.value.text().strip() and _KINDS[row.op.currentData()] != "none":
                    return f"the condition on '{row.field.currentText()}' needs a value"
        return None

    def _refresh_note(self, text_only: bool = False) -> None:
        error = self._text_error
        if error is None and self.text_edit.text().strip():
            try:
                issues = qfilter.check(qfilter.parse(self.text_edit.text()), self.fields or None)
                error = f"filter: {issues[0].message}" if issues else None
            except QSyntaxError as exc:
                error = f"filter: {exc}"
        if error:
            self.note.setObjectName("error")
            self.note.setText(error + ("" if self._text_error is None else " — the rows wait until the text parses"))
        else:
            self.note.setObjectName("hint")
            self.note.setText("A negated condition (~Q) is edited as text only." if text_only
                              else "Conditions are checked against the changed row; edit the rows or the Q text.")
        self.note.style().unpolish(self.note)
        self.note.style().polish(self.note)
