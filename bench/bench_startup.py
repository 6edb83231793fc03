"""Start-up of the IDE: time to the first painted main window, source install versus the desktop bundle
(run by hand: python bench/bench_startup.py [--runs N] [--bundle PATH]).

Each run starts a new process offscreen (QT_QPA_PLATFORM=offscreen) with JITSTUDIO_EXIT_AFTER_FIRST_PAINT=1
and fresh settings; the IDE prints `time.monotonic()` once its main window has been painted and quits, and
the time is that minus the monotonic clock just before the process was started: interpreter start-up,
imports, building the window and its first paint. Two cases: the welcome page (a double-click, no app yet)
and the example shop app opened. The source install runs `python -m jitstudio.qt._startup_probe`; the
bundle is packaging/build/dist/jitstudio/jitstudio (build it with python packaging/build.py). Runs of the
two alternate, after one unmeasured warm-up of each. Prints medians, minima and the bundle/source ratio.
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
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_BUNDLE = REPO / "packaging" / "build" / "dist" / "jitstudio" / "jitstudio"
SHOP = REPO / "jitstudio" / "examples" / "shop"
MARKER = "JITSTUDIO_FIRST_PAINT "


def environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JITSTUDIO_", "QT_"))}
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR"):
        folder = home / name
        folder.mkdir(mode=0o700, exist_ok=True)
        env[name] = str(folder)
    env["QT_QPA_PLATFORM"] = os.environ.get("QT_QPA_PLATFORM", "offscreen")
    env["JITSTUDIO_EXIT_AFTER_FIRST_PAINT"] = "1"
    return env


def first_paint(command: list[str], cwd: Path) -> float:
    """Seconds from starting `command` to its first painted main window."""
    with tempfile.TemporaryDirectory(prefix="jitstudio-bench-") as home:
        env = environment(Path(home))
        started = time.monotonic()
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=180)
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARKER)]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"bench: {' '.join(command)} failed (exit {done.returncode})\n{done.stdout}\n{done.stderr}")
    return json.loads(lines[0][len(MARKER):])["monotonic"] - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs of each (default 5)")
    parser.add_argument("--bundle", type=Path, default=DEFAULT_BUNDLE, help="the bundle's jitstudio program")
    args = parser.parse_args(argv)
    if not args.bundle.is_file():
        print(f"bench: no bundle at {args.bundle}; build it with: python packaging/build.py", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="jitstudio-bench-app-") as work:
        work = Path(work)
        shop = work / "shop"
        shutil.copytree(SHOP, shop, ignore=shutil.ignore_patterns(".jitstudio", "__pycache__"))
        source = [sys.executable, "-m", "jitstudio.qt._startup_probe"]
        bundle = [str(args.bundle)]
        cases = {"welcome page": [], "shop app open": [str(shop)]}
        results: dict[tuple[str, str], list[float]] = {}
        for case, extra in cases.items():
            for name, command in (("source", source), ("bundle", bundle)):
                first_paint(command + extra, work)  # warm-up: file caches, .pyc files
            for _ in range(args.runs):
                for name, command in (("source", source), ("bundle", bundle)):
                    results.setdefault((case, name), []).append(first_paint(command + extra, work))

    print(f"time to first painted window, offscreen, {args.runs} runs each (median / min, seconds)")
    print(f"{'case':<16}{'source install':>18}{'bundle':>18}{'ratio (median)':>16}")
    for case in cases:
        src, bun = results[(case, "source")], results[(case, "bundle")]
        ratio = statistics.median(bun) / statistics.median(src)
        print(f"{case:<16}{statistics.median(src):>9.2f} / {min(src):<6.2f}{statistics.median(bun):>9.2f} / {min(bun):<6.2f}"
              f"{ratio:>14.2f}x")
    size = sum(p.stat().st_size for p in args.bundle.parent.rglob("*") if p.is_file() and not p.is_symlink())
    print(f"bundle folder: {size / 2**20:.1f} MiB ({args.bundle.parent})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
