"""mypy over jitstudio/ finds no more errors in any file than tests/mypy_baseline.json allows, and the baseline
is lowered as soon as a file has fewer: it only shrinks. Settings: [tool.mypy] in pyproject.toml."""
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("type_baseline", ROOT / "scripts" / "type_baseline.py")
assert _spec and _spec.loader
type_baseline = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(type_baseline)


def test_mypy_errors_per_file_stay_within_the_baseline():
    current, output = type_baseline.run_mypy()
    worse, better = type_baseline.compare(current, type_baseline.load_baseline())

    if worse:
        lines = [line for line in output.splitlines() if line.split(":", 1)[0] in worse]
        raise AssertionError(
            "mypy finds more errors than tests/mypy_baseline.json allows; fix them (when code only moved between "
            f"files, rewrite the baseline: {type_baseline.REGENERATE}):\n"
            + "\n".join(f"  {path}: {now} errors, baseline {was}" for path, (was, now) in worse.items())
            + "\n\n" + "\n".join(lines))
    if better:
        raise AssertionError(
            f"fewer mypy errors than tests/mypy_baseline.json says; lower the baseline so they stay gone: "
            f"{type_baseline.REGENERATE}\n"
            + "\n".join(f"  {path}: {now} errors, baseline {was}" for path, (was, now) in better.items()))
