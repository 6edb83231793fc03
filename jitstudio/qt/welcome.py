"""QtWelcomePage: shown when no app is open: Open, New from the example, recent apps."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCommandLinkButton, QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget,
)

from .icons import icon

PATH_ROLE = Qt.ItemDataRole.UserRole + 1


class QtWelcomePage(QWidget):
    sig_open_app = Signal(str)
    sig_open_dialog = Signal()
    sig_new_from_example = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        logo = QLabel()
        logo.setPixmap(icon("app").pixmap(QSize(56, 56)))
        title = QLabel("jitstudio", objectName="pageTitle")
        title.setStyleSheet("font-size: 24pt;")
        tagline = QLabel("Build event-driven low-code apps: models, services, events, workflows, agents and assistants.",
                         objectName="pageSubtitle", wordWrap=True)
        head = QHBoxLayout()
        head.addWidget(logo)
        names = QVBoxLayout()
        names.addWidget(title)
        names.addWidget(tagline)
        head.addLayout(names, 1)

        self.open_button = QCommandLinkButton("Open app…", "Open an app folder (one with app.json).")
        self.open_button.setObjectName("openApp")
        self.new_button = QCommandLinkButton("New app from the example…", "Copy the Shop example (orders, refunds, an agent and an assistant) to a folder and open it.")
        self.new_button.setObjectName("newFromExample")
        self.open_button.clicked.connect(self.sig_open_dialog)
        self.new_button.clicked.connect(self.sig_new_from_example)
        start = QVBoxLayout()
        start.addWidget(QLabel("Start", objectName="sectionTitle"))
        start.addWidget(self.open_button)
        start.addWidget(self.new_button)
        start.addStretch(1)
        start.setSpacing(6)

        self.recent = QListWidget(objectName="recentApps")
        self.recent.setIconSize(QSize(20, 20))
        self.recent.setSpacing(3)
        self.recent.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.recent.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.recent.setWordWrap(False)
        self.recent.itemActivated.connect(lambda item: self.sig_open_app.emit(item.data(PATH_ROLE)))
        self.no_recent = QLabel("No recent apps yet.", objectName="hint")
        recent = QVBoxLayout()
        recent.addWidget(QLabel("Recent apps", objectName="sectionTitle"))
        recent.addWidget(self.recent, 1)
        recent.addWidget(self.no_recent)

        columns = QHBoxLayout()
        columns.setSpacing(32)
        columns.addLayout(start, 1)
        columns.addLayout(recent, 1)
        card = QFrame(objectName="welcomeCard")
        card.setMaximumWidth(980)
        card.setMaximumHeight(620)
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(32, 28, 32, 28)
        card_layout.setSpacing(20)
        card_layout.addLayout(head)
        card_layout.addWidget(QFrame(frameShape=QFrame.Shape.HLine, frameShadow=QFrame.Shadow.Sunken))
        card_layout.addLayout(columns, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 40, 40, 40)
        outer.addStretch(1)
        outer.addWidget(card, 4, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(1)

    def set_recent(self, paths: list[Path]) -> None:
        self.recent.clear()
        for path in paths:
            item = QListWidgetItem(icon("app"), f"{path.name}\n{path}")
            item.setData(PATH_ROLE, str(path))
            item.setToolTip(str(path))
            self.recent.addItem(item)
        self.no_recent.setVisible(not paths)
        self.recent.setVisible(bool(paths))
