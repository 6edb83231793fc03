"""Benchmark of the graph editor, offscreen (python bench/bench_graph.py [--nodes N] [--runs N]).

On a generated approval workflow of 300 nodes whose config.json carries no positions it times:
- open: the editor made over the config.json tab, the graph read, laid out in layers, drawn and painted;
- one drag frame: a node moved by the pointer (its links follow) and the viewport repainted;
- one edit to disk: a moved node written to config.json (the smallest text change, one undo step, the file
  written) and the drawing brought up to date.

`rows()` gives (name, best_ms, median_ms, target_ms) rows for bench/run_all.py.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QPointF  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

TARGETS = {"open and lay out": 300.0, "one drag frame": 16.0, "one drag frame, the whole graph in view": 16.0,
           "one edit written to disk": 50.0,
           "the page's config.json tab loaded (not part of the graph editor)": None}


def make_workflow(nodes: int) -> dict:
    """start → (approval → branch → two approvals that meet again)… → end, `nodes` in all, no positions."""
    node_list = [{"name": "start", "title": "Submitted", "type": 0}]
    links: list[dict] = []
    users = {"users": ["manager"], "roles": []}
    config: dict = {}
    last = "start"
    count = 1
    while count < nodes - 1:
        k = count
        approve, branch, left, right = f"approve{k}", f"branch{k}", f"left{k}", f"right{k}"
        node_list += [{"name": approve, "title": f"Approval {k}", "type": 1}, {"name": branch, "title": f"Over {k}?", "type": 4},
                      {"name": left, "title": f"Large {k}", "type": 1}, {"name": right, "title": f"Small {k}", "type": 1}]
        links += [{"linkId": f"l{k}a", "from": last, "to": approve}, {"linkId": f"l{k}b", "from": approve, "to": branch},
                  {"linkId": f"l{k}c", "from": branch, "to": left, "condition": f"Q(Q('amount', '>', {k}))"},
                  {"linkId": f"l{k}d", "from": branch, "to": right, "else": True}]
        for name in (approve, left, right):
            config[name] = {"approvers": users}
        join = f"join{k}"
        node_list.append({"name": join, "title": f"Review {k}", "type": 1})
        config[join] = {"approvers": users}
        links += [{"linkId": f"l{k}e", "from": left, "to": join}, {"linkId": f"l{k}f", "from": right, "to": join}]
        last = join
        count += 5
    node_list.append({"name": "end", "title": "Decided", "type": 7})
    links.append({"linkId": "last", "from": last, "to": "end"})
    return {"modelName": "models.Order", "nodeList": node_list, "linkList": links, "nodeConfig": config}


def _timed(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def measure(nodes: int = 300, runs: int = 5) -> dict[str, list[float]]:
    from jitstudio.qt.graph.editor import QtGraphEditor
    from jitstudio.qt.pages.file_page import FileEditor

    app = QApplication.instance() or QApplication(["bench"])
    folder = Path(tempfile.mkdtemp(prefix="bench-graph-"))
    path = folder / "config.json"
    text = json.dumps(make_workflow(nodes), indent=2)
    figures: dict[str, list[float]] = {}
    editors = []

    path.write_text(text, encoding="utf-8")
    files = []

    def load_json_tab() -> None:
        files.append(FileEditor(folder, path))

    figures["the page's config.json tab loaded (not part of the graph editor)"] = _timed(load_json_tab, runs)
    waiting = iter(files)

    def open_editor() -> None:
        file = next(waiting)
        editor = QtGraphEditor("workflow", file)
        editor.resize(1400, 900)
        editor.show()
        app.processEvents()
        editor.view.viewport().repaint()
        editors.append((file, editor))

    figures["open and lay out"] = _timed(open_editor, runs)
    file, editor = editors[-1]
    assert len(editor.scene.nodes) >= nodes - 5, len(editor.scene.nodes)
    item = editor.scene.nodes["join16"]
    start = item.pos()

    def drag_frame(step=[0]) -> None:
        step[0] += 1
        item.setPos(start + QPointF(step[0] * 7 % 140, step[0] * 3 % 60))
        editor.view.viewport().repaint()

    figures["one drag frame, the whole graph in view"] = _timed(drag_frame, runs * 20)
    editor.view.resetTransform()  # at full size, titles drawn
    editor.view.centerOn(item)
    app.processEvents()
    figures["one drag frame"] = _timed(drag_frame, runs * 20)

    def edit(step=[0]) -> None:
        step[0] += 1
        editor.place_nodes({"join16": (start.x() + 20 * (step[0] % 7 + 1), start.y())})
        app.processEvents()

    figures["one edit written to disk"] = _timed(edit, runs * 4)
    written = json.loads(path.read_text(encoding="utf-8"))
    assert any(n["name"] == "join16" and "position" in n for n in written["nodeList"])
    for file, editor in editors:
        editor.close()
        editor.deleteLater()
        file.deleteLater()
    app.processEvents()
    return figures


def rows(nodes: int = 300, runs: int = 5) -> list[tuple[str, float, float, float | None]]:
    figures = measure(nodes, runs)
    return [(f"graph editor, {nodes} nodes: {name}", min(times), statistics.median(times), TARGETS[name])
            for name, times in figures.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for name, best, median, target in rows(args.nodes, args.runs):
        goal = f" (target < {target:.0f} ms)" if target else ""
        print(f"{name}: best {best:.1f} ms, median {median:.1f} ms{goal}")


if __name__ == "__main__":
    main()
