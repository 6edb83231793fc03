"""Form layouts turned for a narrow side pane: each label above its field instead of beside it."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget


def labels_above(pane: QWidget) -> None:
    for form in pane.findChildren(QFormLayout):
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        form.setVerticalSpacing(3)
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            label = item.widget() if item is not None else None
            if isinstance(label, QLabel):
                label.setMinimumWidth(0)
                label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
                label.setContentsMargins(0, 6, 0, 0)
                label.setObjectName(label.objectName() or "fieldLabel")
                if not label.text():
                    label.setFixedHeight(0)  # above its field an empty label is only a gap
        if form.parentWidget() is not None:
            form.parentWidget().updateGeometry()  # the enclosing layouts cache the unwrapped width
