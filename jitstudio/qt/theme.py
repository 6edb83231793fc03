"""Light and dark palettes that follow the system colour scheme, and the few text colours the palettes have
no role for (errors, warnings, success), each readable (WCAG AA) on the theme's backgrounds."""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleFactory

ACCENT = "#2f6fdf"
_LIGHT = {
    "Window": "#f3f4f6", "WindowText": "#1f2328", "Base": "#ffffff", "AlternateBase": "#f6f8fa",
    "ToolTipBase": "#ffffff", "ToolTipText": "#1f2328", "Text": "#1f2328", "Button": "#eceef1",
    "ButtonText": "#1f2328", "BrightText": "#c62828", "Highlight": ACCENT, "HighlightedText": "#ffffff",
    "Link": "#0969da", "LinkVisited": "#845a00", "PlaceholderText": "#5f6771", "Mid": "#c8ccd1",
    "Midlight": "#e1e4e8", "Dark": "#a0a7b0", "Shadow": "#7d858f", "Light": "#ffffff",
}
_DARK = {
    "Window": "#1e2127", "WindowText": "#d7dae0", "Base": "#16181d", "AlternateBase": "#1b1e24",
    "ToolTipBase": "#2b2f36", "ToolTipText": "#d7dae0", "Text": "#d7dae0", "Button": "#2b2f36",
    "ButtonText": "#d7dae0", "BrightText": "#ff7b72", "Highlight": ACCENT, "HighlightedText": "#ffffff",
    "Link": "#58a6ff", "LinkVisited": "#d29922", "PlaceholderText": "#9198a1", "Mid": "#4a505a",
    "Midlight": "#3a3f47", "Dark": "#111317", "Shadow": "#0b0c0f", "Light": "#3a3f47",
}
# Text colours beyond the palette's roles. Style sheets reach them as palette(bright-text) (errors) and
# palette(link-visited) (warnings: nothing in the IDE shows visited links).
TEXT_COLORS = {
    False: {"error": _LIGHT["BrightText"], "warning": _LIGHT["LinkVisited"], "success": "#1a7f37"},
    True: {"error": _DARK["BrightText"], "warning": _DARK["LinkVisited"], "success": "#3fb950"},
}
# Outlines of inputs, check boxes and radio buttons on dark backgrounds (Fusion derives them from the window
# colour, which leaves them invisible there); 3:1 against the backgrounds, as WCAG asks of component borders.
DARK_OUTLINE = "#7d8590"
STYLE_SHEET = """
QTabBar::tab { padding: 5px 12px; }
QDockWidget::title { padding: 4px 6px; }
QToolButton#plusButton { padding: 2px; }
QLabel#pageTitle { font-size: 15pt; font-weight: 600; }
QLabel#pageSubtitle, QLabel#hint { color: palette(placeholder-text); }
QLabel#error { color: palette(bright-text); }
QLabel#sectionTitle { font-weight: 600; font-size: 10.5pt; padding-top: 6px; }
QFrame#pageHeader { border-bottom: 1px solid palette(mid); background: palette(base); }
QLabel#badge { border: 1px solid palette(mid); border-radius: 8px; padding: 1px 8px; }
"""
# Text and background roles drawn together, checked for contrast by the tests.
TEXT_ROLE_PAIRS = (
    ("Text", "Base"), ("Text", "AlternateBase"), ("WindowText", "Window"), ("ButtonText", "Button"),
    ("ToolTipText", "ToolTipBase"), ("HighlightedText", "Highlight"), ("PlaceholderText", "Base"),
    ("PlaceholderText", "Window"), ("PlaceholderText", "Button"), ("Link", "Base"), ("Link", "Window"),
    ("BrightText", "Base"), ("BrightText", "Window"), ("LinkVisited", "Base"), ("LinkVisited", "Window"),
)


def palette_for(dark: bool) -> QPalette:
    palette = QPalette()
    for role, color in (_DARK if dark else _LIGHT).items():
        palette.setColor(getattr(QPalette.ColorRole, role), QColor(color))
    muted = QColor("#6e7681" if dark else "#9aa1a9")
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, muted)
    return palette


def text_color(kind: str, palette: QPalette | None = None) -> QColor:
    """The "error", "warning" or "success" text colour of the theme `palette` (default: the app's) belongs to."""
    return QColor(TEXT_COLORS[is_dark(palette)][kind])


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


class OutlinedStyle(QProxyStyle):
    """Fusion, with inputs, check boxes and radio buttons outlined so that they show on dark backgrounds."""

    FRAMED = (QStyle.PrimitiveElement.PE_FrameLineEdit, QStyle.PrimitiveElement.PE_IndicatorCheckBox,
              QStyle.PrimitiveElement.PE_IndicatorRadioButton)

    def __init__(self):
        super().__init__(QStyleFactory.create("Fusion"))

    def drawPrimitive(self, element, option, painter, widget=None) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element in self.FRAMED and is_dark(option.palette):
            round_shape = element == QStyle.PrimitiveElement.PE_IndicatorRadioButton
            self._outline(painter, QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5), round_shape)

    def drawComplexControl(self, control, option, painter, widget=None) -> None:
        super().drawComplexControl(control, option, painter, widget)
        if control in (QStyle.ComplexControl.CC_ComboBox, QStyle.ComplexControl.CC_SpinBox) \
                and is_dark(option.palette) and getattr(option, "frame", True):
            self._outline(painter, QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5), False)

    @staticmethod
    def _outline(painter: QPainter, rect: QRectF, round_shape: bool) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(DARK_OUTLINE), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if round_shape:
            painter.drawEllipse(rect)
        else:
            painter.drawRoundedRect(rect, 2, 2)
        painter.restore()


_styles: list[OutlinedStyle] = []


def apply_theme(app: QApplication, dark: bool | None = None) -> None:
    """Fusion with our palette; with dark=None the system scheme decides and later changes are followed."""
    if not isinstance(app.style(), OutlinedStyle):
        _styles.append(OutlinedStyle())  # kept alive here: the application does not own a Python style
        app.setStyle(_styles[-1])
    app.setProperty("jitstudioTheme", "system" if dark is None else "dark" if dark else "light")
    app.setPalette(palette_for(system_is_dark() if dark is None else dark))
    app.setStyleSheet(STYLE_SHEET)
    if not app.property("jitstudioWatchesScheme"):
        app.setProperty("jitstudioWatchesScheme", True)
        QGuiApplication.styleHints().colorSchemeChanged.connect(lambda _scheme: _follow_scheme(app))


def _follow_scheme(app: QApplication) -> None:
    if app.property("jitstudioTheme") == "system":
        app.setPalette(palette_for(system_is_dark()))
