"""Every figure of the performance table in one run, as a Markdown table (the README's figures section):

    python bench/run_all.py [--before DIR] [--quick] [--out FILE] [--only MODULE]

Each benchmark runs in a process of its own (`rows()` of bench_events, bench_cli, bench_startup, bench_editor,
bench_records_browser, bench_data_tab and bench_graph). With --before, a checkout of an earlier commit (`git worktree add DIR REV`), every
benchmark also runs against that code, this code's benchmark scripts copied into it, the two alternating so a
busy machine slows both alike; the table then has a before column. --quick runs fewer rounds and 100,000 records
instead of 1,000,000 (for a look, not for the README).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
MARKER = "RUN_ALL_ROWS "
COPIED_BENCH = ".bench-run-all"


@dataclass(frozen=True)
class Bench:
    module: str
    full: dict
    quick: dict
    unit: str  # what rows() returns: "x" (a ratio), "s", or "ms"
    best_first: bool = False  # rows are (name, best, median, target) instead of (name, median, best, target)


BENCHES = [
    Bench("bench_events", {}, {"writes": 200, "rounds": 7}, "x"),
    Bench("bench_cli", {"runs": 10}, {"runs": 3}, "s"),
    Bench("bench_startup", {"runs": 5}, {"runs": 2}, "s"),
    Bench("bench_editor", {"sizes": [1000]}, {"sizes": [1000]}, "ms", best_first=True),
    Bench("bench_records_browser", {"records": 1_000_000}, {"records": 100_000, "runs": 3}, "s"),
    Bench("bench_data_tab", {"table_rows": 1_000_000}, {"table_rows": 100_000, "runs": 3, "pages": 10, "edits": 5}, "s"),
    Bench("bench_graph", {}, {"runs": 2}, "ms", best_first=True),
]


@dataclass(frozen=True)
class Figure:
    name: str
    median: float
    best: float
    target: float | None
    unit: str

    def shown(self, value: float) -> str:
        if self.unit == "x":
            return f"{value:.2f}x"
        ms = value * 1000 if self.unit == "s" else value
        return f"{ms / 1000:.2f} s" if ms >= 1000 else f"{ms:.0f} ms" if ms >= 20 else f"{ms:.1f} ms"

    def met(self) -> bool | None:
        return None if self.target is None else self.median <= self.target


def run_bench(bench: Bench, code_dir: Path, quick: bool) -> list[Figure] | str:
    """The figures of one benchmark run against the code in `code_dir`, or why it failed."""
    bench_dir = BENCH if code_dir == BENCH.parent else code_dir / COPIED_BENCH
    kwargs = bench.quick if quick else bench.full
    program = (f"import json, sys; sys.path.insert(0, {str(bench_dir)!r}); import {bench.module} as b; "
               f"print({MARKER!r} + json.dumps([list(r) for r in b.rows(**{kwargs!r})]))")
    env = dict(os.environ, PYTHONPATH=str(code_dir), QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    done = subprocess.run([sys.executable, "-c", program], cwd=code_dir, env=env, capture_output=True, text=True)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith(MARKER)), None)
    if done.returncode != 0 or line is None:
        last = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        return f"{bench.module} failed: {last}"
    figures = []
    for name, first, second, target in json.loads(line[len(MARKER):]):
        median, best = (second, first) if bench.best_first else (first, second)
        figures.append(Figure(name, median, best, target, bench.unit))
    return figures


def copy_benchmarks(before: Path) -> None:
    target = before / COPIED_BENCH
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(BENCH, target, ignore=shutil.ignore_patterns("__pycache__", "results*.md"))


def target_text(figure: Figure) -> str:
    if figure.target is None:
        return ""
    return f"≤ {figure.shown(figure.target)}"


def table(after: list[Figure], before: dict[str, Figure] | None) -> str:
    head = ["figure", "before", "now", "target", ""] if before is not None else ["figure", "now", "target", ""]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for figure in after:
        now = figure.shown(figure.median) + (f" (best {figure.shown(figure.best)})" if figure.best != figure.median else "")
        met = {True: "met", False: "missed", None: ""}[figure.met()]
        cells = [figure.name, now, target_text(figure), met]
        if before is not None:
            earlier = before.get(figure.name)
            cells.insert(1, earlier.shown(earlier.median) if earlier else "—")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, metavar="DIR", help="a checkout of an earlier commit to compare with")
    parser.add_argument("--quick", action="store_true", help="fewer rounds, 100,000 records")
    parser.add_argument("--out", type=Path, metavar="FILE", help="also write the table to FILE")
    parser.add_argument("--only", action="append", metavar="MODULE", help="run only this benchmark (repeatable)")
    args = parser.parse_args(argv)
    if args.before is not None:
        copy_benchmarks(args.before.resolve())
    after: list[Figure] = []
    before: dict[str, Figure] | None = {} if args.before is not None else None
    problems: list[str] = []
    for bench in [b for b in BENCHES if not args.only or b.module in args.only]:
        print(f"run_all: {bench.module}", file=sys.stderr, flush=True)
        if before is not None:
            earlier = run_bench(bench, args.before.resolve(), args.quick)
            if isinstance(earlier, str):
                problems.append(f"before: {earlier}")
            else:
                before.update((f.name, f) for f in earlier)
        now = run_bench(bench, BENCH.parent, args.quick)
        if isinstance(now, str):
            problems.append(now)
        else:
            after.extend(now)
    text = table(after, before) + "".join(f"\n\n{p}" for p in problems) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
