"""mypy's error count per file of jitstudio/, and the committed baseline that tests/test_types.py holds it to.

    python scripts/type_baseline.py            write tests/mypy_baseline.json from a fresh mypy run
    python scripts/type_baseline.py --check    print how the current counts differ from the baseline

mypy reads its settings from [tool.mypy] in pyproject.toml and keeps its cache in .mypy_cache/, so a second
run only re-checks what changed. The baseline may only shrink: the test fails when a file has more errors than
its baseline says, and also when it has fewer and the baseline was not lowered with this script.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "tests" / "mypy_baseline.json"
REGENERATE = "python scripts/type_baseline.py"
_ERROR = re.compile(r"^(?P<path>[^:\n]+\.pyi?):\d+(?::\d+)?: error: ", re.MULTILINE)


class MypyFailed(RuntimeError):
    """mypy could not check the code at all (a crash, a bad setting, a missing install)."""


def run_mypy() -> tuple[dict[str, int], str]:
    """{file: error count} for every file with errors (paths relative to the repository, with /), and mypy's output."""
    result = subprocess.run([sys.executable, "-m", "mypy", "--no-error-summary", "--no-pretty", "--no-color-output"],
                            cwd=ROOT, capture_output=True, text=True)
    # 0: no errors, 1: errors were reported, 2: mypy stopped (bad config, crash, blocking errors).
    if result.returncode not in (0, 1) or (result.returncode == 1 and not _ERROR.search(result.stdout)):
        raise MypyFailed(f"mypy exited {result.returncode}:\n{result.stdout}{result.stderr}")
    counts = Counter(Path(m["path"]).as_posix() for m in _ERROR.finditer(result.stdout))
    return dict(sorted(counts.items())), result.stdout


def load_baseline() -> dict[str, int]:
    return json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.is_file() else {}


def write_baseline(counts: dict[str, int]) -> None:
    BASELINE.write_text(json.dumps(dict(sorted(counts.items())), indent=1) + "\n", encoding="utf-8")


def compare(current: dict[str, int], baseline: dict[str, int]) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """Files with more errors than their baseline, and files with fewer: {file: (baseline, now)} each."""
    files = sorted(set(current) | set(baseline))
    worse = {f: (baseline.get(f, 0), current.get(f, 0)) for f in files if current.get(f, 0) > baseline.get(f, 0)}
    better = {f: (baseline.get(f, 0), current.get(f, 0)) for f in files if current.get(f, 0) < baseline.get(f, 0)}
    return worse, better


def summary(counts: dict[str, int]) -> str:
    """The total and the count per package (jitstudio/<package>)."""
    packages: Counter[str] = Counter()
    for path, n in counts.items():
        parts = Path(path).parts
        packages["/".join(parts[:2]) if len(parts) > 2 else path] += n
    lines = [f"{sum(counts.values())} errors in {len(counts)} files"]
    lines += [f"  {name}: {n}" for name, n in sorted(packages.items())]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with the baseline instead of writing it")
    args = parser.parse_args(argv)
    current, _ = run_mypy()
    if args.check:
        worse, better = compare(current, load_baseline())
        for path, (was, now) in {**worse, **better}.items():
            print(f"{path}: {was} -> {now}")
        print(summary(current))
        return 1 if worse or better else 0
    write_baseline(current)
    print(f"wrote {BASELINE.relative_to(ROOT).as_posix()}: {summary(current)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
