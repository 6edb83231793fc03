"""What the IDE remembers between sessions: recent apps and the window layout (QSettings)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 10


class Settings:
    def __init__(self, store: QSettings | None = None):
        self.store = store or QSettings("jitstudio", "jitstudio")

    def recent_apps(self) -> list[Path]:
        raw = self.store.value("recent/apps", []) or []
        if isinstance(raw, str):
            raw = [raw]
        return [Path(p) for p in raw if Path(p, "app.json").is_file()]

    def add_recent(self, root: Path) -> None:
        root = Path(root).resolve()
        paths = [str(root)] + [str(p) for p in self.recent_apps() if p.resolve() != root]
        self.store.setValue("recent/apps", paths[:MAX_RECENT])

    def remove_recent(self, root: Path) -> None:
        keep = [str(p) for p in self.recent_apps() if p.resolve() != Path(root).resolve()]
        self.store.setValue("recent/apps", keep)

    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        return self.store.value("window/geometry"), self.store.value("window/state")

    def save_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        self.store.setValue("window/geometry", geometry)
        self.store.setValue("window/state", state)
        self.store.sync()
