"""Runs on the drawing: the Runs menu of a graph editor lists the latest approval instances or assistant turns
(read off the GUI thread from the engines' tables and the execution records); the one picked is drawn on the
canvas, each visited node with its status, time and what happened there, failed ones red, the links taken
green, the rest faded. "Run assistant…" starts a turn in a runtime process and draws it as its nodes run."""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog, QMenu, QToolButton

from ..workers import Worker

if TYPE_CHECKING:
    from ...runtime.runpaths import NodeVisit, RunPath
    from ..runner import RuntimeRunner
    from .editor import QtGraphEditor

RECENT_RUNS = 20


def recent_runs_of(app_dir: Path, element: str, limit: int = RECENT_RUNS) -> list[RunPath]:
    from ...runtime.runpaths import open_sources, recent_runs

    with open_sources(app_dir) as sources:
        return recent_runs(sources, element, limit)


def run_of_record_in(app_dir: Path, record_id: int) -> RunPath | None:
    """The approval or assistant turn an execution is part of (None: it is not part of one)."""
    from ...runtime.runpaths import open_sources, run_of_record

    with open_sources(app_dir) as sources:
        return run_of_record(sources, record_id)


def visit_text(visit: NodeVisit) -> str:
    parts = [visit.status]
    if visit.duration_ms is not None:
        parts.append(f"{visit.duration_ms:.0f} ms" if visit.duration_ms >= 1 else f"{visit.duration_ms:.2f} ms")
    if visit.error:
        parts.append(visit.error)
    elif visit.detail:
        parts.append(visit.detail)
    return " · ".join(parts)


