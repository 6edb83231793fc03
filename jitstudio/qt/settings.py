"""What the IDE remembers between sessions: recent apps, the window layout and the preferences (QSettings)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 10
THEMES = ("system", "light", "dark")


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _bool(value) -> bool:
    return value is True or str(value).lower() in ("true", "1")  # an ini file gives back "true"


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

    def preferences(self) -> dict:
        """What the Preferences dialog sets: theme ("system", "light", "dark"), font sizes in points
        (0: the system's), and the code editors' line wrap and visible whitespace."""
        store = self.store
        theme = str(store.value("preferences/theme", "system"))
        return {
            "theme": theme if theme in THEMES else "system",
            "ui_font_size": _int(store.value("preferences/uiFontSize", 0)),
            "editor_font_size": _int(store.value("preferences/editorFontSize", 0)),
            "line_wrap": _bool(store.value("preferences/lineWrap", False)),
            "show_whitespace": _bool(store.value("preferences/showWhitespace", False)),
        }

    def save_preferences(self, preferences: dict) -> None:
        keys = {"theme": "theme", "ui_font_size": "uiFontSize", "editor_font_size": "editorFontSize",
                "line_wrap": "lineWrap", "show_whitespace": "showWhitespace"}
        for name, value in preferences.items():
            self.store.setValue(f"preferences/{keys[name]}", value)
        self.store.sync()

    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        return self.store.value("window/geometry"), self.store.value("window/state")

    def save_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        self.store.setValue("window/geometry", geometry)
        self.store.setValue("window/state", state)
        self.store.sync()

    # -- the tabs an app had open, reopened with it
    @staticmethod
    def _tabs_group(root: Path) -> str:
        return "tabs/" + str(Path(root).resolve()).encode().hex()

    def open_tabs(self, root: Path) -> tuple[list[str], str | None]:
        """The keys of the pages the app at `root` had open, in tab order, and the key of the current one."""
        group = self._tabs_group(root)
        raw = self.store.value(group + "/pages", []) or []
        keys = [raw] if isinstance(raw, str) else [str(k) for k in raw] if isinstance(raw, (list, tuple)) else []
        current = self.store.value(group + "/current", "") or None
        return keys, str(current) if current in keys else None

    def save_open_tabs(self, root: Path, keys: list[str], current: str | None) -> None:
        group = self._tabs_group(root)
        self.store.setValue(group + "/pages", list(keys))
        self.store.setValue(group + "/current", current or "")
        self.store.sync()
