"""Start-up of the `jitstudio` command line: whole-process wall time of the commands scripts run most
(run by hand: python bench/bench_cli.py [--runs N]).

Each run is a fresh `python -m jitstudio ...` process. The example shop app is copied to a temporary folder
first and given its database and one Product row, so `check` and `data DIR list Product` read a real app.
`python -c pass` and `python -c "import sqlalchemy"` are timed the same way, for context. Prints the median
and minimum of each with its target; `rows()` returns them for other scripts (e.g. a bench/run_all.py).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parents[1]
MODEL = "Product"
PYTHON = "python -c pass"
PRODUCT = '{"name": "Pen", "sku": "P1", "price": 2.5, "stock": 10, "active": true}'


class Row(NamedTuple):
    name: str
    median_s: float
    min_s: float
    target_s: float | None


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JITSTUDIO_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def jitstudio(*args: str) -> list[str]:
    return [sys.executable, "-m", "jitstudio", *args]


def run(command: list[str], env: dict[str, str]) -> float:
    """Seconds from start to exit of `command`, which must succeed."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command)} failed (exit {done.returncode})\n{done.stdout}\n{done.stderr}")
    return elapsed


def prepare_app(folder: Path, env: dict[str, str]) -> Path:
    app = folder / "shop"
    run(jitstudio("new", str(app), "--example", "shop"), env)
    run(jitstudio("data", str(app), "create", MODEL, PRODUCT), env)
    return app


def cases(app: Path) -> list[tuple[str, list[str], float | None]]:
    return [
        (PYTHON, [sys.executable, "-c", "pass"], None),
        ("python -c 'import sqlalchemy'", [sys.executable, "-c", "import sqlalchemy"], None),
        ("jitstudio --version", jitstudio("--version"), 0.15),
        ("jitstudio --help", jitstudio("--help"), 0.15),
        ("jitstudio check APP", jitstudio("check", str(app)), 0.4),
        (f"jitstudio data APP list {MODEL}", jitstudio("data", str(app), "list", MODEL), 0.5),
    ]


def rows(runs: int = 10) -> list[Row]:
    """(name, median_s, min_s, target_s) of every case, `runs` fresh processes each after one warm-up;
    the runs of the cases are interleaved so that a busy machine slows them alike."""
    env = environment()
    with tempfile.TemporaryDirectory(prefix="jitstudio-bench-cli-") as folder:
        todo = cases(prepare_app(Path(folder), env))
        for _name, command, _target in todo:
            run(command, env)
        times: list[list[float]] = [[] for _ in todo]
        for _ in range(runs):
            for index, (_name, command, _target) in enumerate(todo):
                times[index].append(run(command, env))
    return [Row(name, statistics.median(t), min(t), target) for (name, _c, target), t in zip(todo, times)]


def table(results: list[Row]) -> str:
    """The rows with their targets; `over python` is the median less that of `python -c pass`."""
    python = next(r.median_s for r in results if r.name == PYTHON)
    width = max(len(r.name) for r in results)
    lines = [f"{'command':<{width}}  {'median':>8}  {'min':>8}  {'over python':>11}  {'target':>8}  ok"]
    for r in results:
        target = "" if r.target_s is None else f"{r.target_s:.2f} s"
        ok = "" if r.target_s is None else ("yes" if r.median_s <= r.target_s else "NO")
        over = f"{r.median_s - python:+.3f} s"
        lines.append(f"{r.name:<{width}}  {r.median_s:>6.3f} s  {r.min_s:>6.3f} s  {over:>11}  {target:>8}  {ok}".rstrip())
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="measured runs of each command (default 10)")
    args = parser.parse_args(argv)
    print(table(rows(args.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
