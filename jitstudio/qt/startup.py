"""Loading in steps once the window has been painted, so that its frame and element tree come first.

Each step does its slow part (importing the pages, building the highlighters' lexers, importing the record
store…) on a worker thread and its finishing part on the GUI thread. The steps run one after another, so they
do not compete with each other, or with the loading app, for the interpreter. `when_done` runs work that
needs a step once that step has finished (at once when it has): a click that came early is not lost."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from .workers import Worker, error_text

EVERY_STEP = ""  # the name `when_done` takes for the moment the steps have first all run


@dataclass
class LoadingStep:
    name: str
    in_background: Callable[[], Any] | None = None
    then: Callable[[Any], None] | None = None


class DeferredLoading(QObject):
    """Steps run in the order they were added, from `start()` on; a step that fails is reported and passed."""

    sig_step_done = Signal(str)
    sig_step_failed = Signal(str, str)  # step, traceback
    sig_finished = Signal()  # the steps have first all run

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.queue: list[LoadingStep] = []
        self.done: set[str] = set()
        self.failed: dict[str, str] = {}  # step → traceback
        self.current: LoadingStep | None = None
        self.started = False
        self.finished = False
        self._waiting: dict[str, list[Callable[[], Any]]] = {}

    def add(self, name: str, in_background: Callable[[], Any] | None = None,
            then: Callable[[Any], None] | None = None) -> None:
        if name == EVERY_STEP or name in self.done or any(step.name == name for step in self.pending()):
            raise ValueError(f"a loading step named {name!r} exists already")
        self.queue.append(LoadingStep(name, in_background, then))
        if self.started and self.current is None:
            self._run_next()

    def pending(self) -> list[LoadingStep]:
        return ([self.current] if self.current is not None else []) + self.queue

    def start(self) -> None:
        """Run the steps from the next turn of the event loop on (`started` is True at once)."""
        if not self.started:
            self.started = True
            QTimer.singleShot(0, self, self._run_next)

    def is_done(self, name: str = EVERY_STEP) -> bool:
        if name == EVERY_STEP:
            return self.finished
        return name in self.done or all(step.name != name for step in self.pending())

    def when_done(self, name: str, callback: Callable[[], Any]) -> None:
        """Run `callback` on the GUI thread once the step `name` (EVERY_STEP: all of them) has finished; at
        once when it has, or when there is no such step."""
        if self.is_done(name):
            callback()
        else:
            self._waiting.setdefault(name, []).append(callback)

    def _run_next(self) -> None:
        if self.current is not None:
            return
        if not self.queue:
            self._finish()
            return
        step = self.current = self.queue.pop(0)
        if step.in_background is None:
            self._returned(None)
            return
        worker = Worker(step.in_background)
        worker.signals.returned.connect(self._returned)
        worker.signals.errored.connect(self._errored)
        worker.start()

    def _returned(self, result: Any) -> None:
        step = self.current
        if step is None:
            return
        if step.then is not None:
            try:
                step.then(result)
            except Exception as error:  # a step's failure is reported, and the next steps still run
                self._errored(error)
                return
        self._step_over(step)

    def _errored(self, error: BaseException) -> None:
        step = self.current
        if step is not None:
            self.failed[step.name] = error_text(error)
            self.sig_step_failed.emit(step.name, self.failed[step.name])
            self._step_over(step)

    def _step_over(self, step: LoadingStep) -> None:
        self.current = None
        self.done.add(step.name)
        self.sig_step_done.emit(step.name)
        for callback in self._waiting.pop(step.name, []):
            callback()
        QTimer.singleShot(0, self, self._run_next)  # the GUI gets a turn of the event loop between steps

    def _finish(self) -> None:
        if self.finished:
            return
        self.finished = True
        self.sig_finished.emit()
        for callback in self._waiting.pop(EVERY_STEP, []):
            callback()


class _FirstPaint(QObject):
    def __init__(self, widget: QWidget, callback: Callable[[], Any]):
        super().__init__(widget)
        self.callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._call)
        return False

    def _call(self) -> None:
        self.callback()
        self.deleteLater()


def after_first_paint(widget: QWidget, callback: Callable[[], Any]) -> None:
    """Call `callback` once, on the turn of the event loop after `widget` was first painted (by then the
    whole paint pass, its children included, is over)."""
    _FirstPaint(widget, callback)
