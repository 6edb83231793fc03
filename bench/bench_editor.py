"""Benchmark of the function editor's views, offscreen (run by hand: python bench/bench_editor.py).

On 300- and 1,000-statement functions it times, in the shown editor with its events processed:
- a field edit in the visual editor (`edit_field`: the minimal source edit, the code view's splice and
  re-highlight, the cards refreshed in place), next to the engine's own `FunctionDocument.set_field`;
- a keystroke in the code view (the key press, its re-highlight and the editor's bookkeeping);
- the re-sync the debounce runs after a pause in typing (`flush_typing`: code -> cards).
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_codesync import make_source  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from jitstudio.codesync import FunctionDocument  # noqa: E402
from jitstudio.qt.funceditor import QtFunctionEditor  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, float]:
    """(best, median) in ms."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000, statistics.median(times) * 1000


def measure(app: QApplication, statements: int, folder: Path) -> dict[str, tuple[float, float]]:
    source = make_source(statements)
    path = folder / f"inner_{statements}.py"
    path.write_text(source, encoding="utf-8")
    values = iter(f"eventOutData.postData.value['amount'] * {n}" for n in range(10 ** 6))

    doc = FunctionDocument.from_source(source)
    target = [c for c in doc.walk() if c.kind.value == "assign"][len(doc.cards) // 12]
    results = {"engine set_field": timed(lambda: doc.set_field(target.id, "value", next(values)), 30)}

    editor = QtFunctionEditor(None, path)
    editor.resize(1100, 800)
    editor.show()
    app.processEvents()
    card = [c for c in editor.doc.walk() if c.kind.value == "assign"][len(editor.doc.cards) // 12]

    def field_edit():
        editor.edit_field(card.id, "value", next(values))
        app.processEvents()

    results["visual field edit"] = timed(field_edit, 30)

    editor.set_mode("code")
    view = editor.code_view
    cursor = QTextCursor(view.document().findBlockByNumber(card.line_span[0] - 1))
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    view.setTextCursor(cursor)
    view.centerCursor()
    app.processEvents()
    keys = iter([Qt.Key.Key_1, Qt.Key.Key_Backspace] * 10 ** 4)

    def keystroke():
        QTest.keyClick(view, next(keys))
        app.processEvents()

    results["code keystroke"] = timed(keystroke, 60)

    def resync():
        QTest.keyClick(view, next(keys))
        app.processEvents()
        editor.flush_typing()
        app.processEvents()

    results["keystroke + re-sync"] = timed(resync, 10)
    editor.close()
    editor.deleteLater()
    app.processEvents()
    return results


def main() -> None:
    app = QApplication.instance() or QApplication(["bench"])
    with tempfile.TemporaryDirectory() as folder:
        for statements in (300, 1000):
            results = measure(app, statements, Path(folder))
            engine = results["engine set_field"][0]
            print(f"{statements} statements")
            for name, (best, median) in results.items():
                ratio = "" if name == "engine set_field" else f"  = {best / engine:5.1f} x set_field"
                print(f"  {name:22s} {best:8.2f} ms (median {median:7.2f}){ratio}")


if __name__ == "__main__":
    main()
