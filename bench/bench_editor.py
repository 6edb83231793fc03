"""Benchmark of the function editor's views, offscreen (run by hand: python bench/bench_editor.py).

On 300- and 1,000-statement functions it times, in the shown editor with its events processed:
- a field edit in the visual editor (`edit_field`: the minimal source edit, the code view's splice and
  re-highlight, the cards refreshed in place), next to the engine's own `FunctionDocument.set_field`;
- a keystroke in the code view (the key press, its re-highlight and the editor's bookkeeping);
- the re-sync the debounce runs after a pause in typing (`flush_typing`: code -> cards).

`rows()` gives the same figures as (name, best_ms, median_ms, target_ms) rows for a script that runs every bench.
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

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


SIZES = (300, 1000)
# The figures with a target (README, Figures): a frame, 16 ms, at 1,000 statements.
TARGETS_MS = {(1000, "engine set_field"): 16.0, (1000, "visual field edit"): 16.0, (1000, "code keystroke"): 16.0}


class Row(NamedTuple):
    name: str
    best_ms: float
    median_ms: float
    target_ms: float | None  # None: a figure without a target


def measure_sizes(sizes: Iterable[int] = SIZES) -> Iterator[tuple[int, dict[str, tuple[float, float]]]]:
    """(statements, {figure: (best, median) in ms}) for each size, as each is measured."""
    app = QApplication.instance() or QApplication(["bench"])
    with tempfile.TemporaryDirectory() as folder:
        for statements in sizes:
            yield statements, measure(app, statements, Path(folder))


def rows(sizes: Iterable[int] = SIZES) -> list[Row]:
    """Every figure as a row named "<figure>, <n> statements" ("visual field edit" is the editor's `edit_field`)."""
    return [Row(f"{name}, {statements:,} statements", best, median, TARGETS_MS.get((statements, name)))
            for statements, results in measure_sizes(sizes) for name, (best, median) in results.items()]


def main() -> None:
    for statements, results in measure_sizes():
        engine = results["engine set_field"][0]
        print(f"{statements} statements")
        for name, (best, median) in results.items():
            ratio = "" if name == "engine set_field" else f"  = {best / engine:5.1f} x set_field"
            print(f"  {name:22s} {best:8.2f} ms (median {median:7.2f}){ratio}")


if __name__ == "__main__":
    main()
