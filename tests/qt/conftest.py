import pytest


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory, monkeypatch):
    """Every test gets its own QSettings file, never the user's."""
    from PySide6.QtCore import QSettings

    from jitstudio.qt import settings as settings_module

    folder = tmp_path_factory.mktemp("settings")
    monkeypatch.setattr(settings_module, "QSettings", lambda *a: QSettings(str(folder / "jitstudio.ini"), QSettings.Format.IniFormat))
    yield


@pytest.fixture
def project(shop):
    from jitstudio.project import load_project

    return load_project(shop)


@pytest.fixture
def window(qtbot, shop):
    from PySide6.QtWidgets import QApplication

    from jitstudio.qt.main_window import MainWindow
    from jitstudio.qt.theme import apply_theme

    apply_theme(QApplication.instance(), dark=False)
    win = MainWindow()
    win.tabs.ask = lambda parent, names: "discard"  # no modal question when the test closes the window
    qtbot.addWidget(win)
    win.open_app(shop, wait=True)
    win.show()
    yield win


@pytest.fixture
def open_page(qtbot):
    """Records pages shown at the screenshot size, shut down (their worker threads stopped) after the test."""
    from jitstudio.qt.records import QtRecordsPage

    pages = []

    def make(source, event=None, **kw) -> QtRecordsPage:
        page = QtRecordsPage(source, event, **kw)
        qtbot.addWidget(page)
        page.resize(1400, 880)
        page.show()
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.shutdown()
