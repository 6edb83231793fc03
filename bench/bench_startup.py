"""Start-up of the IDE: time to the first painted window, to a usable element tree and to everything it
loads after the first paint (run by hand: python bench/bench_startup.py [--runs N] [--bundle [PATH]]).

Each run starts a new process offscreen (QT_QPA_PLATFORM=offscreen) with JITSTUDIO_EXIT_AFTER_FIRST_PAINT=1
and fresh settings. The IDE prints `time.monotonic()` when its main window has first been painted
(`JITSTUDIO_FIRST_PAINT`), when the open app's elements are in the tree and it can take a click
(`JITSTUDIO_TREE_USABLE`), and when the steps it defers until after the first paint are done
(`JITSTUDIO_LOADED`), then quits; each time is that minus the monotonic clock just before the process was
started: interpreter start-up, imports, building the window and its paints. Two cases: the welcome page (a
double-click, no app yet) and the example shop app opened. The source install runs
`python -m jitstudio.qt._startup_probe`; the desktop bundle (packaging/build/dist/jitstudio/jitstudio, made
by python packaging/build.py) is measured too when it has been built, or when --bundle names it; then the
runs of the two alternate. One unmeasured warm-up run of each comes first (file caches, .pyc files).
Prints medians and minima; `rows()` gives them as (name, median_s, min_s, target_s) rows for a script that
runs every bench.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_BUNDLE = REPO / "packaging" / "build" / "dist" / "jitstudio" / "jitstudio"
SHOP = REPO / "jitstudio" / "examples" / "shop"
FIRST_PAINT, TREE_USABLE, LOADED = "JITSTUDIO_FIRST_PAINT", "JITSTUDIO_TREE_USABLE", "JITSTUDIO_LOADED"
FIRST_PAINT_TARGET_S = 1.0
RUNS = 5


@dataclass
class Startup:
    first_paint: float
    tree_usable: float | None  # None on the welcome page: no app, no tree
    loaded: float | None


def environment(home: Path, source: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JITSTUDIO_", "QT_"))}
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR"):
        folder = home / name
        folder.mkdir(mode=0o700, exist_ok=True)
        env[name] = str(folder)
    env["QT_QPA_PLATFORM"] = os.environ.get("QT_QPA_PLATFORM", "offscreen")
    env["JITSTUDIO_EXIT_AFTER_FIRST_PAINT"] = "1"
    if source:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    return env


def start_up(command: list[str], cwd: Path) -> Startup:
    """Seconds from starting `command` to its first painted window, usable tree and loaded rest."""
    with tempfile.TemporaryDirectory(prefix="jitstudio-bench-") as home:
        env = environment(Path(home), source=command[0] == sys.executable)
        started = time.monotonic()
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=180)
    seen: dict[str, float] = {}
    for line in done.stdout.splitlines():
        marker, _, report = line.partition(" ")
        if marker in (FIRST_PAINT, TREE_USABLE, LOADED) and marker not in seen:
            seen[marker] = json.loads(report)["monotonic"] - started
    if done.returncode != 0 or FIRST_PAINT not in seen:
        raise SystemExit(f"bench: {' '.join(command)} failed (exit {done.returncode})\n{done.stdout}\n{done.stderr}")
    return Startup(seen[FIRST_PAINT], seen.get(TREE_USABLE), seen.get(LOADED))


def measure(runs: int = RUNS, bundle: Path | None = None) -> dict[tuple[str, str], list[Startup]]:
    """(case, install) → one Startup per run; install is "source" or "bundle"."""
    with tempfile.TemporaryDirectory(prefix="jitstudio-bench-app-") as folder:
        work = Path(folder)
        shop = work / "shop"
        shutil.copytree(SHOP, shop, ignore=shutil.ignore_patterns(".jitstudio", "__pycache__"))
        installs = {"source": [sys.executable, "-m", "jitstudio.qt._startup_probe"]}
        if bundle is not None:
            installs["bundle"] = [str(bundle)]
        results: dict[tuple[str, str], list[Startup]] = {}
        for case, extra in {"welcome page": [], "shop app open": [str(shop)]}.items():
            for command in installs.values():
                start_up(command + extra, work)
            for _ in range(runs):
                for name, command in installs.items():
                    results.setdefault((case, name), []).append(start_up(command + extra, work))
    return results


def rows(runs: int = RUNS, bundle: Path | None = None) -> list[tuple[str, float, float, float | None]]:
    """(name, median_s, min_s, target_s) for each case, install and moment measured."""
    out = []
    for (case, install), startups in measure(runs, bundle).items():
        moments = (("first painted window", [s.first_paint for s in startups], FIRST_PAINT_TARGET_S),
                   ("element tree usable", [s.tree_usable for s in startups if s.tree_usable is not None], None),
                   ("deferred loading done", [s.loaded for s in startups if s.loaded is not None], None))
        for moment, seconds, target in moments:
            if seconds:
                out.append((f"IDE start-up, {case} ({install}): {moment}", statistics.median(seconds), min(seconds), target))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS, help=f"measured runs of each (default {RUNS})")
    parser.add_argument("--bundle", type=Path, nargs="?", const=DEFAULT_BUNDLE, default=None,
                        help="measure the bundle's jitstudio program too (default: when it has been built)")
    args = parser.parse_args(argv)
    bundle = args.bundle
    if bundle is None and DEFAULT_BUNDLE.is_file():
        bundle = DEFAULT_BUNDLE
    if bundle is not None and not bundle.is_file():
        print(f"bench: no bundle at {bundle}; build it with: python packaging/build.py", file=sys.stderr)
        return 2

    results = measure(args.runs, bundle)
    print(f"IDE start-up, offscreen, {args.runs} runs each: seconds from launch, median / min "
          f"(target: first paint ≤ {FIRST_PAINT_TARGET_S:.1f} s)")
    print(f"{'case':<16}{'install':<9}{'first paint':>16}{'tree usable':>16}{'all loaded':>16}")
    for (case, install), startups in results.items():
        cells = []
        for seconds in ([s.first_paint for s in startups], [s.tree_usable for s in startups],
                        [s.loaded for s in startups]):
            known = [x for x in seconds if x is not None]
            cells.append(f"{statistics.median(known):.2f} / {min(known):.2f}" if known else "–")
        print(f"{case:<16}{install:<9}" + "".join(f"{cell:>16}" for cell in cells))
    if bundle is not None:
        for case in ("welcome page", "shop app open"):
            source, bundled = results[(case, "source")], results[(case, "bundle")]
            ratio = statistics.median(s.first_paint for s in bundled) / statistics.median(s.first_paint for s in source)
            print(f"bundle / source, first paint, {case}: {ratio:.2f}x")
        size = sum(p.stat().st_size for p in bundle.parent.rglob("*") if p.is_file() and not p.is_symlink())
        print(f"bundle folder: {size / 2**20:.1f} MiB ({bundle.parent})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
