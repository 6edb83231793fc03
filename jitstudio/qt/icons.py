"""Icons: small SVGs shipped in resources/icons, with QStyle's standard pixmaps as fallback."""
from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

_CANDIDATES = (
    Path(__file__).resolve().parents[2] / "resources" / "icons",
    Path(__file__).resolve().parent / "resources" / "icons",
    Path(sys.prefix) / "share" / "jitstudio" / "icons",
)
FAMILY_ICONS = {
    "models": "model", "services": "service", "events": "event", "workflows": "workflow",
    "aiagents": "agent", "aiassistants": "assistant",
}
_FALLBACK = {
    "folder": QStyle.StandardPixmap.SP_DirIcon, "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
    "warning": QStyle.StandardPixmap.SP_MessageBoxWarning, "play": QStyle.StandardPixmap.SP_MediaPlay,
    "stop": QStyle.StandardPixmap.SP_MediaStop,
}


def icons_dir() -> Path:
    return next((p for p in _CANDIDATES if p.is_dir()), _CANDIDATES[0])


@lru_cache(maxsize=None)
def icon(name: str) -> QIcon:
    path = icons_dir() / f"{name}.svg"
    if path.is_file():
        return QIcon(str(path))
    style = QApplication.style()
    return style.standardIcon(_FALLBACK.get(name, QStyle.StandardPixmap.SP_FileIcon))


def standard(pixmap: QStyle.StandardPixmap) -> QIcon:
    return QApplication.style().standardIcon(pixmap)


def family_icon(family: str) -> QIcon:
    return icon(FAMILY_ICONS.get(family, "folder"))