class RunOverlay(QObject):
    """The editor's Runs button and the run it draws."""

    sig_open_record = Signal(str, int)  # event fullName (or ""), record id
    sig_runner = Signal(object)  # the RuntimeRunner of a live turn, as it starts

    def __init__(self, editor: QtGraphEditor):
        super().__init__(editor)
        self.editor = editor
        self.run: RunPath | None = None
        self._banner = ""  # what the run drawn is, above the canvas
        self.live: dict[str, tuple[str, str]] = {}
        self.runner: RuntimeRunner | None = None
        self._worker: Worker | None = None
        self.button = QToolButton(text="Runs", objectName="graph_runs", autoRaise=True,
                                  toolTip="Draw a recent run on the canvas: the path it took, each node's status and time",
                                  popupMode=QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self.button)
        self.menu.aboutToShow.connect(self._load)
        self.button.setMenu(self.menu)
        self.live_button = QToolButton(text="Run assistant…", objectName="graph_run_assistant", autoRaise=True,
                                       toolTip="Send a message to the assistant in a runtime process and watch its nodes run")
        self.live_button.clicked.connect(self.ask_and_run)
        self.live_button.setVisible(editor.kind == "assistant")

    # -- recent runs
    def _load(self) -> None:
        self.menu.clear()
        element = self.editor.element
        project = self.editor.project
        if element is None or project is None:
            self.menu.addAction("No app open").setEnabled(False)
            return
        self.menu.addAction("Loading runs…").setEnabled(False)
        worker = self._worker = Worker(lambda root=project.root, name=element.full_name: recent_runs_of(root, name))
        worker.signals.returned.connect(lambda runs, w=worker: self._fill(runs) if self._awaits(w) else None)
        worker.signals.errored.connect(lambda error, w=worker: self._failed(error) if self._awaits(w) else None)
        worker.start()

    def _awaits(self, worker: Worker) -> bool:
        """Whether `worker`'s answer is still wanted: it is the latest asked for, and the editor is still open
        (a page closed meanwhile has taken this overlay and its runner with it)."""
        return shiboken6.isValid(self) and shiboken6.isValid(self.editor) and worker is self._worker

    def _fill(self, runs: list[RunPath]) -> None:
        self.menu.clear()
        if self.run is not None or self.live:
            self.menu.addAction("Clear the run from the drawing", self.clear)
            self.menu.addSeparator()
        if not runs:
            self.menu.addAction("No runs recorded yet").setEnabled(False)
        for run in runs:
            self.menu.addAction(run.title, lambda r=run: self.show_run(r))

    def _failed(self, error: BaseException) -> None:
        self.menu.clear()
        self.menu.addAction(f"Could not read the runs: {error}").setEnabled(False)

    # -- drawing a run
    def show_run(self, run: RunPath, banner: str = "") -> None:
        """Draw `run`: its visits on their nodes (the last visit of a node wins), its links, the rest faded;
        `banner` says what it is (else its title, steps and where it failed)."""
        failed = [v for v in run.visits if v.status == "failed"]
        self.run, self.live = run, {}
        self._banner = banner or f"{run.title}: {len(run.visits)} steps" + (
            f", failed at {failed[0].node}: {failed[0].error}" if failed else "")
        self._draw_run()

    def _draw_run(self) -> None:
        assert self.run is not None
        visits = {visit.node: visit for visit in self.run.visits}
        self._draw({node: (visit.status, visit_text(visit)) for node, visit in visits.items()}, set(self.run.links))
        self.editor.show_run_banner(self._banner)

    def records_of(self, node_id: str) -> list[int]:
        if self.run is None:
            return []
        return [record for visit in self.run.visits if visit.node == node_id for record in visit.records]

    def _draw(self, states: dict[str, tuple[str, str]], links: set[tuple[str, str]]) -> None:
        for node_id, item in self.editor.scene.nodes.items():
            item.set_run(states.get(node_id), faded=bool(states) and node_id not in states)
        for link in self.editor.scene.links:
            taken = (link.link.source, link.link.target) in links
            link.set_taken(taken, faded=bool(states) and not taken)

    def redraw(self) -> None:
        """Draw the run again after the canvas was rebuilt from the text."""
        if self.run is not None:
            self._draw_run()
        elif self.live:
            self._draw(self.live, set())

    def clear(self) -> None:
        self.run, self.live = None, {}
        self._draw({}, set())
        self.editor.show_run_banner("")

    # -- a live turn
    def ask_and_run(self) -> None:
        if self.editor.element is None:
            return
        text, ok = QInputDialog.getText(self.editor, "Run assistant", f"Message to {self.editor.element.full_name}:")
        if ok and text.strip():
            self.start_turn(text.strip())

    def start_turn(self, message: str, inputs: dict[str, Any] | None = None) -> RuntimeRunner | None:
        """Start a turn in a runtime process (`jitstudio assistant … --progress`) and draw each node as it runs."""
        from ...cli._process import runtime_args
        from ..runner import RuntimeRunner

        project, element = self.editor.project, self.editor.element
        if project is None or element is None or (self.runner is not None and self.runner.is_running()):
            return None
        args = ["assistant", str(project.root), element.full_name, message, "--progress", "--json"]
        if inputs:
            args += ["--inputs", json.dumps(inputs, ensure_ascii=False)]
        self.run, self.live, self._line, self._read, self._started = None, {}, "", 0, time.monotonic()
        self._order: list[str] = []
        self._taken: set[tuple[str, str]] = set()
        self._record: int | None = None
        self._draw({}, set())
        runner = self.runner = RuntimeRunner(self)
        runner.sig_output.connect(self._output)
        runner.sig_finished.connect(self._finished)
        self.live_button.setEnabled(False)
        self.editor.show_run_banner(f"Running {element.full_name}: “{message}”…")
        runner.start(runtime_args(args), app_dir=project.root)
        self.sig_runner.emit(runner)
        return runner

    def _output(self, _chunk: str) -> None:
        runner = self.runner
        if runner is None:
            return
        fresh, self._read = runner.stdout[self._read :], len(runner.stdout)  # stderr is not in stdout
        self._line += fresh
        *lines, self._line = self._line.split("\n")
        for line in lines:
            self._progress(line)

    def _progress(self, line: str) -> None:
        try:
            step = json.loads(line)
        except ValueError:
            return
        if not isinstance(step, dict) or "node" not in step or "status" not in step:
            return
        text = step["status"]
        if step.get("durationMs") is not None:
            text += f" · {step['durationMs']:.0f} ms"
        if step.get("error"):
            text += f" · {step['error']}"
        node = str(step["node"])
        if step["status"] == "running":
            edges = {(link.link.source, link.link.target) for link in self.editor.scene.links}
            came_from = next((done for done in reversed(self._order) if (done, node) in edges), None)
            if came_from is not None:
                self._taken.add((came_from, node))
            self._order.append(node)
        if isinstance(step.get("recordId"), int):
            self._record = step["recordId"]
        self.live[node] = (str(step["status"]), text)
        self._draw(self.live, self._taken)

    def _finished(self, code: int, how: str) -> None:
        self.live_button.setEnabled(True)
        seconds = time.monotonic() - self._started
        failed = [node for node, (status, _text) in self.live.items() if status == "failed"]
        reply = self._reply()
        if how != "finished":
            outcome = f"the runtime process {how}"
        elif failed:
            outcome = f"failed at {failed[0]}"
        else:
            outcome = f"replied: {reply}" if reply else ("finished" if code == 0 else f"exited with code {code}")
        self._banner = (f"Turn of {self.editor.element.full_name if self.editor.element else ''}: "
                        f"{len(self.live)} nodes in {seconds:.1f} s, {outcome}")
        self.editor.show_run_banner(self._banner)
        if self._record is not None and self.editor.project is not None:
            self._load_recorded(self.editor.project.root, self._record)

    def _load_recorded(self, root: Path, record_id: int) -> None:
        """The finished turn as recorded: what each node did and the records fired there (links to open)."""
        worker = self._worker = Worker(lambda: run_of_record_in(root, record_id))
        worker.signals.returned.connect(lambda run, w=worker: self._recorded(run) if self._awaits(w) else None)
        worker.start()

    def _recorded(self, run: RunPath | None) -> None:
        if run is None or (self.runner is not None and self.runner.is_running()) or not self.live:
            return
        self.show_run(run, self._banner)  # the live turn's summary stays, the drawing gains what was recorded

    def _reply(self) -> str:
        from ..runner import parse_result

        result = parse_result(self.runner.stdout) if self.runner is not None else None
        reply = result.get("reply") if isinstance(result, dict) else None
        return str(reply)[:160] if reply is not None else ""
