"""A layout that fits (1024x700 with any page open, a readable element tree, a window within its screen, Save at
the top right) and a readable theme: text on its background at WCAG AA contrast (4.5:1), light and dark."""
import re

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QCheckBox, QLineEdit, QRadioButton, QStyle, QVBoxLayout, QWidget

from jitstudio.qt.funceditor._style import STYLE as FUNCTION_EDITOR_STYLE
from jitstudio.qt.main_window import MainWindow
from jitstudio.qt.settings import Settings
from jitstudio.qt.theme import STYLE_SHEET, TEXT_COLORS, TEXT_ROLE_PAIRS, apply_theme, palette_for
from jitstudio.qt.tree.element_tree import FULL_NAME_ROLE, MIN_WIDTH

AA = 4.5
WAIT_MS = 20_000


def luminance(color: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())


def contrast(a: QColor, b: QColor) -> float:
    light, dark = sorted((luminance(QColor(a)), luminance(QColor(b))), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def most_contrast_in(image, background: QColor) -> float:
    """The strongest contrast any pixel of `image` has with `background`."""
    return max(contrast(image.pixelColor(x, y), background) for x in range(image.width()) for y in range(image.height()))


@pytest.fixture
def light_again():
    yield
    apply_theme(QApplication.instance(), dark=False)


# -- the layout
def _settle(qtbot, window) -> None:
    qtbot.wait(10)
    QApplication.processEvents()


def test_the_window_can_be_1024x700_with_each_kind_of_page_open_and_the_tree_stays_readable(qtbot, window):
    qtbot.waitUntil(lambda: window.loading.finished, timeout=WAIT_MS)
    openers = {
        "event page": lambda: window.open_element("events.OrderPaidNotify"),
        "model page": lambda: window.open_element("models.Order"),
        "service page": lambda: window.open_element("services.OrderSvc"),
        "records page": lambda: window.get_feature("records").open_records("events.OrderPaidNotify"),
    }
    for kind, open_it in openers.items():
        assert open_it() is not None, kind
        window.resize(1400, 880)
        _settle(qtbot, window)
        window.resize(1024, 700)
        _settle(qtbot, window)
        assert (kind, window.width(), window.height()) == (kind, 1024, 700)
        assert window.tree.width() >= MIN_WIDTH, kind
        assert window.tree.view.width() >= MIN_WIDTH - 20, kind


def test_the_elements_tree_cannot_be_dragged_narrower_than_readable(qtbot, window):
    window.resizeDocks([window.tree_dock], [60], Qt.Orientation.Horizontal)
    _settle(qtbot, window)
    assert window.tree.width() >= MIN_WIDTH


def test_a_saved_layout_with_a_too_narrow_tree_opens_with_a_readable_tree(qtbot, window):
    window.tree.setMinimumWidth(1)  # as a layout saved by an older version could be
    window.resizeDocks([window.tree_dock], [60], Qt.Orientation.Horizontal)
    _settle(qtbot, window)
    assert window.tree.width() < MIN_WIDTH
    window.settings.save_window_state(window.saveGeometry(), window.saveState())

    again = MainWindow(Settings())
    qtbot.addWidget(again)
    again.open_app(window.session.root, wait=True)
    again.show()
    _settle(qtbot, again)
    assert again.tree.width() >= MIN_WIDTH


def test_a_window_saved_on_a_larger_screen_opens_within_this_one(qtbot, window):
    screen = window.screen().availableGeometry()
    window.setGeometry(screen.x() + 300, screen.y() + 200, 2099, 1319)
    window.settings.save_window_state(window.saveGeometry(), window.saveState())

    again = MainWindow(Settings())
    qtbot.addWidget(again)
    again.show()
    _settle(qtbot, again)
    assert screen.contains(again.geometry())


def test_save_sits_at_the_top_right_of_event_and_element_pages(qtbot, window):
    for key in ("events.OrderPaidNotify", "models.Order"):
        page = window.open_element(key)
        _settle(qtbot, window)
        save = page.save_button.geometry().translated(page.save_button.parentWidget().mapTo(page, page.rect().topLeft()))
        assert save.bottom() < page.header.geometry().bottom(), key  # in the header band, at the top
        assert save.right() > page.width() - 120, key  # at its right end
        assert page.save_button.isVisible()


def test_a_long_title_is_cut_with_an_ellipsis_rather_than_widening_the_page(qtbot, window):
    page = window.open_element("events.OrderPaidNotify")
    page.header.title_label.setText("A very long event title " * 8)
    _settle(qtbot, window)
    window.resize(1024, 700)
    _settle(qtbot, window)
    assert window.width() == 1024
    assert page.header.title_label.toolTip().startswith("A very long event title")


# -- contrast
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_palette_text_roles_are_readable_on_their_backgrounds(dark):
    palette = palette_for(dark)
    for text, background in TEXT_ROLE_PAIRS:
        ratio = contrast(palette.color(getattr(QPalette.ColorRole, text)), palette.color(getattr(QPalette.ColorRole, background)))
        assert ratio >= AA, f"{text} on {background}: {ratio:.2f}"


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_themes_own_text_colours_are_readable_on_its_backgrounds(dark):
    palette = palette_for(dark)
    for kind, color in TEXT_COLORS[dark].items():
        for background in ("Base", "Window", "AlternateBase"):
            ratio = contrast(QColor(color), palette.color(getattr(QPalette.ColorRole, background)))
            assert ratio >= AA, f"{kind} {color} on {background}: {ratio:.2f}"


def _style_rules(sheet: str) -> dict[str, str]:
    return {selector.strip(): body for selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", sheet)}


@pytest.mark.parametrize("sheet", [STYLE_SHEET, FUNCTION_EDITOR_STYLE], ids=["app", "function editor"])
def test_hard_coded_text_colours_in_style_sheets_are_readable_in_both_themes(sheet):
    """A fixed text colour is checked on its rule's (or its enclosing frame's) fixed background, else on the
    backgrounds of both themes."""
    rules = _style_rules(sheet)
    checked = 0
    for selector, body in rules.items():
        color = re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", body)
        if color is None:
            continue
        own = re.search(r"background:\s*(#[0-9a-fA-F]{6})", body)
        frame = re.search(r"background:\s*(#[0-9a-fA-F]{6})", rules.get(selector.rsplit(" ", 1)[0], ""))
        fixed = (own or frame)
        backgrounds = [QColor(fixed.group(1))] if fixed else [
            palette_for(dark).color(role) for dark in (False, True)
            for role in (QPalette.ColorRole.Base, QPalette.ColorRole.Window)]
        for background in backgrounds:
            ratio = contrast(QColor(color.group(1)), background)
            assert ratio >= AA, f"{selector}: {color.group(1)} on {background.name()}: {ratio:.2f}"
        checked += 1
    assert sheet is STYLE_SHEET or checked >= 2  # the function editor's banners have fixed colours


def test_element_names_in_the_tree_are_readable_in_the_dark_theme(qtbot, window, light_again):
    apply_theme(QApplication.instance(), dark=True)
    window.tree.set_failure_counts({"events.StockGuard": 2})
    _settle(qtbot, window)
    view = window.tree.view
    base = view.palette().color(QPalette.ColorRole.Base)
    for full_name in ("models.Order", "events.StockGuard"):
        window.tree.select(full_name)
        view.clearSelection()  # the name on the tree's own background, not the selection's
        view.setCurrentIndex(QModelIndex())
        _settle(qtbot, window)
        index = next(i for i in window.tree._walk(QModelIndex()) if i.data(FULL_NAME_ROLE) == full_name)
        icon_width = view.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize) + 12
        rect = view.visualRect(index).adjusted(icon_width, 0, 0, 0)  # the name, not its coloured icon
        image = view.viewport().grab(rect).toImage()
        assert most_contrast_in(image, base) >= AA, full_name


def _dark_form(qtbot) -> tuple[QWidget, list[QWidget]]:
    apply_theme(QApplication.instance(), dark=True)
    form = QWidget()
    qtbot.addWidget(form)
    fields = [QLineEdit(), QCheckBox(), QRadioButton()]
    layout = QVBoxLayout(form)
    for field in fields:
        layout.addWidget(field)
    form.show()
    qtbot.waitExposed(form)
    return form, fields


def test_input_borders_and_check_box_outlines_show_in_the_dark_theme(qtbot, light_again):
    form, fields = _dark_form(qtbot)
    window_color = form.palette().color(QPalette.ColorRole.Window)
    for field in fields:
        image = field.grab().toImage()
        assert most_contrast_in(image, window_color) >= 3.0, type(field).__name__  # WCAG: component outlines
