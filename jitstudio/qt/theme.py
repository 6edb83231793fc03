"""Light and dark palettes that follow the system colour scheme."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

ACCENT = "#2f6fdf"
_LIGHT = {
    "Window": "#f3f4f6", "WindowText": "#1f2328", "Base": "#ffffff", "AlternateBase": "#f6f8fa",
    "ToolTipBase": "#ffffff", "ToolTipText": "#1f2328", "Text": "#1f2328", "Button": "#eceef1",
    "ButtonText": "#1f2328", "BrightText": "#d1242f", "Highlight": ACCENT, "HighlightedText": "#ffffff",
    "Link": "#0969da", "PlaceholderText": "#8b949e", "Mid": "#c8ccd1", "Midlight": "#e1e4e8",
    "Dark": "#a0a7b0", "Shadow": "#7d858f", "Light": "#ffffff",
}
_DARK = {
    "Window": "#1e2127", "WindowText": "#d7dae0", "Base": "#16181d", "AlternateBase": "#1b1e24",
    "ToolTipBase": "#2b2f36", "ToolTipText": "#d7dae0", "Text": "#d7dae0", "Button": "#2b2f36",
    "ButtonText": "#d7dae0", "BrightText": "#ff7b72", "Highlight": "#3d7bf0", "HighlightedText": "#ffffff",
    "Link": "#58a6ff", "PlaceholderText": "#6e7681", "Mid": "#3a3f47", "Midlight": "#31353c",
    "Dark": "#111317", "Shadow": "#0b0c0f", "Light": "#3a3f47",
}
STYLE_SHEET = """
QTabBar::tab { padding: 5px 12px; }
QDockWidget::title { padding: 4px 6px; }
QToolButton#plusButton { padding: 2px; }
QLabel#pageTitle { font-size: 15pt; font-weight: 600; }
QLabel#pageSubtitle, QLabel#hint { color: palette(placeholder-text); }
QLabel#error { color: #d1242f; }
QLabel#sectionTitle { font-weight: 600; font-size: 10.5pt; padding-top: 6px; }
QFrame#pageHeader { border-bottom: 1px solid palette(mid); background: palette(base); }
QLabel#badge { border: 1px solid palette(mid); border-radius: 8px; padding: 1px 8px; }
"""


def palette_for(dark: bool) -> QPalette:
    palette = QPalette()
    for role, color in (_DARK if dark else _LIGHT).items():
        palette.setColor(getattr(QPalette.ColorRole, role), QColor(color))
    muted = QColor("#6e7681" if dark else "#9aa1a9")
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, muted)
    return palette


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def apply_theme(app: QApplication, dark: bool | None = None) -> None:
    """Fusion with our palette; with dark=None the system scheme decides and later changes are followed."""
    app.setStyle("Fusion")
    app.setPalette(palette_for(system_is_dark() if dark is None else dark))
    app.setStyleSheet(STYLE_SHEET)
    if dark is None and not app.property("jitstudioFollowsScheme"):
        app.setProperty("jitstudioFollowsScheme", True)
        QGuiApplication.styleHints().colorSchemeChanged.connect(lambda _scheme: app.setPalette(palette_for(system_is_dark())))
